import re
from datetime import timedelta

import sqlalchemy as sa
from participatie.core.accounts.models import AccountToken
from participatie.core.accounts.models import User
from participatie.extensions import db

from tests.conftest import csrf_token
from tests.conftest import without_tokens


def register(client, **overrides):
    data = {
        "email": "Anna@Example.org",
        "display_name": "Anna",
        "password": "mijn fiets staat bij het station",
        "password_repeat": "mijn fiets staat bij het station",
        "house_rules": "y",
        "csrf_token": csrf_token(client, "/registreren"),
    }
    data.update(overrides)
    return client.post("/registreren", data=data)


def confirmation_link(message) -> str:
    match = re.search(r"http://localhost(/bevestigen/\S+)", message.get_content())
    assert match, message.get_content()
    return match.group(1)


def test_registration_sends_a_confirmation_link_that_arrives_by_smtp(client, app, mailbox):
    response = register(client)
    assert response.status_code == 200
    assert "anna@example.org" in response.get_data(as_text=True).lower()
    [message] = mailbox.to("anna@example.org")
    assert message["From"] == "Participatie <noreply@participatie.test>"
    assert "/bevestigen/" in message.get_content()
    with app.app_context():
        user = db.session.scalar(sa.select(User))
        assert user.email == "anna@example.org"
        assert user.house_rules_accepted_at is not None
        assert not user.can_participate


def test_confirming_the_link_lets_the_account_take_part(client, app, mailbox):
    register(client)
    path = confirmation_link(mailbox.to("anna@example.org")[0])
    page = client.get(path)
    assert page.status_code == 200
    # A GET alone (a mail scanner) confirms nothing.
    with app.app_context():
        assert db.session.scalar(sa.select(User)).email_confirmed_at is None
    response = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(User)).can_participate


def test_confirmation_link_works_only_once(client, app, mailbox):
    register(client)
    path = confirmation_link(mailbox.to("anna@example.org")[0])
    token = csrf_token(client, path)
    client.post(path, data={"csrf_token": token})
    with app.app_context():
        db.session.execute(sa.update(User).values(email_confirmed_at=None))
        db.session.commit()
    response = client.post(path, data={"csrf_token": token}, follow_redirects=True)
    assert "expired or was already used" in response.get_data(as_text=True) or "verlopen" in (
        response.get_data(as_text=True)
    )
    with app.app_context():
        assert db.session.scalar(sa.select(User)).email_confirmed_at is None


def test_confirmation_link_expires_after_one_hour(client, app, mailbox):
    register(client)
    path = confirmation_link(mailbox.to("anna@example.org")[0])
    with app.app_context():
        token = db.session.scalar(sa.select(AccountToken))
        assert token.expires_at - token.created_at == timedelta(hours=1)
        token.expires_at = token.created_at - timedelta(seconds=1)
        db.session.commit()
    client.post(path, data={"csrf_token": csrf_token(client, path)})
    with app.app_context():
        assert db.session.scalar(sa.select(User)).email_confirmed_at is None


def test_tokens_are_stored_only_as_hashes(client, app, mailbox):
    register(client)
    path = confirmation_link(mailbox.to("anna@example.org")[0])
    token = path.rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalar(sa.select(AccountToken))
        assert token not in stored.token_hash
        assert len(token) >= 40


def test_house_rules_must_be_accepted_and_typed_values_are_kept(client, app, mailbox):
    response = register(client, house_rules="")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "house rules" in page or "huisregels" in page
    assert 'value="Anna@Example.org"' in page or 'value="anna@example.org"' in page.lower()
    assert 'value="Anna"' in page
    assert mailbox.messages == []
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_password_shorter_than_twelve_characters_is_refused(client, app):
    response = register(client, password="kort wachtw", password_repeat="kort wachtw")
    assert response.status_code == 400
    assert 'id="password-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_breached_password_is_refused_with_a_clear_message(client, app):
    from participatie.core.accounts.passwords import breached_passwords

    assert len(breached_passwords()) >= 10_000
    breached = "qwerty123456"
    assert breached in breached_passwords()
    response = register(client, password=breached, password_repeat=breached)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "gelekte wachtwoorden" in page or "leaked passwords" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_registering_an_existing_address_reveals_nothing_and_tells_its_owner(
    client, app, mailbox, create_user
):
    create_user(email="anna@example.org")
    response = register(client)
    assert response.status_code == 200
    fresh = register(client, email="nieuw@example.org")
    # Both answers are the same page, apart from the address itself.
    assert without_tokens(
        response.get_data(as_text=True)
        .replace("Anna@Example.org", "X")
        .replace("anna@example.org", "X")
    ) == without_tokens(fresh.get_data(as_text=True).replace("nieuw@example.org", "X"))
    [notice] = mailbox.to("anna@example.org")
    assert "/bevestigen/" not in notice.get_content()
    assert "/inloggen" in notice.get_content()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 2


def test_mail_is_written_in_the_language_of_the_person_registering(client, mailbox):
    client.get("/taal/en")
    register(client)
    [message] = mailbox.to("anna@example.org")
    assert message["Subject"] == "Confirm your email address"
    client.get("/taal/nl")
    register(client, email="bert@example.org")
    [message] = mailbox.to("bert@example.org")
    assert message["Subject"] == "Bevestig je e-mailadres"


def test_unconfirmed_account_can_ask_for_a_new_link(client, app, mailbox, create_user, log_in):
    user = create_user(confirmed=False)
    log_in(client, user.email)
    token = csrf_token(client, "/account")
    response = client.post("/account/bevestiging-opnieuw", data={"csrf_token": token})
    assert response.status_code == 302
    assert len(mailbox.to(user.email)) == 1
