"""Two-step verification (TOTP, RFC 6238): set-up, the log-in's code step, recovery codes,
replays, limits, turning it off, and the set-up staff cannot skip.

Codes are computed with pyotp from the secret the set-up page shows, as an
authenticator app does; the mails arrive at the real SMTP server of the tests.
"""

import re
import time

import pyotp
import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from participatie.core.accounts import twofactor
from participatie.core.accounts.models import LoginThrottle
from participatie.core.accounts.models import RecoveryCode
from participatie.core.accounts.models import User
from participatie.core.accounts.sessions import PENDING_KEY
from participatie.core.accounts.sessions import start_session
from participatie.extensions import db

from tests.conftest import csrf_token
from tests.conftest import login
from tests.conftest import TEST_PASSWORD

SETUP = "/account/tweestapsverificatie"
CODE_STEP = "/inloggen/code"


def shown_secret(page: str) -> str:
    match = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', page)
    assert match, "the set-up page shows no secret"
    return match.group(1).replace(" ", "")


def shown_codes(page: str) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", page)


def set_up(client) -> tuple[str, list[str]]:
    """Turn two-step verification on as a person does; return the secret and recovery codes."""
    page = client.get(SETUP).get_data(as_text=True)
    secret = shown_secret(page)
    response = client.post(
        SETUP,
        data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token(client, SETUP)},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    codes = shown_codes(response.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def next_code(secret: str) -> str:
    """The code of the next time step: accepted (one step of clock difference), not yet used."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def send_code(client, code):
    # The log-in page's token: the code step itself may have ended already.
    return client.post(
        CODE_STEP, data={"code": code, "csrf_token": csrf_token(client, "/inloggen")}
    )


def log_out(client):
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/account")})


@pytest.fixture
def enrolled(app, create_user):
    """An account with two-step verification on; its client is logged out again."""
    user = create_user(email="anna@example.org")
    client = app.test_client()
    login(client, user.email)
    secret, codes = set_up(client)
    log_out(client)
    return user, client, secret, codes


def test_setup_with_a_code_from_the_shown_secret_turns_it_on(app, client, mailbox, create_user):
    user = create_user(email="anna@example.org")
    login(client, user.email)
    page = client.get(SETUP).get_data(as_text=True)
    assert '<svg role="img"' in page and "QR-code om te scannen" in page
    assert client.get(SETUP).headers["Cache-Control"] == "no-store"
    secret = shown_secret(page)
    # Until a right code is typed nothing is stored: the page shows the same secret again.
    with app.app_context():
        assert db.session.get(User, user.id).totp_secret_encrypted is None
    assert shown_secret(client.get(SETUP).get_data(as_text=True)) == secret
    response = client.post(
        SETUP,
        data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token(client, SETUP)},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tweestapsverificatie staat aan." in page
    codes = shown_codes(page)
    assert len(set(codes)) == 10
    with app.app_context():
        stored = db.session.get(User, user.id)
        # Stored encrypted (tests/core/accounts/test_two_factor_at_rest.py), never as typed.
        assert secret not in stored.totp_secret_encrypted
        assert twofactor.totp_cipher.decrypt(stored.totp_secret_encrypted) == secret
        assert stored.two_factor_enabled_at is not None
        rows = db.session.scalars(sa.select(RecoveryCode)).all()
        assert len(rows) == 10
        # Only salted hashes: no code and no unsalted hash of one is stored.
        for code in codes:
            plain = code.replace("-", "")
            assert all(plain not in (row.code_hash + row.salt) for row in rows)
    # The page's forms (log-out) carry a token of the new session.
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/uitloggen", data={"csrf_token": token}).status_code == 302
    [notice] = mailbox.to("anna@example.org")
    assert notice["Subject"] == "Tweestapsverificatie staat aan voor je account"
    assert "http://localhost/wachtwoord-vergeten" in notice.get_content()


def test_the_codes_are_shown_once_the_account_page_tells_how_many(app, enrolled):
    user, client, secret, codes = enrolled
    login(client, user.email)
    send_code(client, next_code(secret))
    account = client.get("/account").get_data(as_text=True)
    assert "Je hebt 10 ongebruikte herstelcodes." in account
    assert all(code not in account for code in codes)


def test_a_wrong_setup_code_is_refused_in_dutch_and_nothing_is_stored(app, client, create_user):
    user = create_user()
    login(client, user.email)
    secret = shown_secret(client.get(SETUP).get_data(as_text=True))
    right = pyotp.TOTP(secret).now()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, data={"code": wrong, "csrf_token": csrf_token(client, SETUP)})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Deze code klopt niet." in page
    assert f'value="{wrong}"' in page  # what was typed stays
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored.totp_secret_encrypted is None and stored.two_factor_enabled_at is None


def test_the_setup_ends_every_other_session(app, create_user):
    user = create_user()
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user.email)
    login(phone, user.email)
    set_up(laptop)
    assert laptop.get("/account").status_code == 200
    assert phone.get("/account").headers["Location"].startswith("/inloggen")


def test_login_needs_the_second_step(app, enrolled):
    user, client, secret, _codes = enrolled
    response = login(client, user.email)
    assert response.status_code == 302
    assert response.headers["Location"] == CODE_STEP
    # The password alone logs nobody in.
    assert client.get("/account").headers["Location"].startswith("/inloggen")
    page = client.get(CODE_STEP).get_data(as_text=True)
    assert "Je logt in met twee stappen." in page
    assert 'autocomplete="one-time-code"' in page
    window = {pyotp.TOTP(secret).at(time.time() + offset) for offset in (-60, -30, 0, 30, 60)}
    wrong = send_code(client, next(c for c in ("000000", "111111", "222222") if c not in window))
    assert wrong.status_code == 400
    assert "Deze code klopt niet." in wrong.get_data(as_text=True)
    assert client.get("/account").status_code == 302
    right = send_code(client, next_code(secret))
    assert right.status_code == 302 and right.headers["Location"] == "/"
    assert client.get("/account").status_code == 200


def test_the_second_step_keeps_where_the_person_was_going(enrolled):
    user, client, secret, _codes = enrolled
    token = csrf_token(client, "/inloggen")
    client.post(
        "/inloggen?next=/mijn-pagina",
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token},
    )
    assert send_code(client, next_code(secret)).headers["Location"] == "/mijn-pagina"


def test_a_code_is_refused_the_second_time(app, mailbox, enrolled):
    user, client, secret, _codes = enrolled
    code = next_code(secret)
    login(client, user.email)
    assert send_code(client, code).status_code == 302
    log_out(client)
    mailbox.clear()
    # The same code again, within its 90 seconds: someone who saw it cannot use it.
    other = app.test_client()
    login(other, user.email)
    replayed = send_code(other, code)
    assert replayed.status_code == 400
    assert "Deze code is al gebruikt." in replayed.get_data(as_text=True)
    assert other.get("/account").status_code == 302
    # Logged and told to the owner (ASVS 2.8.5).
    [notice] = mailbox.to(user.email)
    assert notice["Subject"] == "Een code van je account is twee keer gebruikt"
    with app.app_context():
        from participatie.core.audit.models import AuditEvent

        actions = db.session.scalars(sa.select(AuditEvent.action)).all()
        assert "account.two_factor_code_reused" in actions


def test_a_code_of_an_earlier_time_step_than_the_last_used_is_refused(app, enrolled):
    user, client, secret, _codes = enrolled
    totp = pyotp.TOTP(secret)
    login(client, user.email)
    assert send_code(client, totp.at(time.time() + 30)).status_code == 302
    log_out(client)
    login(client, user.email)
    # The current step's code is within the window but before the one used.
    refused = send_code(client, totp.now())
    assert refused.status_code == 400


def test_a_code_outside_the_window_is_refused(enrolled):
    user, client, secret, _codes = enrolled
    login(client, user.email)
    assert send_code(client, pyotp.TOTP(secret).at(time.time() + 120)).status_code == 400
    assert send_code(client, pyotp.TOTP(secret).at(time.time() - 120)).status_code == 400


def test_a_recovery_code_works_once_and_the_owner_is_told(app, mailbox, enrolled):
    user, client, _secret, codes = enrolled
    mailbox.clear()
    login(client, user.email)
    # Typed in capitals and without the dash, as people do.
    response = send_code(client, codes[3].replace("-", "").upper())
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    [notice] = mailbox.to(user.email)
    assert notice["Subject"] == "Er is een herstelcode van je account gebruikt"
    assert "Je hebt nog 9 herstelcodes." in notice.get_content()
    log_out(client)
    login(client, user.email)
    again = send_code(client, codes[3])
    assert again.status_code == 400
    assert "Deze code klopt niet." in again.get_data(as_text=True)
    assert send_code(client, codes[4]).status_code == 302


def test_wrong_codes_lock_the_second_step_also_when_the_cookie_is_played_back(app, enrolled):
    user, client, secret, _codes = enrolled
    # The rate limit (tried below) would answer first; here the count in the database is tried.
    limits = ("100/minute", "100/minute")
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "two_factor": limits}
    login(client, user.email)
    saved = client.get_cookie("participatie_session").value
    statuses = [send_code(client, "12345678").status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 302]
    # The pending log-in ended; a session cookie from before the failures does not reset it.
    client.set_cookie("participatie_session", saved)
    refused = send_code(client, next_code(secret))
    assert refused.status_code == 302 and refused.headers["Location"] == "/inloggen"
    assert client.get("/account").status_code == 302
    login(client, user.email)
    page = client.get(CODE_STEP).get_data(as_text=True)
    assert "Te veel verkeerde codes" not in page
    refused = send_code(client, next_code(secret))
    assert refused.headers["Location"] == "/inloggen"
    assert "Te veel verkeerde codes." in client.get("/inloggen").get_data(as_text=True)
    with app.app_context():
        throttle = db.session.get(LoginThrottle, f"{user.email} second-step")
        assert throttle.locked_until is not None


def test_the_code_step_is_rate_limited_per_account(app, enrolled):
    user, client, _secret, _codes = enrolled
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "two_factor": ("2/minute", "50/hour")}
    login(client, user.email)
    statuses = [send_code(client, "12345678").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    # A new browser for the same account is counted together.
    other = app.test_client()
    login(other, user.email)
    assert send_code(other, "12345678").status_code == 429


def test_the_second_step_expires_after_five_minutes(app, enrolled):
    user, client, secret, _codes = enrolled
    login(client, user.email)
    with client.session_transaction() as session:
        session[PENDING_KEY] = {**session[PENDING_KEY], "at": int(time.time()) - 301}
    response = send_code(client, next_code(secret))
    assert response.headers["Location"] == "/inloggen"
    assert "Deze stap van het inloggen is verlopen." in client.get("/inloggen").get_data(
        as_text=True
    )
    assert client.get("/account").status_code == 302


def test_a_new_password_meanwhile_ends_a_waiting_second_step(app, enrolled):
    from participatie.core.accounts import service

    user, client, secret, _codes = enrolled
    login(client, user.email)
    with app.app_context():
        service.set_password(db.session.get(User, user.id), "het wachtwoord van de eigenaar")
        db.session.commit()
    assert send_code(client, next_code(secret)).headers["Location"] == "/inloggen"


def test_start_session_waits_for_the_second_step(app, enrolled):
    """Every log-in (password, OpenID Connect) goes through start_session."""
    user, _client, secret, _codes = enrolled
    with app.test_request_context("/"):
        from flask import session
        from flask_login import current_user

        account = db.session.get(User, user.id)
        assert start_session(account) is False
        assert not current_user.is_authenticated
        assert session[PENDING_KEY]["user"] == user.id
        assert start_session(account, second_factor_done=True) is True
        assert current_user.is_authenticated
        assert PENDING_KEY not in session


def test_turning_it_off_needs_the_password(app, mailbox, enrolled):
    user, client, secret, codes = enrolled
    login(client, user.email)
    send_code(client, next_code(secret))
    mailbox.clear()
    token = csrf_token(client, "/account")
    refused = client.post(
        "/account/tweestapsverificatie/uitzetten",
        data={"csrf_token": token, "disable-password": "niet mijn wachtwoord"},
    )
    assert refused.status_code == 400
    assert "Dit is niet je wachtwoord." in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user.id).has_two_factor
    response = client.post(
        "/account/tweestapsverificatie/uitzetten",
        data={"csrf_token": token, "disable-password": TEST_PASSWORD},
    )
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored.totp_secret_encrypted is None and stored.two_factor_enabled_at is None
        assert db.session.scalars(sa.select(RecoveryCode)).all() == []
    [notice] = mailbox.to(user.email)
    assert notice["Subject"] == "Tweestapsverificatie staat uit voor je account"
    log_out(client)
    assert login(client, user.email).headers["Location"] == "/"


def test_turning_it_off_is_limited_like_other_password_checks(app, enrolled):
    user, client, secret, _codes = enrolled
    app.config["RATE_LIMITS"] = {
        **app.config["RATE_LIMITS"],
        "reauthenticate": ("2/hour", "50/hour"),
    }
    login(client, user.email)
    send_code(client, next_code(secret))
    token = csrf_token(client, "/account")
    statuses = [
        client.post(
            "/account/tweestapsverificatie/uitzetten",
            data={"csrf_token": token, "disable-password": "niet mijn wachtwoord"},
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [400, 400, 429]


def test_new_recovery_codes_need_the_password_and_replace_the_old_ones(app, enrolled):
    user, client, secret, codes = enrolled
    login(client, user.email)
    send_code(client, next_code(secret))
    token = csrf_token(client, "/account")
    path = "/account/tweestapsverificatie/herstelcodes"
    refused = client.post(path, data={"csrf_token": token, "recovery-password": "fout"})
    assert refused.status_code == 400
    response = client.post(path, data={"csrf_token": token, "recovery-password": TEST_PASSWORD})
    assert response.headers["Cache-Control"] == "no-store"
    new = shown_codes(response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(codes)
    log_out(client)
    login(client, user.email)
    assert send_code(client, codes[0]).status_code == 400
    assert send_code(client, new[0]).status_code == 302


@pytest.fixture
def staff_required(app, create_user, grant, areas):
    app.config["REQUIRE_2FA_FOR_STAFF"] = True
    facilitator = create_user(email="begeleider@example.org")
    grant(facilitator, "facilitator", "WK015306")
    resident = create_user(email="bewoner@example.org")
    return facilitator, resident


def test_required_for_staff_sends_them_to_the_setup_first(app, client, staff_required):
    facilitator, _resident = staff_required
    response = login(client, facilitator.email)
    assert response.headers["Location"] == SETUP
    page = client.get(SETUP).get_data(as_text=True)
    assert "Voor jouw rol is tweestapsverificatie verplicht." in page
    for path in ("/begeleiding", "/account", "/", "/mijn-pagina"):
        refused = client.get(path)
        assert refused.status_code == 302 and refused.headers["Location"] == SETUP, path
    token = csrf_token(client, SETUP)
    posted = client.post("/account/profiel", data={"csrf_token": token, "display_name": "X"})
    assert posted.headers["Location"] == SETUP
    # The language switch and static files stay open; so does logging out.
    assert client.get("/taal/en?next=/").headers["Location"] == "/"
    assert client.get("/static/css/site.css").status_code == 200
    set_up(client)
    assert client.get("/begeleiding").status_code == 200
    log_out(client)
    assert client.get("/account").headers["Location"].startswith("/inloggen")


def test_required_for_staff_lets_them_log_out_before_setting_up(client, staff_required):
    facilitator, _resident = staff_required
    login(client, facilitator.email)
    response = client.post("/uitloggen", data={"csrf_token": csrf_token(client, SETUP)})
    assert response.headers["Location"] == "/"
    assert client.get("/account").headers["Location"].startswith("/inloggen")


def test_required_for_staff_leaves_residents_alone(client, staff_required):
    _facilitator, resident = staff_required
    assert login(client, resident.email).headers["Location"] == "/"
    page = client.get("/account").get_data(as_text=True)
    assert "Tweestaps\u00adverificatie instellen" in page  # with a soft hyphen
    assert "Voor jouw rol" not in page


def test_not_required_by_default_in_development(app, client, create_user, grant, areas):
    assert app.config["REQUIRE_2FA_FOR_STAFF"] is False
    facilitator = create_user()
    grant(facilitator, "facilitator", "WK015306")
    assert login(client, facilitator.email).headers["Location"] == "/"
    assert client.get("/begeleiding").status_code == 200


def test_required_by_default_in_production(monkeypatch, tmp_path):
    from participatie.config import from_environment

    monkeypatch.setenv("PARTICIPATIE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(tmp_path / "db.sqlite3"))
    monkeypatch.setenv("PUBLIC_URL", "https://participatie.example.nl")
    monkeypatch.setenv("TOTP_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    assert from_environment(str(tmp_path))["REQUIRE_2FA_FOR_STAFF"] is True
    monkeypatch.setenv("REQUIRE_2FA_FOR_STAFF", "false")
    assert from_environment(str(tmp_path))["REQUIRE_2FA_FOR_STAFF"] is False


def test_the_export_tells_it_is_on_but_never_the_secret_and_erasure_removes_it(app, enrolled):
    user, client, secret, codes = enrolled
    login(client, user.email)
    send_code(client, next_code(secret))
    response = client.post(
        "/account/gegevens",
        data={"csrf_token": csrf_token(client, "/account"), "export-password": TEST_PASSWORD},
    )
    body = response.get_data(as_text=True)
    data = response.get_json()
    assert data["two_step_verification"]["enabled_at"]
    assert len(data["two_step_verification"]["recovery_codes"]) == 10
    assert secret not in body and codes[0] not in body
    with app.app_context():
        from participatie.core.accounts import privacy

        privacy.erase(db.session.get(User, user.id))
        db.session.commit()
        stored = db.session.get(User, user.id)
        assert stored.totp_secret_encrypted is None and stored.two_factor_enabled_at is None
        assert db.session.scalars(sa.select(RecoveryCode)).all() == []


def test_the_provisioning_uri_names_the_site_and_the_account(app, create_user):
    user = create_user(email="anna@example.org")
    with app.test_request_context("/"):
        account = db.session.get(User, user.id)
        uri = twofactor.provisioning_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", account)
    parsed = pyotp.parse_uri(uri)
    assert parsed.secret == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    assert parsed.name == "anna@example.org"
    assert uri.startswith("otpauth://totp/")


def test_password_change_is_mailed_and_limited(app, client, mailbox, create_user):
    limits = ("2/hour", "50/hour")
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "reauthenticate": limits}
    user = create_user(email="bert@example.org")
    login(client, user.email)
    new = "een ander lang wachtwoord"
    token = csrf_token(client, "/account")
    response = client.post(
        "/account/wachtwoord",
        data={
            "current_password": TEST_PASSWORD,
            "password": new,
            "password_repeat": new,
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    [notice] = mailbox.to("bert@example.org")
    assert notice["Subject"] == "Het wachtwoord van je account is gewijzigd"
    text = notice.get_content()
    assert "Was jij dit niet?" in text and "http://localhost/wachtwoord-vergeten" in text
    token = csrf_token(client, "/account")
    data = {
        "current_password": "fout",
        "password": new,
        "password_repeat": new,
        "csrf_token": token,
    }
    statuses = [client.post("/account/wachtwoord", data=data).status_code for _ in range(2)]
    assert statuses == [400, 429]
    assert len(mailbox.to("bert@example.org")) == 1


def test_hostile_codes_are_refused_with_a_message_never_a_server_error(app, enrolled):
    from tests.core.security.test_hostile_corpus import CORPUS

    user, client, _secret, _codes = enrolled
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "two_factor": ("1000/minute",) * 2}
    app.config["LOGIN_MAX_FAILURES"] = 1000
    login(client, user.email)
    for value in CORPUS:
        response = send_code(client, value)
        assert response.status_code == 400, repr(value[:12])
    assert client.get("/account").status_code == 302


def test_an_administrator_turns_it_off_from_the_command_line(app, runner, mailbox, enrolled):
    user, client, _secret, _codes = enrolled
    mailbox.clear()
    result = runner.invoke(args=["accounts", "turn-off-two-step", "ANNA@example.org"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert not db.session.get(User, user.id).has_two_factor
    [notice] = mailbox.to(user.email)
    assert notice["Subject"] == "Tweestapsverificatie staat uit voor je account"
    assert login(client, user.email).headers["Location"] == "/"
    again = runner.invoke(args=["accounts", "turn-off-two-step", user.email])
    assert again.exit_code != 0 and "already off" in again.output
    unknown = runner.invoke(args=["accounts", "turn-off-two-step", "niemand@example.org"])
    assert unknown.exit_code != 0


def test_administrators_see_whether_an_account_has_it_on(app, enrolled, create_user, grant):
    user, _client, _secret, _codes = enrolled
    admin = create_user(email="beheer@example.org")
    grant(admin, "administrator")
    client = app.test_client()
    login(client, admin.email)
    page = client.get(f"/beheer/accounts/{user.id}").get_data(as_text=True)
    assert "tweestapsverificatie aan sinds" in page
    assert "tweestapsverificatie uit" in client.get(f"/beheer/accounts/{admin.id}").get_data(
        as_text=True
    )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_pages_speak_one_language(app, create_user, language):
    from tests.test_page_language import foreign_words

    user = create_user()
    client = app.test_client()
    client.get(f"/taal/{language}?next=/")
    login(client, user.email)
    pages = [client.get(SETUP).get_data(as_text=True)]
    secret = shown_secret(pages[0])
    token = csrf_token(client, SETUP)
    pages.append(client.post(SETUP, data={"code": "1", "csrf_token": token}).get_data(as_text=True))
    pages.append(
        client.post(SETUP, data={"code": pyotp.TOTP(secret).now(), "csrf_token": token}).get_data(
            as_text=True
        )
    )
    pages.append(client.get("/account").get_data(as_text=True))
    log_out(client)
    login(client, user.email)
    pages.append(client.get(CODE_STEP).get_data(as_text=True))
    pages.append(send_code(client, "1").get_data(as_text=True))
    for page in pages:
        assert foreign_words(page, language) == []


def test_the_pages_and_mails_are_plain_dutch(app, mailbox, enrolled):
    from tests.test_plain_language import B1
    from tests.test_plain_language import flesch_douma
    from tests.test_plain_language import hardest
    from tests.test_plain_language import page_sentences
    from tests.test_plain_language import text_sentences

    user, client, secret, codes = enrolled
    login(client, user.email)
    pages = {"code step": client.get(CODE_STEP).get_data(as_text=True)}
    send_code(client, codes[0])
    token = csrf_token(client, "/account")
    pages["recovery codes"] = client.post(
        "/account/tweestapsverificatie/herstelcodes",
        data={"csrf_token": token, "recovery-password": TEST_PASSWORD},
    ).get_data(as_text=True)
    client.post(
        "/account/tweestapsverificatie/uitzetten",
        data={"csrf_token": token, "disable-password": TEST_PASSWORD},
    )
    pages["set-up"] = client.get(SETUP).get_data(as_text=True)
    for name, page in pages.items():
        sentences = page_sentences(page)
        assert flesch_douma(sentences) >= B1, (name, hardest(sentences))
    # The mails of turning it on and off and of a used recovery code (and the password's).
    new = "een ander lang wachtwoord"
    client.post(
        "/account/wachtwoord",
        data={
            "current_password": TEST_PASSWORD,
            "password": new,
            "password_repeat": new,
            "csrf_token": csrf_token(client, "/account"),
        },
    )
    subjects = [message["Subject"] for message in mailbox.messages]
    assert len(subjects) >= 4, subjects
    for message in mailbox.messages:
        sentences = text_sentences(message.get_body(preferencelist=("plain",)).get_content())
        assert flesch_douma(sentences) >= B1, (message["Subject"], hardest(sentences))
