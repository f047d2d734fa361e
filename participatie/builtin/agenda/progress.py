"""What the residents' page and the councillor's page show, loaded in a fixed number of queries."""

from dataclasses import dataclass
from dataclasses import field
from datetime import date

import sqlalchemy as sa
from flask_babel import format_decimal
from sqlalchemy.orm import selectinload

from participatie import plugins
from participatie.builtin.agenda import service
from participatie.builtin.agenda.models import ProcessTask
from participatie.builtin.agenda.models import WORK_STATUSES
from participatie.builtin.ideas.models import Idea
from participatie.core.areas.models import Area
from participatie.core.areas.models import AreaFigure
from participatie.core.areas.queries import descendant_ids
from participatie.core.processes.models import Process
from participatie.extensions import db
from participatie.extensions import utcnow

#: Idea statuses that count as adopted for the councillor.
ADOPTED = ("adopted", "partly-adopted", "in-execution", "done")
#: On the map, a buurt takes the colour of its most active work.
MAP_ORDER = ("in-execution", "planned", "postponed", "done")


def euros(amount: int | None) -> str:
    if amount is None:
        return ""
    return "€\u00a0" + format_decimal(amount)


def status_per_buurt(buurten, works) -> dict[int, dict]:
    """Per buurt id: the number of works per status, and the status the map shows."""
    result = {b.id: {"counts": dict.fromkeys(WORK_STATUSES, 0), "main": None} for b in buurten}
    for work in works:
        for buurt in work.buurten:
            if buurt.id in result:
                result[buurt.id]["counts"][work.status] += 1
    for row in result.values():
        row["main"] = next((s for s in MAP_ORDER if row["counts"][s]), None)
    return result


def _period(process: Process):
    if not process.phases:
        return None
    return min(p.starts_at for p in process.phases), max(p.ends_at for p in process.phases)


def open_processes(area: Area) -> list[Process]:
    """Published processes of the area, above it or below it, with a phase to take part in still to end."""
    ids = set(descendant_ids(area)) | {a.id for a in area.ancestors()}
    now = utcnow()
    rows = db.session.scalars(
        sa.select(Process)
        .where(Process.status == "published", Process.area_id.in_(ids))
        .options(selectinload(Process.phases))
        .order_by(Process.title)
    )
    return [p for p in rows if any(phase.actions and phase.ends_at > now for phase in p.phases)]


@dataclass
class Alongside:
    process: Process
    works: list = field(default_factory=list)


def processes_alongside(area: Area) -> list[Alongside]:
    """Public processes that run in the buurt of a work at the same time as that work."""
    works = [w for w in service.works_in(area) if w.status != "cancelled"]
    if not works:
        return []
    ids = set(descendant_ids(area)) | {a.id for a in area.ancestors() if a.level != "gemeente"}
    processes = db.session.scalars(
        sa.select(Process)
        .where(Process.status == "published", Process.area_id.in_(ids))
        .options(selectinload(Process.phases))
        .order_by(Process.title)
    ).all()
    found = []
    for process in processes:
        period = _period(process)
        if period is None or period[1] < utcnow():
            continue
        starts, ends = period[0].date(), period[1].date()
        covering = process.area
        matched = [
            work
            for work in works
            if any(b.is_within(covering) for b in work.buurten)
            and service.months_between((work.starts_on, work.ends_on), (starts, ends)) <= 0
        ]
        if matched:
            found.append(Alongside(process, matched))
    return found


@dataclass
class TaskRow:
    task: object
    processes: list
    participants: dict
    adopted: dict
    works: list
    counts: dict
    late: list
    postponed: list
    indicators: list


def _indicator_rows(task, figures: dict) -> list[dict]:
    """Per indicator: the area's figures of its key by year, and the latest."""
    rows = []
    for indicator in task.indicators:
        years = figures.get(indicator.key, [])
        latest = years[-1] if years else None
        rows.append(
            {
                "indicator": indicator,
                "figure": latest,
                "years": years,
            }
        )
    return rows


def report(area: Area, today: date) -> dict:
    """The councillor's page: per task its processes, participants, adopted ideas and works."""
    agendas = service.agendas_for(area)
    tasks = [task for agenda in agendas for task in agenda.tasks]
    task_ids = [t.id for t in tasks]
    links = (
        db.session.execute(
            sa.select(ProcessTask.task_id, Process)
            .join(Process, Process.id == ProcessTask.process_id)
            .where(ProcessTask.task_id.in_(task_ids), Process.is_public)
            .order_by(Process.title)
        ).all()
        if task_ids
        else []
    )
    by_task: dict[int, list] = {}
    for task_id, process in links:
        by_task.setdefault(task_id, []).append(process)
    process_ids = [p.id for _, p in links]
    adopted = (
        dict(
            db.session.execute(
                sa.select(Idea.process_id, sa.func.count())
                .where(
                    Idea.process_id.in_(process_ids),
                    Idea.status.in_(ADOPTED),
                    Idea.hidden_at.is_(None),
                    Idea.withdrawn_at.is_(None),
                )
                .group_by(Idea.process_id)
            ).all()
        )
        if process_ids
        else {}
    )
    participants = {p.id: len(plugins.participant_ids(p)) for _, p in links}
    works = service.works_in(area)
    figures: dict[int, dict[str, list]] = {agenda.id: {} for agenda in agendas}
    area_ids = {agenda.area_id for agenda in agendas}
    rows_by_area: dict[int, dict[str, list]] = {area_id: {} for area_id in area_ids}
    if area_ids:
        for figure in db.session.scalars(
            sa.select(AreaFigure)
            .where(AreaFigure.area_id.in_(area_ids))
            .order_by(AreaFigure.key, AreaFigure.year)
        ):
            rows_by_area[figure.area_id].setdefault(figure.key, []).append(figure)
    for agenda in agendas:
        figures[agenda.id] = rows_by_area[agenda.area_id]
    rows = []
    for task in tasks:
        own = [w for w in works if w.task_id == task.id]
        rows.append(
            _task_row(task, by_task, participants, adopted, own, figures[task.agenda_id], today)
        )
    loose = [w for w in works if w.task_id is None or w.task_id not in task_ids]
    return {
        "area": area,
        "agendas": agendas,
        "rows": rows,
        "loose": loose,
        "loose_counts": _counts(loose),
        "today": today,
        "late": [w for w in works if service.is_late(w, today)],
        "month": service.month_label,
        "is_late": service.is_late,
        "euros": euros,
    }


def _counts(works) -> dict:
    counts = dict.fromkeys(WORK_STATUSES, 0)
    for work in works:
        counts[work.status] += 1
    return counts


def _task_row(task, by_task, participants, adopted, works, figures, today) -> TaskRow:
    processes = by_task.get(task.id, [])
    return TaskRow(
        task=task,
        processes=processes,
        participants={p.id: participants.get(p.id, 0) for p in processes},
        adopted={p.id: adopted.get(p.id, 0) for p in processes},
        works=works,
        counts=_counts(works),
        late=[w for w in works if service.is_late(w, today)],
        postponed=[w for w in works if w.status == "postponed"],
        indicators=_indicator_rows(task, figures),
    )
