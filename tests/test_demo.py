import re

import sqlalchemy as sa
from participatie.builtin.budgets import service as budget_service
from participatie.core.accounts.models import User
from participatie.core.processes.framing import check_framing
from participatie.core.processes.models import Process
from participatie.core.processes.phases import current_phase
from participatie.core.roles.permissions import councils
from participatie.core.roles.permissions import facilitates
from participatie.core.roles.permissions import is_admin
from participatie.extensions import db
from participatie.extensions import utcnow

from tests.conftest import login


def test_demo_load_gives_the_range_of_processes_and_roles(app, runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        processes = db.session.scalars(sa.select(Process).order_by(Process.slug)).all()
        assert len(processes) == 4
        published = [p for p in processes if p.status == "published"]
        assert {p.level for p in published} == {"consult", "co-create"}
        for process in published:
            assert check_framing(process).ok
            phase = current_phase(process, utcnow())
            if process.slug == "voorbeeld-wijkbudget":
                # A complete wijkbudget: ideas, a budget vote, a published outcome.
                assert [p.actions for p in process.phases] == [
                    ["submit", "comment", "vote"],
                    ["budget"],
                    [],
                ]
                vote = budget_service.vote_of(process.id)
                assert budget_service.status(vote, process) == "published"
                assert budget_service.ballot_count(vote) == 40
                assert all(project.idea_ids for project in vote.projects)
                assert any(project.selected for project in vote.projects)
            elif process.slug == "voorbeeld-wijkbudget-stemcode":
                # Only with the stemcode from the letter, 12 and older; voting now.
                assert phase.actions == ["budget"]
                assert [(r.action, r.who, r.min_age) for r in process.participation_rules] == [
                    ("budget", "code", 12)
                ]
                vote = budget_service.vote_of(process.id)
                assert budget_service.status(vote, process) == "open"
                assert "codes-after-opening" not in check_framing(process).codes()
            else:
                assert phase.actions == ["submit", "comment", "vote"]
            assert process.title.startswith("Voorbeeld")
            assert process.area.level == "wijk"
        [draft] = [p for p in processes if p.status == "draft"]
        assert not check_framing(draft).ok
        facilitator = db.session.scalar(
            sa.select(User).where(User.email == "begeleider@example.org")
        )
        councillor = db.session.scalar(sa.select(User).where(User.email == "raadslid@example.org"))
        admin = db.session.scalar(sa.select(User).where(User.email == "beheer@example.org"))
        assert all(facilitates(facilitator, p) for p in processes)
        assert all(councils(councillor, p) for p in processes)
        assert is_admin(admin)
    again = runner.invoke(args=["demo", "load", "--if-empty"])
    assert "not loaded" in again.output


def test_demo_info_prints_voting_codes_that_work_once(app, runner):
    from participatie.core.accounts import codes

    runner.invoke(args=["demo", "load"])
    info = runner.invoke(args=["demo", "info"])
    printed = re.findall(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", info.output)
    assert len(set(printed)) == 10
    with app.app_context():
        process = db.session.scalar(
            sa.select(Process).where(Process.slug == "voorbeeld-wijkbudget-stemcode")
        )
        assert codes.redeem(process, printed[0], "127.0.0.1").ok
        assert not codes.redeem(process, printed[0], "127.0.0.1").ok


def test_demo_accounts_log_in_with_the_demo_password(app, client, runner, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "een ander demo wachtwoord")
    runner.invoke(args=["demo", "load"])
    response = login(client, "bewoner@example.org", "een ander demo wachtwoord")
    assert response.status_code == 302


def test_demo_has_ideas_comments_votes_and_answers_of_every_status(app, runner):
    from participatie.builtin.comments.models import Comment
    from participatie.builtin.feedback import service
    from participatie.builtin.feedback.models import Answer
    from participatie.builtin.ideas.models import Idea
    from participatie.builtin.ideas.models import STATUSES
    from participatie.builtin.votes.service import reconcile

    runner.invoke(args=["demo", "load"])
    with app.app_context():
        ideas = db.session.scalars(sa.select(Idea)).all()
        assert {idea.status for idea in ideas} == set(STATUSES)
        assert any(idea.offline for idea in ideas)
        stances = set(db.session.scalars(sa.select(Comment.stance)))
        assert {"for", "against"} <= stances
        assert db.session.scalar(
            sa.select(sa.func.count()).select_from(Comment).where(Comment.parent_id.is_not(None))
        )
        assert reconcile() == 0
        assert sum(idea.supports for idea in ideas) > 20
        rejected = db.session.scalar(
            sa.select(Answer).where(
                Answer.status == "not-adopted", Answer.reason_kind == "fixed-limit"
            )
        )
        assert rejected is not None and rejected.fixed_limit_id is not None
        street = db.session.scalar(
            sa.select(Process).where(Process.slug == "voorbeeld-groenere-woonstraat")
        )
        states = {d.state(utcnow()) for d in service.deadlines(street)}
        assert "overdue" in states
