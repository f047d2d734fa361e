"""Each idea's answer deadline: fixed when it comes in, brought forward, never back.

The deadline is what residents were promised when they submitted, so it is
stored with the idea (``Idea.answer_due_at``) from the promise in force at
that moment. When the framing changes later (a shorter promise, a phase
closed early), a deadline may move earlier; a longer promise or a later phase
end applies only to ideas submitted afterwards. Overdue counts therefore
never drop because the framing was edited.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from participatie.builtin.ideas.models import Idea
from participatie.caching import stale
from participatie.core.processes.models import Process
from participatie.core.processes.phases import answer_deadline
from participatie.extensions import db
from participatie.extensions import utcnow


def earlier(stored: datetime | None, proposed: datetime | None) -> datetime | None:
    """The deadline after a change of the framing: ``proposed`` only when it is sooner."""
    if stored is None:
        return proposed
    if proposed is None:
        return stored
    return min(stored, proposed)


@event.listens_for(Session, "before_flush")
def _fix_new_deadlines(session, flush_context, instances) -> None:
    """Give every new idea the deadline of the promise in force now."""
    new = [obj for obj in session.new if isinstance(obj, Idea) and obj.answer_due_at is None]
    if not new:
        return
    with session.no_autoflush:
        for idea in new:
            process = idea.process or session.get(Process, idea.process_id)
            if process is None:
                continue
            if idea.created_at is None:
                idea.created_at = utcnow()
            idea.answer_due_at = answer_deadline(process, idea.created_at)


def bring_forward(sender, process, **extra) -> None:
    """Receiver of ``framing_changed``: apply the new framing to ideas already in."""
    rows = db.session.execute(
        sa.select(Idea.id, Idea.created_at, Idea.answer_due_at).where(Idea.process_id == process.id)
    ).all()
    changed = []
    for idea_id, created_at, stored in rows:
        due = earlier(stored, answer_deadline(process, created_at))
        if due != stored:
            changed.append({"idea_id": idea_id, "due": due})
    if changed:
        stale(process.id)
        db.session.execute(
            sa.update(Idea.__table__)
            .where(Idea.__table__.c.id == sa.bindparam("idea_id"))
            .values(answer_due_at=sa.bindparam("due")),
            changed,
        )


def init_app(app) -> None:
    from participatie.signals import framing_changed

    framing_changed.connect(bring_forward, weak=False)


def participants(process):
    """Authors of the process's ideas (the ``participants`` hook of the plugin)."""
    return sa.select(Idea.author_id).where(
        Idea.process_id == process.id, Idea.author_id.is_not(None)
    )
