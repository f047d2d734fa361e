"""The rules of the area cycle, as plain functions, and the look-ups its pages share.

- ``coupling_chances``: works in the same buurt whose periods overlap or lie
  within a gap of months, by different owners or from different tasks;
- ``change_status``: every change of a work's status after it was planned
  needs a public explanation, and is kept;
- ``work_from_idea`` / ``work_from_project``: an adopted idea or a chosen
  budget project becomes a work in one step.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from participatie.builtin.agenda.models import Agenda
from participatie.builtin.agenda.models import CouplingDecision
from participatie.builtin.agenda.models import DECISIONS
from participatie.builtin.agenda.models import ProcessPartner
from participatie.builtin.agenda.models import ProcessTask
from participatie.builtin.agenda.models import Task
from participatie.builtin.agenda.models import Work
from participatie.builtin.agenda.models import work_buurt
from participatie.builtin.agenda.models import WORK_STATUSES
from participatie.builtin.agenda.models import WorkStatusChange
from participatie.builtin.budgets.models import Project
from participatie.builtin.ideas.models import Idea
from participatie.core import audit
from participatie.core.areas.models import Area
from participatie.core.areas.queries import descendant_ids
from participatie.core.areas.queries import descendants
from participatie.extensions import db
from participatie.extensions import utcnow

DEFAULT_GAP_MONTHS = 12
#: Idea statuses that may become a work.
ADOPTED = ("adopted", "partly-adopted")


class Refused(ValueError):
    """A rule refused the change; ``str()`` is the message for the user."""


# --- Months ---------------------------------------------------------------------


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_text(day: date) -> str:
    """``2026-03``, as the API writes months."""
    return f"{day.year:04d}-{day.month:02d}"


def month_label(day: date) -> str:
    """``maart 2026``: the month as residents read it, in their language."""
    from flask_babel import format_date

    return format_date(day, "MMM y")


def parse_month(text: str) -> date | None:
    """``2026-03`` as the first day of the month, or None when it is not a month."""
    text = (text or "").strip()
    if (
        len(text) != 7
        or text[4] != "-"
        or not (
            (text[:4].isascii() and text[:4].isdigit())
            and (text[5:].isascii() and text[5:].isdigit())
        )
    ):
        return None
    year, month = int(text[:4]), int(text[5:])
    if not (1900 <= year <= 2999 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def gap_months() -> int:
    return int(current_app.config.get("AGENDA_COUPLING_GAP_MONTHS", DEFAULT_GAP_MONTHS))


def months_between(first: tuple[date, date], second: tuple[date, date]) -> int:
    """Whole months between two periods of months; 0 or less when they overlap or touch.

    Negative: minus the number of months they share. Periods are inclusive:
    March–May and June–July are 0 months apart; March–May and September are 3.
    """
    a_start, a_end = month_index(first[0]), month_index(first[1])
    b_start, b_end = month_index(second[0]), month_index(second[1])
    if a_start <= b_end and b_start <= a_end:
        return -(min(a_end, b_end) - max(a_start, b_start) + 1)
    if a_end < b_start:
        return b_start - a_end - 1
    return a_start - b_end - 1


# --- Coupling chances -------------------------------------------------------------


@dataclass
class Chance:
    first: Work
    second: Work
    buurten: list
    #: Months both run (a negative ``months_between``), or 0 when they do not overlap.
    overlap: int
    #: Whole months between them when they do not overlap, else 0.
    gap: int
    different_owners: bool
    different_tasks: bool
    decision: CouplingDecision | None = None

    @property
    def key(self) -> tuple[int, int]:
        return (self.first.id, self.second.id)


def is_chance(first, second, gap: int) -> bool:
    """Whether two works are a coupling chance (the rule, on plain attributes).

    Same buurt, periods that overlap or lie at most ``gap`` whole months
    apart, and different owners or different tasks. A cancelled work is no
    chance.
    """
    if first.status == "cancelled" or second.status == "cancelled":
        return False
    if not set(first.buurt_codes) & set(second.buurt_codes):
        return False
    if months_between((first.starts_on, first.ends_on), (second.starts_on, second.ends_on)) > gap:
        return False
    return first.owner_id != second.owner_id or first.task_id != second.task_id


def coupling_chances(works, gap: int, decisions=None) -> list[Chance]:
    """Every pair of ``works`` that is a coupling chance, with the decision made on it."""
    decisions = decisions or {}
    ordered = sorted(works, key=lambda work: work.id)
    found = []
    for index, first in enumerate(ordered):
        for second in ordered[index + 1 :]:
            if not is_chance(first, second, gap):
                continue
            apart = months_between(
                (first.starts_on, first.ends_on), (second.starts_on, second.ends_on)
            )
            shared = sorted(set(first.buurt_codes) & set(second.buurt_codes))
            found.append(
                Chance(
                    first=first,
                    second=second,
                    buurten=[b for b in first.buurten if b.code in shared],
                    overlap=-apart if apart < 0 else 0,
                    gap=max(apart, 0),
                    different_owners=first.owner_id != second.owner_id,
                    different_tasks=first.task_id != second.task_id,
                    decision=decisions.get((first.id, second.id)),
                )
            )
    return found


def decide_chance(first: Work, second: Work, decision: str, text: str, actor) -> CouplingDecision:
    """Mark a coupling chance coordinated (what was agreed) or not applicable (why)."""
    if decision not in DECISIONS:
        raise Refused(_l("Choose coordinated or not applicable."))
    text = (text or "").strip()
    if not text:
        raise Refused(
            _l("Say what was agreed.")
            if decision == "coordinated"
            else _l("Say why it does not apply.")
        )
    if first.id > second.id:
        first, second = second, first
    if not is_chance(first, second, gap_months()):
        raise Refused(_l("These works are not a coupling chance."))
    row = db.session.scalar(
        sa.select(CouplingDecision).where(
            CouplingDecision.first_id == first.id, CouplingDecision.second_id == second.id
        )
    )
    if row is None:
        row = CouplingDecision(first_id=first.id, second_id=second.id)
        db.session.add(row)
    row.decision, row.text = decision, text
    row.decided_by_id, row.decided_at = getattr(actor, "id", None), utcnow()
    audit.record("agenda.coupling", first, actor=actor, second=second.id, decision=decision)
    return row


def chances_in(area: Area) -> list[Chance]:
    """The coupling chances among the works of ``area`` and the areas below it."""
    works = works_in(area)
    ids = [work.id for work in works]
    decisions = {}
    if ids:
        rows = db.session.scalars(
            sa.select(CouplingDecision).where(CouplingDecision.first_id.in_(ids))
        )
        decisions = {(row.first_id, row.second_id): row for row in rows}
    return coupling_chances(works, gap_months(), decisions)


# --- Status -------------------------------------------------------------------------


def change_status(work: Work, status: str, explanation: str, actor=None) -> WorkStatusChange:
    """Change the status of ``work``; every change after planned is explained and kept."""
    if status not in WORK_STATUSES:
        raise Refused(_l("Choose a status from the list."))
    if status == work.status:
        raise Refused(_l("The work already has this status."))
    explanation = (explanation or "").strip()
    if not explanation:
        raise Refused(_l("Explain the change of status: residents read why."))
    change = WorkStatusChange(
        work_id=work.id,
        old_status=work.status,
        new_status=status,
        explanation=explanation,
        changed_at=utcnow(),
        changed_by_id=getattr(actor, "id", None),
    )
    work.changes.append(change)
    work.status, work.status_explanation = status, explanation
    audit.record("agenda.work_status", work, actor=actor, status=status)
    return change


def is_late(work: Work, today: date) -> bool:
    """Planned or in execution, and its end month has passed (postponed says why instead)."""
    return work.status in ("planned", "in-execution") and month_index(work.ends_on) < month_index(
        today
    )


# --- From ideas and budget projects -------------------------------------------------


def _task_of(process_id: int) -> Task | None:
    link = db.session.get(ProcessTask, process_id)
    return link.task if link is not None else None


def _year_of(today: date) -> tuple[int, date, date]:
    return today.year, date(today.year, today.month, 1), date(today.year, 12, 1)


def work_from_idea(idea: Idea, actor=None, today: date | None = None) -> Work:
    """An adopted idea as a planned work of its process's area, this year."""
    if idea.status not in ADOPTED or idea.hidden_at or idea.withdrawn_at or idea.merged_into_id:
        raise Refused(_l("Only an adopted idea can become a work."))
    if work_of_idea(idea.id) is not None:
        raise Refused(_l("This idea is already a work."))
    year, starts, ends = _year_of(today or utcnow().date())
    process = idea.process
    task = _task_of(process.id)
    work = Work(
        area_id=process.area_id,
        year=year,
        title=idea.title[:200],
        description=idea.text,
        task_id=task.id if task else None,
        starts_on=starts,
        ends_on=ends,
        owner_id=_partner_of(process.id),
        source_process_id=process.id,
        source_idea_id=idea.id,
    )
    if idea.buurt is not None:
        work.buurten = [idea.buurt]
    db.session.add(work)
    db.session.flush()
    audit.record("agenda.work_from_idea", work, actor=actor, idea=idea.id)
    return work


def work_from_project(project: Project, actor=None, today: date | None = None) -> Work:
    """A budget project the vote chose (or the decision-maker granted) as a planned work."""
    chosen = project.decided if project.decided is not None else project.selected
    if not chosen:
        raise Refused(_l("Only a chosen budget project can become a work."))
    if db.session.scalar(sa.select(Work.id).where(Work.source_project_id == project.id)):
        raise Refused(_l("This project is already a work."))
    year, starts, ends = _year_of(today or utcnow().date())
    process = project.vote.process
    task = _task_of(process.id)
    codes = project.buurten
    buurten = list(db.session.scalars(sa.select(Area).where(Area.code.in_(codes)))) if codes else []
    work = Work(
        area_id=process.area_id,
        year=year,
        title=project.title[:200],
        description=project.description,
        task_id=task.id if task else None,
        starts_on=starts,
        ends_on=ends,
        owner_id=_partner_of(process.id),
        budget=project.funded or project.cost,
        source_process_id=process.id,
        source_idea_id=project.idea_ids[0] if project.idea_ids else None,
        source_project_id=project.id,
        buurten=buurten,
    )
    db.session.add(work)
    db.session.flush()
    audit.record("agenda.work_from_project", work, actor=actor, project=project.id)
    return work


def _partner_of(process_id: int) -> int | None:
    link = db.session.get(ProcessPartner, process_id)
    return link.partner_id if link is not None else None


def work_of_idea(idea_id: int) -> Work | None:
    """The work an idea became, directly or through the budget project made of it."""
    from participatie.builtin.budgets.models import ProjectIdea

    return db.session.scalar(
        sa.select(Work)
        .where(
            sa.or_(
                Work.source_idea_id == idea_id,
                Work.source_project_id.in_(
                    sa.select(ProjectIdea.project_id).where(ProjectIdea.idea_id == idea_id)
                ),
            )
        )
        .options(selectinload(Work.changes))
        .order_by(Work.id)
        .limit(1)
    )


def candidates(area: Area) -> tuple[list[Idea], list[Project]]:
    """Adopted ideas and chosen budget projects of the area's processes that are no work yet."""
    from participatie.builtin.budgets.models import BudgetVote
    from participatie.core.processes.models import Process

    area_ids = descendants(area)
    ideas = db.session.scalars(
        sa.select(Idea)
        .join(Process, Process.id == Idea.process_id)
        .where(
            Process.area_id.in_(sa.select(area_ids.c.id)),
            Process.is_public,
            Idea.status.in_(ADOPTED),
            Idea.hidden_at.is_(None),
            Idea.withdrawn_at.is_(None),
            Idea.merged_into_id.is_(None),
            ~sa.exists().where(Work.source_idea_id == Idea.id),
        )
        .order_by(Idea.id)
    ).all()
    projects = db.session.scalars(
        sa.select(Project)
        .join(BudgetVote, BudgetVote.id == Project.vote_id)
        .join(Process, Process.id == BudgetVote.process_id)
        .where(
            Process.area_id.in_(sa.select(area_ids.c.id)),
            sa.func.coalesce(Project.decided, Project.selected).is_(True),
            ~sa.exists().where(Work.source_project_id == Project.id),
        )
        .options(selectinload(Project.sources))
        .order_by(Project.id)
    ).all()
    # An idea that went into a chosen project becomes a work through that project.
    in_projects = {i for project in projects for i in project.idea_ids}
    return [idea for idea in ideas if idea.id not in in_projects], list(projects)


# --- Look-ups -------------------------------------------------------------------


def works_query(area: Area, year: int | None = None, status: str | None = None):
    """Works of ``area`` and the areas below it, or in its buurten, by start month, then id.

    A work of a stadsdeel's plan in a buurt of a wijk is also a work of that wijk.
    """
    tree = sa.select(descendants(area).c.id)
    query = (
        sa.select(Work)
        .where(
            sa.or_(
                Work.area_id.in_(tree),
                Work.id.in_(sa.select(work_buurt.c.work_id).where(work_buurt.c.area_id.in_(tree))),
            )
        )
        .options(
            selectinload(Work.buurten),
            selectinload(Work.owner),
            selectinload(Work.task),
            selectinload(Work.area),
        )
        .order_by(Work.starts_on, Work.id)
    )
    if year is not None:
        query = query.where(Work.year == year)
    if status is not None:
        query = query.where(Work.status == status)
    return query


def works_in(area: Area, year: int | None = None, status: str | None = None) -> list[Work]:
    return list(db.session.scalars(works_query(area, year, status)))


def works_in_buurt(buurt: Area) -> list[Work]:
    return list(
        db.session.scalars(
            sa.select(Work)
            .join(work_buurt, work_buurt.c.work_id == Work.id)
            .where(work_buurt.c.area_id == buurt.id)
            .options(selectinload(Work.buurten), selectinload(Work.owner), selectinload(Work.task))
            .order_by(Work.starts_on, Work.id)
        )
    )


def agendas_for(area: Area) -> list[Agenda]:
    """Agendas of ``area`` and of the areas it lies in, newest period first."""
    ids = [area.id] + [a.id for a in area.ancestors()]
    return list(
        db.session.scalars(
            sa.select(Agenda)
            .where(Agenda.area_id.in_(ids))
            .options(
                selectinload(Agenda.tasks).selectinload(Task.indicators),
                selectinload(Agenda.focuswijken),
            )
            .order_by(Agenda.period_start.desc(), Agenda.id)
        )
    )


def agendas_of(area: Area) -> list[Agenda]:
    """The area's own agendas, newest period first."""
    return list(
        db.session.scalars(
            sa.select(Agenda)
            .where(Agenda.area_id == area.id)
            .options(
                selectinload(Agenda.tasks).selectinload(Task.indicators),
                selectinload(Agenda.focuswijken),
            )
            .order_by(Agenda.period_start.desc(), Agenda.id)
        )
    )


def tasks_for(area: Area) -> list[Task]:
    """Every task a process in ``area`` may serve: of agendas of the area or above it."""
    return [task for agenda in agendas_for(area) for task in agenda.tasks]


def task_links(process_ids) -> dict[int, Task]:
    """The task of each process, by process id, in one statement."""
    ids = list(process_ids)
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(ProcessTask)
        .where(ProcessTask.process_id.in_(ids))
        .options(selectinload(ProcessTask.task).selectinload(Task.agenda).selectinload(Agenda.area))
    )
    return {row.process_id: row.task for row in rows}


def buurten_of(area: Area) -> list[Area]:
    """The buurten in ``area`` (itself, when it is one), by name."""
    return list(
        db.session.scalars(
            sa.select(Area)
            .where(Area.level == "buurt", Area.id.in_(descendant_ids(area)))
            .order_by(Area.name)
        )
    )
