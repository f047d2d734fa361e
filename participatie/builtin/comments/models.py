"""Comments on ideas, one level of replies, optionally an argument for or against."""

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
    from participatie.builtin.ideas.models import Idea
    from participatie.core.accounts.models import User

STANCES = ("for", "against")


class Comment(db.Model):
    """A comment; ``parent`` is set for a reply (one level deep only).

    Deleting keeps the row with its place in the thread ("reactie
    verwijderd"); hiding is a moderator's flag with a public reason.
    """

    __tablename__ = "comment"
    __table_args__ = (sa.Index("ix_comment_idea_created", "idea_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("idea.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comment.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.Text)
    stance: Mapped[str | None] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str] = mapped_column(sa.String(500), default="")

    author: Mapped["User | None"] = relationship("User")
    idea: Mapped["Idea"] = relationship("Idea")
    parent: Mapped["Comment | None"] = relationship("Comment", remote_side=[id])
