"""Ideas as reportable content for the core moderation service.

The ideas plugin's ``init_app`` calls ``init_app`` here.
"""

from flask import url_for
from flask_babel import lazy_gettext as _l

from participatie.builtin.ideas.models import Idea
from participatie.core.moderation.registry import register_kind
from participatie.extensions import db
from participatie.extensions import utcnow


def load(idea_id: int) -> Idea | None:
    return db.session.get(Idea, idea_id)


def hide(idea: Idea, reason: str) -> None:
    idea.hidden_at = utcnow()
    idea.hidden_reason = reason


def describe(idea: Idea) -> str:
    text = idea.text if len(idea.text) <= 300 else idea.text[:300] + "…"
    return f"{idea.title}\n{text}".strip()


def url(idea: Idea) -> str:
    return url_for("ideas.detail", idea_id=idea.id)


def init_app(app) -> None:
    register_kind(
        app,
        "idea",
        label=_l("an idea"),
        load=load,
        process_of=lambda idea: idea.process,
        visible=lambda idea: idea.is_visible,
        hide=hide,
        describe=describe,
        url=url,
    )
