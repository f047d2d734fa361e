"""Idempotency keys: a form sent twice creates its idea or comment once.

Every form that creates something carries a hidden, random ``submission_key``,
made when the form is shown. The first POST with a key stores it beside what it
created, in the same transaction; a second POST with the same key (the browser
retried after a lost connection, or someone pressed twice) creates nothing and
is sent to what the first one made. Two POSTs at the same moment are kept apart
by the primary key (account, key): the second insert fails and that request
rolls back.
"""

import re
import secrets
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from participatie.extensions import db
from participatie.extensions import UTCDateTime
from participatie.extensions import utcnow

#: How long a key is remembered; a retry comes within minutes.
KEPT_FOR = timedelta(days=1)
KEY = re.compile(r"^[0-9a-f]{32}$")


class SubmissionKey(db.Model):
    __tablename__ = "submission_key"

    # Per account: a key copied into another account's form protects nothing there,
    # and clashes with nothing.
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    #: Where the first POST sent its author: the idea or the comment it made.
    location: Mapped[str] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


def new_key() -> str:
    return secrets.token_hex(16)


def valid(key) -> str | None:
    """The key when it is one we could have made, else None (then no protection)."""
    return key if isinstance(key, str) and KEY.match(key) else None


def earlier(user, key) -> str | None:
    """Where the first POST with ``key`` by ``user`` led, if there was one."""
    key = valid(key)
    if key is None:
        return None
    return db.session.scalar(
        sa.select(SubmissionKey.location).where(
            SubmissionKey.key == key, SubmissionKey.user_id == user.id
        )
    )


def remember(user, key, location: str) -> None:
    """Store ``key`` with what it made, in the caller's transaction."""
    key = valid(key)
    if key is not None:
        db.session.add(SubmissionKey(key=key, user_id=user.id, location=location))


def forget_old(now=None) -> int:
    """Drop keys older than KEPT_FOR; the number dropped."""
    cutoff = (now or utcnow()) - KEPT_FOR
    result = db.session.execute(sa.delete(SubmissionKey).where(SubmissionKey.created_at < cutoff))
    return result.rowcount or 0


def init_app(app) -> None:
    app.jinja_env.globals["new_submission_key"] = new_key
