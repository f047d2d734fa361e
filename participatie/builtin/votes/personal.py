"""The votes plugin's part of an account's data export: the ideas it supports."""

import sqlalchemy as sa

from participatie.builtin.votes.models import Vote
from participatie.extensions import db
from participatie.personal import row


def personal_data(user) -> dict:
    votes = db.session.scalars(
        sa.select(Vote).where(Vote.user_id == user.id).order_by(Vote.id)
    ).all()
    return {"supports": [row(vote, "idea_id", "process_id", "created_at") for vote in votes]}
