"""Reports of content that breaks the house rules (a core service)."""

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from participatie.extensions import db
from participatie.extensions import UTCDateTime
from participatie.extensions import utcnow

if TYPE_CHECKING:
    from participatie.core.accounts.models import User

RESOLUTIONS = ("hidden", "dismissed")


class Report(db.Model):
    """A report by an account about an idea or comment (``kind`` and ``object_id``).

    Plugins register the kinds they own (see ``participatie.core.moderation``);
    hiding sets the plugin's own flag on the content, which stays in the
    database.
    """

    __tablename__ = "report"
    __table_args__ = (
        sa.Index("ix_report_open", "process_id", "resolved_at"),
        # One open report per account and content, also when the same report is
        # sent twice at once (two transactions that both saw none yet).
        sa.Index(
            "uq_report_open_per_reporter",
            "reporter_id",
            "kind",
            "object_id",
            unique=True,
            sqlite_where=sa.text("resolved_at IS NULL"),
            postgresql_where=sa.text("resolved_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("process.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(32))
    object_id: Mapped[int]
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    resolution: Mapped[str | None] = mapped_column(sa.String(16))
    public_reason: Mapped[str] = mapped_column(sa.String(500), default="")

    reporter: Mapped["User | None"] = relationship("User", foreign_keys=[reporter_id])
    resolved_by: Mapped["User | None"] = relationship("User", foreign_keys=[resolved_by_id])
