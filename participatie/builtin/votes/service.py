"""Supporting ideas, exactly once per account, within the per-person maximum.

Both rules are kept by the database, not by checks in Python: the UNIQUE
constraint with ``INSERT ... ON CONFLICT DO NOTHING`` keeps one vote per
account per idea, and the insert itself carries the maximum as its condition.
The idea's ``supports`` counter moves in the same transaction, in SQL, only
when a row was really inserted or deleted.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from participatie.builtin.ideas.models import Idea
from participatie.builtin.votes.models import Vote
from participatie.builtin.votes.models import VoteSettings
from participatie.caching import stale
from participatie.caching import stale_everywhere
from participatie.core import audit
from participatie.core.accounts.models import User
from participatie.dbutil import upsert_insert
from participatie.extensions import db
from participatie.extensions import utcnow


@dataclass
class Result:
    changed: bool
    reason: str = ""  # "maximum" when the maximum stopped the vote


def maximum(process_id: int) -> int | None:
    settings = db.session.get(VoteSettings, process_id)
    return settings.max_supports if settings else None


class MaximumFrozen(Exception):
    """The maximum of a process cannot change once someone has voted."""


def has_votes(process_id: int) -> bool:
    query = sa.select(Vote.id).where(Vote.process_id == process_id).limit(1)
    return db.session.scalar(query) is not None


def set_maximum(process, max_supports: int | None) -> VoteSettings:
    """Set the per-person maximum of ``process`` (None: none); the caller commits.

    Raises ``MaximumFrozen`` once the process has votes: the maximum people
    voted under is the one that holds.
    """
    if has_votes(process.id):
        raise MaximumFrozen
    settings = db.session.get(VoteSettings, process.id) or VoteSettings(process_id=process.id)
    settings.max_supports = max_supports
    db.session.add(settings)
    audit.record("votes.maximum", process, max_supports=max_supports)
    return settings


def used(user_id: int, process_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Vote)
        .where(Vote.user_id == user_id, Vote.process_id == process_id)
    )


def _lock_account(user_id: int) -> None:
    # PostgreSQL runs transactions side by side: without this lock two votes
    # of one account on different ideas could both see room under the
    # maximum. Locking the account's row makes its votes take turns. SQLite
    # already takes the write lock at BEGIN (see extensions.py) and ignores
    # FOR UPDATE.
    db.session.execute(sa.select(User.id).where(User.id == user_id).with_for_update())


def support(idea: Idea, user_id: int, bypass_maximum: bool = False) -> Result:
    """Add ``user_id``'s support to ``idea``; changes nothing when it is there already."""
    limit = None if bypass_maximum else maximum(idea.process_id)
    _lock_account(user_id)
    table = Vote.__table__
    source = sa.select(
        sa.literal(idea.id).label("idea_id"),
        sa.literal(user_id).label("user_id"),
        sa.literal(idea.process_id).label("process_id"),
        sa.literal(utcnow(), Vote.created_at.type).label("created_at"),
    )
    if limit is not None:
        count = (
            sa.select(sa.func.count())
            .select_from(table)
            .where(table.c.user_id == user_id, table.c.process_id == idea.process_id)
            .scalar_subquery()
        )
        source = source.where(count < limit)
    statement = (
        upsert_insert(table)
        .from_select(["idea_id", "user_id", "process_id", "created_at"], source)
        .on_conflict_do_nothing(index_elements=["idea_id", "user_id"])
        .returning(table.c.id)
    )
    # RETURNING says whether a row went in; the driver's rowcount for
    # INSERT ... SELECT is not reliable on every database.
    inserted = db.session.execute(statement).first() is not None
    if inserted:
        stale(idea.process_id)
        db.session.execute(
            sa.update(Idea).where(Idea.id == idea.id).values(supports=Idea.supports + 1)
        )
        return Result(True)
    exists = db.session.scalar(
        sa.select(Vote.id).where(Vote.idea_id == idea.id, Vote.user_id == user_id)
    )
    return Result(False, "" if exists else "maximum")


def withdraw(idea: Idea, user_id: int) -> bool:
    deleted = db.session.execute(
        sa.delete(Vote).where(Vote.idea_id == idea.id, Vote.user_id == user_id)
    ).rowcount
    if deleted:
        stale(idea.process_id)
        db.session.execute(
            sa.update(Idea).where(Idea.id == idea.id).values(supports=Idea.supports - 1)
        )
    return bool(deleted)


def reconcile() -> int:
    """Recount every idea's supports from its votes; return how many were wrong."""
    counts = sa.select(sa.func.count(Vote.id)).where(Vote.idea_id == Idea.id).scalar_subquery()
    wrong = db.session.scalar(
        sa.select(sa.func.count()).select_from(Idea).where(Idea.supports != counts)
    )
    db.session.execute(sa.update(Idea).values(supports=counts))
    if wrong:
        stale_everywhere()
    return wrong


def merge(duplicate: Idea, kept: Idea) -> None:
    """Move the duplicate's votes to the kept idea, at most once per person (ideas_merged)."""
    stale(duplicate.process_id)
    stale(kept.process_id)
    already = sa.select(Vote.user_id).where(Vote.idea_id == kept.id)
    db.session.execute(
        sa.update(Vote)
        .where(Vote.idea_id == duplicate.id, Vote.user_id.not_in(already))
        .values(idea_id=kept.id)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.delete(Vote)
        .where(Vote.idea_id == duplicate.id)
        .execution_options(synchronize_session=False)
    )
    for idea in (duplicate, kept):
        count = db.session.scalar(
            sa.select(sa.func.count()).select_from(Vote).where(Vote.idea_id == idea.id)
        )
        db.session.execute(sa.update(Idea).where(Idea.id == idea.id).values(supports=count))


def on_merge(sender, duplicate, kept, **extra) -> None:
    merge(duplicate, kept)


def my_votes(user, idea_ids) -> set[int]:
    if user is None or getattr(user, "is_anonymous", True) or not idea_ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(Vote.idea_id).where(Vote.user_id == user.id, Vote.idea_id.in_(idea_ids))
        )
    )


def participants(process):
    """Accounts that support an idea of ``process`` (the plugin's ``participants`` hook)."""
    return sa.select(Vote.user_id).where(Vote.process_id == process.id)
