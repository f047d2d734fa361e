"""Any account can report visible content; the moderators of the process are told."""

from participatie.builtin.ideas.models import Idea
from participatie.core.mail.sending import deliver
from participatie.core.moderation.models import Report
from participatie.extensions import db
from participatie.extensions import utcnow

from tests.conftest import csrf_token
from tests.conftest import login
from tests.conftest import TEST_PASSWORD
from tests.core.moderation.fixtures import rows


def _report(client, kind, object_id, reason="Dit is beledigend."):
    token = csrf_token(client, f"/melden?kind={kind}&id={object_id}")
    return client.post(
        "/melden",
        data={"kind": kind, "object_id": object_id, "reason": reason, "csrf_token": token},
    )


def test_resident_reports_an_idea_and_the_facilitator_gets_a_mail(
    app, client, people, create_process, create_idea, mailbox
):
    process = create_process(status="published")
    idea_id = create_idea(process, people["author"], title="Alle bomen weg")
    login(client, people["resident"].email)

    response = _report(client, "idea", idea_id, "Dit idee scheldt op de buren.")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideeen/{idea_id}"
    [report] = rows(app, Report)
    assert (report.kind, report.object_id, report.process_id) == ("idea", idea_id, process.id)
    assert report.reporter_id == people["resident"].id
    assert report.resolved_at is None
    [mail] = mailbox.to("facilitator@example.org")
    body = mail.get_content()
    assert "Alle bomen weg" in body and "Dit idee scheldt op de buren." in body
    assert f"/processen/{process.slug}/meldingen" in body
    assert mailbox.to("other_facilitator@example.org") == []
    assert mailbox.to("resident@example.org") == []
    # There is a facilitator, so the administrators are not bothered.
    assert mailbox.to("administrator@example.org") == []


def test_the_report_form_page_shows_the_content_and_works_without_javascript(
    client, people, create_process, create_idea
):
    process = create_process(status="published")
    idea_id = create_idea(process, people["author"], title="Alle bomen weg")
    login(client, people["resident"].email)

    page = client.get(f"/melden?kind=idea&id={idea_id}")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Alle bomen weg" in html
    assert 'action="/melden"' in html and 'name="reason"' in html
    assert f'name="object_id" type="hidden" value="{idea_id}"' in html
    # What is reported is named as a thing ("een idee", "een reactie"), not a verb.
    assert "Wat je meldt (een idee):" in html


def test_a_reason_is_required_and_at_most_1000_characters(
    app, client, people, create_process, create_idea
):
    process = create_process(status="published")
    idea_id = create_idea(process, people["author"])
    login(client, people["resident"].email)
    with client.session_transaction() as session:
        session["language"] = "en"

    empty = _report(client, "idea", idea_id, "   ")
    too_long = _report(client, "idea", idea_id, "x" * 1001)

    assert empty.status_code == 400
    assert "Write why you report this." in empty.get_data(as_text=True)
    assert too_long.status_code == 400
    assert "Write at most 1,000 characters." in too_long.get_data(as_text=True)
    assert "x" * 1001 in too_long.get_data(as_text=True)
    assert rows(app, Report) == []
    assert _report(client, "idea", idea_id, "x" * 1000).status_code == 302


def test_one_open_report_per_account_per_object(
    app, client, people, create_process, create_idea, create_user, mailbox
):
    process = create_process(status="published")
    idea_id = create_idea(process, people["author"])
    login(client, people["resident"].email)
    _report(client, "idea", idea_id)

    again = _report(client, "idea", idea_id, "Nog een keer.")

    assert again.status_code == 302
    follow = client.get(f"/melden?kind=idea&id={idea_id}").get_data(as_text=True)
    assert 'name="reason"' not in follow
    assert len(rows(app, Report)) == 1
    assert len(mailbox.to("facilitator@example.org")) == 1
    other = app.test_client()
    login(other, people["author"].email)
    assert _report(other, "idea", idea_id).status_code == 302
    assert len(rows(app, Report)) == 2


def test_anonymous_visitors_are_sent_to_log_in(app, client, people, create_process, create_idea):
    process = create_process(status="published")
    idea_id = create_idea(process, people["author"])

    form = client.get(f"/melden?kind=idea&id={idea_id}")
    post = client.post("/melden", data={"kind": "idea", "object_id": idea_id, "reason": "x"})

    assert form.status_code == 302 and form.headers["Location"].startswith("/inloggen")
    assert post.status_code in (302, 400)
    assert rows(app, Report) == []


def test_only_visible_content_of_readable_processes_can_be_reported(
    app, client, people, create_process, create_idea, create_comment
):
    published = create_process(status="published")
    draft = create_process(status="draft", slug="concept")
    visible = create_idea(published, people["author"])
    now = utcnow()
    hidden = create_idea(published, people["author"], hidden_at=now, hidden_reason="Scheldwoord")
    withdrawn = create_idea(published, people["author"], withdrawn_at=now)
    merged = create_idea(published, people["author"], merged_into_id=visible)
    in_draft = create_idea(draft, people["author"])
    deleted_comment = create_comment(visible, people["author"], deleted_at=now)
    hidden_comment = create_comment(visible, people["author"], hidden_at=now)
    comment_under_hidden = create_comment(hidden, people["author"])
    login(client, people["resident"].email)

    for kind, object_id in (
        ("idea", hidden),
        ("idea", withdrawn),
        ("idea", merged),
        ("idea", in_draft),
        ("idea", 999_999),
        ("comment", deleted_comment),
        ("comment", hidden_comment),
        ("comment", comment_under_hidden),
        ("poll", visible),
    ):
        assert client.get(f"/melden?kind={kind}&id={object_id}").status_code == 404, kind
        token = csrf_token(client, "/account")
        response = client.post(
            "/melden",
            data={"kind": kind, "object_id": object_id, "reason": "x", "csrf_token": token},
        )
        assert response.status_code == 404, (kind, object_id)
    assert client.get("/melden?kind=idea&id=abc").status_code == 404
    assert rows(app, Report) == []


def test_a_comment_can_be_reported_also_under_a_merged_idea(
    app, client, people, create_process, create_idea, create_comment, mailbox
):
    process = create_process(status="published")
    kept = create_idea(process, people["author"])
    merged = create_idea(process, people["author"], merged_into_id=kept)
    comment_id = create_comment(merged, people["author"], text="Jullie zijn allemaal dom.")
    login(client, people["resident"].email)

    response = _report(client, "comment", comment_id)

    assert response.headers["Location"] == f"/ideeen/{merged}#reactie-{comment_id}"
    [report] = rows(app, Report)
    assert (report.kind, report.object_id, report.process_id) == ("comment", comment_id, process.id)
    assert "Jullie zijn allemaal dom." in mailbox.to("facilitator@example.org")[0].get_content()


def test_the_facilitator_of_the_process_itself_is_told(
    app, client, people, create_process, create_idea, create_user, grant, mailbox
):
    process = create_process(status="published")
    own = create_user(email="own@example.org")
    grant(own, "facilitator", process_id=process.id)
    idea_id = create_idea(process, people["author"])
    login(client, people["resident"].email)

    _report(client, "idea", idea_id)

    assert len(mailbox.to("own@example.org")) == 1
    assert len(mailbox.to("facilitator@example.org")) == 1


def test_without_a_facilitator_the_administrators_are_told_in_their_language(
    app, client, create_user, grant, create_process, create_idea, mailbox
):
    # Wijk 01 has no facilitator.
    process = create_process(area_code="WK015301", status="published")
    admin = create_user(email="admin@example.org", locale="en")
    grant(admin, "administrator")
    resident = create_user(email="someone@example.org")
    idea_id = create_idea(process, resident)
    client_ = app.test_client()
    login(client_, resident.email)

    _report(client_, "idea", idea_id)

    [mail] = mailbox.to("admin@example.org")
    assert mail["Subject"] == "New report in Een groenere straat"


def test_the_database_keeps_one_open_report_when_two_are_sent_at_once(
    app, people, create_process, create_idea, monkeypatch
):
    """Two requests at the same moment both find no open report yet (PostgreSQL reads
    what was committed): the database's unique index keeps the second out."""
    import pytest
    from participatie.core.accounts.models import User
    from participatie.core.moderation import service

    process = create_process(status="published")
    idea_id = create_idea(process, people["author"])
    monkeypatch.setattr(service, "has_open_report", lambda *args: False)
    with app.test_request_context():
        resident = db.session.get(User, people["resident"].id)
        service.report(resident, "idea", idea_id, "Beledigend")
        with pytest.raises(service.AlreadyReported):
            service.report(resident, "idea", idea_id, "Beledigend")
        db.session.commit()
        assert db.session.query(Report).count() == 1
        # Once resolved, the same account may report it again.
        db.session.query(Report).one().resolved_at = utcnow()
        db.session.commit()
        service.report(resident, "idea", idea_id, "Weer beledigend")
        db.session.commit()
        assert db.session.query(Report).count() == 2


def test_reports_are_queued_in_the_same_transaction(app, people, create_process, create_idea):
    from participatie.core.mail.models import OutboxMessage
    from participatie.core.moderation import service

    process = create_process(status="published")
    idea_id = create_idea(process, people["author"])
    with app.test_request_context():
        from participatie.core.accounts.models import User

        resident = db.session.get(User, people["resident"].id)
        service.report(resident, "idea", idea_id, "Beledigend")
        db.session.rollback()
        assert db.session.query(Report).count() == 0
        assert db.session.query(OutboxMessage).count() == 0
        assert db.session.get(Idea, idea_id).hidden_at is None
        assert deliver() == (0, 0)


def test_the_report_link_leads_visitors_through_log_in_to_the_form(
    app, client, people, create_process, create_idea
):
    from flask import render_template_string

    process = create_process(status="published")
    idea_id = create_idea(process, people["author"])
    template = (
        '{% from "moderation/_macros.html" import report_link %}{{ report_link("idea", id) }}'
    )
    with app.test_request_context():
        html = render_template_string(template, id=idea_id)
    assert f'href="/melden?kind=idea&amp;id={idea_id}"' in html

    to_login = client.get(f"/melden?kind=idea&id={idea_id}")
    assert to_login.headers["Location"].startswith("/inloggen")
    token = csrf_token(client, to_login.headers["Location"])
    logged_in = client.post(
        to_login.headers["Location"],
        data={"email": "resident@example.org", "password": TEST_PASSWORD, "csrf_token": token},
    )
    assert logged_in.headers["Location"] == f"/melden?kind=idea&id={idea_id}"
