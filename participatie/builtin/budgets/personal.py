"""The budgets plugin's part of an account's data export: its ballots and their choices."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from participatie.builtin.budgets.models import Ballot
from participatie.builtin.budgets.models import BudgetVote
from participatie.extensions import db
from participatie.personal import plain


def personal_data(user) -> dict:
    rows = db.session.execute(
        sa.select(Ballot, BudgetVote.process_id)
        .join(BudgetVote, BudgetVote.id == Ballot.vote_id)
        .where(Ballot.user_id == user.id)
        .options(selectinload(Ballot.choices))
        .order_by(Ballot.id)
    ).all()
    return {
        "ballots": [
            {
                "process_id": process_id,
                "cast_at": plain(ballot.cast_at),
                "choices": [choice.project_id for choice in ballot.choices],
                "draft": [int(part) for part in ballot.draft.split() if part.isdigit()],
                "updated_at": plain(ballot.updated_at),
            }
            for ballot, process_id in rows
        ]
    }
