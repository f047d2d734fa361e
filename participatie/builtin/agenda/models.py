"""The area cycle: partners and people of an area, its agendas with tasks, and the works.

An area (stadsdeel or wijk) has agendas for a period of years, adopted by the
council, each with a few tasks (*opgaven*) and its focuswijken. The yearly
execution plan is the area's works (*uitvoering*): what is done where, by
whom, in which months, and in what state. Two works that may be carried out
together are a coupling chance (``service.coupling_chances``); what the area
team decided about a pair is a ``CouplingDecision``.

Months are stored as the first day of the month (``starts_on``, ``ends_on``).
"""

from datetime import date
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from participatie.extensions import db
from participatie.extensions import UTCDateTime
from participatie.extensions import utcnow

if TYPE_CHECKING:
    from participatie.core.areas.models import Area
    from participatie.core.processes.models import Process

#: Partner kinds, as in the API contract (also a work's ``owner.kind``).
PARTNER_KINDS = (
    "wijkraad",
    "housing-corporation",
    "welfare",
    "police",
    "school",
    "business-association",
    "municipality",
    "other",
)
PERSON_ROLES = ("wijkwethouder", "stadsdeelregisseur", "gebiedsregisseur", "wijkagent", "other")
DOMAINS = ("sociaal", "fysiek", "veiligheid")
TASK_STATUSES = ("active", "achieved", "stopped")
WORK_STATUSES = ("planned", "in-execution", "done", "postponed", "cancelled")
DECISIONS = ("coordinated", "not-applicable")


partner_area = sa.Table(
    "agenda_partner_area",
    db.metadata,
    sa.Column(
        "partner_id", sa.ForeignKey("agenda_partner.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("area_id", sa.ForeignKey("area.id", ondelete="CASCADE"), primary_key=True),
)

work_buurt = sa.Table(
    "agenda_work_buurt",
    db.metadata,
    sa.Column("work_id", sa.ForeignKey("agenda_work.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "area_id", sa.ForeignKey("area.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class Partner(db.Model):
    """An organisation that works in areas: a wijkraad, a housing corporation, the police…"""

    __tablename__ = "agenda_partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    kind: Mapped[str] = mapped_column(sa.String(24), default="other")
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    contact: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    areas: Mapped[list["Area"]] = relationship(secondary=partner_area, order_by="Area.code")


class AreaPerson(db.Model):
    """A face of the area (wijkwethouder, stadsdeelregisseur, wijkagent…) and how to reach them."""

    __tablename__ = "agenda_area_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(24))
    #: For role ``other``: what the person does, in a few words.
    role_text: Mapped[str] = mapped_column(sa.String(120), default="")
    name: Mapped[str] = mapped_column(sa.String(160))
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    url: Mapped[str] = mapped_column(sa.String(300), default="")

    area: Mapped["Area"] = relationship()


class Agenda(db.Model):
    """An area's agenda for a period of years, adopted by the council (the *kaderbesluit*)."""

    __tablename__ = "agenda_agenda"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    period_start: Mapped[int]
    period_end: Mapped[int]
    adopted_on: Mapped[date | None] = mapped_column(sa.Date)
    decision_reference: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    area: Mapped["Area"] = relationship()
    tasks: Mapped[list["Task"]] = relationship(
        back_populates="agenda", order_by="Task.position, Task.id", cascade="all, delete-orphan"
    )
    focuswijken: Mapped[list["Focuswijk"]] = relationship(
        order_by="Focuswijk.area_id", cascade="all, delete-orphan"
    )

    @property
    def period(self) -> str:
        return f"{self.period_start}–{self.period_end}"


class Task(db.Model):
    """A task (*opgave*) of an agenda: what should change, in which domain, watched how."""

    __tablename__ = "agenda_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_agenda.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(200))
    domain: Mapped[str] = mapped_column(sa.String(16))
    #: What should change, in plain words.
    change: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(16), default="active")

    agenda: Mapped[Agenda] = relationship(back_populates="tasks")
    indicators: Mapped[list["Indicator"]] = relationship(
        order_by="Indicator.id", cascade="all, delete-orphan"
    )


class Indicator(db.Model):
    """A figure of the area a task watches: its key, the baseline of ``year``, and the target."""

    __tablename__ = "agenda_indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_task.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(sa.String(64))
    baseline: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 4))
    target: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 4))
    #: The year of the baseline.
    year: Mapped[int | None]


class Focuswijk(db.Model):
    """A wijk (or buurt) of the agenda's area marked as a focus for the agenda's period."""

    __tablename__ = "agenda_focuswijk"
    __table_args__ = (sa.UniqueConstraint("agenda_id", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_agenda.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id", ondelete="CASCADE"))

    area: Mapped["Area"] = relationship()


class ProcessTask(db.Model):
    """The task a process serves (at most one)."""

    __tablename__ = "agenda_process_task"

    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("process.id", ondelete="CASCADE"), primary_key=True
    )
    task_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_task.id", ondelete="CASCADE"), index=True
    )

    task: Mapped[Task] = relationship()


class ProcessPartner(db.Model):
    """The partner that carries out what a process decides (beside its free-text owner)."""

    __tablename__ = "agenda_process_partner"

    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("process.id", ondelete="CASCADE"), primary_key=True
    )
    partner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_partner.id", ondelete="CASCADE"), index=True
    )

    partner: Mapped[Partner] = relationship()


class Work(db.Model):
    """One work of an area's execution plan for a year.

    The owner is a partner, or the municipality when ``owner_id`` is null. A
    work comes from an adopted idea or a chosen budget project of a process
    (``source_*``), or from the agenda directly (no source).
    """

    __tablename__ = "agenda_work"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    task_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_task.id", ondelete="SET NULL"), index=True
    )
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_partner.id", ondelete="SET NULL"), index=True
    )
    contact: Mapped[str] = mapped_column(sa.String(300), default="")
    #: In whole euros, where the budget is public.
    budget: Mapped[int | None]
    status: Mapped[str] = mapped_column(sa.String(16), default="planned")
    #: The public explanation of the current status (empty while planned).
    status_explanation: Mapped[str] = mapped_column(sa.Text, default="")
    source_process_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("process.id", ondelete="SET NULL"), index=True
    )
    source_idea_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("idea.id", ondelete="SET NULL"), index=True
    )
    source_project_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("budget_project.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    area: Mapped["Area"] = relationship()
    task: Mapped[Task | None] = relationship()
    owner: Mapped[Partner | None] = relationship()
    source_process: Mapped["Process | None"] = relationship("Process")
    buurten: Mapped[list["Area"]] = relationship(secondary=work_buurt, order_by="Area.code")
    changes: Mapped[list["WorkStatusChange"]] = relationship(
        order_by="WorkStatusChange.id", cascade="all, delete-orphan"
    )

    @property
    def buurt_codes(self) -> list[str]:
        return [buurt.code for buurt in self.buurten]


class WorkStatusChange(db.Model):
    """A change of a work's status with its public explanation: the history residents read."""

    __tablename__ = "agenda_work_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_work.id", ondelete="CASCADE"), index=True
    )
    old_status: Mapped[str] = mapped_column(sa.String(16))
    new_status: Mapped[str] = mapped_column(sa.String(16))
    explanation: Mapped[str] = mapped_column(sa.Text)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))


class CouplingDecision(db.Model):
    """What the area team decided about a coupling chance: coordinated, or not applicable.

    The pair is stored with the lower work id first, so each pair has one row.
    """

    __tablename__ = "agenda_coupling_decision"
    __table_args__ = (
        sa.UniqueConstraint("first_id", "second_id"),
        sa.CheckConstraint("first_id < second_id", name="pair_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_work.id", ondelete="CASCADE"), index=True
    )
    second_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_work.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[str] = mapped_column(sa.String(16))
    text: Mapped[str] = mapped_column(sa.Text)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
