"""An administrator turns off two-step verification for someone who lost both the app
and the recovery codes: on the account's administration page, with the administrator's
own password again, only for administrators, audited, and the owner told by mail.
"""

import sqlalchemy as sa
from participatie.core.accounts.models import RecoveryCode
from participatie.core.accounts.models import User
from participatie.extensions import db

from tests.conftest import csrf_token
from tests.conftest import login
from tests.conftest import TEST_PASSWORD
from tests.core.accounts.test_two_factor import log_out
from tests.core.accounts.test_two_factor import set_up
from tests.core.admin.test_admin import events

ADMIN_PASSWORD = "het eigen wachtwoord van de beheerder"


def enrolled(app, create_user, email="anna@example.org"):
    user = create_user(email=email)
    client = app.test_client()
    login(client, user.email)
    secret, _codes = set_up(client)
    log_out(client)
    return user, secret


def administrator(app, create_user, grant):
    admin = create_user(email="beheer@example.org", password=ADMIN_PASSWORD)
    grant(admin, "administrator")
    client = app.test_client()
    login(client, admin.email, ADMIN_PASSWORD)
    return client, admin


def turn_off(client, user_id, password=ADMIN_PASSWORD, checked=True):
    path = f"/beheer/accounts/{user_id}"
    data = {"csrf_token": csrf_token(client, path), "two-step-password": password}
    if checked:
        data["two-step-checked"] = "y"
    return client.post(f"{path}/tweestapsverificatie/uitzetten", data=data)


def has_two_factor(app, user_id) -> bool:
    with app.app_context():
        return db.session.get(User, user_id).has_two_factor


def test_an_administrator_turns_it_off_and_the_owner_is_told(app, mailbox, create_user, grant):
    user, _secret = enrolled(app, create_user)
    client, admin = administrator(app, create_user, grant)
    page = client.get(f"/beheer/accounts/{user.id}").get_data(as_text=True)
    assert "Is de eigenaar zowel de app als de herstelcodes kwijt?" in page
    assert f'action="/beheer/accounts/{user.id}/tweestapsverificatie/uitzetten"' in page
    mailbox.clear()

    response = turn_off(client, user.id)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/beheer/accounts/{user.id}#two-step-heading")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tweestapsverificatie staat nu uit voor dit account." in page
    assert "Tweestapsverificatie staat uit voor dit account." in page  # no form any more
    assert not has_two_factor(app, user.id)
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored.totp_secret_encrypted is None and stored.totp_last_counter is None
        assert db.session.scalars(sa.select(RecoveryCode)).all() == []
    # Audited with the administrator's name.
    [event] = events(app, "account.two_factor_off")
    assert event[1] == admin.email and event[2] == "user" and event[3] == f"#{user.id}"
    assert event[4] == {"by": "administrator"}
    # The owner is told that an administrator did it on their request.
    [notice] = mailbox.to(user.email)
    assert notice["Subject"] == "Tweestapsverificatie staat uit voor je account"
    text = notice.get_content()
    assert "Een beheerder heeft dat net gedaan." in text
    assert (
        "Heb je hier niet om gevraagd?" in text and "http://localhost/wachtwoord-vergeten" in text
    )
    # The owner now logs in with the password alone.
    assert login(app.test_client(), user.email).headers["Location"] == "/"


def test_it_needs_the_administrators_own_password_and_the_tick(app, create_user, grant):
    user, _secret = enrolled(app, create_user)
    client, _admin = administrator(app, create_user, grant)
    for password, checked, message in (
        ("fout", True, "Dit is niet je wachtwoord."),
        # The owner's password is not the administrator's.
        (TEST_PASSWORD, True, "Dit is niet je wachtwoord."),
        (ADMIN_PASSWORD, False, "Vink het vakje aan als je hebt nagegaan wie het vraagt."),
    ):
        response = turn_off(client, user.id, password, checked)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
        assert has_two_factor(app, user.id)
    assert events(app, "account.two_factor_off") == []


def test_only_administrators_can_and_only_with_a_csrf_token(app, areas, create_user, grant):
    user, _secret = enrolled(app, create_user)
    path = f"/beheer/accounts/{user.id}/tweestapsverificatie/uitzetten"
    facilitator = create_user(email="begeleider@example.org")
    grant(facilitator, "facilitator", "WK015306")
    councillor = create_user(email="raadslid@example.org")
    grant(councillor, "councillor", "GM0153")
    for email in ("begeleider@example.org", "raadslid@example.org", "bert@example.org"):
        if email == "bert@example.org":
            create_user(email=email)
        other = app.test_client()
        login(other, email)
        data = {"csrf_token": csrf_token(other, "/account"), "two-step-password": TEST_PASSWORD}
        data["two-step-checked"] = "y"
        assert other.post(path, data=data).status_code == 403
    anonymous = app.test_client()
    assert anonymous.post(path, data={"two-step-password": "x"}).status_code == 400
    client, _admin = administrator(app, create_user, grant)
    data = {"two-step-password": ADMIN_PASSWORD, "two-step-checked": "y"}
    assert client.post(path, data=data).status_code == 400  # no CSRF token
    assert has_two_factor(app, user.id)


def test_not_for_the_administrators_own_account(app, create_user, grant):
    client, admin = administrator(app, create_user, grant)
    _secret, _codes = set_up(client)
    page = client.get(f"/beheer/accounts/{admin.id}").get_data(as_text=True)
    assert "Je eigen tweestapsverificatie staat aan." in page
    assert "tweestapsverificatie/uitzetten" not in page
    response = turn_off(client, admin.id)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Zet je eigen tweestapsverificatie uit op je accountpagina." in page
    assert has_two_factor(app, admin.id)


def test_an_account_without_it_gets_no_form(app, create_user, grant):
    client, _admin = administrator(app, create_user, grant)
    bert = create_user(email="bert@example.org")
    page = client.get(f"/beheer/accounts/{bert.id}").get_data(as_text=True)
    assert "Tweestapsverificatie staat uit voor dit account." in page
    assert "two-step-password" not in page
    response = turn_off(client, bert.id)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tweestapsverificatie staat al uit voor dit account." in page


def test_it_is_limited_like_other_password_checks(app, create_user, grant):
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "reauthenticate": ("2/hour",) * 2}
    user, _secret = enrolled(app, create_user)
    client, _admin = administrator(app, create_user, grant)
    statuses = [turn_off(client, user.id, "fout").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    assert has_two_factor(app, user.id)


def test_staff_are_told_to_set_it_up_again_and_are_sent_there(app, areas, create_user, grant):
    user, _secret = enrolled(app, create_user, "begeleider@example.org")
    grant(user, "facilitator", "WK015306")
    app.config["REQUIRE_2FA_FOR_STAFF"] = True
    client, _admin = administrator(app, create_user, grant)
    # The administrator logs in with a code too: administrators are staff.
    page = client.get(f"/beheer/accounts/{user.id}")
    assert page.headers["Location"] == "/account/tweestapsverificatie"
    _admin_secret, _codes = set_up(client)
    page = client.get(f"/beheer/accounts/{user.id}").get_data(as_text=True)
    assert "Met hun rol moeten ze het bij de volgende keer inloggen opnieuw instellen." in page
    assert turn_off(client, user.id).status_code == 302
    owner = app.test_client()
    assert login(owner, user.email).headers["Location"] == "/account/tweestapsverificatie"
    assert owner.get("/account").headers["Location"] == "/account/tweestapsverificatie"


def test_the_page_speaks_one_language(app, create_user, grant):
    from tests.test_page_language import foreign_words

    user, _secret = enrolled(app, create_user)
    client, _admin = administrator(app, create_user, grant)
    for language in ("nl", "en"):
        client.get(f"/taal/{language}?next=/")
        page = client.get(f"/beheer/accounts/{user.id}").get_data(as_text=True)
        assert foreign_words(page, language) == []
        refused = turn_off(client, user.id, "fout", checked=False).get_data(as_text=True)
        assert foreign_words(refused, language) == []
    assert "Has the owner lost both the app and the recovery codes?" in page
    assert "Tick the box once you have checked who is asking." in refused


def test_the_command_line_mail_says_an_administrator_did_it(app, runner, mailbox, create_user):
    user, _secret = enrolled(app, create_user)
    mailbox.clear()
    assert runner.invoke(args=["accounts", "turn-off-two-step", user.email]).exit_code == 0
    [notice] = mailbox.to(user.email)
    assert "Een beheerder heeft dat net gedaan." in notice.get_content()
    [event] = events(app, "account.two_factor_off")
    assert event[1] == "" and event[4] == {"by": "administrator"}
