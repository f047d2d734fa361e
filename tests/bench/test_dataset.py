"""The benchmark's data generator at a thousandth of its size: it builds, keeps the
stored counters equal to the rows, builds the same rows twice, and every page the
benchmark measures answers. (The benchmark itself is ``make bench``, never a test.)"""

import sqlalchemy as sa
from participatie import create_app
from participatie.extensions import db

from tests.bench import dataset
from tests.bench.run import pages

SCALE = 0.001


def _app(tmp_path, name):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test secret key, not for production",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / name}",
            "MAIL_BACKEND": "file",
            "MAIL_FOLDER": str(tmp_path / "mail"),
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 8,
            "ARGON2_PARALLELISM": 1,
            "RATELIMIT_ENABLED": False,
        }
    )


def _snapshot(app) -> dict:
    queries = {
        "ideas": "SELECT id, process_id, author_id, title, theme_id, buurt_id, status, supports "
        "FROM idea ORDER BY id",
        "votes": "SELECT idea_id, user_id FROM vote ORDER BY idea_id, user_id",
        "comments": "SELECT id, idea_id, author_id, parent_id, text, stance FROM comment "
        "ORDER BY id",
        "ballots": "SELECT b.user_id, c.project_id FROM budget_ballot b "
        "JOIN budget_ballot_choice c ON c.ballot_id = b.id ORDER BY 1, 2",
    }
    with app.app_context():
        return {name: db.session.execute(sa.text(q)).all() for name, q in queries.items()}


def test_tiny_city_is_consistent_and_reproducible(tmp_path):
    from participatie.builtin.budgets.models import BudgetVote
    from participatie.builtin.budgets.models import Project
    from participatie.builtin.comments.models import Comment
    from participatie.builtin.ideas.models import Idea
    from participatie.builtin.votes.models import Vote
    from participatie.builtin.votes.service import reconcile
    from participatie.core.areas.models import Area
    from participatie.core.processes.models import Process

    app = _app(tmp_path, "first.sqlite3")
    city = dataset.build_city(app, SCALE)
    counts = city.counts
    with app.app_context():
        big = db.session.scalar(sa.select(Process).where(Process.slug == city.ideas_slug))
        in_big = db.session.scalar(
            sa.select(sa.func.count()).select_from(Idea).where(Idea.process_id == big.id)
        )
        assert in_big == counts["ideas"] == len(city.idea_ids)
        assert (
            db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == counts["comments"]
        )
        # Replies go one level deep and stay under an idea's own comment.
        parent = sa.orm.aliased(Comment)
        wrong_replies = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Comment)
            .join(parent, parent.id == Comment.parent_id)
            .where(sa.or_(parent.idea_id != Comment.idea_id, parent.parent_id.is_not(None)))
        )
        assert wrong_replies == 0
        supports = db.session.scalar(sa.select(sa.func.sum(Idea.supports)))
        assert supports == db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) > 0
        top = db.session.get(Idea, city.top_idea_id)
        assert top.supports == db.session.scalar(sa.select(sa.func.max(Idea.supports)))
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).select_from(Idea).where(Idea.answer_due_at.is_(None))
            )
            == 0
        )
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).select_from(Area).where(Area.level == "wijk")
            )
            == 10
        )
        # The published budget vote: one ballot per voter, its stored approvals the
        # counts of the ballots' choices.
        vote = db.session.scalar(
            sa.select(BudgetVote).join(Process).where(Process.slug == city.budget_slug)
        )
        assert vote.published_at is not None
        ballots = db.session.execute(
            sa.text(
                "SELECT COUNT(*), COUNT(DISTINCT user_id) FROM budget_ballot WHERE vote_id = :v"
            ),
            {"v": vote.id},
        ).one()
        assert ballots == (counts["ballots"], counts["ballots"])
        approvals = dict(
            db.session.execute(
                sa.text("SELECT project_id, COUNT(*) FROM budget_ballot_choice GROUP BY project_id")
            ).all()
        )
        for project in db.session.scalars(sa.select(Project).where(Project.vote_id == vote.id)):
            assert project.approvals == approvals.get(project.id, 0)
        assert len(city.open_project_ids) == 12
        assert reconcile() == 0

    # Every page the benchmark measures answers, logged out.
    client = app.test_client()
    for _key, _label, path in pages("city", city):
        assert client.get(path).status_code == 200, path

    # Seeded: a second build makes the same rows.
    again = _app(tmp_path, "second.sqlite3")
    city_again = dataset.build_city(again, SCALE)
    assert city_again.top_idea_id == city.top_idea_id
    assert _snapshot(again) == _snapshot(app)
    for built in (app, again):
        with built.app_context():
            db.engine.dispose()


def test_bowling_green_is_shipped_with_its_credit():
    folder = dataset.BOWLING_GREEN
    assert (folder / "comments.csv").is_file()
    assert (folder / "participants-votes.csv").is_file()
    readme = (folder.parent / "README.md").read_text()
    assert "american-assembly.bowling-green" in readme and "CC BY 4.0" in readme
