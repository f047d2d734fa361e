"""The comments plugin's part of an account's data export."""

import sqlalchemy as sa

from participatie.builtin.comments.models import Comment
from participatie.extensions import db
from participatie.personal import row


def personal_data(user) -> dict:
    comments = db.session.scalars(
        sa.select(Comment).where(Comment.author_id == user.id).order_by(Comment.id)
    ).all()
    return {
        "comments": [
            row(
                comment,
                "id",
                "idea_id",
                "parent_id",
                "text",
                "stance",
                "created_at",
                "edited_at",
                "deleted_at",
                "hidden_at",
            )
            for comment in comments
        ]
    }
