"""Idea rules as plain functions: who may submit, edit and withdraw, and the list query."""

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from participatie import plugins
from participatie.builtin.ideas.models import Idea
from participatie.builtin.ideas.models import IdeaUpdate
from participatie.extensions import db
from participatie.extensions import utcnow

SORTS = ("newest", "supports", "random")
PER_PAGE = 20
#: The last page the list pages to: OFFSET walks every row before the page, so
#: page 900 of 20,000 ideas cost twice page 1. Past 1,000 ideas the search and
#: the filters find an idea; the list says so at its last page.
MAX_PAGE = 50


def has_reactions(idea: Idea) -> bool:
    """Supports, or another plugin's reactions: from then on the author may only add updates.

    The supports are a column of the idea; comments and the like are asked of
    the plugins that keep them, so this plugin reads no table of theirs.
    """
    return idea.supports > 0 or plugins.has_reactions(idea)


def may_edit(user, idea: Idea) -> bool:
    return (
        user.is_authenticated
        and idea.author_id == user.id
        and idea.is_visible
        and not has_reactions(idea)
    )


def recent_duplicate(user, process, title: str, text: str) -> Idea | None:
    """The same idea by the same author within a minute: a double submit."""
    return db.session.scalar(
        sa.select(Idea).where(
            Idea.process_id == process.id,
            Idea.author_id == user.id,
            Idea.title == title,
            Idea.text == text,
            Idea.created_at >= utcnow() - timedelta(minutes=1),
        )
    )


def submit(process, author, **fields) -> Idea:
    idea = Idea(process_id=process.id, author_id=author.id, status="submitted", **fields)
    db.session.add(idea)
    db.session.flush()
    tell_facilitators(idea)
    return idea


def tell_facilitators(idea: Idea) -> None:
    """Facilitators of the process hear of every new idea, but not of one they entered."""
    from participatie.core.mail.sending import external_url
    from participatie.core.notifications.service import facilitators_of
    from participatie.core.notifications.service import notify

    process = idea.process
    due = idea.answer_due_at
    url = external_url("ideas.detail", idea_id=idea.id)
    for user in facilitators_of(process):
        if user.id != idea.entered_by_id:
            notify(user, "ideas/mail/new_idea", idea=idea, due=due, url=url)


def still_shown(ids: set[int]) -> set[int]:
    """Which of ``ids`` are still shown, so that mail may quote them (``mail.about``)."""
    return set(db.session.scalars(sa.select(Idea.id).where(Idea.id.in_(ids), Idea.is_visible)))


def withdraw(idea: Idea) -> None:
    idea.withdrawn_at = utcnow()


def add_update(idea: Idea, text: str) -> IdeaUpdate:
    update = IdeaUpdate(idea_id=idea.id, text=text)
    db.session.add(update)
    return update


def visible(process_id: int):
    """Visible ideas of a process, with what their cards show loaded in fixed statements."""
    return (
        sa.select(Idea)
        .where(
            Idea.process_id == process_id,
            Idea.is_visible,
        )
        .options(selectinload(Idea.theme), selectinload(Idea.buurt))
    )


def search(process, theme=None, buurt=None, status=None, text=None, sort="newest", seed=0):
    """The query of a process's visible ideas, filtered and sorted."""
    from participatie.core.areas.models import Area
    from participatie.core.processes.models import Theme

    query = visible(process.id)
    if theme:
        query = query.join(Theme, Theme.id == Idea.theme_id).where(Theme.code == theme)
    if buurt:
        query = query.join(Area, Area.id == Idea.buurt_id).where(Area.code == buurt)
    if status:
        query = query.where(Idea.status == status)
    if text:
        pattern = f"%{text.lower()}%"
        query = query.where(
            sa.or_(sa.func.lower(Idea.title).like(pattern), sa.func.lower(Idea.text).like(pattern))
        )
    if sort == "supports":
        return query.order_by(Idea.supports.desc(), Idea.created_at.desc(), Idea.id.desc())
    if sort == "random":
        # A stable order per visitor: a hash of the idea id and the visitor's
        # seed, computed the same way by SQLite and PostgreSQL.
        return query.order_by(((Idea.id * 7919 + seed) % 10007), Idea.id)
    return query.order_by(Idea.created_at.desc(), Idea.id.desc())
