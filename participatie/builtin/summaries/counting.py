"""What counts, in the summary of a process and in the overview of an area.

Definitions are those of docs/api.md: counted ideas are the visible ones;
participants are accounts that submitted, commented or voted in the process
(imported participants included; staff entering offline input do not count),
each once. Groups of 1 to 4 persons are never shown.
"""

import sqlalchemy as sa

from participatie.builtin.comments.models import Comment
from participatie.builtin.feedback.models import Answer
from participatie.builtin.feedback.rules import ANSWERS
from participatie.builtin.feedback.service import Deadline
from participatie.builtin.ideas.models import Idea
from participatie.builtin.votes.models import Vote
from participatie.core.accounts.profile import MIN_GROUP
from participatie.core.accounts.profile import ParticipantProfile
from participatie.core.areas.models import Area
from participatie.extensions import db


def counted_in(process_ids):
    """The ideas of these processes that are counted: not hidden, withdrawn or merged."""
    return sa.and_(Idea.process_id.in_(process_ids), Idea.is_visible)


def counted(process_id):
    return counted_in([process_id])


def taking_part(process_ids):
    """A subquery of (process_id, user_id): who submitted, commented or supported, once each."""
    authors = sa.select(Idea.process_id, Idea.author_id.label("user_id")).where(
        Idea.process_id.in_(process_ids), Idea.author_id.is_not(None)
    )
    commenters = (
        sa.select(Idea.process_id, Comment.author_id.label("user_id"))
        .join(Idea, Idea.id == Comment.idea_id)
        .where(Idea.process_id.in_(process_ids), Comment.author_id.is_not(None))
    )
    voters = sa.select(Vote.process_id, Vote.user_id).where(Vote.process_id.in_(process_ids))
    return sa.union(authors, commenters, voters).subquery()


def participant_ids(process_id):
    """A subquery of the distinct accounts (``user_id``) that took part in the process."""
    return taking_part([process_id])


def rate(participants: int | None, population: int | None) -> float | None:
    """Participants per 1,000 inhabitants, one decimal; None without a population figure."""
    if participants is None or not population:
        return None
    return round(participants * 1000 / population, 1)


def answer_state(due, answered_at, now) -> str:
    """on-time, late, overdue or open for an idea created and first answered at these times."""
    return Deadline(None, due, answered_at).state(now)


def answer_state_counts(answered_at, now) -> list:
    """Aggregates counting ideas answered on time, late, and overdue; then all ideas.

    ``answered_at`` is the column of the idea's first answer (null when not
    answered); the rules are those of ``Deadline.state``, in SQL, so a page
    counts 20,000 ideas in one row instead of loading them. Open is the rest.
    """
    due = Idea.answer_due_at
    answered = answered_at.is_not(None)
    return [
        sa.func.count().filter(answered, sa.or_(due.is_(None), answered_at <= due)),
        sa.func.count().filter(answered, due.is_not(None), answered_at > due),
        sa.func.count().filter(answered_at.is_(None), due.is_not(None), due < now),
        sa.func.count(),
    ]


def next_due(answered_at, now):
    """An aggregate: the earliest deadline still to come of an idea not answered (or null).

    Until then the counts of ``answer_state_counts`` stay the same; at that
    moment an open idea becomes overdue, so a cached count must be made again.
    """
    due = Idea.answer_due_at
    return sa.func.min(due).filter(answered_at.is_(None), due >= now)


def shown(count: int) -> int | None:
    """A count of persons as it may be shown: None for 1 to 4 (too few to show)."""
    return None if 0 < count < MIN_GROUP else count


def share(part: int | None, whole: int | None) -> float | None:
    """``part`` as a percentage of ``whole``, one decimal; None when either is unknown."""
    if part is None or not whole:
        return None
    return round(part * 100 / whole, 1)


def child_of(area: Area):
    """A subquery mapping every area below ``area`` to the direct child it lies in."""
    tree = (
        sa.select(Area.id.label("area_id"), Area.id.label("child_id"))
        .where(Area.parent_id == area.id)
        .cte("below", recursive=True)
    )
    tree = tree.union_all(
        sa.select(Area.id, tree.c.child_id).join(tree, Area.parent_id == tree.c.area_id)
    )
    return tree


def per_child(area: Area, people) -> dict[int, int]:
    """How many of ``people`` (a subquery with ``user_id``) stated a buurt in each child of ``area``."""
    below = child_of(area)
    return dict(
        db.session.execute(
            sa.select(below.c.child_id, sa.func.count())
            .select_from(people)
            .join(ParticipantProfile, ParticipantProfile.user_id == people.c.user_id)
            .join(below, below.c.area_id == ParticipantProfile.buurt_id)
            .group_by(below.c.child_id)
        ).all()
    )


def first_answers(process_ids):
    """A subquery of (``idea_id``, ``answered_at``): when each idea got its first real answer.

    Only the answers to ideas of these processes: not every answer of the site.
    """
    return (
        sa.select(Answer.idea_id, sa.func.min(Answer.answered_at).label("answered_at"))
        .join(Idea, Idea.id == Answer.idea_id)
        .where(Answer.status.in_(ANSWERS), Idea.process_id.in_(process_ids))
        .group_by(Answer.idea_id)
        .subquery()
    )
