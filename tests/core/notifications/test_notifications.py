import re

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from participatie.core.accounts.models import User
from participatie.core.mail.models import OutboxMessage
from participatie.core.mail.sending import deliver
from participatie.core.notifications.models import DigestItem
from participatie.extensions import db

from tests.conftest import csrf_token
from tests.conftest import free_port
from tests.conftest import login
from tests.conftest import Mailbox


@pytest.fixture
def followed(app, client, create_process, create_user, grant):
    """A published process followed by a resident, and its facilitator's client."""
    saved = create_process(status="published")
    resident = create_user(email="volger@example.org")
    resident_client = app.test_client()
    login(resident_client, resident.email)
    resident_client.post(
        f"/processen/{saved.slug}/volgen",
        data={"csrf_token": csrf_token(resident_client, f"/processen/{saved.slug}")},
    )
    facilitator = create_user(email="begeleider@example.org")
    grant(facilitator, "facilitator", "GM0153")
    login(client, facilitator.email)
    return saved, resident


def close_phase(client, slug):
    client.post(
        f"/processen/{slug}/fase-afsluiten",
        data={"csrf_token": csrf_token(client, f"/processen/{slug}")},
    )


def set_mode(app, user, mode):
    with app.app_context():
        db.session.get(User, user.id).notify_mode = mode
        db.session.commit()


def test_followers_are_mailed_when_a_new_phase_starts_with_one_click_unsubscribe(
    app, client, followed, mailbox
):
    saved, resident = followed
    close_phase(client, saved.slug)
    [message] = mailbox.to(resident.email)
    assert message["Subject"] == "Nieuwe fase in Een groenere straat"
    assert "„Besluit”" in message.get_content() or "Besluit" in message.get_content()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.search(r"<(https?://[^>]+)>", message["List-Unsubscribe"]).group(1)
    path = url.split("://", 1)[1].split("/", 1)[1]
    # The one-click POST of a mail program: no session, no CSRF token.
    response = app.test_client().post("/" + path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(User, resident.id).notify_mode == "never"


def test_unsubscribe_link_asks_before_it_acts_and_refuses_a_forged_token(app, followed, client):
    saved, resident = followed
    from participatie.core.notifications.service import unsubscribe_token

    with app.test_request_context():
        token = unsubscribe_token(db.session.get(User, resident.id))
    visitor = app.test_client()
    assert visitor.get(f"/afmelden/{token}").status_code == 200
    with app.app_context():
        assert db.session.get(User, resident.id).notify_mode == "immediate"
    assert visitor.post(f"/afmelden/{token[:-2]}xx").status_code == 404
    assert visitor.post(f"/afmelden/{resident.id}").status_code == 404


def test_never_means_no_mail(app, client, followed, mailbox):
    saved, resident = followed
    set_mode(app, resident, "never")
    close_phase(client, saved.slug)
    assert mailbox.to(resident.email) == []


def test_daily_digest_collects_and_sends_once(app, client, followed, mailbox, runner):
    saved, resident = followed
    set_mode(app, resident, "daily")
    close_phase(client, saved.slug)
    assert mailbox.to(resident.email) == []
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DigestItem)) == 1
    result = runner.invoke(args=["mail", "digest"])
    assert "1 digests queued" in result.output, result.output
    [digest] = mailbox.to(resident.email)
    assert "Nieuwe fase in Een groenere straat" in digest.get_content()
    assert digest["List-Unsubscribe"]
    runner.invoke(args=["mail", "digest"])
    assert len(mailbox.to(resident.email)) == 1


def test_mail_settings_on_the_account_page(app, followed):
    saved, resident = followed
    client = app.test_client()
    login(client, resident.email)
    assert 'value="daily"' in client.get("/account").get_data(as_text=True)
    client.post(
        "/account/meldingen",
        data={"notify_mode": "daily", "csrf_token": csrf_token(client, "/account")},
    )
    with app.app_context():
        assert db.session.get(User, resident.id).notify_mode == "daily"


def _due_now():
    """Let the back-off time of every queued message pass."""
    db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=None))
    db.session.commit()


def test_mail_queued_while_smtp_is_down_arrives_once_when_it_is_back(app, followed, client):
    """A real SMTP server on loopback, stopped and started again."""
    saved, resident = followed
    mailbox = Mailbox()
    port = free_port()
    app.config["MAIL_PORT"] = port  # nothing listens there yet: SMTP is down
    close_phase(client, saved.slug)
    with app.app_context():
        queued = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
        ).all()
        assert [m.recipient for m in queued] == [resident.email]
        assert queued[0].attempts == 1
        # Not tried again before its back-off has passed ...
        assert deliver() == (0, 0)
        _due_now()
        assert deliver() == (0, 1)
        _due_now()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        runner = app.test_cli_runner()
        assert "1 sent, 0 still queued" in runner.invoke(args=["mail", "send"]).output
        assert "0 sent, 0 still queued" in runner.invoke(args=["mail", "send"]).output
    finally:
        controller.stop()
    assert len(mailbox.to(resident.email)) == 1


def test_the_only_csrf_exemptions_are_one_click_unsubscribe_and_the_read_only_api(app):
    from participatie.extensions import csrf

    exempt_views = set(csrf._exempt_views)
    assert exempt_views == {"participatie.core.notifications.views.unsubscribe"}
    for blueprint in csrf._exempt_blueprints:
        blueprint = getattr(blueprint, "name", blueprint)
        methods = {
            method
            for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith(blueprint + ".")
            for method in rule.methods
        }
        assert methods <= {"GET", "HEAD", "OPTIONS"}, blueprint
