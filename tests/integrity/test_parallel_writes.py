"""Exact counts under parallel writes to four gunicorn workers, on the suite's database.

Each account has its own cookie jar and logs in through the log-in page; the
requests go over loopback HTTP from a pool of 32 threads, so the workers really
race. Afterwards the database is read directly.
"""

import pytest
import sqlalchemy as sa
from participatie.builtin.budgets import service as budgets
from participatie.builtin.budgets.models import Ballot
from participatie.builtin.budgets.models import BallotChoice
from participatie.builtin.comments.models import Comment
from participatie.builtin.ideas.models import Idea
from participatie.builtin.votes import service as votes
from participatie.builtin.votes.models import Vote
from participatie.builtin.votes.models import VoteSettings
from participatie.core.moderation.models import Report
from participatie.extensions import db

from tests.builtin.budgets.test_budget_vote import _open_vote
from tests.builtin.budgets.test_budget_vote import BUDGET
from tests.builtin.budgets.test_budget_vote import COSTS
from tests.integrity.conftest import in_pool
from tests.integrity.conftest import log_in_all

pytestmark = pytest.mark.integrity

ACKNOWLEDGED = range(200, 400)


def _no_server_errors(statuses):
    assert None not in statuses, "a request got no answer"
    assert [s for s in statuses if s >= 500] == []


def test_200_accounts_supporting_one_idea_4_times_at_once_give_200_supports(
    app, server, accounts, create_process, create_idea
):
    process = create_process(status="published")
    idea_id = create_idea(process, title="Meer bankjes")
    browsers = log_in_all(server.base, accounts(200))
    statuses = in_pool(
        [
            (lambda b=browser: b.post(f"/ideeen/{idea_id}/steun"))
            for _ in range(4)
            for browser in browsers.values()
        ]
    )
    _no_server_errors(statuses)
    assert all(status in ACKNOWLEDGED for status in statuses)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 200
        assert db.session.get(Idea, idea_id).supports == 200
        assert votes.reconcile() == 0
    status, page = next(iter(browsers.values())).request(f"/ideeen/{idea_id}")
    assert status == 200 and "200 mensen steunen dit" in page


def test_200_voters_casting_4_ballots_at_once_keep_one_ballot_each_within_the_rules(
    app, server, accounts, create_process
):
    process = create_process(status="published", slug="wijkbudget")
    projects = _open_vote(app, process.slug)
    ids = [projects[title] for title in COSTS]
    costs = {projects[title]: cost for title, cost in COSTS.items()}
    valid = [[ids[0], ids[2]], [ids[0], ids[3]], [ids[1], ids[3]]]
    # Over the budget (35,000 of 30,000): refused every time.
    too_dear = [ids[0], ids[1], ids[2]]
    # One CSRF token per session, read after logging in, serves the ballot form too.
    browsers = log_in_all(server.base, accounts(200))
    path = f"/processen/{process.slug}/begroting"
    statuses = in_pool(
        [
            (
                lambda b=browser, c=choice: b.post(
                    path, {"action": "cast", "project": [str(i) for i in c]}
                )
            )
            for choice in [*valid, too_dear]
            for browser in browsers.values()
        ]
    )
    _no_server_errors(statuses)
    with app.app_context():
        vote = budgets.vote_of(process.id)
        rows = db.session.execute(
            sa.select(Ballot.id, Ballot.user_id).where(
                Ballot.vote_id == vote.id, Ballot.cast_at.is_not(None)
            )
        ).all()
        assert len(rows) == 200 and len({user for _, user in rows}) == 200
        choices = {}
        for ballot_id, project_id in db.session.execute(
            sa.select(BallotChoice.ballot_id, BallotChoice.project_id)
        ):
            choices.setdefault(ballot_id, set()).add(project_id)
        for ballot_id, _user in rows:
            chosen = choices[ballot_id]
            assert chosen in [set(c) for c in valid]
            assert 2 <= len(chosen) <= 3 and sum(costs[i] for i in chosen) <= BUDGET
        counted = budgets.approvals(vote)
        assert sum(counted.values()) == sum(len(c) for c in choices.values())


def test_parallel_supports_on_different_ideas_never_exceed_the_maximum_per_person(
    app, server, accounts, create_process, create_idea
):
    process = create_process(status="published")
    ideas = [create_idea(process, title=f"Idee {n}") for n in range(10)]
    with app.app_context():
        db.session.add(VoteSettings(process_id=process.id, max_supports=3))
        db.session.commit()
    browsers = log_in_all(server.base, accounts(50))
    statuses = in_pool(
        [
            (lambda b=browser, i=idea: b.post(f"/ideeen/{i}/steun"))
            for idea in ideas
            for browser in browsers.values()
        ]
    )
    _no_server_errors(statuses)
    with app.app_context():
        per_person = db.session.execute(
            sa.select(Vote.user_id, sa.func.count()).group_by(Vote.user_id)
        ).all()
        # Each asked for all ten: each got exactly the maximum, never more.
        assert len(per_person) == 50 and {count for _, count in per_person} == {3}
        assert sum(db.session.get(Idea, i).supports for i in ideas) == 150
        assert votes.reconcile() == 0


def test_every_acknowledged_idea_and_comment_from_parallel_writers_is_stored(
    app, server, accounts, create_process, create_idea
):
    process = create_process(status="published")
    seed = create_idea(process, title="Waar komt de speelplek?")
    browsers = log_in_all(server.base, accounts(40))
    calls, written = [], []
    for number, browser in enumerate(browsers.values()):
        for n in range(3):
            title = f"Idee {number}-{n}"
            data = {"title": title, "text": "Een boom.", "theme": "", "buurt": ""}
            written.append(("idea", title))
            calls.append(
                lambda b=browser, d=data: b.post(f"/processen/{process.slug}/ideeen/nieuw", d)
            )
            text = f"Reactie {number}-{n}: ja, bij de school."
            written.append(("comment", text))
            calls.append(
                lambda b=browser, t=text: b.post(
                    f"/ideeen/{seed}/reacties", {"text": t, "stance": "", "parent": ""}
                )
            )
    statuses = in_pool(calls)
    _no_server_errors(statuses)
    acknowledged = {
        write for write, status in zip(written, statuses, strict=True) if status in ACKNOWLEDGED
    }
    with app.app_context():
        titles = set(db.session.scalars(sa.select(Idea.title).where(Idea.id != seed)))
        texts = set(db.session.scalars(sa.select(Comment.text)))
    stored = {("idea", t) for t in titles} | {("comment", t) for t in texts}
    # Nothing was refused (no rate limits, valid input): all 240 are acknowledged and stored.
    assert acknowledged == set(written)
    assert stored == acknowledged


def test_50_accounts_reporting_one_idea_4_times_at_once_give_one_open_report_each(
    app, server, accounts, create_process, create_idea
):
    """Before: on PostgreSQL two reports sent at once both saw none yet and both were stored."""
    process = create_process(status="published")
    idea_id = create_idea(process, title="Een idee om te melden")
    browsers = log_in_all(server.base, accounts(50))
    data = {"kind": "idea", "object_id": idea_id, "reason": "Dit is reclame."}
    statuses = in_pool(
        [
            (lambda b=browser: b.post("/melden", data))
            for _ in range(4)
            for browser in browsers.values()
        ]
    )
    _no_server_errors(statuses)
    assert all(status in ACKNOWLEDGED for status in statuses)
    with app.app_context():
        per_reporter = db.session.execute(
            sa.select(Report.reporter_id, sa.func.count())
            .where(Report.resolved_at.is_(None))
            .group_by(Report.reporter_id)
        ).all()
        assert len(per_reporter) == 50 and {count for _, count in per_reporter} == {1}
