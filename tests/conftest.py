"""Fixtures: a fresh app and empty database per test, a real SMTP server, factories.

The schema is made once per run (SQLite in a temporary folder, or the
PostgreSQL database named by ``TEST_DATABASE_URL``, dropped and recreated);
after every test all rows are deleted, so each test starts empty and tests may
commit, run several threads, or start a real server.
"""

import os
import threading
from dataclasses import dataclass
from dataclasses import field

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient
from participatie import create_app
from participatie.config import database_url
from participatie.extensions import db

TEST_PASSWORD = "een lange zin als wachtwoord"

# The ``api`` fixture (answers checked against the OpenAPI document).
pytest_plugins = ["tests.apitesting", "tests.oidc.fixtures"]


def _recreate_postgres_database(url: str) -> str:
    engine_url = sa.make_url(database_url(url))
    name = engine_url.database
    admin = sa.create_engine(engine_url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return engine_url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return _recreate_postgres_database(url)
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def schema(database_uri):
    engine = sa.create_engine(database_uri)
    # Importing the app package imports every model.
    import participatie.models  # noqa: F401

    with engine.begin() as connection:
        db.metadata.drop_all(connection)
        db.metadata.create_all(connection)
    engine.dispose()
    return database_uri


@dataclass
class Mailbox:
    """What a real SMTP server on loopback received."""

    messages: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes
        from email import policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address):
        with self.lock:
            return [m for m in self.messages if m["To"] == address]

    def clear(self):
        with self.lock:
            self.messages.clear()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, mailbox
    controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    controller, mailbox = smtp_server
    mailbox.clear()
    return mailbox


class ClosingClient(FlaskClient):
    """A test client that closes each response, as a real server does once it is sent.

    Mail goes out when the response is closed (``send_queued_from_request``).
    """

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


@pytest.fixture
def app_config(schema, smtp_server):
    """The configuration of the ``app`` fixture, for tests that make more apps on its database."""
    controller, _mailbox = smtp_server
    return {
        "TESTING": True,
        "SECRET_KEY": "test secret key, not for production",
        "SQLALCHEMY_DATABASE_URI": schema,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": controller.port,
        "MAIL_DEFAULT_SENDER": "Participatie <noreply@participatie.test>",
        "PUBLIC_URL": "http://localhost",
        # Cheap Argon2 parameters: the hashing itself is argon2-cffi's, tested there.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8,
        "ARGON2_PARALLELISM": 1,
        # Nothing is cached from one request to the next, so no figure outlives a
        # test; the cache's own tests make apps with a real cache (test_cache.py).
        "CACHE_TYPE": "NullCache",
        "CACHE_NO_NULL_WARNING": True,
    }


@pytest.fixture
def app(app_config, smtp_server):
    _controller, mailbox = smtp_server
    mailbox.clear()
    app = create_app(app_config)
    app.test_client_class = ClosingClient
    yield app
    with app.app_context():
        db.session.remove()
        _delete_all_rows()
        db.engine.dispose()


def _delete_all_rows():
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield


@pytest.fixture(scope="session")
def rules_app():
    """One app for the whole run, without a database: for rules that need none."""
    return create_app(
        {"TESTING": True, "SECRET_KEY": "rules", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )


@pytest.fixture
def rules(rules_app):
    """An app context for pure rule tests (framing, phases): the plugin registry and the
    translations, but no database, mail server or fresh app per test."""
    with rules_app.app_context():
        yield


@pytest.fixture
def create_user(app):
    """Factory: ``create_user(email=..., confirmed=True, password=TEST_PASSWORD)``."""
    from participatie.core.accounts.models import User
    from participatie.core.accounts.passwords import hash_password
    from participatie.extensions import utcnow

    counter = iter(range(1, 1_000_000))

    def create(email=None, display_name=None, password=TEST_PASSWORD, confirmed=True, **fields):
        number = next(counter)
        with app.app_context():
            user = User(
                email=email or f"user{number}@example.org",
                display_name=display_name or f"User {number}",
                password_hash=hash_password(password) if password else None,
                email_confirmed_at=utcnow() if confirmed else None,
                house_rules_accepted_at=utcnow(),
                **fields,
            )
            db.session.add(user)
            db.session.commit()
            user_id = user.id
            db.session.expunge(user)
        return _Detached(user_id, user.email)

    return create


@dataclass
class _Detached:
    id: int
    email: str


def csrf_token(client, path="/inloggen"):
    """The CSRF token of the client's session, read from a form page."""
    import re

    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, email, password=TEST_PASSWORD):
    token = csrf_token(client, "/inloggen")
    return client.post(
        "/inloggen", data={"email": email, "password": password, "csrf_token": token}
    )


@pytest.fixture
def log_in():
    return login


@pytest.fixture
def areas(app):
    """The real Enschede areas (the shipped CBS file), imported."""
    from participatie.core.areas.importer import import_file
    from participatie.core.areas.importer import SHIPPED_FILE

    with app.app_context():
        report = import_file(SHIPPED_FILE, app.config["MUNICIPALITY"])
        assert report.ok
        db.session.commit()


def complete_process(area, **overrides):
    """A transient process whose framing passes the check (consult, open now)."""
    from datetime import timedelta

    from participatie.core.processes.models import FixedLimit
    from participatie.core.processes.models import OpenQuestion
    from participatie.core.processes.models import Phase
    from participatie.core.processes.models import Process
    from participatie.core.processes.models import Reason
    from participatie.core.processes.models import Theme
    from participatie.extensions import utcnow

    now = utcnow()
    process = Process(
        area=area,
        slug=overrides.pop("slug", "straat"),
        title=overrides.pop("title", "Een groenere straat"),
        summary="Wat gaan we doen met de straat?",
        status=overrides.pop("status", "draft"),
        level="consult",
        horizontal_limits="We wegen alle reacties tegen de kaders.",
        decision_maker="Het college",
        integrality="execution",
        execution_owner="Team Openbare Ruimte",
        participation_ends="plan",
        answer_within_days=30,
        reasons=[Reason(kind="knowledge", text="U kent de straat het best.")],
        fixed_limits=[FixedLimit(title="Budget € 100.000", source="Begroting 2026", position=0)],
        open_questions=[
            OpenQuestion(text="Waar komen de bomen?", position=0),
            OpenQuestion(text="Waar komt de speelplek?", position=1),
        ],
        themes=[Theme(code="fysiek", name="Fysiek", position=0)],
        phases=[
            Phase(
                name="Ideeën",
                starts_at=now - timedelta(days=1),
                ends_at=now + timedelta(days=20),
                allows_submit=True,
                allows_comment=True,
                allows_vote=True,
                position=0,
            ),
            Phase(
                name="Besluit",
                starts_at=now + timedelta(days=20),
                ends_at=now + timedelta(days=40),
                position=1,
            ),
        ],
    )
    for name, value in overrides.items():
        setattr(process, name, value)
    return process


@pytest.fixture
def create_process(app, areas):
    """Factory: a saved, complete process in an area (default: wijk Enschede-Zuid)."""
    from participatie.core.areas.models import Area

    def create(area_code="WK015306", **overrides):
        with app.app_context():
            area = db.session.scalar(sa.select(Area).where(Area.code == area_code))
            process = complete_process(area, **overrides)
            if process.status == "published" and process.published_at is None:
                from participatie.extensions import utcnow

                process.published_at = utcnow()
            db.session.add(process)
            db.session.commit()
            return _Saved(process.id, process.slug)

    return create


@dataclass
class _Saved:
    id: int
    slug: str


@pytest.fixture
def grant(app):
    """``grant(user, role, area_code=None, process_id=None)``: give an account a role."""
    from participatie.core.areas.models import Area
    from participatie.core.roles.models import RoleAssignment

    def give(user, role, area_code=None, process_id=None):
        with app.app_context():
            area = (
                db.session.scalar(sa.select(Area).where(Area.code == area_code))
                if area_code
                else None
            )
            db.session.add(
                RoleAssignment(user_id=user.id, role=role, area=area, process_id=process_id)
            )
            db.session.commit()

    return give


@pytest.fixture
def create_idea(app):
    """Factory: ``create_idea(process, author=None, title=..., **fields)`` -> idea id."""
    from participatie.builtin.ideas.models import Idea

    def create(process, author=None, title="Een idee", **fields):
        with app.app_context():
            idea = Idea(
                process_id=process.id,
                author_id=author.id if author else None,
                title=title,
                text=fields.pop("text", "Tekst."),
                **fields,
            )
            db.session.add(idea)
            db.session.commit()
            return idea.id

    return create


def without_tokens(page: str) -> str:
    """A page without its CSRF tokens, which carry a timestamp, to compare two pages."""
    import re

    page = re.sub(r'"X-CSRFToken": "[^"]+"', "", page)
    return re.sub(r'name="csrf_token"( type="hidden")? value="[^"]+"', "", page)
