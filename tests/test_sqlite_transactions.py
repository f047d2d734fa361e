"""SQLite: a GET's transaction takes no write lock; a POST's does; no password is hashed under it.

Checked from the outside: a second connection to the same database file tries
to take the write lock (BEGIN IMMEDIATE without waiting) at the moment that
matters. On PostgreSQL there is no database-wide write lock: skipped there.
"""

import sqlite3

import pytest
import sqlalchemy as sa
from participatie.core.accounts import passwords
from participatie.core.accounts.models import User
from participatie.extensions import db

from tests.conftest import csrf_token
from tests.conftest import login
from tests.conftest import TEST_PASSWORD
from tests.core.accounts.test_reset import reset_path

NEW = "een ander lang wachtwoord"


@pytest.fixture
def sqlite_file(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the write lock is SQLite's")
        return db.engine.url.database


def write_lock_free(path) -> bool:
    """Whether another connection can take the write lock right now."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return False
    finally:
        other.close()


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_read_request_reads_without_the_write_lock(app, sqlite_file, method):
    with app.test_request_context("/", method=method):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) is not None
        assert write_lock_free(sqlite_file)
        db.session.rollback()


def test_a_post_holds_the_write_lock_from_its_first_statement(app, sqlite_file):
    with app.test_request_context("/", method="POST"):
        db.session.scalar(sa.select(sa.func.count()).select_from(User))
        assert not write_lock_free(sqlite_file)
        db.session.rollback()
        assert write_lock_free(sqlite_file)


def test_a_get_that_writes_takes_the_lock_at_its_write_and_keeps_it(app, sqlite_file):
    with app.test_request_context("/", method="GET"):
        db.session.scalar(sa.select(sa.func.count()).select_from(User))
        db.session.add(User(email="schrijft@example.org", display_name="Schrijft"))
        db.session.flush()
        assert not write_lock_free(sqlite_file)
        db.session.commit()
        assert write_lock_free(sqlite_file)
    with app.app_context():
        assert db.session.scalar(sa.select(User.id).where(User.email == "schrijft@example.org"))


def test_the_language_switch_of_a_logged_in_user_is_stored_by_its_get(
    app, client, sqlite_file, create_user
):
    user = create_user()
    login(client, user.email)
    assert client.get("/taal/en?next=/").status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).locale == "en"


def test_no_password_is_hashed_or_checked_while_the_write_lock_is_held(
    app, client, sqlite_file, create_user, monkeypatch, mailbox
):
    checks = []
    real_hash, real_verify = passwords.hash_password, passwords.verify_password

    def hash_password(password):
        checks.append(("hash", write_lock_free(sqlite_file)))
        return real_hash(password)

    def verify_password(stored, password):
        checks.append(("verify", write_lock_free(sqlite_file)))
        return real_verify(stored, password)

    for module in (
        "participatie.core.accounts.passwords",
        "participatie.core.accounts.service",
        "participatie.core.accounts.views",
        "participatie.core.accounts.privacy",
    ):
        for name, function in (
            ("hash_password", hash_password),
            ("verify_password", verify_password),
        ):
            monkeypatch.setattr(f"{module}.{name}", function, raising=False)
    user = create_user()
    checks.clear()
    # Log in: right, then wrong.
    assert login(client, user.email).status_code == 302
    assert login(app.test_client(), user.email, "niet het goede wachtwoord").status_code == 400
    # Register.
    fresh = app.test_client()
    token = csrf_token(fresh, "/registreren")
    fresh.post(
        "/registreren",
        data={
            "email": "nieuw@example.org",
            "display_name": "Nieuw",
            "password": NEW,
            "password_repeat": NEW,
            "house_rules": "y",
            "csrf_token": token,
        },
    )
    # Change the password.
    response = client.post(
        "/account/wachtwoord",
        data={
            "current_password": TEST_PASSWORD,
            "password": NEW,
            "password_repeat": NEW,
            "csrf_token": csrf_token(client, "/account"),
        },
    )
    assert response.status_code == 302
    # Confirm who you are with the password (a wrong one: the account stays).
    wrong = {
        "csrf_token": csrf_token(client, "/account/verwijderen"),
        "password": "niet het goede wachtwoord",
        "understood": "y",
    }
    assert client.post("/account/verwijderen", data=wrong).status_code == 400
    # Reset a forgotten password through the mailed link.
    other = create_user()
    reset = app.test_client()
    reset.post(
        "/wachtwoord-vergeten",
        data={"email": other.email, "csrf_token": csrf_token(reset, "/wachtwoord-vergeten")},
    )
    path = reset_path(mailbox.to(other.email)[0])
    response = reset.post(
        path, data={"password": NEW, "password_repeat": NEW, "csrf_token": csrf_token(reset, path)}
    )
    assert response.status_code == 302
    assert login(app.test_client(), other.email, NEW).status_code == 302
    kinds = {kind for kind, _free in checks}
    assert {"hash", "verify"} <= kinds, checks
    held = [kind for kind, free in checks if not free]
    assert not held, f"hashed or checked under the write lock: {checks}"
