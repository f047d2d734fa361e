"""Many ideas, comments, supports and answers in a few bulk inserts, for structure tests.

The rows go in through the model tables (``Model.__table__``), so a process with
hundreds of ideas takes a fraction of a second to make. ``fill`` makes every
kind of row the counting pages read: authors and commenters with a stated buurt
and age band, supports, first answers on time and late, deadlines passed and
to come.
"""

from datetime import timedelta

import sqlalchemy as sa
from participatie.builtin.comments.models import Comment
from participatie.builtin.feedback.models import Answer
from participatie.builtin.ideas.models import Idea
from participatie.builtin.votes.models import Vote
from participatie.core.accounts.models import User
from participatie.core.accounts.profile import AGE_BANDS
from participatie.core.accounts.profile import ParticipantProfile
from participatie.core.areas.models import Area
from participatie.extensions import db
from participatie.extensions import utcnow

PEOPLE = 12


def _insert(statement, rows: list) -> None:
    """An executemany insert; none at all for no rows (an empty list would insert defaults)."""
    if rows:
        db.session.execute(statement, rows)


def _digits(area_id: int) -> str:
    """The CBS digits of an area (WK015306 -> 015306): its buurten's codes start with them."""
    return db.session.get(Area, area_id).code[2:]


def fill(app, process_id: int, ideas: int, prefix: str, per_idea: int = 3) -> None:
    """``ideas`` ideas in the process, each with ``per_idea`` comments and supports."""
    with app.app_context():
        now = utcnow()
        from participatie.core.processes.models import Process

        area_id = db.session.scalar(sa.select(Process.area_id).where(Process.id == process_id))
        # Buurten inside the process's area: the summary counts participants per child area.
        buurten = db.session.scalars(
            sa.select(Area.id)
            .where(Area.level == "buurt", Area.code.like(f"BU{_digits(area_id)}%"))
            .order_by(Area.code)
            .limit(4)
        ).all()
        bands = list(AGE_BANDS)
        _insert(
            sa.insert(User.__table__),
            [
                {
                    "email": f"{prefix}{n}@example.org",
                    "display_name": f"{prefix} {n}",
                    "email_confirmed_at": now,
                }
                for n in range(PEOPLE)
            ],
        )
        people = db.session.scalars(
            sa.select(User.id).where(User.email.like(f"{prefix}%@example.org")).order_by(User.id)
        ).all()
        _insert(
            sa.insert(ParticipantProfile.__table__),
            [
                {
                    "user_id": user_id,
                    "buurt_id": buurten[n % len(buurten)] if buurten else None,
                    "age_band": bands[n % len(bands)],
                }
                for n, user_id in enumerate(people)
            ],
        )
        statuses = ("submitted", "adopted", "not-adopted", "submitted")
        _insert(
            sa.insert(Idea.__table__),
            [
                {
                    "process_id": process_id,
                    "author_id": people[n % PEOPLE],
                    "title": f"{prefix} idee {n}",
                    "text": "Een idee",
                    "status": statuses[n % len(statuses)],
                    "supports": per_idea + n % 7,
                    "created_at": now - timedelta(minutes=n),
                    "updated_at": now,
                    "answer_due_at": now + timedelta(days=(n % 3) - 1),
                }
                for n in range(ideas)
            ],
        )
        idea_ids = db.session.scalars(
            sa.select(Idea.id)
            .where(Idea.process_id == process_id, Idea.title.like(f"{prefix} idee %"))
            .order_by(Idea.id)
        ).all()
        _insert(
            sa.insert(Comment.__table__),
            [
                {
                    "idea_id": idea_id,
                    "author_id": people[(n + k) % PEOPLE],
                    "text": "Een reactie",
                    "stance": ("for", "against", None)[k % 3],
                    "created_at": now,
                }
                for n, idea_id in enumerate(idea_ids)
                for k in range(per_idea)
            ],
        )
        _insert(
            sa.insert(Vote.__table__),
            [
                {"idea_id": idea_id, "user_id": people[k], "process_id": process_id}
                for idea_id in idea_ids
                for k in range(min(per_idea, PEOPLE))
            ],
        )
        _insert(
            sa.insert(Answer.__table__),
            [
                {
                    "idea_id": idea_id,
                    "status": "adopted" if n % 4 == 1 else "not-adopted",
                    "explanation": "Uitleg",
                    "reason_kind": None if n % 4 == 1 else "other",
                    "reason_text": "" if n % 4 == 1 else "Een reden",
                    "answered_at": now - timedelta(days=2) if n % 8 < 4 else now,
                }
                for n, idea_id in enumerate(idea_ids)
                if n % 4 in (1, 2)
            ],
        )
        db.session.commit()


def budget_ballots(app, process_id: int, count: int, prefix: str) -> None:
    """A published budget vote in the process (made once) and ``count`` more cast ballots."""
    from participatie.builtin.budgets.models import Ballot
    from participatie.builtin.budgets.models import BallotChoice
    from participatie.builtin.budgets.models import BudgetVote
    from participatie.builtin.budgets.models import Project

    with app.app_context():
        now = utcnow()
        vote = db.session.scalar(sa.select(BudgetVote).where(BudgetVote.process_id == process_id))
        if vote is None:
            vote = BudgetVote(process_id=process_id, budget=30_000, rule="greedy", published_at=now)
            db.session.add(vote)
            for n, cost in enumerate((5_000, 20_000, 10_000)):
                db.session.add(
                    Project(
                        vote=vote,
                        title=f"Project {n}",
                        cost=cost,
                        direct_reason="Test",
                        approvals=0,
                        selected=n != 1,
                        funded=cost if n != 1 else None,
                        reason="funded" if n != 1 else "over-budget",
                    )
                )
            db.session.flush()
        projects = [project.id for project in vote.projects]
        _insert(
            sa.insert(User.__table__),
            [
                {"email": f"{prefix}{n}@example.org", "display_name": f"{prefix} {n}"}
                for n in range(count)
            ],
        )
        voters = db.session.scalars(
            sa.select(User.id).where(User.email.like(f"{prefix}%@example.org"))
        ).all()
        _insert(
            sa.insert(Ballot.__table__),
            [{"vote_id": vote.id, "user_id": user_id, "cast_at": now} for user_id in voters],
        )
        ballots = db.session.scalars(
            sa.select(Ballot.id).where(Ballot.vote_id == vote.id, Ballot.user_id.in_(voters))
        ).all()
        _insert(
            sa.insert(BallotChoice.__table__),
            [
                {"ballot_id": ballot_id, "project_id": projects[n % len(projects)]}
                for n, ballot_id in enumerate(ballots)
            ],
        )
        db.session.commit()
