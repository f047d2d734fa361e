"""Processes, their framing and their phases.

The framing is structured data (reasons, fixed limits, open questions and
named fields), not one text: the framing check and the residents' framing
panel both read these parts.
"""

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
    from participatie.core.areas.models import Area

STATUSES = ("draft", "published", "closed")
PUBLIC_STATUSES = ("published", "closed")
REASON_KINDS = ("support", "interests", "knowledge")
LEVELS = ("inform", "consult", "advise", "co-create", "co-decide")
INTEGRALITIES = ("balance", "policy", "execution")
PARTICIPATION_ENDS = ("plan", "execution")
ACTIONS = ("submit", "comment", "vote", "budget")
#: Who may take part (the API's codes): any one of a rule's ways suffices.
WHO = ("account", "area-resident", "code", "oidc")
FIXED_LIMIT_KINDS = ("budget", "council-decision", "policy", "law", "planning", "other")
DEFAULT_THEMES = (("sociaal", "Sociaal"), ("fysiek", "Fysiek"), ("veiligheid", "Veiligheid"))


class Process(db.Model):
    __tablename__ = "process"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(160))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(16), default="draft", index=True)

    # Framing: the single-valued parts. Empty until the facilitator fills them.
    level: Mapped[str | None] = mapped_column(sa.String(16))
    horizontal_limits: Mapped[str] = mapped_column(sa.Text, default="")
    decision_maker: Mapped[str] = mapped_column(sa.String(200), default="")
    integrality: Mapped[str | None] = mapped_column(sa.String(16))
    execution_owner: Mapped[str] = mapped_column(sa.String(200), default="")
    participation_ends: Mapped[str | None] = mapped_column(sa.String(16))
    answer_within_days: Mapped[int | None]

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    area: Mapped["Area"] = relationship("Area", lazy="joined", innerjoin=True)
    reasons: Mapped[list["Reason"]] = relationship(
        cascade="all, delete-orphan", order_by="Reason.position"
    )
    fixed_limits: Mapped[list["FixedLimit"]] = relationship(
        cascade="all, delete-orphan", order_by="FixedLimit.position"
    )
    open_questions: Mapped[list["OpenQuestion"]] = relationship(
        cascade="all, delete-orphan", order_by="OpenQuestion.position"
    )
    themes: Mapped[list["Theme"]] = relationship(
        cascade="all, delete-orphan", order_by="Theme.position"
    )
    phases: Mapped[list["Phase"]] = relationship(
        cascade="all, delete-orphan", order_by="Phase.position"
    )
    plugin_settings: Mapped[list["ProcessPlugin"]] = relationship(
        cascade="all, delete-orphan", order_by="ProcessPlugin.name"
    )
    revisions: Mapped[list["FramingRevision"]] = relationship(
        cascade="all, delete-orphan", order_by="FramingRevision.number"
    )
    participation_rules: Mapped[list["ParticipationRule"]] = relationship(
        cascade="all, delete-orphan", order_by="ParticipationRule.position"
    )

    @hybrid_property
    def is_public(self) -> bool:
        """Published or closed: open to everyone (also in SQL: ``.where(Process.is_public)``)."""
        return self.status in PUBLIC_STATUSES

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls):
        return cls.status.in_(PUBLIC_STATUSES)

    def __repr__(self) -> str:
        return f"<Process {self.slug}>"


class _ProcessPart:
    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)


class Reason(_ProcessPart, db.Model):
    """Why residents are asked: support, interests or knowledge, with a sentence."""

    __tablename__ = "process_reason"

    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(16))
    text: Mapped[str] = mapped_column(sa.Text, default="")


class FixedLimit(_ProcessPart, db.Model):
    """A vertical limit: a fixed framework (policy, budget, law) with its source.

    A limit that an answer cites is never deleted: it is marked as lapsed
    (``lapsed_on``) and stays visible with that mark.
    """

    __tablename__ = "process_fixed_limit"

    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    source: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[str] = mapped_column(sa.String(20), default="other")
    #: In whole euros, for a limit of kind ``budget`` (the amount that may be spent).
    amount: Mapped[int | None]
    lapsed_on: Mapped[date | None] = mapped_column(sa.Date)

    @property
    def in_force(self) -> bool:
        return self.lapsed_on is None


class OpenQuestion(_ProcessPart, db.Model):
    """Something residents can still change."""

    __tablename__ = "process_open_question"

    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.Text)


class ParticipationRule(_ProcessPart, db.Model):
    """Who may take part in one phase action (``action``), or in every action (null).

    ``who`` holds codes of ``WHO``, space-separated; any one of them suffices.
    The ages are inclusive and count the age a person reaches in the current
    calendar year (see ``core/accounts/verification``). Without any rule, the
    rule of old holds: a confirmed account, for every action.
    """

    __tablename__ = "process_participation_rule"
    __table_args__ = (sa.UniqueConstraint("process_id", "action"),)

    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str | None] = mapped_column(sa.String(16))
    who: Mapped[str] = mapped_column(sa.String(80), default="account")
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]

    @property
    def ways(self) -> list[str]:
        return [code for code in WHO if code in self.who.split()]


class Theme(_ProcessPart, db.Model):
    """A theme ideas can be filed under; ``code`` is what the API shows."""

    __tablename__ = "process_theme"
    __table_args__ = (sa.UniqueConstraint("process_id", "code"),)

    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(80))


class Phase(_ProcessPart, db.Model):
    """A phase runs from ``starts_at`` up to, not including, ``ends_at``."""

    __tablename__ = "process_phase"

    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    allows_submit: Mapped[bool] = mapped_column(default=False)
    allows_comment: Mapped[bool] = mapped_column(default=False)
    allows_vote: Mapped[bool] = mapped_column(default=False)
    allows_budget: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    @property
    def actions(self) -> list[str]:
        flags = (self.allows_submit, self.allows_comment, self.allows_vote, self.allows_budget)
        return [action for action, allowed in zip(ACTIONS, flags, strict=True) if allowed]

    def contains(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at


class ProcessPlugin(db.Model):
    """Whether a plugin is on for a process; without a row, the plugin's default holds."""

    __tablename__ = "process_plugin"

    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("process.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)


class FramingRevision(db.Model):
    """A public change of a published process's framing, with why it was made.

    Number 0 is the publication itself (no changes). ``changes`` lists, per
    framing field, the value before and after: ``[{"field", "old", "new"}]``,
    each value plain text or a list of plain texts.
    """

    __tablename__ = "framing_revision"
    __table_args__ = (sa.UniqueConstraint("process_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("process.id", ondelete="CASCADE"))
    number: Mapped[int]
    #: ``publish``, ``edit``, ``close-phase``, ``close`` or ``reopen``.
    kind: Mapped[str] = mapped_column(sa.String(16), default="edit")
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    changes: Mapped[list] = mapped_column(sa.JSON, default=list)
