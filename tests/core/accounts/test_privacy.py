"""A resident's own data: export, deletion, a new e-mail address, inactive accounts."""

import json
import re
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from participatie.builtin.budgets.models import Ballot
from participatie.builtin.budgets.models import BallotChoice
from participatie.builtin.budgets.models import BudgetVote
from participatie.builtin.budgets.models import Project
from participatie.builtin.comments.models import Comment
from participatie.builtin.ideas.models import Idea
from participatie.builtin.votes.models import Vote
from participatie.core.accounts.identities import OidcIdentity
from participatie.core.accounts.models import AccountToken
from participatie.core.accounts.models import LoginThrottle
from participatie.core.accounts.models import User
from participatie.core.accounts.profile import ParticipantProfile
from participatie.core.audit.models import AuditEvent
from participatie.core.notifications.models import Follow
from participatie.extensions import db
from participatie.extensions import utcnow

from tests.conftest import csrf_token
from tests.conftest import login
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def planted(app, create_process, create_user, create_idea):
    """A resident with one of everything, and another resident with their own things."""
    process = create_process(status="published", slug="zuid")
    resident = create_user(email="bewoner@example.org", display_name="Ria Bewoner")
    other = create_user(email="ander@example.org", display_name="Ander Persoon")
    idea_id = create_idea(process, author=resident, title="Bankje bij de vijver")
    other_idea = create_idea(process, author=other, title="Geheim idee van ander")
    with app.app_context():
        db.session.add(Comment(idea_id=other_idea, author_id=resident.id, text="Mooi plan, Ria"))
        db.session.add(Comment(idea_id=idea_id, author_id=other.id, text="Reactie van ander"))
        for voter in (resident, other):
            db.session.add(Vote(idea_id=idea_id, user_id=voter.id, process_id=process.id))
        db.session.get(Idea, idea_id).supports = 2
        vote = BudgetVote(process_id=process.id, budget=10_000, rule="greedy")
        project = Project(vote=vote, title="Speeltuin", cost=5_000, direct_reason="Test")
        db.session.add_all([vote, project])
        db.session.flush()
        ballot = Ballot(vote_id=vote.id, user_id=resident.id, cast_at=utcnow())
        db.session.add(ballot)
        db.session.flush()
        db.session.add(BallotChoice(ballot_id=ballot.id, project_id=project.id))
        db.session.add(Follow(user_id=resident.id, kind="process", object_id=process.id))
        db.session.add(
            ParticipantProfile(
                user_id=resident.id, birth_year=1961, postcode="7511AB", house_number=12
            )
        )
        db.session.add(OidcIdentity(user_id=resident.id, provider="digid", subject="s-123"))
        db.session.add(LoginThrottle(email=f"{resident.email} client:10.0.0.9", failures=2))
        db.session.commit()
        project_id = project.id
    return {
        "process": process,
        "resident": resident,
        "other": other,
        "idea": idea_id,
        "other_idea": other_idea,
        "project": project_id,
    }


def _export(client, password=TEST_PASSWORD):
    token = csrf_token(client, "/account")
    return client.post("/account/gegevens", data={"csrf_token": token, "export-password": password})


def _delete(client, password=TEST_PASSWORD, understood=True):
    data = {"csrf_token": csrf_token(client, "/account/verwijderen"), "password": password}
    if understood:
        data["understood"] = "y"
    return client.post("/account/verwijderen", data=data)


def test_the_export_holds_everything_of_the_resident_and_nothing_of_another(client, planted):
    login(client, planted["resident"].email)
    response = _export(client)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "bewoner@example.org"
    assert data["account"]["display_name"] == "Ria Bewoner"
    assert [idea["title"] for idea in data["ideas"]["ideas"]] == ["Bankje bij de vijver"]
    assert [c["text"] for c in data["comments"]["comments"]] == ["Mooi plan, Ria"]
    assert [s["idea_id"] for s in data["votes"]["supports"]] == [planted["idea"]]
    assert data["budgets"]["ballots"][0]["choices"] == [planted["project"]]
    assert data["voluntary_details"]["birth_year"] == 1961
    assert data["voluntary_details"]["postcode"] == "7511AB"
    assert data["login_services"][0]["subject"] == "s-123"
    assert data["follows"][0]["object_id"] == planted["process"].id
    assert data["mail_settings"]["notify_mode"] == "immediate"
    assert data["logins"]["failed_attempts"][0]["failures"] == 2
    assert data["logins"]["last_login_at"] is not None
    text = response.get_data(as_text=True)
    for foreign in ("ander@example.org", "Ander Persoon", "Geheim idee", "Reactie van ander"):
        assert foreign not in text


def test_export_and_delete_refuse_a_wrong_password_and_keep_everything(app, client, planted):
    login(client, planted["resident"].email)
    refused = _export(client, password="dit is niet het wachtwoord")
    assert refused.status_code == 400
    assert refused.mimetype == "text/html"
    assert "Dit is niet je wachtwoord." in refused.get_data(as_text=True)
    assert _delete(client, password="dit is niet het wachtwoord").status_code == 400
    unticked = _delete(client, password="fout", understood=False)
    assert unticked.status_code == 400
    # Both problems at once: the box and the password.
    assert "Dit is niet je wachtwoord." in unticked.get_data(as_text=True)
    assert "Vink het vakje aan" in unticked.get_data(as_text=True)
    assert _delete(client, understood=False).status_code == 400
    with app.app_context():
        user = db.session.get(User, planted["resident"].id)
        assert user.email == "bewoner@example.org" and user.erased_at is None
    assert client.get("/account").status_code == 200


def test_deleting_erases_the_person_keeps_the_contributions_and_frees_the_address(
    app, client, planted
):
    resident = planted["resident"]
    other_device = app.test_client()
    login(other_device, resident.email)
    login(client, resident.email)
    response = _delete(client)
    assert response.status_code == 302
    # This session ended, and every other one too.
    assert client.get("/account").status_code == 302
    assert other_device.get("/account").status_code == 302
    with app.app_context():
        user = db.session.get(User, resident.id)
        assert user.email == f"deleted-{resident.id}@deleted.invalid"
        assert user.password_hash is None and user.erased_at is not None
        assert user.stored_display_name == ""
        for model in (ParticipantProfile, OidcIdentity, Follow, AccountToken):
            column = model.user_id
            assert db.session.scalar(sa.select(sa.func.count()).where(column == user.id)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginThrottle)) == 0
        idea = db.session.get(Idea, planted["idea"])
        assert idea.author_id == resident.id and idea.supports == 2
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 2
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 1
        assert (
            db.session.scalar(sa.select(sa.func.count()).where(Comment.author_id == resident.id))
            == 1
        )
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "account.erase"))
        assert event.object_id == str(resident.id)
        stored = json.dumps(
            [event.actor_email, event.object_label, event.details], ensure_ascii=False
        )
        assert "bewoner" not in stored and "Ria" not in stored
    page = client.get(f"/ideeen/{planted['idea']}").get_data(as_text=True)
    assert "Bankje bij de vijver" in page
    assert "voormalig deelnemer" in page
    assert "Ria Bewoner" not in page
    # The address is free again.
    token = csrf_token(client, "/registreren")
    again = client.post(
        "/registreren",
        data={
            "email": resident.email,
            "display_name": "Ria opnieuw",
            "password": "een heel nieuw wachtwoord",
            "password_repeat": "een heel nieuw wachtwoord",
            "house_rules": "y",
            "csrf_token": token,
        },
    )
    assert again.status_code == 200
    with app.app_context():
        fresh = db.session.scalar(sa.select(User).where(User.email == resident.email))
        assert fresh is not None and fresh.id != resident.id


def test_the_erased_name_is_shown_in_english_too(app, client, planted):
    login(client, planted["resident"].email)
    _delete(client)
    client.get("/taal/en?next=/")
    page = client.get(f"/ideeen/{planted['idea']}").get_data(as_text=True)
    assert "former participant" in page


def test_an_account_without_a_password_needs_a_recent_log_in(app, client, planted, create_user):
    user = create_user(email="digid@example.org", password=None)
    with app.app_context():
        db.session.add(OidcIdentity(user_id=user.id, provider="digid", subject="s-9"))
        db.session.commit()
    # Logged in as the OIDC callback leaves it: start_session stored the moment.
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{_token(app, user.id)}"
        session["_fresh"] = True
        session["login_at"] = int(time.time())
        session["seen_at"] = int(time.time())
    assert _export(client, password="").status_code == 200
    with client.session_transaction() as session:
        session["login_at"] = int(time.time()) - 11 * 60
    assert _export(client, password="").status_code == 400


def _token(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id).session_token


def test_an_administrator_exports_and_erases_an_account_on_request(
    app, client, planted, create_user, grant
):
    admin = create_user(email="beheer@example.org")
    grant(admin, "administrator")
    login(client, admin.email)
    resident = planted["resident"]
    path = f"/beheer/accounts/{resident.id}"
    assert client.get(path).status_code == 200
    token = csrf_token(client, path)
    wrong = client.post(f"{path}/gegevens", data={"csrf_token": token, "export-password": "nee"})
    assert wrong.status_code == 400
    exported = client.post(
        f"{path}/gegevens", data={"csrf_token": token, "export-password": TEST_PASSWORD}
    )
    assert exported.status_code == 200
    assert json.loads(exported.get_data(as_text=True))["account"]["email"] == resident.email
    erased = client.post(
        f"{path}/wissen",
        data={"csrf_token": token, "erase-password": TEST_PASSWORD, "erase-understood": "y"},
    )
    assert erased.status_code == 302
    with app.app_context():
        events = {
            e.action: e
            for e in db.session.scalars(
                sa.select(AuditEvent).where(AuditEvent.object_id == str(resident.id))
            )
        }
        assert events["account.export"].actor_id == admin.id
        assert events["account.erase"].actor_id == admin.id
        assert events["account.erase"].actor_email == admin.email
        assert "bewoner" not in json.dumps([e.object_label for e in events.values()])
        assert db.session.get(User, resident.id).erased_at is not None


def test_a_resident_cannot_reach_the_administrators_export(client, planted):
    login(client, planted["resident"].email)
    other = planted["other"].id
    token = csrf_token(client, "/account")
    response = client.post(
        f"/beheer/accounts/{other}/gegevens",
        data={"csrf_token": token, "export-password": TEST_PASSWORD},
    )
    assert response.status_code in (403, 404)
    assert "ander@example.org" not in response.get_data(as_text=True)


def _link(message, prefix):
    match = re.search(rf"http://localhost({prefix}\S+)", message.get_content())
    assert match, message.get_content()
    return match.group(1)


def test_a_new_email_address_is_confirmed_there_and_told_to_the_old_one(
    app, client, mailbox, create_user
):
    user = create_user(email="oud@example.org")
    login(client, user.email)
    token = csrf_token(client, "/account")
    refused = client.post(
        "/account/e-mailadres",
        data={"csrf_token": token, "email-email": "nieuw@example.org", "email-password": "nee"},
    )
    assert refused.status_code == 400
    assert "nieuw@example.org" in refused.get_data(as_text=True)  # what was typed stays
    response = client.post(
        "/account/e-mailadres",
        data={
            "csrf_token": token,
            "email-email": "Nieuw@Example.org",
            "email-password": TEST_PASSWORD,
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).email == "oud@example.org"
    [notice] = mailbox.to("oud@example.org")
    assert "nieuw@example.org" in notice.get_content()
    [confirmation] = mailbox.to("nieuw@example.org")
    path = _link(confirmation, "/e-mailadres-bevestigen/")
    assert client.get(path).status_code == 200
    with app.app_context():
        assert db.session.get(User, user.id).email == "oud@example.org"
    assert client.post(path, data={"csrf_token": csrf_token(client, path)}).status_code == 302
    with app.app_context():
        changed = db.session.get(User, user.id)
        assert changed.email == "nieuw@example.org" and changed.email_confirmed_at is not None
    assert client.get("/account").status_code == 200
    # Single use.
    assert client.get(path).status_code == 404


def test_a_new_address_that_has_an_account_changes_nothing(app, client, mailbox, create_user):
    user = create_user(email="een@example.org")
    create_user(email="twee@example.org")
    login(client, user.email)
    token = csrf_token(client, "/account")
    client.post(
        "/account/e-mailadres",
        data={
            "csrf_token": token,
            "email-email": "twee@example.org",
            "email-password": TEST_PASSWORD,
        },
    )
    [exists] = mailbox.to("twee@example.org")
    assert "/e-mailadres-bevestigen/" not in exists.get_content()
    with app.app_context():
        assert db.session.get(User, user.id).email == "een@example.org"


def _age(app, account, months, warned_days=None):
    with app.app_context():
        user = db.session.get(User, account.id)
        user.last_login_at = utcnow() - timedelta(days=30 * months)
        user.created_at = utcnow() - timedelta(days=30 * months + 1)
        if warned_days is not None:
            user.inactivity_warned_at = utcnow() - timedelta(days=warned_days)
        db.session.commit()


def test_inactive_accounts_are_warned_by_mail_then_erased(app, runner, mailbox, create_user, grant):
    active = create_user(email="actief@example.org")
    nearly = create_user(email="bijna@example.org")
    long_gone = create_user(email="weg@example.org")
    warned_recently = create_user(email="pas@example.org")
    staff = create_user(email="staf@example.org")
    grant(staff, "administrator")
    _age(app, active, 2)
    _age(app, nearly, 23, None)
    _age(app, long_gone, 25, warned_days=31)
    _age(app, warned_recently, 25, warned_days=5)
    _age(app, staff, 30, warned_days=40)
    result = runner.invoke(args=["accounts", "erase-inactive"])
    assert result.exit_code == 0, result.output
    assert "warned 1 and erased 1 accounts" in result.output
    assert len(mailbox.to("bijna@example.org")) == 1
    assert "actief@example.org" not in [m["To"] for m in mailbox.messages]
    with app.app_context():
        assert db.session.get(User, long_gone.id).erased_at is not None
        assert db.session.get(User, warned_recently.id).erased_at is None
        assert db.session.get(User, staff.id).erased_at is None
        assert db.session.get(User, nearly.id).inactivity_warned_at is not None
    # A second run warns nobody twice.
    again = runner.invoke(args=["accounts", "erase-inactive"])
    assert "warned 0 and erased 0 accounts" in again.output
    with_staff = runner.invoke(args=["accounts", "erase-inactive", "--include-staff"])
    assert "erased 1 accounts" in with_staff.output
    with app.app_context():
        assert db.session.get(User, staff.id).erased_at is not None


def test_logging_in_clears_the_inactivity_warning(app, client, create_user):
    user = create_user()
    _age(app, user, 25, warned_days=31)
    login(client, user.email)
    with app.app_context():
        assert db.session.get(User, user.id).inactivity_warned_at is None


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_privacy_page_states_the_retention_the_code_uses(app, client, language):
    app.config["INACTIVE_ACCOUNT_MONTHS"] = 18
    client.get(f"/taal/{language}?next=/")
    page = client.get("/privacy").get_data(as_text=True)
    assert page.count('scope="row"') >= 8
    assert "18" in page
    from participatie.core.accounts import retention

    with app.test_request_context():
        from flask_babel import force_locale

        with force_locale(language):
            kinds = retention.kinds()
            assert str(kinds[0].how_long) in page.replace("&#34;", '"')
    # What the page said before stays.
    assert "DigiD" in page
    assert ("hash" in page) and ("register" in page.lower())
