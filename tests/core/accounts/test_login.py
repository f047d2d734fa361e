import time

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from participatie.core.accounts import passwords
from participatie.core.accounts.models import User
from participatie.extensions import db

from tests.conftest import csrf_token
from tests.conftest import login
from tests.conftest import TEST_PASSWORD
from tests.conftest import without_tokens

WRONG = "dit is niet het wachtwoord"


def session_cookie(client):
    cookie = client.get_cookie("participatie_session")
    return cookie.value if cookie else None


def test_login_by_email_ignores_case_and_spaces(client, create_user):
    user = create_user(email="anna@example.org")
    response = login(client, "  Anna@Example.ORG ")
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert user.email in client.get("/account").get_data(as_text=True)


def test_session_changes_at_login(client, create_user):
    user = create_user()
    client.get("/inloggen")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
        before = dict(session)
    login(client, user.email)
    with client.session_transaction() as session:
        after = dict(session)
    assert "planted" not in after
    assert after["sid"] != before.get("sid")


def test_cookie_replayed_after_logout_gets_the_login_page(app, create_user):
    user = create_user()
    client = app.test_client()
    login(client, user.email)
    stolen = session_cookie(client)
    token = csrf_token(client, "/account")
    client.post("/uitloggen", data={"csrf_token": token})

    attacker = app.test_client()
    attacker.set_cookie("participatie_session", stolen)
    response = attacker.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/inloggen")


def test_password_change_ends_every_other_session(app, create_user):
    user = create_user()
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user.email)
    login(phone, user.email)
    new = "een ander lang wachtwoord"
    response = laptop.post(
        "/account/wachtwoord",
        data={
            "current_password": TEST_PASSWORD,
            "password": new,
            "password_repeat": new,
            "csrf_token": csrf_token(laptop, "/account"),
        },
    )
    assert response.status_code == 302
    assert laptop.get("/account").status_code == 200
    assert phone.get("/account").status_code == 302


def test_password_change_needs_the_current_password(client, create_user):
    user = create_user()
    login(client, user.email)
    new = "een ander lang wachtwoord"
    response = client.post(
        "/account/wachtwoord",
        data={
            "current_password": WRONG,
            "password": new,
            "password_repeat": new,
            "csrf_token": csrf_token(client, "/account"),
        },
    )
    assert response.status_code == 400
    assert 'id="current_password-error"' in response.get_data(as_text=True)


def test_session_cookie_is_httponly_and_samesite_lax(client, create_user):
    user = create_user()
    response = login(client, user.email)
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header


def test_wrong_password_and_unknown_address_get_the_same_answer(client, create_user):
    user = create_user()
    known = login(client, user.email, WRONG)
    unknown = login(client, "nobody@example.org", WRONG)
    assert known.status_code == unknown.status_code == 400
    known_page = known.get_data(as_text=True).replace(user.email, "X")
    unknown_page = unknown.get_data(as_text=True).replace("nobody@example.org", "X")
    assert without_tokens(known_page) == without_tokens(unknown_page)


def test_unknown_address_costs_a_hash_check_like_a_known_one(client, create_user, monkeypatch):
    user = create_user()
    calls = []
    original = PasswordHasher.verify

    def counting_verify(self, hash, password):
        calls.append(hash)
        return original(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
    login(client, user.email, WRONG)
    login(client, "nobody@example.org", WRONG)
    assert len(calls) == 2
    assert calls[0] != calls[1]
    assert calls[1].startswith("$argon2id$")


@pytest.mark.parametrize("address_exists", [True, False])
def test_five_failures_lock_the_address_from_that_client(app, create_user, address_exists):
    email = "anna@example.org"
    if address_exists:
        create_user(email=email)
    client = app.test_client()
    for _ in range(4):
        page = login(client, email, WRONG).get_data(as_text=True)
        assert "Te veel" not in page and "Too many" not in page
    fifth = login(client, email, WRONG).get_data(as_text=True)
    assert "Te veel" in fifth or "Too many" in fifth
    # Another worker, another browser: the lock is in the database.
    other = app.test_client()
    response = login(other, email, TEST_PASSWORD)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Te veel" in page or "Too many" in page


def test_the_lock_message_says_the_configured_time(app, create_user):
    """Before: it said 15 minutes whatever LOGIN_LOCK_MINUTES was."""
    app.config["LOGIN_LOCK_MINUTES"] = 5
    create_user(email="anna@example.org")
    client = app.test_client()
    for _ in range(4):
        login(client, "anna@example.org", WRONG)
    page = login(client, "anna@example.org", WRONG).get_data(as_text=True)
    assert "Wacht 5 minuten en probeer het opnieuw" in page and "15 minuten" not in page


def test_lock_ends_after_its_time_and_success_resets_the_count(app, create_user):
    from participatie.core.accounts.models import LoginThrottle

    user = create_user()
    client = app.test_client()
    for _ in range(5):
        login(client, user.email, WRONG)
    with app.app_context():
        row = db.session.get(LoginThrottle, f"{user.email} client:127.0.0.1")
        row.locked_until = row.locked_until.replace(year=2000)
        db.session.commit()
    assert login(client, user.email).status_code == 302
    with app.app_context():
        assert db.session.get(LoginThrottle, f"{user.email} client:127.0.0.1") is None


def test_blocked_account_cannot_log_in(client, create_user):
    from participatie.extensions import utcnow

    user = create_user(blocked_at=utcnow())
    response = login(client, user.email)
    assert response.status_code == 400
    assert "blocked" in response.get_data(as_text=True) or "geblokkeerd" in response.get_data(
        as_text=True
    )


def test_password_is_rehashed_when_the_parameters_change(app, create_user):
    user = create_user()
    with app.app_context():
        old = db.session.get(User, user.id).password_hash
    app.config["ARGON2_TIME_COST"] = 2
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    with app.app_context():
        new = db.session.get(User, user.id).password_hash
        assert new != old
        assert "t=2" in new
        assert not passwords.needs_rehash(new)


def test_idle_session_ends(app, create_user):
    user = create_user()
    client = app.test_client()
    login(client, user.email)
    with client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 61 * 60
    response = client.get("/account")
    assert response.status_code == 302
    assert client.get("/account").status_code == 302


def test_session_ends_after_its_absolute_lifetime_even_when_used(app, create_user):
    user = create_user()
    client = app.test_client()
    login(client, user.email)
    with client.session_transaction() as session:
        session["login_at"] = int(time.time()) - 13 * 3600
    assert client.get("/account").status_code == 302


def test_logout_needs_a_post(client, create_user):
    user = create_user()
    login(client, user.email)
    assert client.get("/uitloggen").status_code == 405
    assert client.get("/account").status_code == 200


def test_login_redirects_only_to_paths_on_this_site(client, create_user):
    user = create_user()
    token = csrf_token(client)
    response = client.post(
        "/inloggen?next=https://evil.example/",
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_account_without_login_goes_to_login_page(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/inloggen")


def test_display_name_can_be_changed(client, app, create_user):
    user = create_user()
    login(client, user.email)
    response = client.post(
        "/account/profiel",
        data={"display_name": "Nieuwe naam", "csrf_token": csrf_token(client, "/account")},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).display_name == "Nieuwe naam"
    empty = client.post(
        "/account/profiel",
        data={"display_name": "  ", "csrf_token": csrf_token(client, "/account")},
    )
    assert empty.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(User.display_name)) == "Nieuwe naam"


def test_buurt_and_age_band_are_voluntary_and_kept_apart(app, client, areas, create_user):
    from participatie.core.accounts.profile import ParticipantProfile
    from participatie.core.areas.models import Area

    user = create_user()
    login(client, user.email)
    page = client.get("/account").get_data(as_text=True)
    assert "Lasonder, Zeggelt" in page
    with app.app_context():
        buurt = db.session.scalar(sa.select(Area.id).where(Area.code == "BU01530001"))
    token = csrf_token(client, "/account")
    client.post(
        "/account/over-mij", data={"buurt": buurt, "age_band": "25-44", "csrf_token": token}
    )
    with app.app_context():
        profile = db.session.get(ParticipantProfile, user.id)
        assert (profile.buurt.code, profile.age_band) == ("BU01530001", "25-44")
    client.post("/account/over-mij", data={"buurt": "", "age_band": "", "csrf_token": token})
    with app.app_context():
        assert db.session.get(ParticipantProfile, user.id) is None
    client.post("/account/over-mij", data={"buurt": "999999", "age_band": "", "csrf_token": token})
    with app.app_context():
        assert db.session.get(ParticipantProfile, user.id) is None


def test_after_first_taking_part_the_details_are_asked_once(
    app, client, create_process, create_user
):
    from participatie.core.accounts.profile import ParticipantProfile
    from participatie.core.areas.models import Area

    saved = create_process(status="published")
    user = create_user()
    login(client, user.email)
    path = f"/processen/{saved.slug}/ideeen/nieuw"
    response = client.post(
        path,
        data={
            "title": "Meer bankjes",
            "text": "Bij de school.",
            "csrf_token": csrf_token(client, path),
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Wil je iets over jezelf vertellen?" in page
    assert 'id="about-buurt"' in page
    idea_page = response.request.path
    with app.app_context():
        buurt = db.session.scalar(sa.select(Area.id).where(Area.code == "BU01530600"))
    token = csrf_token(client, "/account")
    response = client.post(
        f"/account/over-mij?next={idea_page}",
        data={"about-buurt": buurt, "about-age_band": "65+", "about-csrf_token": token},
    )
    assert response.status_code == 302 and response.location.endswith(idea_page)
    with app.app_context():
        profile = db.session.get(ParticipantProfile, user.id)
        assert (profile.buurt_id, profile.age_band) == (buurt, "65+")
    assert "Wil je iets over jezelf vertellen?" not in client.get(idea_page).get_data(as_text=True)


def test_no_thanks_is_kept_so_the_question_does_not_come_back(
    app, client, create_process, create_user
):
    from participatie.core.accounts.profile import ParticipantProfile

    saved = create_process(status="published")
    user = create_user()
    login(client, user.email)
    path = f"/processen/{saved.slug}/ideeen/nieuw"
    for title in ("Eerste idee", "Tweede idee"):
        response = client.post(
            path,
            data={"title": title, "text": "Tekst.", "csrf_token": csrf_token(client, path)},
            follow_redirects=True,
        )
        if title == "Eerste idee":
            assert "Wil je iets over jezelf vertellen?" in response.get_data(as_text=True)
            client.post(
                "/account/over-mij",
                data={
                    "about-buurt": "",
                    "about-age_band": "",
                    "action": "decline",
                    "about-csrf_token": csrf_token(client, "/account"),
                },
            )
        else:
            assert "Wil je iets over jezelf vertellen?" not in response.get_data(as_text=True)
    with app.app_context():
        profile = db.session.get(ParticipantProfile, user.id)
        assert (profile.buurt_id, profile.age_band) == (None, None)
