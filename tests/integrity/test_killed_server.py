"""Acknowledged writes survive a gunicorn worker, or the master, killed with SIGKILL mid-run.

A write counts as acknowledged when the server answered it with 2xx or 3xx;
requests cut off by the kill count as not acknowledged (they may or may not be
stored: the client never heard). Everything acknowledged must be in the
database afterwards, SQLite's own check must pass, and the stored support
counters must equal their rows.
"""

import threading

import pytest
import sqlalchemy as sa
from participatie.builtin.comments.models import Comment
from participatie.builtin.ideas.models import Idea
from participatie.builtin.votes import service as votes
from participatie.builtin.votes.models import Vote
from participatie.core.accounts.models import User
from participatie.extensions import db

from tests.integrity.conftest import in_pool
from tests.integrity.conftest import log_in_all

pytestmark = pytest.mark.integrity

ACCOUNTS = 60
KILL_AFTER = 45


@pytest.mark.parametrize("victim", ["worker", "master"])
def test_acknowledged_writes_survive_a_sigkill(
    app, gunicorn, accounts, create_process, create_idea, victim
):
    process = create_process(status="published")
    ideas = [create_idea(process, title=f"Idee {n}") for n in range(3)]
    server = gunicorn()
    emails = accounts(ACCOUNTS)
    browsers = log_in_all(server.base, emails)
    done = threading.Semaphore(0)
    writes = []
    for number, (email, browser) in enumerate(browsers.items()):
        idea = ideas[number % len(ideas)]
        writes.append((("vote", email, idea), browser, f"/ideeen/{idea}/steun", {}))
        for n in range(2):
            text = f"Reactie {number}-{n} van {email}"
            data = {"text": text, "stance": "", "parent": ""}
            writes.append((("comment", text), browser, f"/ideeen/{idea}/reacties", data))

    def call(browser, path, data):
        status = browser.post(path, data)
        done.release()
        return status

    def killer():
        for _ in range(KILL_AFTER):
            done.acquire()
        if victim == "worker":
            server.kill(server.workers()[0])
        else:
            server.kill_master()

    thread = threading.Thread(target=killer)
    thread.start()
    statuses = in_pool([(lambda w=w: call(*w[1:])) for w in writes], pool_size=16)
    thread.join()
    acknowledged = [
        write[0]
        for write, status in zip(writes, statuses, strict=True)
        if status in range(200, 400)
    ]
    assert [s for s in statuses if s is not None and s >= 500] == []
    assert len(acknowledged) >= KILL_AFTER - 16
    if victim == "worker":
        # The master started a new worker: the writes after the kill were served too.
        assert len(acknowledged) > len(writes) - 16
    else:
        # Orphaned workers go on serving while requests wait, then stop by themselves.
        assert server.orphans_stop_by_themselves(timeout=20)
    with app.app_context():
        stored_votes = set(
            db.session.execute(
                sa.select(User.email, Vote.idea_id).join(User, User.id == Vote.user_id)
            ).all()
        )
        stored_comments = set(db.session.scalars(sa.select(Comment.text)))
        for write in acknowledged:
            if write[0] == "vote":
                assert (write[1], write[2]) in stored_votes
            else:
                assert write[1] in stored_comments
        if db.engine.dialect.name == "sqlite":
            assert db.session.execute(sa.text("PRAGMA integrity_check")).scalars().all() == ["ok"]
        counted = {
            idea_id: supports
            for idea_id, supports in db.session.execute(
                sa.select(Idea.id, Idea.supports).where(Idea.id.in_(ideas))
            )
        }
        assert sum(counted.values()) == len(stored_votes)
        assert votes.reconcile() == 0
