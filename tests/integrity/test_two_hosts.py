"""Two app hosts, one database: what a session, a log-out, the limits and a vote do there.

Two gunicorn servers (two sync workers each, each on its own loopback port and
with its own instance folder, as two machines would be) share one database, one
``SECRET_KEY`` and one Redis, where the rate limits are counted (on here, with
a key prefix of this run's own, removed afterwards). The test plays the load
balancer in front of them: it sends each request to the host it chooses and
says who the client is in ``X-Forwarded-For``, which the hosts trust from one
proxy (``TRUSTED_PROXY_COUNT=1``).

The production way to scale out is PostgreSQL (README, "More app hosts"). On
SQLite both hosts open one database file, which works on one machine and is
run too, so that the test holds on both databases.
"""

import os
import socket
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import sqlalchemy as sa
from participatie.builtin.ideas.models import Idea
from participatie.builtin.votes import service as votes
from participatie.builtin.votes.models import Vote
from participatie.core.accounts.models import User
from participatie.extensions import db

from tests.integrity.conftest import Browser
from tests.integrity.conftest import in_pool
from tests.integrity.conftest import start_gunicorn

pytestmark = pytest.mark.integrity

REDIS = "redis://127.0.0.1:6379/0"
LOCKED = "Te veel mislukte pogingen"
NO_MATCH = "Dit e-mailadres en wachtwoord horen niet bij elkaar"


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def _limit_keys(prefix) -> list:
    """The rate limit keys the hosts counted in Redis under ``prefix``."""
    client = redis.Redis.from_url(REDIS)
    try:
        return list(client.scan_iter(match=f"*{prefix}*"))
    finally:
        client.close()


def _delete_limit_keys(prefix) -> None:
    client = redis.Redis.from_url(REDIS)
    try:
        keys = list(client.scan_iter(match=f"*{prefix}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture(scope="module")
def key_prefix():
    """A Redis key prefix of this run's own, so that parallel runs count apart."""
    if not _redis_answers():
        if os.environ.get("CI"):
            pytest.fail("Redis does not answer on 127.0.0.1:6379; CI needs it")
        pytest.skip("!!! Redis does not answer on 127.0.0.1:6379: two app hosts not tested")
    return f"participatie-two-hosts-{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def hosts(schema, key_prefix, tmp_path_factory):
    """Host A and host B, started side by side."""
    environment = {
        "RATELIMIT_ENABLED": "true",
        "RATELIMIT_STORAGE_URI": REDIS,
        "RATELIMIT_KEY_PREFIX": key_prefix,
        "TRUSTED_PROXY_COUNT": "1",
    }
    with ThreadPoolExecutor(2) as pool:
        started = list(
            pool.map(
                lambda name: start_gunicorn(
                    schema, tmp_path_factory.mktemp(name), workers=2, environment=environment
                ),
                ["host-a", "host-b"],
            )
        )
    yield started
    for server in started:
        server.stop()


@pytest.fixture(autouse=True)
def fresh_limits(hosts, key_prefix):
    """Each test starts with no request counted, as it starts with no rows."""
    yield
    _delete_limit_keys(key_prefix)


def client(number):
    """The header the load balancer adds for client ``number`` (a documentation address)."""
    return {"X-Forwarded-For": f"198.51.100.{number % 250 + 1}"}


def _logged_in(browser, name) -> bool:
    status, page = browser.request("/account")
    if status == 200:
        assert name in page
        return True
    assert status == 302, status
    return False


@pytest.mark.parametrize("order", ["out on A", "out on B"])
def test_a_session_from_one_host_holds_on_the_other_and_a_log_out_ends_it_on_both(
    app, hosts, accounts, create_process, create_idea, order
):
    a, b = (hosts[0], hosts[1]) if order == "out on A" else (hosts[1], hosts[0])
    idea_id = create_idea(create_process(status="published"), title="Een bankje bij de vijver")
    (email,) = accounts(1)
    on_b = Browser(b.base, client(1)).log_in(email)
    on_a = on_b.at(a.base)
    assert _logged_in(on_b, "Bewoner 0") and _logged_in(on_a, "Bewoner 0")
    # A form whose page came from B is taken by A: one CSRF token, one session.
    assert on_a.post(f"/ideeen/{idea_id}/steun") == 302
    with app.app_context():
        assert db.session.get(Idea, idea_id).supports == 1
    copied = on_b.copy()

    assert on_a.post("/uitloggen") == 302
    assert not _logged_in(on_a, "Bewoner 0")
    # The cookie from before the log-out, sent again to the other host and to this one.
    assert not _logged_in(copied, "Bewoner 0")
    assert not _logged_in(copied.at(a.base), "Bewoner 0")
    assert copied.post(f"/ideeen/{idea_id}/steun-intrekken") == 302
    with app.app_context():
        assert db.session.get(Idea, idea_id).supports == 1


def test_the_log_in_lock_out_counts_failures_on_both_hosts(app, hosts, accounts):
    (email,) = accounts(1)
    attacker = Browser(hosts[0].base, client(10))
    pages = []
    for attempt in range(5):
        status, page = attacker.at(hosts[attempt % 2].base).try_log_in(
            email, "niet mijn wachtwoord"
        )
        assert status == 400
        pages.append(page)
    # Four failures, over both hosts, only count; the fifth locks.
    assert [NO_MATCH in page for page in pages] == [True] * 4 + [False]
    assert LOCKED in pages[4]
    for host in hosts:
        status, page = attacker.at(host.base).try_log_in(email)
        assert status == 400 and LOCKED in page
    # The lock is for that client: the owner elsewhere logs in, through either host.
    owner = Browser(hosts[1].base, client(11))
    assert owner.try_log_in(email)[0] == 302
    assert _logged_in(owner.at(hosts[0].base), "Bewoner 0")


def test_the_rate_limits_count_requests_on_both_hosts_together(app, hosts, accounts, key_prefix):
    (email,) = accounts(1)
    # Log-ins for one typed address: 20 a minute, whichever host and client they reach.
    statuses = [
        Browser(hosts[n % 2].base, client(100 + n)).try_log_in(email, "fout wachtwoord")[0]
        for n in range(22)
    ]
    assert statuses == [400] * 20 + [429, 429]
    owner = Browser(hosts[0].base, client(99))
    assert owner.try_log_in(email)[0] == 429
    assert _limit_keys(key_prefix), "no limit was counted in Redis"
    with app.app_context():
        assert db.session.scalar(sa.select(User.last_login_at).where(User.email == email)) is None


def test_supports_sent_in_parallel_to_both_hosts_count_once_per_account(
    app, hosts, accounts, create_process, create_idea
):
    idea_id = create_idea(create_process(status="published"), title="Meer bomen in de straat")
    emails = accounts(80)
    browsers = in_pool(
        [
            (lambda n=n, e=e: Browser(hosts[n % 2].base, client(n)).log_in(e))
            for n, e in enumerate(emails)
        ]
    )
    # Each account sends its support four times at once, twice to each host.
    statuses = in_pool(
        [
            (lambda b=browser, h=host: b.at(h.base).post(f"/ideeen/{idea_id}/steun"))
            for _ in range(2)
            for host in hosts
            for browser in browsers
        ]
    )
    assert None not in statuses and [s for s in statuses if s >= 500] == []
    assert all(200 <= status < 400 for status in statuses)
    with app.app_context():
        per_person = db.session.execute(
            sa.select(Vote.user_id, sa.func.count()).group_by(Vote.user_id)
        ).all()
        assert len(per_person) == 80 and {count for _, count in per_person} == {1}
        assert db.session.get(Idea, idea_id).supports == 80
        assert votes.reconcile() == 0
    for host in hosts:
        status, page = browsers[0].at(host.base).request(f"/ideeen/{idea_id}")
        assert status == 200 and "80 mensen steunen dit" in page
