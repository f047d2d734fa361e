"""Participation per area: its processes and its child areas, in a fixed number of statements."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from participatie.builtin.ideas.models import Idea
from participatie.builtin.summaries.counting import answer_state_counts
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
    return _rows(processes, participation(processes, None)[0])


def _rows(processes: list[Process], participants: dict[int, int]) -> list[ProcessRow]:
    """Each process with its participants and its ideas' answer states, counted in SQL."""
    if not processes:
        return []
    now = utcnow()
    ids = [process.id for process in processes]
    first = first_answers(ids)
    states = {
        process_id: counts
        for process_id, *counts in db.session.execute(
            sa.select(Idea.process_id, *answer_state_counts(first.c.answered_at, now))
            .select_from(Idea)
            .outerjoin(first, first.c.idea_id == Idea.id)
            .where(counted_in(ids))
            .group_by(Idea.process_id)
        )
    }
    rows = []
    for process in processes:
        on_time, late, overdue, ideas = states.get(process.id, (0, 0, 0, 0))
        rows.append(
            ProcessRow(
                process,
                current_phase(process, now),
                participants.get(process.id, 0),
                ideas,
                on_time + late,
                on_time,
                overdue,
            )
        )
    return rows


def participation(processes: list[Process], area: Area | None):
    """Participants per process, in all of them, and per child of ``area``: one statement.

    The participant set (authors, commenters, voters) is one common table
    expression, read for each of the three counts; both databases compute it
    once. Gives (per process, total, per child area id).
    """
    if not processes:
        return {}, 0, {}
    people = sa.select(taking_part([process.id for process in processes])).cte("people")
    parts = [
        sa.select(
            sa.literal("process").label("kind"),
            people.c.process_id.label("key"),
            sa.func.count().label("n"),
        ).group_by(people.c.process_id),
        sa.select(
            sa.literal("total"),
            sa.literal(None, sa.Integer),
            sa.func.count(sa.distinct(people.c.user_id)),
        ),
    ]
    if area is not None:
        below = child_of(area)
        parts.append(
            sa.select(
                sa.literal("child"), below.c.child_id, sa.func.count(sa.distinct(people.c.user_id))
            )
            .select_from(people)
            .join(Process, Process.id == people.c.process_id)
            .join(below, below.c.area_id == Process.area_id)
            .group_by(below.c.child_id)
        )
    per_process, total, per_child = {}, 0, {}
    for kind, key, n in db.session.execute(sa.union_all(*parts)):
        if kind == "process":
            per_process[key] = n
        elif kind == "total":
            total = n
        else:
            per_child[key] = n
    return per_process, total, per_child


def overview(area: Area) -> tuple[AreaRow, list[AreaRow], list[ProcessRow]]:
    """The area itself, each direct child, and each process inside, in a fixed number of statements."""
    processes = published_in(area)
    children = db.session.scalars(
        sa.select(Area).where(Area.parent_id == area.id).order_by(Area.code)
    ).all()
    per_process, total, counts = participation(processes, area if children else None)
    itself = AreaRow(area, total, len(processes))
    rows = _rows(processes, per_process)
    if not children:
        return itself, [], rows
    below = child_of(area)
    mapping = (
        dict(db.session.execute(sa.select(below.c.area_id, below.c.child_id)).all())
        if processes
        else {}
    )
    per_child = {}
    for process in processes:
        child = mapping.get(process.area_id)
        if child is not None:
            per_child[child] = per_child.get(child, 0) + 1
    return (
        itself,
        [AreaRow(child, counts.get(child.id, 0), per_child.get(child.id, 0)) for child in children],
        rows,
    )


def area_rows(area: Area) -> tuple[AreaRow, list[AreaRow]]:
    """The area itself and each direct child: distinct participants of the processes inside."""
    itself, children, _rows = overview(area)
    return itself, children
