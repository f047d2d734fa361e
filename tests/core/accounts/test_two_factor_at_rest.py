"""The TOTP secrets encrypted at rest (ASVS 2.8.2): what is stored, the keys, their
rotation, and a wrong key at the log-in's second step.

Secrets are enrolled through the set-up page as a person does (``set_up``);
the database is read with plain SQL, as someone holding a copy of it would.
"""

import base64
import logging

import pyotp
import sqlalchemy as sa
from cryptography.fernet import Fernet
from participatie.core.accounts import totp_cipher
from participatie.core.accounts.models import LoginThrottle
from participatie.core.accounts.models import User
from participatie.core.audit.models import AuditEvent
from participatie.extensions import db

from tests.conftest import login
from tests.core.accounts.test_two_factor import CODE_STEP
from tests.core.accounts.test_two_factor import log_out
from tests.core.accounts.test_two_factor import next_code
from tests.core.accounts.test_two_factor import send_code
from tests.core.accounts.test_two_factor import set_up


def stored_value(app, user_id: int) -> str | None:
    """The column as it is in the database, read without the models."""
    with app.app_context():
        return db.session.execute(
            sa.text('SELECT totp_secret_encrypted FROM "user" WHERE id = :id'), {"id": user_id}
        ).scalar_one()


def enrol(app, user):
    client = app.test_client()
    login(client, user.email)
    secret, codes = set_up(client)
    log_out(client)
    return client, secret, codes


def test_the_stored_secret_is_not_the_base32_secret_and_decrypts_to_it(app, create_user):
    user = create_user(email="anna@example.org")
    _client, secret, _codes = enrol(app, user)
    stored = stored_value(app, user.id)
    assert stored and secret not in stored and secret.lower() not in stored.lower()
    # Not an encoding of it either: its bytes are nowhere in the stored value, decoded.
    raw = base64.urlsafe_b64decode(stored)
    assert base64.b32decode(secret) not in raw and secret.encode() not in raw
    # A Fernet token of the development key, which is derived from SECRET_KEY.
    key = totp_cipher.derived_key(app.config["SECRET_KEY"])
    assert Fernet(key).decrypt(stored.encode()).decode() == secret
    # Two accounts with the same secret would not have the same stored value (a fresh IV).
    with app.app_context():
        assert totp_cipher.encrypt(secret) != totp_cipher.encrypt(secret)


def test_the_development_key_is_derived_from_the_secret_key_with_hkdf(app):
    with app.app_context():
        assert app.config["TOTP_ENCRYPTION_KEYS"] == []
        [key] = totp_cipher.configured_keys()
    assert key == totp_cipher.derived_key("test secret key, not for production")
    assert key != totp_cipher.derived_key("another secret key")
    # 32 bytes of key, not the secret key itself.
    assert len(base64.urlsafe_b64decode(key)) == 32
    assert b"test secret key" not in base64.urlsafe_b64decode(key)


def test_a_code_still_works_after_a_key_rotation_with_the_old_key_kept_second(
    app, runner, create_user
):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    app.config["TOTP_ENCRYPTION_KEYS"] = [old]
    user = create_user(email="anna@example.org")
    client, secret, _codes = enrol(app, user)
    assert Fernet(old).decrypt(stored_value(app, user.id).encode()).decode() == secret

    app.config["TOTP_ENCRYPTION_KEYS"] = [new, old]
    login(client, user.email)
    assert send_code(client, next_code(secret)).headers["Location"] == "/"
    log_out(client)

    # The command encrypts every secret again with the first key; then the old one can go.
    result = runner.invoke(args=["accounts", "rotate-two-step-key"])
    assert result.exit_code == 0, result.output
    assert "1 TOTP secrets are now encrypted with the first key." in result.output
    assert Fernet(new).decrypt(stored_value(app, user.id).encode()).decode() == secret
    app.config["TOTP_ENCRYPTION_KEYS"] = [new]
    with app.app_context():
        # As if a minute had passed: the codes of this half minute were used up above.
        db.session.execute(sa.update(User).values(totp_last_counter=None))
        db.session.commit()
    login(client, user.email)
    assert send_code(client, pyotp.TOTP(secret).now()).headers["Location"] == "/"


def test_a_wrong_key_says_the_code_cannot_be_checked_and_tells_the_administrators(
    app, create_user, caplog
):
    right, wrong = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    app.config["TOTP_ENCRYPTION_KEYS"] = [right]
    user = create_user(email="anna@example.org")
    client, secret, codes = enrol(app, user)
    stored = stored_value(app, user.id)

    app.config["TOTP_ENCRYPTION_KEYS"] = [wrong]
    login(client, user.email)
    with caplog.at_level(logging.ERROR):
        response = send_code(client, pyotp.TOTP(secret).now())
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Je code kan nu niet worden gecontroleerd" in page
    assert "We hebben de beheerders ingelicht." in page
    # Logged for the operators, naming the account and the setting, never the stored value.
    [record] = [r for r in caplog.records if "TOTP_ENCRYPTION_KEYS" in r.getMessage()]
    assert record.levelno == logging.ERROR and f"#{user.id}" in record.getMessage()
    assert stored not in caplog.text and secret not in caplog.text
    with app.app_context():
        # Audited for the administrators; not counted as a wrong code of the person.
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "account.two_factor_unreadable")
        ).all()
        assert [event.object_id for event in events] == [str(user.id)]
        assert db.session.scalars(sa.select(LoginThrottle)).all() == []
    assert stored_value(app, user.id) == stored  # nothing was overwritten

    # The key put back, the same waiting log-in goes on with the next code.
    app.config["TOTP_ENCRYPTION_KEYS"] = [wrong, right]
    assert send_code(client, next_code(secret)).headers["Location"] == "/"
    assert client.get("/account").status_code == 200


def test_a_recovery_code_works_whatever_the_key(app, create_user):
    user = create_user(email="anna@example.org")
    client, _secret, codes = enrol(app, user)
    app.config["TOTP_ENCRYPTION_KEYS"] = [Fernet.generate_key().decode()]
    login(client, user.email)
    assert send_code(client, codes[0]).headers["Location"] == "/"


def test_the_rotation_command_names_the_secrets_no_key_opens(app, runner, create_user):
    first = create_user(email="anna@example.org")
    enrol(app, first)
    app.config["TOTP_ENCRYPTION_KEYS"] = [Fernet.generate_key().decode()]
    second = create_user(email="bert@example.org")
    enrol(app, second)
    before = stored_value(app, first.id)
    result = runner.invoke(args=["accounts", "rotate-two-step-key"])
    assert result.exit_code != 0
    assert "1 TOTP secrets are now encrypted with the first key." in result.output
    assert f"#{first.id}" in result.output and f"#{second.id}" not in result.output
    assert stored_value(app, first.id) == before


def test_the_code_step_page_after_a_wrong_key_speaks_one_language(app, create_user):
    from tests.test_page_language import foreign_words

    user = create_user(email="anna@example.org")
    client, secret, _codes = enrol(app, user)
    app.config["TOTP_ENCRYPTION_KEYS"] = [Fernet.generate_key().decode()]
    for language in ("nl", "en"):
        client.get(f"/taal/{language}?next=/")
        login(client, user.email)
        assert client.get(CODE_STEP).status_code == 200
        page = send_code(client, pyotp.TOTP(secret).now()).get_data(as_text=True)
        assert foreign_words(page, language) == []
    assert "Your code cannot be checked right now" in page
    with app.app_context():
        assert db.session.get(User, user.id).has_two_factor
