"""What accounts follow, and notifications waiting for the daily digest."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from participatie.extensions import db
from participatie.extensions import UTCDateTime
from participatie.extensions import utcnow

MODES = ("immediate", "daily", "never")


class Follow(db.Model):
    """An account follows a process or an idea (``kind`` and ``object_id``).

    Generic, because ideas belong to a plugin and the core refers to no plugin's table.
    """

    __tablename__ = "follow"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    object_id: Mapped[int] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DigestItem(db.Model):
    """A notification for an account that chose the daily digest."""

    __tablename__ = "digest_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(sa.String(200))
    body_text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: What the item quotes (``idea:12``): left out of the digest once that is no longer shown.
    about: Mapped[str | None] = mapped_column(sa.String(40))
