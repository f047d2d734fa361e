"""The TOTP secrets encrypted at rest (ASVS 2.8.2).

A stored secret is a Fernet token (``cryptography``: AES-128 in CBC mode with
an HMAC-SHA256 over it, so a changed or foreign token is refused rather than
read as some other secret). The keys come from ``TOTP_ENCRYPTION_KEYS``: the
first encrypts, every one decrypts (a ``MultiFernet``), so a key is replaced
by putting the new one first, running ``flask accounts rotate-two-step-key``,
and then dropping the old one. Production refuses to start without the
setting (``config.py``); in development and the tests the key is derived from
``SECRET_KEY`` with HKDF, so that nothing more needs setting up there.

A database copied away without the key gives no usable secret; the key lives
in the environment, never beside the data.
"""

import base64
from functools import lru_cache

from cryptography.fernet import Fernet
from cryptography.fernet import InvalidToken
from cryptography.fernet import MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

#: What the derived development key is for: another use of SECRET_KEY never gets the same key.
HKDF_INFO = b"participatie: TOTP secrets at rest"


class SecretUnreadable(Exception):
    """A stored TOTP secret that none of the configured keys opens (a wrong or lost key)."""


def derived_key(secret_key: str) -> bytes:
    """The Fernet key derived from ``secret_key`` (HKDF-SHA256), for development and tests."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(
        secret_key.encode()
    )
    return base64.urlsafe_b64encode(key)


def configured_keys(config=None) -> tuple[bytes, ...]:
    """The keys of ``config`` (the app's by default), the one that encrypts first."""
    config = current_app.config if config is None else config
    keys = config.get("TOTP_ENCRYPTION_KEYS") or ()
    if keys:
        return tuple(key.encode() if isinstance(key, str) else key for key in keys)
    return (derived_key(config["SECRET_KEY"]),)


@lru_cache(maxsize=8)
def _cipher(keys: tuple[bytes, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(secret: str) -> str:
    """``secret`` (base32) encrypted with the first key, as text for the database."""
    return _cipher(configured_keys()).encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    """The base32 secret in ``token``; ``SecretUnreadable`` when no configured key opens it."""
    try:
        return _cipher(configured_keys()).decrypt(token.encode()).decode()
    except (InvalidToken, UnicodeError) as error:
        raise SecretUnreadable from error


def rotate(token: str) -> str:
    """``token`` encrypted again with the first key (``SecretUnreadable`` as ``decrypt``)."""
    try:
        return _cipher(configured_keys()).rotate(token.encode()).decode()
    except InvalidToken as error:
        raise SecretUnreadable from error
