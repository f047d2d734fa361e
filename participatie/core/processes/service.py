"""Creating processes and copying the process form onto them; callers commit.

What may be saved when, and publishing and closing, are in ``lifecycle``.
"""

import re
import unicodedata

import sqlalchemy as sa

from participatie import plugins
from participatie.core.processes.forms import kept_rows
from participatie.core.processes.forms import ProcessForm
from participatie.core.processes.forms import to_local
from participatie.core.processes.forms import to_utc
from participatie.core.processes.models import DEFAULT_THEMES
from participatie.core.processes.models import FixedLimit
from participatie.core.processes.models import OpenQuestion
from participatie.core.processes.models import ParticipationRule
from participatie.core.processes.models import Phase
from participatie.core.processes.models import Process
from participatie.core.processes.models import ProcessPlugin
from participatie.core.processes.models import Reason
from participatie.core.processes.models import Theme
from participatie.extensions import db

SCALARS = (
    "title",
    "summary",
    "level",
    "horizontal_limits",
    "decision_maker",
    "integrality",
    "execution_owner",
    "participation_ends",
    "answer_within_days",
)


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:70].strip("-") or "traject"


def unique_slug(title: str, exclude_id: int | None = None) -> str:
    base = slugify(title)
    taken = set(
        db.session.scalars(
            sa.select(Process.slug).where(
                Process.slug.like(f"{base}%"), Process.id != (exclude_id or 0)
            )
        )
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def new_process(area, created_by=None) -> Process:
    """A draft process with the default themes, not yet added to the session."""
    process = Process(area=area, status="draft", created_by_id=getattr(created_by, "id", None))
    process.themes = [
        Theme(code=code, name=name, position=index)
        for index, (code, name) in enumerate(DEFAULT_THEMES)
    ]
    return process


def fill_form(form: ProcessForm, process: Process) -> None:
    """Put a saved process into the form, with one empty row to add to each list."""
    for name in SCALARS:
        getattr(form, name).data = getattr(process, name)
    form.area.data = process.area_id or (process.area.id if process.area else None)
    _fill_rows(form.reasons, [{"kind": r.kind, "text": r.text} for r in process.reasons])
    _fill_rows(
        form.fixed_limits,
        [
            {
                "id": f.id,
                "title": f.title,
                "source": f.source,
                "description": f.description,
                "kind": f.kind or "other",
                "amount": f.amount,
                "lapsed_on": f.lapsed_on,
            }
            for f in process.fixed_limits
        ],
    )
    form.plugins.data = sorted(plugins.enabled_names(process))
    _fill_rows(form.open_questions, [{"text": q.text} for q in process.open_questions])
    _fill_rows(form.themes, [{"code": t.code, "name": t.name} for t in process.themes])
    _fill_rows(
        form.participation_rules,
        [
            {"action": r.action or "", "who": r.ways, "min_age": r.min_age, "max_age": r.max_age}
            for r in process.participation_rules
        ],
    )
    _fill_rows(
        form.phases,
        [
            {
                "name": p.name,
                "starts_at": to_local(p.starts_at),
                "ends_at": to_local(p.ends_at),
                "allows_submit": p.allows_submit,
                "allows_comment": p.allows_comment,
                "allows_vote": p.allows_vote,
                "allows_budget": p.allows_budget,
            }
            for p in process.phases
        ],
    )


def _fill_rows(field_list, rows: list[dict]) -> None:
    while len(field_list):
        field_list.pop_entry()
    for row in rows:
        field_list.append_entry(row)
    field_list.append_entry()


def apply_form(form: ProcessForm, process: Process, area) -> None:
    """Copy the form's data onto ``process`` (which may be transient)."""
    for name in SCALARS:
        value = getattr(form, name).data
        if name in _NULLABLE:
            setattr(process, name, None if value in ("", None) else value)
        else:
            setattr(process, name, value or "")
    process.area = area
    process.reasons = [
        Reason(kind=row["kind"], text=row["text"] or "", position=index)
        for index, row in enumerate(kept_rows(form, "reasons"))
    ]
    _apply_fixed_limits(process, kept_rows(form, "fixed_limits"))
    process.open_questions = [
        OpenQuestion(text=row["text"], position=index)
        for index, row in enumerate(kept_rows(form, "open_questions"))
    ]
    _apply_themes(process, kept_rows(form, "themes"))
    _apply_rules(process, kept_rows(form, "participation_rules"))
    chosen = set(form.plugins.data or ())
    for name in plugins.registered():
        set_enabled(process, name, name in chosen)
    process.phases = [
        Phase(
            name=row["name"],
            starts_at=to_utc(row["starts_at"]),
            ends_at=to_utc(row["ends_at"]),
            allows_submit=bool(row["allows_submit"]),
            allows_comment=bool(row["allows_comment"]),
            allows_vote=bool(row["allows_vote"]),
            allows_budget=bool(row["allows_budget"]),
            position=index,
        )
        for index, row in enumerate(kept_rows(form, "phases"))
    ]


def _apply_fixed_limits(process: Process, rows: list[dict]) -> None:
    """Update fixed limits in place by id, so answers that name one keep pointing at it."""
    current = {str(limit.id): limit for limit in process.fixed_limits if limit.id is not None}
    limits = []
    for index, row in enumerate(rows):
        limit = current.pop(str(row.get("id") or ""), None) or FixedLimit()
        limit.title = row["title"] or ""
        limit.source = row["source"] or ""
        limit.description = row["description"] or ""
        limit.kind = row.get("kind") or "other"
        limit.amount = row.get("amount")
        limit.lapsed_on = row.get("lapsed_on")
        limit.position = index
        limits.append(limit)
    process.fixed_limits = limits


_NULLABLE = {"level", "integrality", "participation_ends", "answer_within_days"}


def _apply_rules(process: Process, rows: list[dict]) -> None:
    # A rule keeps its row by action: a new row for the same action would meet
    # the old one in the UNIQUE constraint before the old one is deleted.
    current = {rule.action: rule for rule in process.participation_rules}
    rules = []
    for index, row in enumerate(rows):
        action = row["action"] or None
        rule = current.pop(action, None) or ParticipationRule(action=action)
        rule.who = " ".join(row["who"])
        rule.min_age, rule.max_age = row["min_age"], row["max_age"]
        rule.position = index
        rules.append(rule)
    process.participation_rules = rules


def _apply_themes(process: Process, rows: list[dict]) -> None:
    # Themes keep their rows (and so their ids) by code: ideas refer to them.
    current = {theme.code: theme for theme in process.themes}
    themes = []
    for index, row in enumerate(rows):
        code = row["code"] or slugify(row["name"] or "")
        theme = current.get(code) or Theme(code=code)
        theme.name = row["name"] or code
        theme.position = index
        if theme not in themes:
            themes.append(theme)
    process.themes = themes


def save(process: Process) -> None:
    if process.id is None:
        process.slug = unique_slug(process.title)
        db.session.add(process)


def set_enabled(process: Process, name: str, enabled: bool) -> None:
    """Switch plugin ``name`` on or off for ``process`` (in the current transaction)."""
    for setting in process.plugin_settings:
        if setting.name == name:
            setting.enabled = enabled
            return
    process.plugin_settings.append(ProcessPlugin(name=name, enabled=enabled))
