"""A year's execution plan from a CSV file: all or nothing, every wrong row reported.

Columns (a header row; ``title``, ``starts`` and ``ends`` are required, the
rest may be left out or empty): ``title``, ``description``, ``task`` (the
title of a task of the area's agendas), ``buurt_codes`` (CBS codes separated
by spaces), ``starts`` and ``ends`` (``YYYY-MM``), ``owner`` (the name of a
partner; empty: the municipality), ``contact``, ``budget`` (whole euros),
``status`` (a work status code; empty: planned) and ``explanation`` (needed
for any status but planned).
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from participatie import csvtext
from participatie.builtin.agenda import service
from participatie.builtin.agenda.models import Partner
from participatie.builtin.agenda.models import Work
from participatie.builtin.agenda.models import WORK_STATUSES
from participatie.builtin.agenda.models import WorkStatusChange
from participatie.core import audit
from participatie.core.areas.models import Area
from participatie.core.paging import whole_number
from participatie.extensions import db
from participatie.extensions import utcnow

REQUIRED = ("title", "starts", "ends")
COLUMNS = REQUIRED + (
    "description",
    "task",
    "buurt_codes",
    "owner",
    "contact",
    "budget",
    "status",
    "explanation",
)


class ImportRefused(Exception):
    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__("import refused")
        self.problems = problems


def read_plan(area: Area, year: int, text: str) -> list[Work]:
    """The works of ``text``, checked whole; raises ImportRefused with (line, message) pairs."""
    reader = csvtext.dict_reader(text)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportRefused([(1, _l("Columns missing: %(columns)s.", columns=", ".join(missing)))])
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise ImportRefused([(1, _l("Unknown columns: %(columns)s.", columns=", ".join(unknown)))])
    tasks = {task.title.casefold(): task for task in service.tasks_for(area)}
    buurten = {buurt.code: buurt for buurt in service.buurten_of(area)}
    partners = {p.name.casefold(): p for p in db.session.scalars(sa.select(Partner))}
    works, problems = [], []
    try:
        checked = list(csvtext.rows(reader))
    except csvtext.CsvBroken as broken:
        raise ImportRefused([(broken.line, broken.message)]) from broken
    for line, row in enumerate(checked, start=2):
        row = {(key or "").strip(): (value or "").strip() for key, value in row.items()}
        errors = []
        title = row.get("title", "")
        if not title:
            errors.append(_l("the title is empty"))
        elif len(title) > 200:
            errors.append(_l("the title is longer than 200 characters"))
        starts, ends = (
            service.parse_month(row.get("starts", "")),
            service.parse_month(row.get("ends", "")),
        )
        if starts is None:
            errors.append(_l("starts is not a month as 2026-03"))
        if ends is None:
            errors.append(_l("ends is not a month as 2026-03"))
        if starts and ends and ends < starts:
            errors.append(_l("ends is before starts"))
        task = None
        if row.get("task"):
            task = tasks.get(row["task"].casefold())
            if task is None:
                errors.append(_l("no task %(task)s in this area's agendas", task=row["task"]))
        chosen = []
        for code in row.get("buurt_codes", "").split():
            if code not in buurten:
                errors.append(_l("buurt %(code)s does not lie in this area", code=code))
            else:
                chosen.append(buurten[code])
        owner = None
        if row.get("owner"):
            owner = partners.get(row["owner"].casefold())
            if owner is None:
                errors.append(_l("no partner named %(name)s", name=row["owner"]))
        budget = None
        if row.get("budget"):
            if whole_number(row["budget"]) is None:
                errors.append(_l("budget is not a whole number of euros"))
            else:
                budget = int(row["budget"])
        status = row.get("status") or "planned"
        if status not in WORK_STATUSES:
            errors.append(
                _l(
                    "status %(status)s is not one of %(codes)s",
                    status=status,
                    codes=", ".join(WORK_STATUSES),
                )
            )
        elif status != "planned" and not row.get("explanation"):
            errors.append(_l("a status other than planned needs an explanation"))
        if len(row.get("contact", "")) > 300:
            errors.append(_l("contact is longer than 300 characters"))
        if errors:
            problems.append((line, "; ".join(str(e) for e in errors)))
            continue
        work = Work(
            area_id=area.id,
            year=year,
            title=title,
            description=row.get("description", ""),
            task_id=task.id if task else None,
            starts_on=starts,
            ends_on=ends,
            owner_id=owner.id if owner else None,
            contact=row.get("contact", ""),
            budget=budget,
            status=status,
            status_explanation=row.get("explanation", "") if status != "planned" else "",
            buurten=chosen,
        )
        if status != "planned":
            work.changes.append(
                WorkStatusChange(
                    old_status="planned",
                    new_status=status,
                    explanation=row["explanation"],
                    changed_at=utcnow(),
                )
            )
        works.append(work)
    if problems:
        raise ImportRefused(problems)
    if not works:
        raise ImportRefused([(0, _l("The file has no works."))])
    return works


def import_plan(area: Area, year: int, text: str, actor=None) -> int:
    """Add the works of ``text`` to the session (the caller commits); their number."""
    works = read_plan(area, year, text)
    db.session.add_all(works)
    db.session.flush()
    audit.record("agenda.import_plan", area, actor=actor, year=year, works=len(works))
    return len(works)
