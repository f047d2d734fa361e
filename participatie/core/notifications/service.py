"""Notify accounts by mail, immediately or in a daily digest, as each one chose.

``notify`` only adds rows to the current transaction (an outbox mail or a
digest item), so a notification exists exactly when the event that caused it
was committed. Every notification mail carries a one-click unsubscribe link
(RFC 8058).
"""

import sqlalchemy as sa
from flask import current_app
from flask import render_template
from flask_babel import force_locale
from itsdangerous import BadSignature
from itsdangerous import URLSafeSerializer

from participatie.core.accounts.models import User
from participatie.core.mail.about import not_shown
from participatie.core.mail.sending import external_url
from participatie.core.mail.sending import mail_template
from participatie.core.mail.sending import queue_mail
from participatie.core.notifications.models import DigestItem
from participatie.core.notifications.models import Follow
from participatie.extensions import db
from participatie.extensions import utcnow

SALT = "unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_token(user: User) -> str:
    """A signed token naming the account; it never expires, like the mails it is in."""
    return _serializer().dumps(user.id)


def user_for_token(token: str) -> User | None:
    try:
        user_id = _serializer().loads(token)
    except BadSignature:
        return None
    return db.session.get(User, user_id) if isinstance(user_id, int) else None


def unsubscribe_headers(user: User) -> dict:
    url = _unsubscribe_url(user)
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def reachable(user: User | None) -> bool:
    """Whether mail may be sent to ``user`` at all."""
    return (
        user is not None
        and user.is_active
        and user.email_confirmed
        and user.imported_from is None
        and user.notify_mode != "never"
    )


def notify(user: User, template: str, about: str | None = None, **context) -> None:
    """Notify ``user`` with mail ``template`` (see ``mail_template``), as the account chose.

    The template's first line is the subject. Nothing is sent to accounts
    that chose never, are blocked, unconfirmed or imported. ``about`` names
    the content the mail quotes (``mail.about``): the mail or digest item is
    withheld if that is no longer shown when it would go out.
    """
    if not reachable(user):
        return
    context.setdefault("unsubscribe_url", _unsubscribe_url(user))
    if user.notify_mode == "daily":
        with force_locale(user.locale):
            rendered = render_template(mail_template(template), user=user, **context)
        subject, _, body = rendered.strip().partition("\n")
        db.session.add(
            DigestItem(
                user_id=user.id,
                subject=subject.strip()[:200],
                body_text=body.strip(),
                about=about,
            )
        )
        return
    queue_mail(
        user.email,
        template,
        user.locale,
        headers=unsubscribe_headers(user),
        about=about,
        user=user,
        **context,
    )


def _unsubscribe_url(user: User) -> str:
    return external_url("notifications.unsubscribe", token=unsubscribe_token(user))


def followers(kind: str, object_id: int) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Follow, Follow.user_id == User.id)
            .where(Follow.kind == kind, Follow.object_id == object_id)
        )
    )


def follow(user: User, kind: str, object_id: int) -> None:
    """Follow, once: a second call changes nothing (insert-if-absent)."""
    from participatie.dbutil import upsert_insert

    db.session.execute(
        upsert_insert(Follow.__table__)
        .values(user_id=user.id, kind=kind, object_id=object_id, created_at=utcnow())
        .on_conflict_do_nothing()
    )


def unfollow(user: User, kind: str, object_id: int) -> None:
    db.session.execute(
        sa.delete(Follow).where(
            Follow.user_id == user.id, Follow.kind == kind, Follow.object_id == object_id
        )
    )


def send_digests() -> int:
    """Queue one digest mail per account with waiting items; return how many.

    Each account is one transaction: its items are marked sent together with
    queueing its digest mail. Items about content hidden, withdrawn or merged
    since (``mail.about``) are left out and marked done with the rest.
    """
    user_ids = db.session.scalars(
        sa.select(DigestItem.user_id).where(DigestItem.sent_at.is_(None)).distinct()
    ).all()
    count = 0
    for user_id in user_ids:
        user = db.session.get(User, user_id)
        items = db.session.scalars(
            sa.select(DigestItem)
            .where(DigestItem.user_id == user_id, DigestItem.sent_at.is_(None))
            .order_by(DigestItem.created_at)
            .with_for_update()
        ).all()
        gone = not_shown(item.about for item in items)
        shown = [item for item in items if item.about not in gone]
        if shown and reachable(user):
            queue_mail(
                user.email,
                "digest",
                user.locale,
                headers=unsubscribe_headers(user),
                user=user,
                items=shown,
                unsubscribe_url=_unsubscribe_url(user),
            )
            count += 1
        now = utcnow()
        for item in items:
            item.sent_at = now
        db.session.commit()
    return count


def facilitators_of(process) -> list[User]:
    """Accounts that facilitate ``process``: of its area or an area above it, or of the process."""
    from participatie.core.roles.models import RoleAssignment

    area_ids = [process.area_id] + [area.id for area in process.area.ancestors()]
    return list(
        db.session.scalars(
            sa.select(User)
            .join(RoleAssignment, RoleAssignment.user_id == User.id)
            .where(
                RoleAssignment.role == "facilitator",
                sa.or_(
                    RoleAssignment.area_id.in_(area_ids),
                    RoleAssignment.process_id == process.id,
                ),
            )
            .distinct()
        )
    )
