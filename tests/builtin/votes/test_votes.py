import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request

import pytest
import sqlalchemy as sa
from participatie.builtin.ideas.models import Idea
from participatie.builtin.votes import service
from participatie.builtin.votes.models import Vote
from participatie.builtin.votes.models import VoteSettings
from participatie.core.processes.models import Process
from participatie.extensions import db
from werkzeug.serving import make_server

from tests.conftest import csrf_token
from tests.conftest import free_port
from tests.conftest import login
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def voting(app, create_process, create_idea, create_user):
    saved = create_process(status="published")
    ideas = [create_idea(saved, title=f"Idee {n}") for n in range(10)]
    user = create_user(email="stemmer@example.org")
    client = app.test_client()
    login(client, user.email)
    return saved, ideas, user, client


def supports(app, idea_id):
    with app.app_context():
        return db.session.get(Idea, idea_id).supports


def vote(client, idea_id, withdraw=False, **headers):
    path = f"/ideeen/{idea_id}/{'steun-intrekken' if withdraw else 'steun'}"
    return client.post(
        path, data={"csrf_token": csrf_token(client, f"/ideeen/{idea_id}")}, headers=headers
    )


def test_support_once_and_withdraw(app, voting):
    _saved, ideas, _user, client = voting
    assert vote(client, ideas[0]).status_code == 302
    vote(client, ideas[0])
    assert supports(app, ideas[0]) == 1
    vote(client, ideas[0], withdraw=True)
    assert supports(app, ideas[0]) == 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 0


def test_htmx_gets_the_button_back(app, voting):
    _saved, ideas, _user, client = voting
    response = vote(client, ideas[0], **{"HX-Request": "true"})
    text = response.get_data(as_text=True)
    assert text.lstrip().startswith(f'<div class="vote-box" id="vote-{ideas[0]}"')
    assert "1 persoon steunt dit" in text and 'aria-pressed="true"' in text


def test_only_in_a_phase_that_allows_voting(app, voting):
    saved, ideas, _user, client = voting
    with app.app_context():
        db.session.get(Process, saved.id).phases[0].allows_vote = False
        db.session.commit()
    assert vote(client, ideas[0]).status_code == 302
    assert supports(app, ideas[0]) == 0


def test_unconfirmed_accounts_cannot_vote(app, voting, create_user):
    _saved, ideas, _user, _client = voting
    other = create_user(confirmed=False)
    client = app.test_client()
    login(client, other.email)
    vote(client, ideas[0])
    assert supports(app, ideas[0]) == 0


def test_maximum_per_person_and_how_many_are_left(app, voting):
    saved, ideas, _user, client = voting
    with app.app_context():
        db.session.add(VoteSettings(process_id=saved.id, max_supports=2))
        db.session.commit()
    assert "Je kunt nog 2 ideeën steunen" in client.get(f"/ideeen/{ideas[0]}").get_data(
        as_text=True
    )
    vote(client, ideas[0])
    vote(client, ideas[1])
    response = vote(client, ideas[2], **{"HX-Request": "true"})
    assert response.status_code == 400
    assert "al zoveel ideeën gesteund als mag" in response.get_data(as_text=True)
    assert [supports(app, i) for i in ideas[:3]] == [1, 1, 0]


def test_maximum_cannot_change_once_votes_exist(app, voting, create_user, grant):
    saved, ideas, _user, client = voting
    facilitator = create_user()
    grant(facilitator, "facilitator", "GM0153")
    other = app.test_client()
    login(other, facilitator.email)
    path = f"/processen/{saved.slug}/stemmen"
    assert (
        other.post(
            path, data={"max_supports": "3", "csrf_token": csrf_token(other, path)}
        ).status_code
        == 302
    )
    vote(client, ideas[0])
    response = other.post(path, data={"max_supports": "5", "csrf_token": csrf_token(other, path)})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(VoteSettings, saved.id).max_supports == 3


@pytest.mark.parametrize(
    ("level", "text"),
    [("consult", "advies aan wie besluit"), ("co-decide", "de uitslag van de stemming bindend")],
)
def test_interface_says_what_votes_mean(app, create_process, create_idea, client, level, text):
    saved = create_process(status="published", level=level)
    idea_id = create_idea(saved)
    assert text in client.get(f"/ideeen/{idea_id}").get_data(as_text=True)


def test_merging_moves_supports_once_per_person(app, voting, create_user):
    _saved, ideas, user, _client = voting
    other = create_user()
    with app.app_context():
        duplicate, kept = db.session.get(Idea, ideas[0]), db.session.get(Idea, ideas[1])
        service.support(duplicate, user.id)
        service.support(duplicate, other.id)
        service.support(kept, user.id)
        from flask import current_app
        from participatie.signals import ideas_merged

        ideas_merged.send(current_app._get_current_object(), duplicate=duplicate, kept=kept)
        db.session.commit()
        assert sorted(
            db.session.scalars(sa.select(Vote.user_id).where(Vote.idea_id == kept.id))
        ) == sorted([user.id, other.id])
    assert (supports(app, ideas[0]), supports(app, ideas[1])) == (0, 2)


class Browser:
    """A logged-in HTTP client for the real server, safe to share between threads."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path):
        with self.opener.open(self.base + path) as response:
            return response.read().decode()

    def post(self, path, data):
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")
        try:
            with self.opener.open(request) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


@pytest.fixture
def server(app):
    port = free_port()
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()
    thread.join()


def logged_in(server, email):
    browser = Browser(server)
    page = browser.get("/inloggen")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    browser.post("/inloggen", {"email": email, "password": TEST_PASSWORD, "csrf_token": token})
    page = browser.get("/account")
    return browser, re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def in_parallel(calls):
    threads = [threading.Thread(target=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_fifty_parallel_identical_votes_leave_one(app, voting, server):
    _saved, ideas, user, _client = voting
    browser, token = logged_in(server, user.email)
    statuses = []
    in_parallel(
        [lambda: statuses.append(browser.post(f"/ideeen/{ideas[0]}/steun", {"csrf_token": token}))]
        * 50
    )
    assert len(statuses) == 50 and set(statuses) <= {200, 302}
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 1
        assert db.session.get(Idea, ideas[0]).supports == 1
        assert service.reconcile() == 0


def test_parallel_votes_on_different_ideas_never_exceed_the_maximum(app, voting, server):
    saved, ideas, user, _client = voting
    with app.app_context():
        db.session.add(VoteSettings(process_id=saved.id, max_supports=3))
        db.session.commit()
    browser, token = logged_in(server, user.email)
    in_parallel(
        [
            (lambda idea=idea: browser.post(f"/ideeen/{idea}/steun", {"csrf_token": token}))
            for idea in ideas * 2
        ]
    )
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 3
        assert sum(db.session.get(Idea, i).supports for i in ideas) == 3
        assert service.reconcile() == 0
