"""Two-step verification: time-based one-time codes (TOTP, RFC 6238) and recovery codes.

Setting it up: a new secret is kept in the session, never in the database,
until a code made with it is typed; then it is stored together with the time
step of that code, and ten recovery codes are made and shown once (stored as
salted hashes, each usable once). At log-in (``sessions.start_session``) an
account with two-step verification is not logged in yet: the session holds a
pending log-in until the code step (``twofactor_views.two_factor_login``)
accepts a code.

The secret is stored encrypted (``totp_cipher``); when the configured key does
not open it, the code step says that it cannot check codes now, the event is
logged and audited, and the typed code is not counted as wrong.

A code is accepted for the current time step and one either side (30 seconds
of clock difference), but never for a time step at or before the last one used:
a code seen over someone's shoulder or replayed is refused. The update that
records the step is conditional, so two workers cannot both accept one code.

Callers commit; every function here only adds to the current transaction.
"""

import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from dataclasses import field

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app
from markupsafe import Markup

from participatie.core import audit
from participatie.core.accounts import totp_cipher
from participatie.core.accounts.models import LoginThrottle
from participatie.core.accounts.models import RecoveryCode
from participatie.core.accounts.models import User
from participatie.core.accounts.service import count_failure
from participatie.core.mail.sending import external_url
from participatie.core.mail.sending import queue_mail
from participatie.extensions import db
from participatie.extensions import utcnow

#: How many recovery codes an account gets at a time.
RECOVERY_CODES = 10
#: Letters and digits that cannot be mistaken for one another (no 0/o, 1/l/i).
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
#: Characters of a recovery code: 31**10, about 2**49.
RECOVERY_LENGTH = 10
#: Time steps either side of now that are accepted (30 seconds each).
VALID_WINDOW = 1

TOTP_CODE = re.compile(r"[0-9]{6}")
RECOVERY_CODE = re.compile(f"[{RECOVERY_ALPHABET}]{{{RECOVERY_LENGTH}}}")


def new_secret() -> str:
    """A random base32 secret of 160 bits (RFC 4226 recommends at least that)."""
    return pyotp.random_base32(length=32)


def issuer() -> str:
    """The name the authenticator app shows above the code: the site's name."""
    from participatie.core.areas.queries import municipality

    name = current_app.config.get("MUNICIPALITY_NAME")
    if not name:
        gemeente = municipality()
        name = gemeente.name if gemeente else ""
    return name or "Participatie"


def provisioning_uri(secret: str, user: User) -> str:
    """The ``otpauth://totp/…`` URI that an authenticator app reads from the QR code."""
    label = user.email if user.has_mailbox else user.display_name
    return pyotp.TOTP(secret).provisioning_uri(name=label, issuer_name=issuer())


def qr_svg(uri: str, title: str) -> Markup:
    """``uri`` as a QR code in inline SVG (no script, no style: the CSP allows it)."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title=title, svgclass="qr-code"
    )
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704  # nosec B704 - segno's own SVG


def grouped(secret: str) -> str:
    """The secret in groups of four, as people type it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _compact(code: str | None) -> str:
    """``code`` without spaces and dashes, lower case (what people paste or type)."""
    return re.sub(r"[\s\-]", "", code or "").lower()


def matching_step(secret: str, code: str | None, now: float | None = None) -> int | None:
    """The time step within the window for which ``code`` is right, or None."""
    code = _compact(code)
    if not TOTP_CODE.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret)
    current = int((time.time() if now is None else now) // totp.interval)
    found = None
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        # Every step is compared, so the time taken tells nothing about which matched.
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            found = step
    return found


def _hash(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def _new_recovery_code() -> str:
    return "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))


def shown(code: str) -> str:
    """A recovery code as shown: two groups of five."""
    half = RECOVERY_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def replace_recovery_codes(user: User) -> list[str]:
    """Make new recovery codes for ``user`` (the old ones stop working); return them as shown."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    for code in codes:
        salt = secrets.token_hex(16)
        db.session.add(RecoveryCode(user_id=user.id, salt=salt, code_hash=_hash(salt, code)))
    return [shown(code) for code in codes]


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def _notice(user: User, template: str, **context) -> None:
    if user.has_mailbox:
        queue_mail(
            user.email,
            template,
            user.locale,
            user=user,
            reset_url=external_url("accounts.reset_request"),
            **context,
        )


def enable(user: User, secret: str, step: int) -> list[str]:
    """Turn two-step verification on with ``secret``, whose code for ``step`` was typed.

    Every other session of the account ends (they were opened without the
    second step); the caller starts this one again. Returns the recovery codes.
    """
    user.totp_secret_encrypted = totp_cipher.encrypt(secret)
    user.totp_last_counter = step
    user.two_factor_enabled_at = utcnow()
    user.rotate_session_token()
    codes = replace_recovery_codes(user)
    audit.record("account.two_factor_on", user, label=f"#{user.id}")
    _notice(user, "two_factor_on")
    return codes


def disable(user: User, by_administrator: bool = False) -> None:
    """Turn two-step verification off: the secret and the recovery codes are deleted.

    ``by_administrator``: on the owner's request, by an administrator (on the
    administration page or with ``flask accounts turn-off-two-step``); the
    audit event and the mail to the owner say so.
    """
    user.totp_secret_encrypted = None
    user.totp_last_counter = None
    user.two_factor_enabled_at = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    details = {"by": "administrator"} if by_administrator else {}
    audit.record("account.two_factor_off", user, label=f"#{user.id}", **details)
    _notice(user, "two_factor_off", by_administrator=by_administrator)


def stored_secret(user: User) -> str:
    """The base32 secret of ``user``, decrypted; ``totp_cipher.SecretUnreadable`` with a wrong key.

    An unreadable secret is logged for the operators and audited for the
    administrators (without the stored value), once per attempt.
    """
    try:
        return totp_cipher.decrypt(user.totp_secret_encrypted)
    except totp_cipher.SecretUnreadable:
        current_app.logger.error(
            "The TOTP secret of account #%s cannot be decrypted with TOTP_ENCRYPTION_KEYS: "
            "the key that encrypted it is missing from the setting. Put it back (after the "
            "new key, if there is one).",
            user.id,
        )
        audit.record("account.two_factor_unreadable", user, label=f"#{user.id}", actor=user)
        raise


@dataclass
class RotateResult:
    rotated: int = 0
    unreadable: list[int] = field(default_factory=list)


def rotate_stored_secrets() -> RotateResult:
    """Encrypt every stored TOTP secret again with the first key of ``TOTP_ENCRYPTION_KEYS``.

    Afterwards the older keys can be dropped from the setting. Secrets that no
    key opens are left as they are and listed by account id.
    """
    result = RotateResult()
    users = db.session.scalars(
        sa.select(User).where(User.totp_secret_encrypted.is_not(None)).order_by(User.id)
    )
    for user in users:
        try:
            user.totp_secret_encrypted = totp_cipher.rotate(user.totp_secret_encrypted)
        except totp_cipher.SecretUnreadable:
            result.unreadable.append(user.id)
        else:
            result.rotated += 1
    return result


#: What ``check_code`` found.
ACCEPTED, RECOVERY, REUSED, WRONG = "accepted", "recovery", "reused", "wrong"
#: A code of the app's shape, but the stored secret cannot be decrypted (a wrong key).
UNREADABLE = "unreadable"


def check_code(user: User, code: str | None) -> str:
    """Check a code typed at the second step of the log-in of ``user``.

    ``ACCEPTED`` for a right TOTP code of a time step after the last one used
    (which it now is); ``REUSED`` for a right code of a step already used (the
    owner is told: someone may have seen it);
    ``RECOVERY`` for an unused recovery code (now used, and the owner told);
    ``UNREADABLE`` for a code of six digits when the stored secret cannot be
    decrypted (``stored_secret``: the key is wrong); ``WRONG`` otherwise.
    Recovery codes are hashes, not encrypted: they work whatever the key.
    """
    if not user.has_two_factor:
        return WRONG
    step = None
    if TOTP_CODE.fullmatch(_compact(code)):
        try:
            step = matching_step(stored_secret(user), code)
        except totp_cipher.SecretUnreadable:
            return UNREADABLE
    if step is not None:
        taken = db.session.execute(
            sa.update(User)
            .where(
                User.id == user.id,
                sa.or_(User.totp_last_counter.is_(None), User.totp_last_counter < step),
            )
            .values(totp_last_counter=step)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:
            # ASVS 2.8.5: a code used again within its time is logged and its owner told.
            audit.record("account.two_factor_code_reused", user, label=f"#{user.id}", actor=user)
            _notice(user, "two_factor_code_reused")
            return REUSED
        db.session.expire(user, ["totp_last_counter"])
        return ACCEPTED
    return RECOVERY if _use_recovery_code(user, code) else WRONG


def _use_recovery_code(user: User, code: str | None) -> bool:
    code = _compact(code)
    if not RECOVERY_CODE.fullmatch(code):
        return False
    unused = db.session.scalars(
        sa.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    ).all()
    match = None
    for row in unused:
        if secrets.compare_digest(row.code_hash, _hash(row.salt, code)):
            match = row
    if match is None:
        return False
    spent = db.session.execute(
        sa.update(RecoveryCode)
        .where(RecoveryCode.id == match.id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        return False
    audit.record("account.recovery_code_used", user, label=f"#{user.id}", actor=user)
    _notice(user, "recovery_code_used", left=recovery_codes_left(user))
    return True


def _throttle_key(user: User) -> str:
    # Starts with the address and a space, as the log-in's own: a password reset
    # lifts it, the export shows it and the erasure deletes it.
    return f"{user.email} second-step"[:254]


def second_step_locked(user: User) -> bool:
    """Whether too many wrong codes were typed for ``user`` lately (in the database,
    so across workers; a session cookie played back cannot reset it)."""
    throttle = db.session.get(LoginThrottle, _throttle_key(user))
    return (
        throttle is not None
        and throttle.locked_until is not None
        and (throttle.locked_until > utcnow())
    )


def count_wrong_code(user: User) -> bool:
    """Count one wrong code for ``user``; True when this locks the second step."""
    return count_failure(_throttle_key(user))


def clear_wrong_codes(user: User) -> None:
    db.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.email == _throttle_key(user)))


def is_staff(user: User) -> bool:
    """Any role on top of being a resident: facilitator, councillor or administrator."""
    return bool(user.roles)


def must_set_up(user) -> bool:
    """Whether ``user`` must set up two-step verification before anything else.

    With ``REQUIRE_2FA_FOR_STAFF`` on, for every account with a role.
    """
    return (
        current_app.config.get("REQUIRE_2FA_FOR_STAFF", False)
        and getattr(user, "is_authenticated", False)
        and not user.has_two_factor
        and is_staff(user)
    )
