"""A resident's own data: the export, the erasure, and erasing inactive accounts.

The core's tables are read here; every plugin adds its part through the
``personal_data`` and ``erase_personal_data`` hooks (``participatie.plugins``),
so the core never imports a plugin.
"""

import time
from dataclasses import dataclass

import sqlalchemy as sa
from flask import session

from participatie import plugins
from participatie.caching import stale_everywhere
from participatie.core import audit
from participatie.core.accounts.codes import CodeHolder
from participatie.core.accounts.identities import OidcIdentity
from participatie.core.accounts.models import AccountToken
from participatie.core.accounts.models import LoginThrottle
from participatie.core.accounts.models import RecoveryCode
from participatie.core.accounts.models import User
from participatie.core.accounts.passwords import verify_password
from participatie.core.accounts.profile import ParticipantProfile
from participatie.core.accounts.retention import erase_before
from participatie.core.accounts.retention import RECENT_LOGIN_MINUTES
from participatie.core.accounts.retention import warn_before
from participatie.core.accounts.retention import WARNING_NOTICE_DAYS
from participatie.core.audit.models import AuditEvent
from participatie.core.mail.models import OutboxMessage
from participatie.core.mail.sending import external_url
from participatie.core.mail.sending import queue_mail
from participatie.core.notifications.models import DigestItem
from participatie.core.notifications.models import Follow
from participatie.core.roles.models import RoleAssignment
from participatie.extensions import db
from participatie.extensions import utcnow
from participatie.personal import plain
from participatie.personal import row

#: The reserved domain (RFC 2606) of the addresses of erased accounts.
ERASED_DOMAIN = "deleted.invalid"
FORMAT_VERSION = 1


def confirms_identity(user: User, password: str | None) -> bool:
    """Whether ``password`` is the account's, or, without a password, the log-in is recent.

    An account that logs in only through a provider (DigiD) has no password to
    ask; a log-in less than ``RECENT_LOGIN_MINUTES`` ago stands in for it.
    """
    if user.password_hash:
        stored_hash = user.password_hash
        # No transaction open while checking: on SQLite a POST's holds the write lock.
        db.session.commit()
        return bool(password) and verify_password(stored_hash, password)
    login_at = session.get("login_at")
    return login_at is not None and time.time() - login_at <= RECENT_LOGIN_MINUTES * 60


def export(user: User) -> dict:
    """Everything stored about ``user``, as JSON-ready data."""
    profile = db.session.get(ParticipantProfile, user.id)
    identities = db.session.scalars(
        sa.select(OidcIdentity).where(OidcIdentity.user_id == user.id).order_by(OidcIdentity.id)
    ).all()
    follows = db.session.scalars(
        sa.select(Follow).where(Follow.user_id == user.id).order_by(Follow.id)
    ).all()
    digest = db.session.scalars(
        sa.select(DigestItem).where(DigestItem.user_id == user.id).order_by(DigestItem.id)
    ).all()
    roles = db.session.scalars(
        sa.select(RoleAssignment).where(RoleAssignment.user_id == user.id)
    ).all()
    throttles = db.session.scalars(
        sa.select(LoginThrottle).where(LoginThrottle.email.startswith(user.email + " "))
    ).all()
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(
            sa.or_(
                AuditEvent.actor_id == user.id,
                sa.and_(AuditEvent.object_type == "user", AuditEvent.object_id == str(user.id)),
            )
        )
        .order_by(AuditEvent.id)
    ).all()
    holders = db.session.scalars(
        sa.select(CodeHolder.process_id).where(CodeHolder.user_id == user.id)
    ).all()
    recovery_codes = db.session.scalars(
        sa.select(RecoveryCode).where(RecoveryCode.user_id == user.id).order_by(RecoveryCode.id)
    ).all()
    tokens = db.session.scalars(
        sa.select(AccountToken).where(AccountToken.user_id == user.id).order_by(AccountToken.id)
    ).all()
    return {
        "format": FORMAT_VERSION,
        "exported_at": plain(utcnow()),
        "account": {
            **row(
                user,
                "id",
                "email",
                "locale",
                "created_at",
                "email_confirmed_at",
                "house_rules_accepted_at",
                "blocked_at",
                "last_login_at",
                "imported_from",
            ),
            "display_name": user.stored_display_name,
            "has_password": user.password_hash is not None,
        },
        # Whether it is on and how many recovery codes are left; never the secret or a code.
        "two_step_verification": {
            "enabled_at": plain(user.two_factor_enabled_at),
            "recovery_codes": [row(code, "created_at", "used_at") for code in recovery_codes],
        },
        "roles": [row(role, "role", "area_id", "process_id") for role in roles],
        "voluntary_details": row(
            profile,
            "buurt_id",
            "age_band",
            "birth_year",
            "postcode",
            "house_number",
            "addition",
            "address_checked_at",
            "updated_at",
        )
        if profile
        else None,
        "login_services": [
            row(
                identity,
                "provider",
                "subject",
                "birth_date",
                "postcode",
                "house_number",
                "created_at",
                "last_login_at",
            )
            for identity in identities
        ],
        "mail_settings": {
            "notify_mode": user.notify_mode,
            "digest_waiting": [row(item, "subject", "created_at", "sent_at") for item in digest],
        },
        "follows": [row(follow, "kind", "object_id", "created_at") for follow in follows],
        "logins": {
            "last_login_at": plain(user.last_login_at),
            "failed_attempts": [
                row(throttle, "failures", "locked_until", "updated_at") for throttle in throttles
            ],
        },
        "mail_links": [
            row(token, "purpose", "created_at", "expires_at", "used_at") for token in tokens
        ],
        "voting_code_processes": list(holders),
        "audit_log": [
            {
                **row(event, "at", "action", "object_type", "object_id", "details"),
                "by_you": event.actor_id == user.id,
            }
            for event in events
        ],
        **plugins.personal_data(user),
    }


def erased_email(user_id: int) -> str:
    return f"deleted-{user_id}@{ERASED_DOMAIN}"


def erase(user: User, actor: User | None = None, reason: str = "own request") -> None:
    """Erase the personal data of ``user`` in the current transaction; the caller commits.

    The row stays (under a unique address no one can own), so that its ideas,
    comments, supports and ballots stay and every count stays right; they show
    as "voormalig deelnemer". The audit event names only the account id;
    ``actor`` is the administrator who did it, or None for the person's own request.
    """
    old_email = user.email
    user_id = user.id
    from participatie.core.accounts.kept import KeptForm

    for model in (
        ParticipantProfile,
        OidcIdentity,
        Follow,
        DigestItem,
        AccountToken,
        KeptForm,
        RecoveryCode,
    ):
        db.session.execute(sa.delete(model).where(model.user_id == user_id))
    db.session.execute(sa.delete(RoleAssignment).where(RoleAssignment.user_id == user_id))
    db.session.execute(
        sa.delete(LoginThrottle).where(LoginThrottle.email.startswith(old_email + " "))
    )
    db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.recipient == old_email))
    # Earlier audit events keep what happened, not who the person was.
    db.session.execute(
        sa.update(AuditEvent).where(AuditEvent.actor_id == user_id).values(actor_email="")
    )
    db.session.execute(
        sa.update(AuditEvent)
        .where(AuditEvent.object_type == "user", AuditEvent.object_id == str(user_id))
        .values(object_label="", details={})
    )
    plugins.erase_personal_data(user)
    # The stated buurt and age band are gone: every summary the person took part in changes.
    stale_everywhere()
    db.session.expire(user, ["oidc_identities", "roles", "tokens"])
    user.email = erased_email(user_id)
    user.display_name = ""
    user.password_hash = None
    user.email_confirmed_at = None
    user.last_login_at = None
    user.inactivity_warned_at = None
    user.totp_secret_encrypted = user.totp_last_counter = user.two_factor_enabled_at = None
    user.notify_mode = "never"
    user.erased_at = utcnow()
    user.rotate_session_token()
    event = audit.record("account.erase", user, label=f"#{user_id}", actor=actor, reason=reason)
    if actor is None:
        event.actor_id, event.actor_email = None, ""


@dataclass
class InactiveResult:
    warned: int = 0
    erased: int = 0


def _inactive(before, include_staff: bool):
    last_active = sa.func.coalesce(User.last_login_at, User.created_at)
    query = sa.select(User).where(
        User.erased_at.is_(None), User.imported_from.is_(None), last_active < before
    )
    if not include_staff:
        staff = sa.select(RoleAssignment.user_id)
        query = query.where(User.id.not_in(staff))
    return query.order_by(User.id)


def erase_inactive(include_staff: bool = False, dry_run: bool = False) -> InactiveResult:
    """Warn the accounts inactive for the period minus a month; erase those warned long enough.

    An account is erased only when it is inactive past the whole period and
    its warning is at least ``WARNING_NOTICE_DAYS`` old; a log-in clears the
    warning. Staff accounts only with ``include_staff``. The caller commits.
    """
    from datetime import timedelta

    from participatie.core.accounts.kept import delete_stale

    now = utcnow()
    result = InactiveResult()
    if not dry_run:
        delete_stale()
        from participatie.core import submissions

        submissions.forget_old(now)
    notice = now - timedelta(days=WARNING_NOTICE_DAYS)
    for user in db.session.scalars(_inactive(erase_before(now), include_staff)).all():
        if user.inactivity_warned_at is not None and user.inactivity_warned_at <= notice:
            result.erased += 1
            if not dry_run:
                erase(user, reason="inactive")
    for user in db.session.scalars(
        _inactive(warn_before(now), include_staff).where(User.inactivity_warned_at.is_(None))
    ).all():
        result.warned += 1
        if dry_run:
            continue
        user.inactivity_warned_at = now
        queue_mail(
            user.email,
            "inactive_warning",
            user.locale,
            user=user,
            login_url=external_url("accounts.login"),
            erase_on=now + timedelta(days=WARNING_NOTICE_DAYS),
        )
    return result
