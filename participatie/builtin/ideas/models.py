"""Ideas: what residents (and facilitators, for input gathered offline) submit."""

from datetime import date
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from participatie.extensions import db
from participatie.extensions import UTCDateTime
from participatie.extensions import utcnow

if TYPE_CHECKING:
    from participatie.core.accounts.models import User
    from participatie.core.areas.models import Area
    from participatie.core.processes.models import Process
    from participatie.core.processes.models import Theme

#: Status codes, as in the API contract. New ideas are ``submitted``; the
#: feedback plugin moves them on.
STATUSES = (
    "submitted",
    "under-consideration",
    "adopted",
    "partly-adopted",
    "not-adopted",
    "already-planned",
    "in-execution",
    "done",
)


class Idea(db.Model):
    """An idea in a process.

    Withdrawn, hidden and merged are flags, not statuses. ``supports`` is kept
    by the votes plugin, changed in SQL in the same transaction as each vote.
    An idea gathered offline has no author account: ``entered_by`` is the
    facilitator who typed it in, with where and when it was gathered.
    """

    __tablename__ = "idea"
    __table_args__ = (
        sa.UniqueConstraint("process_id", "external_ref"),
        sa.Index("ix_idea_process_created", "process_id", "created_at"),
        # The list and the API sorted by supports, and the summary's most supported.
        sa.Index("ix_idea_process_supports", "process_id", "supports", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("process.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(sa.String(160))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    theme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("process_theme.id", ondelete="SET NULL")
    )
    buurt_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(sa.String(24), default="submitted", index=True)
    supports: Mapped[int] = mapped_column(default=0)

    offline: Mapped[bool] = mapped_column(default=False)
    gathered_where: Mapped[str] = mapped_column(sa.String(200), default="")
    gathered_on: Mapped[date | None] = mapped_column(sa.Date)
    #: Where an imported idea came from, for example ``polis:<conversation>:12``;
    #: importing the same source again finds it and changes nothing.
    external_ref: Mapped[str | None] = mapped_column(sa.String(120))

    photo_file: Mapped[str | None] = mapped_column(sa.String(80))
    photo_type: Mapped[str | None] = mapped_column(sa.String(20))
    photo_alt: Mapped[str] = mapped_column(sa.String(300), default="")

    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("idea.id", ondelete="SET NULL")
    )

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: When the answer is due: fixed at submission from the promise then in
    #: force; a later change of the framing may bring it forward, never back.
    answer_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    process: Mapped["Process"] = relationship("Process")
    author: Mapped["User | None"] = relationship("User", foreign_keys=[author_id])
    entered_by: Mapped["User | None"] = relationship("User", foreign_keys=[entered_by_id])
    theme: Mapped["Theme | None"] = relationship("Theme")
    buurt: Mapped["Area | None"] = relationship("Area")
    merged_into: Mapped["Idea | None"] = relationship("Idea", remote_side=[id])
    updates: Mapped[list["IdeaUpdate"]] = relationship(
        back_populates="idea", cascade="all, delete-orphan", order_by="IdeaUpdate.created_at"
    )

    @hybrid_property
    def is_visible(self) -> bool:
        """Shown in lists, counted and in the API: not withdrawn, hidden or merged.

        The one definition of a visible idea, for an idea at hand and in SQL
        (``.where(Idea.is_visible)``).
        """
        return self.withdrawn_at is None and self.hidden_at is None and self.merged_into_id is None

    @is_visible.inplace.expression
    @classmethod
    def _is_visible_expression(cls):
        return sa.and_(
            cls.hidden_at.is_(None), cls.withdrawn_at.is_(None), cls.merged_into_id.is_(None)
        )


class IdeaUpdate(db.Model):
    """An update its author adds once the idea has supports or comments."""

    __tablename__ = "idea_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("idea.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    idea: Mapped[Idea] = relationship(back_populates="updates")
