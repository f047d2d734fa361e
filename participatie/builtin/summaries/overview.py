"""Participation per area: its processes and its child areas, in a fixed number of statements.

``overview`` keeps its counts in the shared cache (``participatie.caching``),
under the versions of the processes it counts: a support in any of them, a
process published or closed (the list changes), or new area data makes them
again. The processes and areas themselves are read on every view.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from participatie.builtin.ideas.models import Idea
from participatie.builtin.summaries.counting import answer_state_counts
from participatie.builtin.summaries.counting import child_of
from participatie.builtin.summaries.counting import counted_in
from participatie.builtin.summaries.counting import first_answers
from participatie.builtin.summaries.counting import next_due
from participatie.builtin.summaries.counting import rate
from participatie.builtin.summaries.counting import taking_part
from participatie.caching import remember
from participatie.caching import shape
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


@dataclass
class Counts:
    """What an overview counts, as plain data (it is cached): see ``overview``."""

    per_process: dict[int, int]
    total: int
    per_child: dict[int, int]
    #: process id -> (answered on time, late, overdue, ideas)
    states: dict[int, tuple[int, int, int, int]]
    #: area id of each process -> the direct child of the area it lies in
    child_of_area: dict[int, int]
    #: When the first open idea falls due (overdue changes by itself then).
    changes_at: datetime | None


def process_rows(processes: list[Process]) -> list[ProcessRow]:
    """Participation and answers of each process."""
    states, _changes_at = answer_states(processes)
    return _rows(processes, participation(processes, None)[0], states)


def answer_states(processes: list[Process]) -> tuple[dict, datetime | None]:
    """Per process its ideas answered on time, late and overdue, and all its ideas.

    Also when the first open idea of any of them falls due.
    """
    if not processes:
        return {}, None
    now = utcnow()
    ids = [process.id for process in processes]
    first = first_answers(ids)
    states, changes_at = {}, None
    for process_id, *counts, due in db.session.execute(
        sa.select(
            Idea.process_id,
            *answer_state_counts(first.c.answered_at, now),
            next_due(first.c.answered_at, now),
        )
        .select_from(Idea)
        .outerjoin(first, first.c.idea_id == Idea.id)
        .where(counted_in(ids))
        .group_by(Idea.process_id)
    ):
        states[process_id] = tuple(counts)
        if due is not None and (changes_at is None or due < changes_at):
            changes_at = due
    return states, changes_at


def _rows(processes: list[Process], participants: dict[int, int], states: dict) -> list[ProcessRow]:
    """Each process with its participants and its ideas' answer states."""
    now = utcnow()
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


def counts(area: Area, processes: list[Process], children: list[Area]) -> Counts:
    """Participants and answers in the processes of ``area``, by process and child area."""
    per_process, total, per_child = participation(processes, area if children else None)
    states, changes_at = answer_states(processes)
    mapping = {}
    if children and processes:
        below = child_of(area)
        mapping = dict(db.session.execute(sa.select(below.c.area_id, below.c.child_id)).all())
    return Counts(per_process, total, per_child, states, mapping, changes_at)


def overview(area: Area) -> tuple[AreaRow, list[AreaRow], list[ProcessRow]]:
    """The area itself, each direct child, and each process inside, in a fixed number of statements."""
    processes = published_in(area)
    children = db.session.scalars(
        sa.select(Area).where(Area.parent_id == area.id).order_by(Area.code)
    ).all()
    found = remember(
        f"overview-{shape(Counts)}:{area.id}",
        [process.id for process in processes],
        lambda: counts(area, processes, children),
        lambda value: value.changes_at,
    )
    itself = AreaRow(area, found.total, len(processes))
    rows = _rows(processes, found.per_process, found.states)
    if not children:
        return itself, [], rows
    per_child = {}
    for process in processes:
        child = found.child_of_area.get(process.area_id)
        if child is not None:
            per_child[child] = per_child.get(child, 0) + 1
    return (
        itself,
        [
            AreaRow(child, found.per_child.get(child.id, 0), per_child.get(child.id, 0))
            for child in children
        ],
        rows,
    )


def area_rows(area: Area) -> tuple[AreaRow, list[AreaRow]]:
    """The area itself and each direct child: distinct participants of the processes inside."""
    itself, children, _rows = overview(area)
    return itself, children
