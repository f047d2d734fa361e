"""Carrying out an answered idea: who executes it, and its milestones.

Plain functions, each recorded in the audit trail; the caller commits.
"""

import sqlalchemy as sa

from participatie.builtin.feedback.models import Execution
from participatie.builtin.feedback.models import Milestone
from participatie.core import audit
from participatie.extensions import db


def set_owner(idea, owner: str) -> Execution:
    """Name who carries out ``idea``."""
    execution = db.session.get(Execution, idea.id) or Execution(idea_id=idea.id)
    execution.owner = owner
    db.session.add(execution)
    audit.record("idea.execution_owner", idea, owner=owner)
    return execution


def add_milestone(idea, title: str, date, done: bool) -> Milestone:
    milestone = Milestone(idea_id=idea.id, title=title, date=date, done=done)
    db.session.add(milestone)
    audit.record("idea.milestone", idea, title=title)
    return milestone


def milestone_of(idea, milestone_id: int) -> Milestone | None:
    """Milestone ``milestone_id`` if it belongs to ``idea``."""
    milestone = db.session.get(Milestone, milestone_id)
    return milestone if milestone is not None and milestone.idea_id == idea.id else None


def toggle_done(idea, milestone: Milestone) -> None:
    """Mark ``milestone`` done, or not done again."""
    milestone.done = not milestone.done
    audit.record("idea.milestone_done", idea, title=milestone.title, done=milestone.done)


def milestones(idea) -> list[Milestone]:
    """The milestones of ``idea``, by date."""
    query = sa.select(Milestone).where(Milestone.idea_id == idea.id).order_by(Milestone.date)
    return list(db.session.scalars(query))
