"""The ideas plugin's part of an account's data export."""

import sqlalchemy as sa

from participatie.builtin.ideas.models import Idea
from participatie.builtin.ideas.models import IdeaUpdate
from participatie.extensions import db
from participatie.personal import row

FIELDS = (
    "id",
    "process_id",
    "title",
    "text",
    "status",
    "supports",
    "created_at",
    "withdrawn_at",
    "hidden_at",
    "merged_into_id",
    "photo_file",
)


def personal_data(user) -> dict:
    ideas = db.session.scalars(
        sa.select(Idea).where(Idea.author_id == user.id).order_by(Idea.id)
    ).all()
    updates = db.session.scalars(
        sa.select(IdeaUpdate)
        .join(Idea, Idea.id == IdeaUpdate.idea_id)
        .where(Idea.author_id == user.id)
        .order_by(IdeaUpdate.id)
    ).all()
    entered = db.session.scalars(
        sa.select(Idea.id).where(Idea.entered_by_id == user.id).order_by(Idea.id)
    ).all()
    return {
        "ideas": [row(idea, *FIELDS) for idea in ideas],
        "idea_updates": [row(update, "id", "idea_id", "text", "created_at") for update in updates],
        "ideas_entered_for_others": list(entered),
    }
