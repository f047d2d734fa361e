"""Support votes: one per account per idea, and an optional maximum per process."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from participatie.extensions import db
from participatie.extensions import UTCDateTime
from participatie.extensions import utcnow


class Vote(db.Model):
    """One account's support for one idea. The UNIQUE constraint keeps it one."""

    __tablename__ = "vote"
    __table_args__ = (sa.UniqueConstraint("idea_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("idea.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class VoteSettings(db.Model):
    """The per-process maximum number of supports per person (None: no maximum)."""

    __tablename__ = "vote_settings"

    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("process.id", ondelete="CASCADE"), primary_key=True
    )
    max_supports: Mapped[int | None]
