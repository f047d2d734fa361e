"""JSON shapes of the API, one function per object, field names as in the contract."""

from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import url_for

from participatie.core.accounts.verification import rules_of
from participatie.core.processes.phases import current_phase
from participatie.plugins import enabled_actions

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def moment(value: datetime | None) -> str | None:
    """ISO 8601 with offset, in Europe/Amsterdam."""
    if value is None:
        return None
    return value.astimezone(AMSTERDAM).isoformat(timespec="seconds")


def day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def area_item(area) -> dict:
    return {
        "code": area.code,
        "name": area.name,
        "level": area.level,
        "parent_code": area.parent.code if area.parent is not None else None,
        "population": area.population,
        "url": url_for("areas.detail", code=area.code, _external=True),
    }


def area_detail(area) -> dict:
    data = area_item(area)
    data["figures"] = [
        {
            "key": figure.key,
            "value": figure.number,
            "unit": figure.unit,
            "year": figure.year,
            "source": figure.source,
        }
        for figure in area.figures
    ]
    data["children"] = [child.code for child in area.children]
    return data


def process_item(process, now: datetime) -> dict:
    phase = current_phase(process, now)
    return {
        "slug": process.slug,
        "title": process.title,
        "area_code": process.area.code,
        "level": process.level,
        "status": process.status,
        "current_phase": phase.name if phase is not None else None,
        "url": url_for("processes.detail", slug=process.slug, _external=True),
    }


def process_detail(process, now: datetime, framing_revisions: int = 0) -> dict:
    data = process_item(process, now)
    data["summary"] = process.summary
    data["framing_revisions"] = framing_revisions
    data["framing"] = {
        "reasons": [{"kind": r.kind, "text": r.text} for r in process.reasons],
        "level": process.level,
        "fixed_limits": [
            {
                "id": f.id,
                "title": f.title,
                "source": f.source,
                "description": f.description,
                "kind": f.kind or "other",
                "amount": f.amount,
                "lapsed_on": day(f.lapsed_on),
            }
            for f in process.fixed_limits
        ],
        "open_questions": [q.text for q in process.open_questions],
        "horizontal_limits": process.horizontal_limits,
        "decision_maker": process.decision_maker,
        "integrality": process.integrality,
        "execution_owner": process.execution_owner,
        "participation_ends": process.participation_ends,
        "answer_within_days": process.answer_within_days,
        "participation_rules": [
            {
                "action": rule.action,
                "who": list(rule.who),
                "min_age": rule.min_age,
                "max_age": rule.max_age,
            }
            for rule in rules_of(process)
        ],
    }
    data["phases"] = [
        {
            "name": phase.name,
            "starts": moment(phase.starts_at),
            "ends": moment(phase.ends_at),
            "actions": enabled_actions(process, phase),
        }
        for phase in process.phases
    ]
    data["themes"] = [{"code": t.code, "name": t.name} for t in process.themes]
    return data


def framing_revision(revision) -> dict:
    return {
        "number": revision.number,
        "changed_at": moment(revision.changed_at),
        "explanation": revision.explanation,
        "changes": [
            {"field": c["field"], "old": c.get("old"), "new": c.get("new")}
            for c in revision.changes
        ],
    }
