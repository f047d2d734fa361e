"""Comments as reportable content for the core moderation service.

The comments plugin's ``init_app`` calls ``init_app`` here.
"""

from flask import url_for
from flask_babel import lazy_gettext as _l

from participatie.builtin.comments.models import Comment
from participatie.builtin.ideas.models import Idea
from participatie.core.moderation.registry import register_kind
from participatie.extensions import db
from participatie.extensions import utcnow


def load(comment_id: int) -> Comment | None:
    return db.session.get(Comment, comment_id)


def _idea(comment: Comment) -> Idea | None:
    return db.session.get(Idea, comment.idea_id)


def visible(comment: Comment) -> bool:
    # Comments under a merged idea stay readable, so they can be reported;
    # under a hidden or withdrawn idea nobody sees them.
    idea = _idea(comment)
    return (
        comment.deleted_at is None
        and comment.hidden_at is None
        and idea is not None
        and idea.hidden_at is None
        and idea.withdrawn_at is None
    )


def hide(comment: Comment, reason: str) -> None:
    comment.hidden_at = utcnow()
    comment.hidden_reason = reason


def describe(comment: Comment) -> str:
    return comment.text if len(comment.text) <= 300 else comment.text[:300] + "…"


def url(comment: Comment) -> str:
    return url_for("ideas.detail", idea_id=comment.idea_id, _anchor=f"reactie-{comment.id}")


def init_app(app) -> None:
    register_kind(
        app,
        "comment",
        label=_l("a comment"),
        load=load,
        process_of=lambda comment: _idea(comment).process,
        visible=visible,
        hide=hide,
        describe=describe,
        url=url,
    )
