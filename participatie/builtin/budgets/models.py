"""A process's budget vote: its ballot rules, its projects, and the ballots cast.

One ``BudgetVote`` per process. Its status follows the phases (see
``service.status``), except for a vote imported from a Pabulib file, which is
a finished election from the start. The computed outcome is stored on the
projects when the facilitator publishes it and is not edited afterwards; a
decision that deviates from it is recorded beside it, per project.
"""

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
    from participatie.core.processes.models import Process

#: Counting rules, as in the API contract.
RULES = ("greedy", "greedy-stop", "equal-shares")
BALLOT_KINDS = ("approval", "choose-1")
STATUSES = ("preparing", "open", "closed", "published")


class BudgetVote(db.Model):
    __tablename__ = "budget_vote"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("process.id", ondelete="CASCADE"), unique=True
    )
    budget: Mapped[int]
    rule: Mapped[str] = mapped_column(sa.String(16), default="greedy")
    partial_funding: Mapped[bool] = mapped_column(default=False)
    ballot_kind: Mapped[str] = mapped_column(sa.String(16), default="approval")
    min_projects: Mapped[int | None]
    max_projects: Mapped[int | None]
    max_total_cost: Mapped[int | None]
    #: Pabulib's ``max_project_cost``: no project may cost more (imported elections).
    max_project_cost: Mapped[int | None]
    #: Whether approval counts are shown while the vote runs (default: not).
    show_counts: Mapped[bool] = mapped_column(default=False)
    #: A finished election imported from a Pabulib file: closed from the start.
    imported: Mapped[bool] = mapped_column(default=False)
    #: The Pabulib META of an imported election, kept for the export.
    source_meta: Mapped[str] = mapped_column(sa.Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    #: What the other rule would have chosen, computed once at publication (a
    #: comparison for councillors, never the outcome): project ids, space-separated.
    comparison_rule: Mapped[str | None] = mapped_column(sa.String(16))
    comparison: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    process: Mapped["Process"] = relationship()
    projects: Mapped[list["Project"]] = relationship(
        back_populates="vote", order_by="Project.id", cascade="all, delete-orphan"
    )


class Project(db.Model):
    """A project on the ballot; from one or more ideas, or added directly with a reason."""

    __tablename__ = "budget_project"
    __table_args__ = (sa.UniqueConstraint("vote_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget_vote.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(160))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    cost: Mapped[int]
    theme_code: Mapped[str | None] = mapped_column(sa.String(40))
    #: Codes of the buurten the project is in, space-separated.
    buurt_codes: Mapped[str] = mapped_column(sa.String(400), default="")
    #: Why a facilitator added it without an idea behind it.
    direct_reason: Mapped[str] = mapped_column(sa.Text, default="")
    #: The ``project_id`` of an imported Pabulib file.
    external_id: Mapped[str | None] = mapped_column(sa.String(40))
    photo_file: Mapped[str | None] = mapped_column(sa.String(80))
    photo_type: Mapped[str | None] = mapped_column(sa.String(20))
    photo_alt: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # The published outcome (null before publication), never edited afterwards.
    approvals: Mapped[int | None]
    selected: Mapped[bool | None]
    funded: Mapped[int | None]
    reason: Mapped[str | None] = mapped_column(sa.String(24))
    # The decision-maker's deviation from the outcome, with its explanation.
    decided: Mapped[bool | None]
    deviation_explanation: Mapped[str] = mapped_column(sa.Text, default="")
    deviation_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    vote: Mapped[BudgetVote] = relationship(back_populates="projects")
    sources: Mapped[list["ProjectIdea"]] = relationship(
        order_by="ProjectIdea.idea_id", cascade="all, delete-orphan"
    )

    @property
    def idea_ids(self) -> list[int]:
        return [source.idea_id for source in self.sources]

    @property
    def buurten(self) -> list[str]:
        return self.buurt_codes.split()

    @property
    def deviates(self) -> bool:
        return self.decided is not None and self.decided != self.selected


class ProjectIdea(db.Model):
    """An idea a project came from."""

    __tablename__ = "budget_project_idea"

    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget_project.id", ondelete="CASCADE"), primary_key=True
    )
    idea_id: Mapped[int] = mapped_column(
        sa.ForeignKey("idea.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Ballot(db.Model):
    """A voter's ballot: one per voter per vote (the UNIQUE constraint), the last cast counts.

    ``cast_at`` is null for a draft choice that is kept on the server but not
    cast yet; a draft is not counted.
    """

    __tablename__ = "budget_ballot"
    __table_args__ = (sa.UniqueConstraint("vote_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget_vote.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    cast_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The draft choice, project ids space-separated; the cast choice is in ``choices``.
    draft: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    choices: Mapped[list["BallotChoice"]] = relationship(
        order_by="BallotChoice.project_id", cascade="all, delete-orphan"
    )


class BallotChoice(db.Model):
    __tablename__ = "budget_ballot_choice"

    ballot_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget_ballot.id", ondelete="CASCADE"), primary_key=True
    )
    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget_project.id", ondelete="CASCADE"), primary_key=True, index=True
    )
