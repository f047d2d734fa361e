"""Phase logic. The phases' date-times are the single source of truth."""

from datetime import datetime
from datetime import timedelta

from participatie import plugins
from participatie.core.processes.models import Phase
from participatie.core.processes.models import Process
from participatie.extensions import utcnow


def current_phase(process: Process, now: datetime) -> Phase | None:
    """The phase that contains ``now``, or None between or outside phases.

    A closed process has no current phase, whatever its dates say.
    """
    if process.status == "closed":
        return None
    for phase in process.phases:
        if phase.contains(now):
            return phase
    return None


def action_open(process: Process, action: str, now: datetime | None = None) -> bool:
    """Whether ``action`` is open at ``now`` (default: now) in ``process``.

    The one rule for every phase action (``submit``, ``comment``, ``vote`` and
    any a plugin provides): the process is published, its current phase offers
    the action, and the plugin that provides it is on for the process.
    """
    if process.status != "published":
        return False
    phase = current_phase(process, utcnow() if now is None else now)
    return action in plugins.enabled_actions(process, phase)


def close_current_phase(process: Process, now: datetime) -> Phase | None:
    """End the current phase now and start the next one now; return the next phase.

    Returns None, changing nothing, when no phase is current.
    """
    phases = list(process.phases)
    phase = current_phase(process, now)
    if phase is None:
        return None
    phase.ends_at = now
    following = phases.index(phase) + 1
    if following < len(phases):
        successor = phases[following]
        successor.starts_at = now
        if successor.ends_at <= now:
            successor.ends_at = now + timedelta(days=1)
        return successor
    return None


def answer_deadline(process: Process, submitted_at: datetime) -> datetime | None:
    """When an idea submitted at ``submitted_at`` must have its answer.

    ``answer_within_days`` after the end of the submit phase it was submitted
    in; for an idea entered outside a submit phase (offline input, imports),
    after its creation. None when the process promises nothing yet.
    """
    if process.answer_within_days is None:
        return None
    start = submitted_at
    for phase in process.phases:
        if phase.allows_submit and phase.contains(submitted_at):
            start = phase.ends_at
            break
    return start + timedelta(days=process.answer_within_days)
