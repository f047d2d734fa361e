import re

import sqlalchemy as sa
from participatie.core.accounts.models import User
from participatie.extensions import db

from tests.conftest import csrf_token
from tests.conftest import login
from tests.conftest import TEST_PASSWORD
from tests.conftest import without_tokens

NEW = "nieuwe zin voor het wachtwoord"


def ask_reset(client, email):
    return client.post(
        "/wachtwoord-vergeten",
        data={"email": email, "csrf_token": csrf_token(client, "/wachtwoord-vergeten")},
    )


def reset_path(message):
    match = re.search(r"http://localhost(/wachtwoord-herstellen/\S+)", message.get_content())
    assert match
    return match.group(1)


def test_reset_mail_arrives_and_the_link_sets_a_new_password(app, client, mailbox, create_user):
    user = create_user(confirmed=False)
    other_device = app.test_client()
    login(other_device, user.email)
    assert ask_reset(client, user.email).status_code == 200
    path = reset_path(mailbox.to(user.email)[0])
    response = client.post(
        path, data={"password": NEW, "password_repeat": NEW, "csrf_token": csrf_token(client, path)}
    )
    assert response.status_code == 302
    assert login(client, user.email, TEST_PASSWORD).status_code == 400
    assert login(client, user.email, NEW).status_code == 302
    assert other_device.get("/account").status_code == 302
    with app.app_context():
        # The mail proved the address.
        assert db.session.get(User, user.id).email_confirmed


def test_reset_for_unknown_address_answers_the_same_and_sends_nothing(client, mailbox, create_user):
    user = create_user()
    known = ask_reset(client, user.email).get_data(as_text=True).replace(user.email, "X")
    unknown = ask_reset(client, "nobody@example.org").get_data(as_text=True)
    assert without_tokens(known) == without_tokens(unknown.replace("nobody@example.org", "X"))
    assert mailbox.to("nobody@example.org") == []
    assert len(mailbox.to(user.email)) == 1


def test_reset_link_works_once(client, mailbox, create_user):
    user = create_user()
    ask_reset(client, user.email)
    path = reset_path(mailbox.to(user.email)[0])
    token = csrf_token(client, path)
    data = {"password": NEW, "password_repeat": NEW, "csrf_token": token}
    assert client.post(path, data=data).status_code == 302
    assert client.post(path, data=data).status_code == 404
    assert client.get(path).status_code == 404


def test_only_the_newest_reset_link_works(client, mailbox, create_user):
    user = create_user()
    ask_reset(client, user.email)
    ask_reset(client, user.email)
    first, second = (reset_path(m) for m in mailbox.to(user.email))
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_reset_link_expires_after_an_hour(app, client, mailbox, create_user):
    from participatie.core.accounts.models import AccountToken

    user = create_user()
    ask_reset(client, user.email)
    path = reset_path(mailbox.to(user.email)[0])
    with app.app_context():
        token = db.session.scalar(sa.select(AccountToken))
        token.expires_at = token.created_at
        db.session.commit()
    assert client.get(path).status_code == 404


def test_reset_refuses_a_breached_password_and_keeps_the_token(client, mailbox, create_user):
    user = create_user()
    ask_reset(client, user.email)
    path = reset_path(mailbox.to(user.email)[0])
    breached = "1qaz2wsx3edc"
    response = client.post(
        path,
        data={
            "password": breached,
            "password_repeat": breached,
            "csrf_token": csrf_token(client, path),
        },
    )
    assert response.status_code == 400
    assert client.get(path).status_code == 200


def test_a_reset_password_is_told_to_the_address(client, mailbox, create_user):
    # If someone else got hold of the mailbox or the link, the owner learns of it.
    user = create_user()
    ask_reset(client, user.email)
    path = reset_path(mailbox.to(user.email)[0])
    data = {"password": NEW, "password_repeat": NEW, "csrf_token": csrf_token(client, path)}
    assert client.post(path, data=data).status_code == 302
    notices = [m for m in mailbox.to(user.email) if "wachtwoord" in m["Subject"].lower()]
    assert len(notices) == 2, [m["Subject"] for m in mailbox.to(user.email)]
    body = notices[-1].get_body(preferencelist=("plain",)).get_content()
    assert "met een link die we naar dit adres hebben gemaild" in body
    assert "Was jij dit niet?" in body
