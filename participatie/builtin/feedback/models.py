"""Answers to ideas, answer templates, and milestones of what is carried out."""

from datetime import date
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
    from participatie.core.processes.models import FixedLimit

REASON_KINDS = ("fixed-limit", "other-interests", "other")


class Answer(db.Model):
    """One public status change of an idea, with its explanation; together the idea's history.

    ``reason_kind`` says why an idea was not (or partly) adopted: a fixed limit
    of the process (``fixed_limit``), other interests or ideas weighed against
    it (the horizontal limit), or another reason (``reason_text``).
    """

    __tablename__ = "answer"
    __table_args__ = (sa.Index("ix_answer_idea_at", "idea_id", "answered_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("idea.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(sa.String(24))
    explanation: Mapped[str] = mapped_column(sa.Text)
    reason_kind: Mapped[str | None] = mapped_column(sa.String(20))
    fixed_limit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("process_fixed_limit.id", ondelete="SET NULL")
    )
    reason_text: Mapped[str] = mapped_column(sa.Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    fixed_limit: Mapped["FixedLimit | None"] = relationship("FixedLimit")
    answered_by: Mapped["User | None"] = relationship("User")


class AnswerTemplate(db.Model):
    """A reusable explanation for answering many ideas alike."""

    __tablename__ = "answer_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(120))
    text: Mapped[str] = mapped_column(sa.Text)


class Milestone(db.Model):
    """A step in carrying out an adopted idea."""

    __tablename__ = "milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("idea.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    date: Mapped[date] = mapped_column(sa.Date)
    done: Mapped[bool] = mapped_column(default=False)


class Execution(db.Model):
    """Who carries out an adopted idea."""

    __tablename__ = "idea_execution"

    idea_id: Mapped[int] = mapped_column(
        sa.ForeignKey("idea.id", ondelete="CASCADE"), primary_key=True
    )
    owner: Mapped[str] = mapped_column(sa.String(200))


class DecisionSummary(db.Model):
    """The decision-maker's account of what was decided and why ("you said, we did")."""

    __tablename__ = "decision_summary"

    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("process.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(sa.Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
