"""What residents were told, and every change to it after publication.

``snapshot`` reduces the framing of a process (saved or not) to plain values,
``differences`` compares two snapshots field by field, and ``add_revision``
records a change with its public explanation. The process page, the history
page and the API all read these revisions, so a framing is never changed
silently once residents could read it.
"""

from zoneinfo import ZoneInfo

import sqlalchemy as sa

from participatie.core.processes.models import FramingRevision
from participatie.core.processes.models import Process
from participatie.extensions import db
from participatie.extensions import utcnow

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

#: The framing fields, in the order the form and the history page show them.
FIELDS = (
    "reasons",
    "level",
    "fixed_limits",
    "open_questions",
    "horizontal_limits",
    "decision_maker",
    "integrality",
    "execution_owner",
    "participation_ends",
    "answer_within_days",
    "phases",
    "participation_rules",
)

#: Changes that everyone who follows the process or took part in it hears of.
MAJOR = ("level", "decision_maker", "fixed_limit_removed", "status")


def snapshot(process: Process) -> dict:
    """The framing of ``process`` as plain values: text, a number, or a list of texts."""
    return {
        "reasons": [f"{reason.kind}: {reason.text}" for reason in process.reasons],
        "level": process.level,
        "fixed_limits": [_limit_text(limit) for limit in process.fixed_limits],
        "open_questions": [question.text for question in process.open_questions],
        "horizontal_limits": process.horizontal_limits or "",
        "decision_maker": process.decision_maker or "",
        "integrality": process.integrality,
        "execution_owner": process.execution_owner or "",
        "participation_ends": process.participation_ends,
        "answer_within_days": process.answer_within_days,
        "phases": [_phase_text(phase) for phase in process.phases],
        "participation_rules": [_rule_text(rule) for rule in process.participation_rules],
    }


def _rule_text(rule) -> str:
    """``budget: code, account · 12–27``: the action, who, and the ages, in codes."""
    who = ", ".join(code for code in (rule.who or "").split())
    ages = ""
    if rule.min_age is not None or rule.max_age is not None:
        low = "" if rule.min_age is None else rule.min_age
        high = "" if rule.max_age is None else rule.max_age
        ages = f" · {low}–{high}"
    return f"{rule.action or '*'}: {who}{ages}"


def _limit_text(limit) -> str:
    parts = [limit.title or "", limit.source or ""]
    if limit.description:
        parts.append(limit.description)
    if limit.amount is not None:
        parts.append(f"€ {limit.amount:,}".replace(",", "."))
    if limit.lapsed_on is not None:
        parts.append(f"vervallen {limit.lapsed_on.isoformat()}")
    return " · ".join(parts)


def _phase_text(phase) -> str:
    def local(moment):
        return moment.astimezone(AMSTERDAM).strftime("%Y-%m-%d %H:%M") if moment else "?"

    actions = ", ".join(phase.actions) or "-"
    return f"{phase.name} · {local(phase.starts_at)} – {local(phase.ends_at)} · {actions}"


def differences(before: dict, after: dict, fields=FIELDS) -> list[dict]:
    """``[{"field", "old", "new"}]`` for every one of ``fields`` whose value changed."""
    return [
        {"field": name, "old": before.get(name), "new": after.get(name)}
        for name in fields
        if before.get(name) != after.get(name)
    ]


def is_major(changes: list[dict], removed_limits: int = 0) -> bool:
    """Whether a change must be told to followers and participants (see ``MAJOR``)."""
    fields = {change["field"] for change in changes}
    return removed_limits > 0 or bool(fields & set(MAJOR))


def add_revision(
    process: Process, changes: list[dict], explanation: str, actor=None, kind: str = "edit"
):
    """Record revision number n+1 of ``process`` (0 is its publication)."""
    number = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.max(FramingRevision.number), -1)).where(
            FramingRevision.process_id == process.id
        )
    )
    revision = FramingRevision(
        process_id=process.id,
        # Publication is number 0; later changes count from 1, also for a
        # process published before revisions were kept.
        number=0 if kind == "publish" else max(number + 1, 1),
        kind=kind,
        changed_at=utcnow(),
        changed_by_id=getattr(actor, "id", None),
        explanation=explanation,
        changes=changes,
    )
    db.session.add(revision)
    return revision


def history(process: Process) -> list[FramingRevision]:
    """Every revision of ``process``, newest first."""
    return list(
        db.session.scalars(
            sa.select(FramingRevision)
            .where(FramingRevision.process_id == process.id)
            .order_by(FramingRevision.number.desc())
        )
    )


def latest(process: Process) -> FramingRevision | None:
    """The newest revision after publication, or None when there is none."""
    return db.session.scalar(
        sa.select(FramingRevision)
        .where(FramingRevision.process_id == process.id, FramingRevision.number > 0)
        .order_by(FramingRevision.number.desc())
        .limit(1)
    )


def counts(process_ids) -> dict[int, int]:
    """Revisions after publication per process id, in one statement."""
    rows = db.session.execute(
        sa.select(FramingRevision.process_id, sa.func.count())
        .where(FramingRevision.process_id.in_(list(process_ids)), FramingRevision.number > 0)
        .group_by(FramingRevision.process_id)
    )
    return dict(rows.all())
