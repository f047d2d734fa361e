"""The app under gunicorn with four sync workers, against the suite's database.

The integrity tests talk to it over loopback HTTP with one cookie jar per
account, as browsers would, and then read the database directly.
"""

import http.client
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import pytest
import sqlalchemy as sa
from participatie.extensions import db

from tests.conftest import free_port
from tests.conftest import TEST_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"|name="csrf_token" type="hidden" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Answer a redirect as it is: a 303 after a POST is the acknowledgement."""

    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One account's HTTP client (its own cookie jar) for the gunicorn server."""

    def __init__(self, base, headers=None, jar=None):
        self.base = base
        # Sent with every request: ``X-Forwarded-For`` where the test plays the load balancer.
        self.headers = dict(headers or {})
        self.jar = http.cookiejar.CookieJar() if jar is None else jar
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        self.token = None

    def at(self, base):
        """The same browser (cookie jar, headers, CSRF token) talking to the server at ``base``.

        Cookies are kept per host name, not per port: both loopback servers get
        them, as two app hosts behind one load balancer would.
        """
        other = Browser(base, self.headers, self.jar)
        other.token = self.token
        return other

    def copy(self):
        """A second browser holding this one's cookies as they are now (a copied cookie)."""
        other = Browser(self.base, self.headers)
        for cookie in self.jar:
            other.jar.set_cookie(cookie)
        other.token = self.token
        return other

    def request(self, path, data=None):
        """The status and body of one request; status None when no answer came."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=self.headers)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")
        except (OSError, http.client.HTTPException):
            # Reset, refused or cut off: the server never acknowledged it.
            return None, ""

    def read_token(self, path):
        status, page = self.request(path)
        match = TOKEN.search(page)
        assert status == 200 and match, f"no CSRF token on {path} ({status})"
        self.token = match.group(1) or match.group(2)
        return self.token

    def try_log_in(self, email, password=TEST_PASSWORD):
        """Send the log-in form; the status of the POST (303 when it let us in)."""
        self.read_token("/inloggen")
        data = {"email": email, "password": password, "csrf_token": self.token}
        return self.request("/inloggen", data)

    def log_in(self, email):
        status, _ = self.try_log_in(email)
        assert status in (302, 303), f"log-in of {email} answered {status}"
        # The session (and with it the CSRF token) is new after logging in.
        self.read_token("/huisregels")
        return self

    def post(self, path, data=None):
        return self.request(path, {**(data or {}), "csrf_token": self.token})[0]


@dataclass
class Gunicorn:
    """A running gunicorn master with its workers."""

    process: subprocess.Popen
    base: str
    log: Path
    killed: list = field(default_factory=list)

    def workers(self) -> list[int]:
        """The pids of the master's children, read from /proc."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def kill(self, pid):
        """SIGKILL one of our own processes, by pid."""
        STARTED[pid] = _started(pid)
        os.kill(pid, signal.SIGKILL)
        self.killed.append(pid)

    def kill_master(self):
        """SIGKILL the master; its workers notice and stop, and are waited for in ``stop``."""
        for pid in self.workers():
            STARTED[pid] = _started(pid)
            self.killed.append(pid)
        self.kill(self.process.pid)
        self.process.wait()

    def orphans_stop_by_themselves(self, timeout) -> bool:
        """Whether the workers of a killed master all exit within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while any(_alive(pid) for pid in self.killed if pid != self.process.pid):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True

    def wait_for_workers(self, count=WORKERS, timeout=60):
        deadline = time.monotonic() + timeout
        while len(self.workers()) < count:
            assert time.monotonic() < deadline, self.log.read_text()
            time.sleep(0.1)

    def stop(self):
        orphans = self.workers() if self.process.poll() is None else []
        for pid in orphans:
            STARTED[pid] = _started(pid)
        if self.process.poll() is None:
            # Quick shutdown: the test is over, nothing is in flight.
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pid in orphans + self.killed:
            if pid != self.process.pid:
                _wait_gone(pid)


def _started(pid):
    """The start time of process ``pid`` (with the pid, it names one process for good)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(errors="replace")
    except OSError:
        return None
    state, *fields = stat.rsplit(")", 1)[1].split()
    return None if state == "Z" else fields[18]


STARTED = {}


def _alive(pid) -> bool:
    """Whether our process ``pid`` still runs (not a zombie, not a later process on its pid)."""
    started = _started(pid)
    return started is not None and STARTED.setdefault(pid, started) == started


def _wait_gone(pid, timeout=30):
    """Wait until ``pid`` (a worker we started) has exited; SIGKILL it if it lingers."""
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            deadline += timeout
        time.sleep(0.1)


def start_gunicorn(database_uri, tmp_path, workers=WORKERS, environment=None) -> Gunicorn:
    """Start gunicorn with ``workers`` sync workers; ``environment`` adds or overrides
    variables (the rate limits on and counted in Redis, say)."""
    port = free_port()
    instance = tmp_path / "instance"
    mail = tmp_path / "mail"
    tmp_path.mkdir(parents=True, exist_ok=True)
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_uri,
        "SECRET_KEY": "integrity test secret key, not for production",
        "PARTICIPATIE_ENV": "development",
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        # The same cheap Argon2 parameters the accounts' one shared hash was made with.
        "ARGON2_TIME_COST": "1",
        "ARGON2_MEMORY_COST": "8",
        "ARGON2_PARALLELISM": "1",
        # All test accounts log in from one loopback address: the log-in and posting
        # rate limits (rightly) refuse 200 log-ins from one client, so they are off here.
        "RATELIMIT_ENABLED": "false",
        "MAIL_BACKEND": "file",
        "MAIL_FOLDER": str(mail),
        "INSTANCE_PATH": str(instance),
        **(environment or {}),
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
                "--graceful-timeout",
                "10",
                "participatie:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Gunicorn(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, "gunicorn stopped:\n" + log.read_text()
        try:
            with urllib.request.urlopen(server.base + "/huisregels", timeout=5) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        assert time.monotonic() < deadline, "gunicorn did not answer:\n" + log.read_text()
        time.sleep(0.2)
    server.wait_for_workers(workers)
    return server


@pytest.fixture(scope="module")
def server(schema, tmp_path_factory):
    """One gunicorn for a module's tests: each test's rows are deleted after it, the
    workers keep no data between requests."""
    running = start_gunicorn(schema, tmp_path_factory.mktemp("gunicorn"))
    yield running
    running.stop()


@pytest.fixture
def gunicorn(app, schema, tmp_path):
    """Factory: start gunicorn (stopped after the test, before its rows are deleted)."""
    started = []

    def start():
        server = start_gunicorn(schema, tmp_path / f"run{len(started)}")
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def accounts(app):
    """Factory: ``accounts(n)`` -> e-mail addresses of n confirmed accounts, one shared hash."""
    from participatie.core.accounts.models import User
    from participatie.core.accounts.passwords import hash_password
    from participatie.extensions import utcnow

    made = []

    def create(count):
        with app.app_context():
            password_hash = hash_password(TEST_PASSWORD)
            now = utcnow()
            emails = [f"bewoner{len(made) + n}@example.org" for n in range(count)]
            db.session.execute(
                sa.insert(User.__table__),  # columns, not the display_name property
                [
                    {
                        "email": email,
                        "display_name": f"Bewoner {len(made) + n}",
                        "password_hash": password_hash,
                        "email_confirmed_at": now,
                        "house_rules_accepted_at": now,
                    }
                    for n, email in enumerate(emails)
                ],
            )
            db.session.commit()
        made.extend(emails)
        return emails

    return create


def log_in_all(base, emails, pool_size=32) -> dict[str, Browser]:
    with ThreadPoolExecutor(pool_size) as pool:
        browsers = list(pool.map(lambda email: Browser(base).log_in(email), emails))
    return dict(zip(emails, browsers, strict=True))


def in_pool(calls, pool_size=32):
    """Run the calls in a thread pool of ``pool_size``; their results in order."""
    with ThreadPoolExecutor(pool_size) as pool:
        futures = [pool.submit(call) for call in calls]
        return [future.result() for future in futures]
