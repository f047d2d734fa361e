"""The summary and the area overview keep their figures in a cache the workers share.

Each test makes an app with a real cache (each worker's own, or Redis) on the
suite's database, beside the ``app`` fixture, whose cache keeps nothing: what
the cached app shows after an event is compared with what the uncached one
computes from scratch. Events go through the real routes.
"""

import json
import os
import re
import socket
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from participatie import create_app
from participatie.builtin.ideas.models import Idea
from participatie.extensions import db
from participatie.extensions import utcnow

from tests.conftest import ClosingClient
from tests.conftest import csrf_token
from tests.conftest import login
from tests.conftest import without_tokens
from tests.querycount import count_statements

SLUG = "straat"
SUMMARY = f"/processen/{SLUG}/samenvatting"
API = f"/api/v1/processes/{SLUG}/summary"
AREA = "/gebieden/WK015306/deelname"
PROCESS = f"/processen/{SLUG}"
REDIS_DB = 4


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def _need_redis():
    if not _redis_answers():
        if os.environ.get("CI"):
            pytest.fail("Redis does not answer on 127.0.0.1:6379; CI needs it")
        pytest.skip("!!! Redis does not answer on 127.0.0.1:6379: the shared cache not tested")


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in Redis database 4; its keys are removed afterwards."""
    import redis

    prefix = f"participatie-test-{uuid.uuid4().hex}:"
    yield prefix
    if _redis_answers():
        client = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
        for key in client.scan_iter(match=prefix + "*"):
            client.delete(key)


@pytest.fixture
def make_cached_app(app, app_config, redis_prefix):
    """``make_cached_app(backend)``: another app on the suite's database, with a real cache."""

    made_apps = []

    def make(backend="simple"):
        config = dict(app_config)
        if backend == "redis":
            _need_redis()
            config.update(
                CACHE_TYPE="RedisCache",
                CACHE_REDIS_URL=f"redis://127.0.0.1:6379/{REDIS_DB}",
                CACHE_KEY_PREFIX=redis_prefix,
            )
        else:
            config.update(CACHE_TYPE="SimpleCache")
        made = create_app(config)
        made.test_client_class = ClosingClient
        made_apps.append(made)
        return made

    yield make
    # Before the ``app`` fixture empties the database: its connections are closed.
    for made in made_apps:
        with made.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(params=["simple", "redis"])
def cached_app(request, make_cached_app):
    return make_cached_app(request.param)


@pytest.fixture
def process(app, create_process, create_idea, create_user):
    saved = create_process(status="published", slug=SLUG)
    author = create_user(email="auteur@example.org")
    ideas = [create_idea(saved, author=author, title=f"Idee {n}") for n in range(3)]
    return saved, ideas


def _figures(client) -> dict:
    response = client.get(API)
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))


def _page(client, path=SUMMARY) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    # The moment the page was made is the one thing that differs between two views.
    return re.sub(r"\d+ \w+ \d{4} \d\d:\d\d", "", without_tokens(response.get_data(as_text=True)))


def _statements(app, client, path) -> int:
    with count_statements(app) as counter:
        assert client.get(path).status_code == 200
    return counter.count


def _resident(app, create_user, email="bewoner@example.org"):
    create_user(email=email)
    client = app.test_client()
    login(client, email)
    return client


def _facilitator(app, create_user, grant):
    user = create_user(email="begeleider@example.org")
    grant(user, "facilitator", "GM0153")
    client = app.test_client()
    login(client, user.email)
    return client


@pytest.mark.parametrize("path", [SUMMARY, API, AREA, "/gebieden/GM0153/deelname", PROCESS])
def test_a_second_view_sends_fewer_statements_and_gives_the_same_page(
    app, cached_app, process, path
):
    client = cached_app.test_client()
    client.get("/huisregels")  # first-request work of the app is not counted
    with count_statements(cached_app) as counter:
        first_page = _page(client, path)
    first = counter.count
    second = _statements(cached_app, client, path)
    assert _page(client, path) == first_page
    assert second < first, (first, second)
    # And it is what the app without a cache computes.
    assert _page(app.test_client(), path) == first_page


def test_the_first_view_of_a_cached_app_computes_what_an_uncached_one_does(
    app, make_cached_app, process
):
    cached = make_cached_app("simple").test_client()
    uncached = app.test_client()
    uncached.get("/huisregels")
    counts = [_statements(app, uncached, SUMMARY) for _ in range(2)]
    assert counts[0] == counts[1]  # without a cache every view computes
    assert _page(cached) == _page(uncached)


def _support(client, idea_id, withdraw=False):
    path = f"/ideeen/{idea_id}/{'steun-intrekken' if withdraw else 'steun'}"
    token = csrf_token(client, f"/ideeen/{idea_id}")
    assert client.post(path, data={"csrf_token": token}).status_code == 302


def _comment(client, idea_id, text="Goed plan", stance="for"):
    token = csrf_token(client, f"/ideeen/{idea_id}")
    response = client.post(
        f"/ideeen/{idea_id}/reacties",
        data={"text": text, "stance": stance, "parent": "", "csrf_token": token},
    )
    assert response.status_code == 302


def _answer(client, idea_id):
    path = f"/ideeen/{idea_id}/antwoord"
    response = client.post(
        path,
        data={
            "status": "not-adopted",
            "explanation": "Past niet binnen het budget.",
            "reason_kind": "other",
            "reason_text": "Te duur.",
            "csrf_token": csrf_token(client, path),
        },
    )
    assert response.status_code == 302


def _submit(client, title="Een bankje"):
    path = f"/processen/{SLUG}/ideeen/nieuw"
    data = {"title": title, "text": "Bij de speeltuin.", "theme": "", "buurt": "", "photo_alt": ""}
    data["csrf_token"] = csrf_token(client, path)
    response = client.post(path, data=data, content_type="multipart/form-data")
    assert response.status_code == 302


def _merge(client, duplicate, kept):
    path = f"/ideeen/{duplicate}/samenvoegen"
    data = {"csrf_token": csrf_token(client, path), "kept": kept, "confirm": "y"}
    assert client.post(path, data=data).status_code == 302


def _import_offline(client):
    """Ideas gathered offline come in with a Core insert (one per batch)."""
    import io

    path = f"/processen/{SLUG}/ideeen/import"
    text = "title,description,theme,buurt,where,when\nEen zebrapad,,,,Bewonersavond,2026-03-12\n"
    upload = {"file": (io.BytesIO(text.encode()), "i.csv"), "csrf_token": csrf_token(client, path)}
    page = client.post(path, data=upload, content_type="multipart/form-data")
    payload = re.search(r'name="payload" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    confirm = {"payload": payload, "csrf_token": csrf_token(client, path)}
    assert client.post(f"{path}/bevestigen", data=confirm).status_code == 302


def _close_phase(client):
    path = f"/processen/{SLUG}/fase-afsluiten"
    data = {"explanation": "", "csrf_token": csrf_token(client, path)}
    assert client.post(path, data=data).status_code == 302


def test_each_event_shows_in_the_next_view(
    app, cached_app, process, create_user, grant, tmp_path, runner
):
    _saved, ideas = process
    viewer = cached_app.test_client()
    uncached = app.test_client()
    resident = _resident(cached_app, create_user)
    facilitator = _facilitator(cached_app, create_user, grant)

    def after(event, *changed):
        before = _figures(viewer)
        _figures(viewer)  # now certainly kept
        event()
        now = _figures(viewer)
        assert now == _figures(uncached), event
        for name, expected in changed:
            found = now
            for part in name.split("."):
                found = found[part]
            assert found == expected, (name, found, expected)
        assert _page(viewer) == _page(uncached)
        assert _page(viewer, AREA) == _page(uncached, AREA)
        # The process page keeps its idea and answer counts the same way.
        assert _page(viewer, PROCESS) == _page(uncached, PROCESS)
        return before, now

    after(lambda: _support(resident, ideas[0]), ("votes", 1))
    after(lambda: _support(resident, ideas[0], withdraw=True), ("votes", 0))
    after(lambda: _comment(resident, ideas[1]), ("comments", 1))
    after(lambda: _answer(facilitator, ideas[1]), ("by_status.not-adopted", 1))
    after(lambda: _submit(resident), ("ideas", 4))
    after(lambda: _merge(facilitator, ideas[2], ideas[0]), ("ideas", 3))
    after(lambda: _import_offline(facilitator), ("ideas", 4))

    def hide():
        with cached_app.app_context():
            db.session.get(Idea, ideas[1]).hidden_at = utcnow()
            db.session.commit()

    after(hide, ("ideas", 3), ("comments", 0))
    after(lambda: _close_phase(facilitator))

    population = tmp_path / "inwoners.csv"
    population.write_text(
        "code,key,value,unit,year,source\nWK015306,population,20000,persons,2099,CBS\n"
    )

    def import_population():
        result = cached_app.test_cli_runner().invoke(
            args=["areas", "import-indicators", str(population)]
        )
        assert result.exit_code == 0, result.output

    _before, now = after(import_population)
    assert now["representativeness"][0]["population"] == 20000


def test_a_support_shows_in_the_page_and_its_api(app, cached_app, process, create_user):
    _saved, ideas = process
    viewer = cached_app.test_client()
    resident = _resident(cached_app, create_user)
    _page(viewer)
    kept = _page(viewer)
    _support(resident, ideas[0])
    changed = _page(viewer)
    assert changed != kept
    assert changed == _page(app.test_client())
    assert _figures(viewer)["votes"] == 1


def test_a_failed_write_changes_nothing_kept(app, cached_app, process, create_user):
    """A rolled back transaction renews nothing, and the kept figures are still right."""
    _saved, ideas = process
    viewer = cached_app.test_client()
    _figures(viewer)
    with cached_app.app_context():
        db.session.get(Idea, ideas[0]).hidden_at = utcnow()
        db.session.flush()
        db.session.rollback()
    assert _statements(cached_app, viewer, API) < _statements(app, app.test_client(), API)
    assert _figures(viewer)["ideas"] == 3


def test_a_draft_decision_is_never_served_to_others_from_the_cache(
    app, cached_app, process, create_user, grant
):
    facilitator = _facilitator(cached_app, create_user, grant)
    path = f"/processen/{SLUG}/wat-we-deden/samenvatting"
    text = "Het college kiest voor bomen aan beide kanten."
    response = facilitator.post(
        path, data={"text": text, "csrf_token": csrf_token(facilitator, "/account")}
    )
    assert response.status_code == 302
    assert text in facilitator.get(SUMMARY).get_data(as_text=True)  # the figures are kept now
    visitor = cached_app.test_client()
    resident = _resident(cached_app, create_user)
    for client in (visitor, resident):
        statements = _statements(cached_app, client, SUMMARY)
        page = client.get(SUMMARY).get_data(as_text=True)
        assert text not in page
    # Served from the cache: fewer statements than computing.
    assert statements < _statements(app, app.test_client(), SUMMARY)
    # Published, everyone reads it at once.
    response = facilitator.post(
        path, data={"text": text, "publish": "y", "csrf_token": csrf_token(facilitator, "/account")}
    )
    assert text in visitor.get(SUMMARY).get_data(as_text=True)


def test_a_draft_process_stays_hidden_after_its_staff_viewed_its_summary(
    app, cached_app, create_process, create_user, grant
):
    create_process(status="draft", slug="concept")
    facilitator = _facilitator(cached_app, create_user, grant)
    assert facilitator.get("/processen/concept/samenvatting").status_code == 200
    visitor = cached_app.test_client()
    assert visitor.get("/processen/concept/samenvatting").status_code == 404
    assert visitor.get("/api/v1/processes/concept/summary").status_code == 404


def test_each_language_gets_its_words_around_the_kept_figures(app, cached_app, process):
    dutch, english = cached_app.test_client(), cached_app.test_client()
    english.get("/taal/en")
    assert 'lang="nl"' in dutch.get(SUMMARY).get_data(as_text=True)[:200]
    page = english.get(SUMMARY).get_data(as_text=True)
    assert '<html lang="en"' in page and "Who took part" in page
    fresh = app.test_client()
    fresh.get("/taal/en")
    assert _page(english) == _page(fresh)


def test_two_app_hosts_sharing_redis_see_each_others_changes(
    app, make_cached_app, process, create_user
):
    _saved, ideas = process
    first, second = make_cached_app("redis"), make_cached_app("redis")
    viewer = first.test_client()
    assert _figures(viewer)["votes"] == 0
    assert _statements(first, viewer, API) < _statements(app, app.test_client(), API)
    _support(_resident(second, create_user), ideas[0])
    assert _figures(viewer)["votes"] == 1
    _comment(_resident(second, create_user, "tweede@example.org"), ideas[0])
    assert _figures(viewer)["comments"] == 1
    assert _page(viewer, AREA) == _page(app.test_client(), AREA)


def test_figures_are_kept_no_longer_than_until_an_open_idea_falls_due(
    app, make_cached_app, process, redis_prefix
):
    import redis

    cached = make_cached_app("redis")
    due = utcnow() + timedelta(minutes=10)
    with app.app_context():
        for idea in db.session.scalars(sa.select(Idea)):
            idea.answer_due_at = due
        db.session.commit()
    _figures(cached.test_client())
    _figures(cached.test_client())
    store = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    [key] = list(store.scan_iter(match=redis_prefix + "summary-*"))
    assert 0 < store.ttl(key) <= 600
    # The versions themselves never expire.
    versions = list(store.scan_iter(match=redis_prefix + "version:*"))
    assert versions and all(store.ttl(key) == -1 for key in versions)
