"""Phase logic. The phases' date-times are the single source of truth."""

from datetime import datetime
from datetime import timedelta

from participatie.core.processes.models import Phase
from participatie.core.processes.models import Process


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


def allows(process: Process, action: str, now: datetime) -> bool:
    """Whether ``action`` (submit, comment, vote) is open now in a published process."""
    if process.status != "published":
        return False
    phase = current_phase(process, now)
    return phase is not None and action in phase.actions


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
