"""Account rules as plain functions, callable without a request.

Callers commit; every function here only adds to the current transaction, so
an account change and the mail it causes are committed together or not at all.
"""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from participatie.core.accounts.models import LoginThrottle
from participatie.core.accounts.models import User
from participatie.core.accounts.passwords import hash_password
from participatie.core.accounts.passwords import needs_rehash
from participatie.core.accounts.passwords import verify_password
from participatie.core.accounts.tokens import find_token
from participatie.core.accounts.tokens import issue_token
from participatie.core.accounts.tokens import spend_token
from participatie.core.mail.sending import external_url
from participatie.core.mail.sending import queue_mail
from participatie.dbutil import upsert_insert
from participatie.extensions import db
from participatie.extensions import utcnow


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))


def register(email: str, display_name: str, password: str, locale: str) -> User | None:
    """Create an account and queue its confirmation mail.

    When the address already has an account, no account is made and the owner
    of the address gets a mail saying so; the person registering sees the same
    answer either way, so the form reveals nothing about who has an account.
    """
    # Hashed first, whether or not the address has an account: the answer then
    # takes as long either way, and no transaction is open while it is computed.
    password_hash = hash_password(password)
    email = normalize_email(email)
    existing = find_user(email)
    if existing is not None:
        _queue_existing_notice(existing)
        return None
    user = User(
        email=email,
        display_name=display_name.strip(),
        password_hash=password_hash,
        locale=locale,
        house_rules_accepted_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        # Another request registered the same address a moment ago.
        existing = find_user(email)
        if existing is not None:
            _queue_existing_notice(existing)
        return None
    send_confirmation(user)
    return user


def _queue_existing_notice(user: User) -> None:
    queue_mail(
        user.email,
        "account_exists",
        user.locale,
        user=user,
        login_url=external_url("accounts.login"),
        reset_url=external_url("accounts.reset_request"),
    )


def send_confirmation(user: User) -> None:
    token = issue_token(user, "confirm")
    queue_mail(
        user.email,
        "confirm_email",
        user.locale,
        user=user,
        url=external_url("accounts.confirm", token=token),
    )


def confirm_email(token: str) -> User | None:
    """Confirm the address the token was sent to; None for a bad or spent token."""
    row = find_token(token, "confirm")
    if row is None or not spend_token(row):
        return None
    if row.user.email_confirmed_at is None:
        row.user.email_confirmed_at = utcnow()
    return row.user


def request_password_reset(email: str) -> None:
    """Queue a reset mail when ``email`` has an account; do nothing visible otherwise."""
    user = find_user(email)
    if user is None or user.blocked_at is not None:
        return
    token = issue_token(user, "reset")
    queue_mail(
        user.email,
        "reset_password",
        user.locale,
        user=user,
        url=external_url("accounts.reset_password", token=token),
    )


def reset_token_is_valid(token: str) -> bool:
    return find_token(token, "reset") is not None


def reset_password(token: str, password: str) -> User | None:
    """Set a new password with a reset token; None for a bad or spent token.

    The reset mail proves the address, so it also confirms it; every earlier
    session of the account ends. The password is hashed before the token is
    looked up, with no transaction open.
    """
    end_transaction()
    password_hash = hash_password(password)
    row = find_token(token, "reset")
    if row is None or not spend_token(row):
        return None
    user = row.user
    set_password(user, password_hash)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    # The mail proved the owner: a lock-out someone else caused ends here.
    db.session.execute(
        sa.delete(LoginThrottle).where(LoginThrottle.email.startswith(user.email + " "))
    )
    return user


def set_password(user: User, password_hash: str) -> None:
    """Store a new password (hashed beforehand) and end every earlier session of the account."""
    user.password_hash = password_hash
    user.rotate_session_token()


def notify_password_changed(user: User, via_reset: bool = False) -> None:
    """Tell the account's address that its password was changed, and what to do if not by them.

    ``via_reset``: changed with a reset link mailed to the address, not on the account page.
    """
    if user.has_mailbox:
        queue_mail(
            user.email,
            "password_changed",
            user.locale,
            user=user,
            via_reset=via_reset,
            reset_url=external_url("accounts.reset_request"),
        )


def end_transaction() -> None:
    """End the request's transaction before a password is hashed or checked.

    On SQLite a POST's transaction holds the database's write lock from its
    first statement; hashing (Argon2, made slow on purpose) under it would make
    every other writer wait. Only called with nothing changed yet.
    """
    session = db.session
    if session.new or session.dirty or session.deleted:
        raise RuntimeError(
            "A password would be hashed after changes: they would be committed early."
        )
    session.commit()


@dataclass
class LoginResult:
    user: User | None = None
    locked: bool = False
    blocked: bool = False


def authenticate(email: str, password: str, client_address: str | None = None) -> LoginResult:
    """Check a log-in attempt, counting failures in the database (so across all workers).

    Failures count per e-mail address and client, so that someone elsewhere
    cannot lock the owner out, and per client over all addresses, checked
    before any hash is computed; a password reset lifts the lock. No
    transaction is open while the password is hashed.

    A password is checked even for an unknown address or a locked one (against
    a dummy hash), so every attempt costs the same.
    """
    email = normalize_email(email)
    now = utcnow()
    client = client_key(client_address)
    pair = f"{email} {client}"[:254]
    throttles = {
        row.email: row
        for row in db.session.scalars(
            sa.select(LoginThrottle).where(LoginThrottle.email.in_([pair, client]))
        )
    }
    if _locked(throttles.get(client), now):
        # Too many failures from this client: refused before any password is hashed.
        db.session.commit()
        return LoginResult(locked=True)
    locked = _locked(throttles.get(pair), now)
    user = find_user(email)
    stored_hash = user.password_hash if user else None
    # End the transaction before hashing: on SQLite it holds the write lock.
    db.session.commit()
    matched = verify_password(stored_hash, password)
    if locked:
        return LoginResult(locked=True)
    if not matched:
        client_locked = count_failure(client, current_app.config["LOGIN_MAX_FAILURES_PER_CLIENT"])
        return LoginResult(locked=count_failure(pair) or client_locked)
    # A hash made with older cost parameters is made again, still outside the transaction.
    new_hash = hash_password(password) if needs_rehash(stored_hash) else None
    user = db.session.get(User, user.id)
    db.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.email == pair))
    if user.blocked_at is not None:
        return LoginResult(blocked=True)
    if new_hash is not None and user.password_hash == stored_hash:
        user.password_hash = new_hash
    user.last_login_at = now
    user.inactivity_warned_at = None
    return LoginResult(user=user)


def client_key(address: str | None) -> str:
    """The throttle key of a client address (no e-mail address has this form)."""
    return f"client:{address or 'unknown'}"[:254]


def _locked(throttle: LoginThrottle | None, now) -> bool:
    return (
        throttle is not None and throttle.locked_until is not None and throttle.locked_until > now
    )


def count_failure(email: str, most: int | None = None) -> bool:
    """Add one failure for ``email`` (or a client key); return True when this locks it."""
    config = current_app.config
    table = LoginThrottle.__table__
    insert = upsert_insert(table).values(email=email, failures=1, updated_at=utcnow())
    db.session.execute(
        insert.on_conflict_do_update(
            index_elements=[table.c.email],
            set_={"failures": table.c.failures + 1, "updated_at": utcnow()},
        )
    )
    throttle = db.session.get(LoginThrottle, email, populate_existing=True)
    if throttle.failures < (most or config["LOGIN_MAX_FAILURES"]):
        return False
    throttle.failures = 0
    throttle.locked_until = utcnow() + timedelta(minutes=config["LOGIN_LOCK_MINUTES"])
    return True


def request_email_change(user: User, new_email: str) -> None:
    """Mail a link to ``new_email`` that moves the account there, and tell the old address.

    Nothing changes until the link is used. When the new address already has an
    account, its owner hears so instead, and the person asking sees the same
    answer either way.
    """
    new_email = normalize_email(new_email)
    if user.has_mailbox:
        queue_mail(
            user.email,
            "email_change_notice",
            user.locale,
            user=user,
            new_email=new_email,
            reset_url=external_url("accounts.reset_request"),
        )
    existing = find_user(new_email)
    if existing is not None:
        if existing.id != user.id:
            _queue_existing_notice(existing)
        return
    token = issue_token(user, "email", new_email=new_email)
    queue_mail(
        new_email,
        "confirm_new_email",
        user.locale,
        user=user,
        url=external_url("accounts.confirm_email_change", token=token),
    )


def email_change_is_valid(token: str) -> bool:
    return find_token(token, "email") is not None


def confirm_email_change(token: str) -> User | None:
    """Move the account to the address the token was sent to; None when spent or taken."""
    row = find_token(token, "email")
    if row is None or not row.new_email or not spend_token(row):
        return None
    user = row.user
    if find_user(row.new_email) is not None:
        return None
    try:
        with db.session.begin_nested():
            user.email = row.new_email
            user.email_confirmed_at = utcnow()
            user.rotate_session_token()
    except IntegrityError:
        return None
    return user
