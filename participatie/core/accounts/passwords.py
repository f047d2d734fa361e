"""Password rules and hashing (Argon2id).

The breached-password list is the one zxcvbn ships: 30,000 passwords from
leaked password sets, ranked by frequency. It is loaded once, lazily.
"""

from functools import cache

from argon2 import PasswordHasher
from argon2 import Type
from argon2.exceptions import InvalidHashError
from argon2.exceptions import VerificationError
from flask import current_app

MIN_LENGTH = 12
MAX_LENGTH = 256


@cache
def breached_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def is_breached(password: str) -> bool:
    """Whether ``password`` is on the bundled list of common breached passwords."""
    return password.lower() in breached_passwords()


def hasher() -> PasswordHasher:
    """The app's Argon2id hasher, with the cost parameters from its configuration."""
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
        type=Type.ID,
    )


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check ``password``; an account without a password never matches.

    When there is no hash to check, a dummy hash is checked instead, so that a
    log-in attempt for an unknown or password-less account does the same work
    as one for a real account.
    """
    ph = hasher()
    target = password_hash or dummy_hash(ph.time_cost, ph.memory_cost, ph.parallelism)
    try:
        matched = ph.verify(target, password)
    except (VerificationError, InvalidHashError):
        return False
    return matched and password_hash is not None


@cache
def dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    ph = PasswordHasher(
        time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism, type=Type.ID
    )
    return ph.hash("not a password of anyone")


def needs_rehash(password_hash: str) -> bool:
    """Whether ``password_hash`` was made with other parameters than the current ones."""
    try:
        return hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True
