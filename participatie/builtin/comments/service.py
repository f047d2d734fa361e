"""Comment rules: who may comment, edit (15 minutes) and delete; the thread query."""

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from participatie.builtin.comments.models import Comment
from participatie.extensions import db
from participatie.extensions import utcnow

EDIT_WINDOW = timedelta(minutes=15)
PER_PAGE = 20


def may_edit(user, comment: Comment) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and comment.author_id == user.id
        and comment.deleted_at is None
        and comment.hidden_at is None
        and utcnow() - comment.created_at <= EDIT_WINDOW
    )


def may_delete(user, comment: Comment) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and comment.author_id == user.id
        and comment.deleted_at is None
    )


def add(idea, author, text: str, stance: str | None, parent: Comment | None) -> Comment:
    # Replies go one level deep: a reply to a reply joins its top-level comment.
    if parent is not None and parent.parent_id is not None:
        parent = db.session.get(Comment, parent.parent_id)
    comment = Comment(
        idea_id=idea.id,
        author_id=author.id,
        text=text,
        stance=stance or None,
        parent_id=parent.id if parent is not None else None,
    )
    db.session.add(comment)
    db.session.flush()
    _notify(idea, comment, parent)
    return comment


def still_shown(ids: set[int]) -> set[int]:
    """Which of the comments ``ids`` are still shown, on an idea still shown (``mail.about``)."""
    from participatie.builtin.ideas.models import Idea

    return set(
        db.session.scalars(
            sa.select(Comment.id)
            .join(Idea, Idea.id == Comment.idea_id)
            .where(
                Comment.id.in_(ids),
                Comment.hidden_at.is_(None),
                Comment.deleted_at.is_(None),
                Idea.is_visible,
            )
        )
    )


def _notify(idea, comment: Comment, parent: Comment | None) -> None:
    """The idea's author hears of a comment; a commenter of a reply to theirs."""
    from participatie.core.mail.sending import external_url
    from participatie.core.notifications.service import notify

    url = external_url("ideas.detail", idea_id=idea.id) + f"#reactie-{comment.id}"
    told = {comment.author_id}
    if parent is not None and parent.author is not None and parent.author_id not in told:
        notify(
            parent.author,
            "comments/mail/idea_commented",
            about=f"comment:{comment.id}",
            idea=idea,
            comment=comment,
            reply=True,
            url=url,
        )
        told.add(parent.author_id)
    if idea.author is not None and idea.author_id not in told:
        notify(
            idea.author,
            "comments/mail/idea_commented",
            about=f"comment:{comment.id}",
            idea=idea,
            comment=comment,
            reply=False,
            url=url,
        )


def thread(idea_id: int, page: int):
    """A page of top-level comments (oldest first) with their replies, in fixed statements."""
    tops = list(
        db.session.scalars(
            sa.select(Comment)
            .where(Comment.idea_id == idea_id, Comment.parent_id.is_(None))
            .options(selectinload(Comment.author))
            .order_by(Comment.created_at, Comment.id)
            .limit(PER_PAGE + 1)
            .offset((page - 1) * PER_PAGE)
        )
    )
    has_next = len(tops) > PER_PAGE
    tops = tops[:PER_PAGE]
    replies = {}
    if tops:
        for reply in db.session.scalars(
            sa.select(Comment)
            .where(Comment.parent_id.in_([c.id for c in tops]))
            .options(selectinload(Comment.author))
            .order_by(Comment.created_at, Comment.id)
        ):
            replies.setdefault(reply.parent_id, []).append(reply)
    return tops, replies, has_next


def counts(idea_ids) -> dict[int, int]:
    """Visible comments per idea (not deleted, not hidden), in one grouped query."""
    if not idea_ids:
        return {}
    rows = db.session.execute(
        sa.select(Comment.idea_id, sa.func.count())
        .where(
            Comment.idea_id.in_(idea_ids),
            Comment.deleted_at.is_(None),
            Comment.hidden_at.is_(None),
        )
        .group_by(Comment.idea_id)
    )
    return dict(rows.all())


def participants(process):
    """Accounts that commented on an idea of ``process`` (the plugin's ``participants`` hook)."""
    from participatie.builtin.ideas.models import Idea

    return (
        sa.select(Comment.author_id)
        .join(Idea, Idea.id == Comment.idea_id)
        .where(Idea.process_id == process.id, Comment.author_id.is_not(None))
    )


def has_comments(idea) -> bool:
    """Whether ``idea`` has comments, also deleted or hidden ones (``Plugin.reactions``)."""
    query = sa.select(Comment.id).where(Comment.idea_id == idea.id).limit(1)
    return db.session.scalar(query) is not None
