"""Participation per area: its processes and its child areas, in a fixed number of statements."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from participatie.builtin.ideas.models import Idea
from participatie.builtin.summaries.counting import answer_state
from participatie.builtin.summaries.counting import child_of
from participatie.builtin.summaries.counting import counted_in
from participatie.builtin.summaries.counting import first_answers
from participatie.builtin.summaries.counting import rate
from participatie.builtin.summaries.counting import taking_part
from participatie.core.areas.models import Area
from participatie.core.areas.queries import descendants
from participatie.core.processes.models import Process
from participatie.core.processes.phases import current_phase
from participatie.core.processes.queries import public_processes
from participatie.extensions import db
from participatie.extensions import utcnow


@dataclass
class ProcessRow:
    process: Process
    phase: object
    participants: int
    ideas: int
    answered: int
    on_time: int
    overdue: int

    @property
    def per_1000(self) -> float | None:
        return rate(self.participants, self.process.area.population)

    @property
    def on_time_share(self) -> float | None:
        """Ideas answered on time as a percentage of the ideas answered."""
        return round(self.on_time * 100 / self.answered) if self.answered else None


@dataclass
class AreaRow:
    area: Area
    participants: int
    processes: int

    @property
    def per_1000(self) -> float | None:
        return rate(self.participants, self.area.population)


def published_in(area: Area) -> list[Process]:
    """Public processes in ``area`` and below it, latest published first."""
    query = public_processes(sa.select(descendants(area).c.id))
    return db.session.scalars(
        query.options(selectinload(Process.area))
        .order_by(None)
        .order_by(Process.published_at.desc(), Process.slug)
    ).all()


def process_rows(processes: list[Process]) -> list[ProcessRow]:
    """Participation and answers of each process."""
    if not processes:
        return []
    ids = [process.id for process in processes]
    people = taking_part(ids)
    participants = dict(
        db.session.execute(
            sa.select(people.c.process_id, sa.func.count()).group_by(people.c.process_id)
        ).all()
    )
    first = first_answers()
    ideas = db.session.execute(
        sa.select(Idea.process_id, Idea.answer_due_at, first.c.answered_at)
        .outerjoin(first, first.c.idea_id == Idea.id)
        .where(counted_in(ids))
    ).all()
    now = utcnow()
    rows = {
        process.id: ProcessRow(
            process, current_phase(process, now), participants.get(process.id, 0), 0, 0, 0, 0
        )
        for process in processes
    }
    for process_id, due, answered_at in ideas:
        row = rows[process_id]
        row.ideas += 1
        state = answer_state(due, answered_at, now)
        row.answered += state in ("on-time", "late")
        row.on_time += state == "on-time"
        row.overdue += state == "overdue"
    return [rows[process.id] for process in processes]


def area_rows(area: Area) -> tuple[AreaRow, list[AreaRow]]:
    """The area itself and each direct child: distinct participants of the processes inside."""
    processes = published_in(area)
    ids = [process.id for process in processes]
    children = db.session.scalars(
        sa.select(Area).where(Area.parent_id == area.id).order_by(Area.code)
    ).all()
    people = taking_part(ids)
    total = db.session.scalar(sa.select(sa.func.count(sa.distinct(people.c.user_id)))) or 0
    itself = AreaRow(area, total, len(processes))
    if not children:
        return itself, []
    below = child_of(area)
    rows = db.session.execute(
        sa.select(
            below.c.child_id,
            sa.func.count(sa.distinct(people.c.user_id)),
        )
        .select_from(people)
        .join(Process, Process.id == people.c.process_id)
        .join(below, below.c.area_id == Process.area_id)
        .group_by(below.c.child_id)
    ).all()
    counts = dict(rows)
    located = {}
    for process in processes:
        located[process.area_id] = located.get(process.area_id, 0) + 1
    mapping = (
        dict(db.session.execute(sa.select(below.c.area_id, below.c.child_id)).all())
        if processes
        else {}
    )
    per_child = {}
    for area_id, n in located.items():
        child = mapping.get(area_id)
        if child is not None:
            per_child[child] = per_child.get(child, 0) + n
    return itself, [
        AreaRow(child, counts.get(child.id, 0), per_child.get(child.id, 0)) for child in children
    ]
