"""Facilitators see the open reports of their processes and hide or dismiss."""

import re

import pytest
import sqlalchemy as sa
from participatie.builtin.comments.models import Comment
from participatie.builtin.ideas.models import Idea
from participatie.core.audit.models import AuditEvent
from participatie.core.moderation.models import Report
from participatie.extensions import db
from participatie.extensions import utcnow

from tests.conftest import csrf_token
from tests.conftest import login
from tests.core.moderation.fixtures import rows


@pytest.fixture
def reported(app, people, create_process, create_idea, create_comment, create_user):
    """A published process with an idea reported twice and a comment reported once."""
    process = create_process(status="published")
    idea_id = create_idea(process, people["author"], title="Alle bomen weg")
    comment_id = create_comment(idea_id, people["author"], text="Jullie zijn dom.")
    second = create_user(email="second@example.org", display_name="Tweede Melder")
    with app.app_context():
        db.session.add_all(
            [
                Report(
                    process_id=process.id,
                    kind="idea",
                    object_id=idea_id,
                    reporter_id=people["resident"].id,
                    reason="Scheldt op de buren",
                ),
                Report(
                    process_id=process.id,
                    kind="idea",
                    object_id=idea_id,
                    reporter_id=second.id,
                    reason="Beledigend",
                ),
                Report(
                    process_id=process.id,
                    kind="comment",
                    object_id=comment_id,
                    reporter_id=people["resident"].id,
                    reason="Persoonlijke aanval",
                ),
            ]
        )
        db.session.commit()
        ids = [r.id for r in db.session.scalars(sa.select(Report).order_by(Report.id))]
    return process, idea_id, comment_id, ids


def _as(app, email):
    client = app.test_client()
    login(client, email)
    return client


def test_the_facilitator_sees_content_reason_reporter_and_date(app, people, reported):
    process, _, _, _ = reported
    client = _as(app, people["facilitator"].email)

    page = client.get(f"/processen/{process.slug}/meldingen")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for text in ("Alle bomen weg", "Jullie zijn dom.", "Scheldt op de buren", "Beledigend"):
        assert text in html
    assert "Resident" in html and "Tweede Melder" in html
    assert str(utcnow().year) in html


@pytest.mark.parametrize("who", ["resident", "author", "other_facilitator"])
def test_others_are_refused_the_reports_page_and_actions(app, people, reported, who):
    process, idea_id, _, ids = reported
    client = _as(app, people[who].email)
    token = csrf_token(client, "/account")

    assert client.get(f"/processen/{process.slug}/meldingen").status_code == 403
    hide = client.post(
        f"/processen/{process.slug}/meldingen/{ids[0]}/verbergen",
        data={
            "csrf_token": token,
            f"report-{ids[0]}-public_reason": "weg",
            f"report-{ids[0]}-csrf_token": token,
        },
    )
    dismiss = client.post(
        f"/processen/{process.slug}/meldingen/{ids[2]}/afwijzen", data={"csrf_token": token}
    )

    assert hide.status_code == 403 and dismiss.status_code == 403
    assert all(r.resolved_at is None for r in rows(app, Report))
    assert rows(app, Idea, Idea.id == idea_id)[0].hidden_at is None


def test_anonymous_visitors_are_sent_to_log_in(app, reported):
    process, _, _, _ = reported
    response = app.test_client().get(f"/processen/{process.slug}/meldingen")
    assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen")


def _hide(client, process, report_id, reason):
    token = csrf_token(client, f"/processen/{process.slug}/meldingen")
    return client.post(
        f"/processen/{process.slug}/meldingen/{report_id}/verbergen",
        data={f"report-{report_id}-csrf_token": token, f"report-{report_id}-public_reason": reason},
    )


def test_hiding_sets_the_flag_keeps_the_row_resolves_every_report_and_audits(app, people, reported):
    process, idea_id, comment_id, ids = reported
    client = _as(app, people["facilitator"].email)

    response = _hide(client, process, ids[0], "Scheldwoorden")

    assert response.status_code == 302
    [idea] = rows(app, Idea, Idea.id == idea_id)
    assert idea.hidden_at is not None and idea.hidden_reason == "Scheldwoorden"
    assert idea.title == "Alle bomen weg"
    reports = {r.id: r for r in rows(app, Report)}
    for report_id in ids[:2]:
        assert reports[report_id].resolution == "hidden"
        assert reports[report_id].resolved_by_id == people["facilitator"].id
        assert reports[report_id].public_reason == "Scheldwoorden"
    assert reports[ids[2]].resolved_at is None
    [event] = rows(app, AuditEvent, AuditEvent.action == "idea.hide")
    assert event.object_id == str(idea_id)
    assert event.details["reason"] == "Scheldwoorden"
    assert "Alle bomen weg" in event.object_label
    assert event.actor_id == people["facilitator"].id
    page = client.get(f"/processen/{process.slug}/meldingen").get_data(as_text=True)
    assert "Scheldt op de buren" not in page and "Persoonlijke aanval" in page


def test_hiding_a_comment_sets_the_comments_own_flag(app, people, reported):
    process, idea_id, comment_id, ids = reported
    client = _as(app, people["administrator"].email)

    _hide(client, process, ids[2], "Persoonlijke aanval op een buurman")

    [comment] = rows(app, Comment, Comment.id == comment_id)
    assert comment.hidden_at is not None
    assert comment.hidden_reason == "Persoonlijke aanval op een buurman"
    assert comment.text == "Jullie zijn dom."
    assert rows(app, Idea, Idea.id == idea_id)[0].hidden_at is None
    assert len(rows(app, AuditEvent, AuditEvent.action == "comment.hide")) == 1


def test_hiding_needs_a_public_reason_of_at_most_500_characters(app, people, reported):
    process, idea_id, _, ids = reported
    client = _as(app, people["facilitator"].email)

    empty = _hide(client, process, ids[0], "  ")
    too_long = _hide(client, process, ids[0], "y" * 501)

    assert empty.status_code == 400 and too_long.status_code == 400
    assert "y" * 501 in too_long.get_data(as_text=True)
    assert rows(app, Idea, Idea.id == idea_id)[0].hidden_at is None
    assert all(r.resolved_at is None for r in rows(app, Report))
    assert rows(app, AuditEvent) == []


def test_dismissing_closes_one_report_and_leaves_the_content(app, people, reported):
    process, idea_id, _, ids = reported
    client = _as(app, people["facilitator"].email)
    token = csrf_token(client, f"/processen/{process.slug}/meldingen")

    response = client.post(
        f"/processen/{process.slug}/meldingen/{ids[0]}/afwijzen", data={"csrf_token": token}
    )

    assert response.status_code == 302
    reports = {r.id: r for r in rows(app, Report)}
    assert reports[ids[0]].resolution == "dismissed"
    assert reports[ids[1]].resolved_at is None
    assert rows(app, Idea, Idea.id == idea_id)[0].hidden_at is None
    [event] = rows(app, AuditEvent, AuditEvent.action == "report.dismiss")
    assert event.object_id == str(ids[0])


def test_actions_without_csrf_change_nothing(app, people, reported):
    process, idea_id, _, ids = reported
    client = _as(app, people["facilitator"].email)

    hide = client.post(
        f"/processen/{process.slug}/meldingen/{ids[0]}/verbergen",
        data={f"report-{ids[0]}-public_reason": "weg"},
    )
    dismiss = client.post(f"/processen/{process.slug}/meldingen/{ids[1]}/afwijzen")

    assert hide.status_code == 400 and dismiss.status_code == 400
    assert all(r.resolved_at is None for r in rows(app, Report))


def test_a_report_is_handled_once_and_only_under_its_own_process(
    app, people, reported, create_process
):
    process, idea_id, _, ids = reported
    other = create_process(status="published", slug="ander-proces")
    client = _as(app, people["facilitator"].email)

    wrong_process = _hide(client, other, ids[0], "weg")
    assert wrong_process.status_code == 302
    assert rows(app, Report, Report.id == ids[0])[0].resolved_at is None

    _hide(client, process, ids[0], "Eerste")
    again = _hide(client, process, ids[1], "Tweede")

    assert again.status_code == 302
    assert rows(app, Idea, Idea.id == idea_id)[0].hidden_reason == "Eerste"
    assert len(rows(app, AuditEvent, AuditEvent.action == "idea.hide")) == 1


def test_hide_in_the_service_resolves_nothing_when_another_moderator_was_first(
    app, people, reported
):
    from participatie.core.accounts.models import User
    from participatie.core.moderation import service

    _, idea_id, _, ids = reported
    with app.test_request_context():
        actor = db.session.get(User, people["facilitator"].id)
        row = db.session.get(Report, ids[0])
        assert service.hide(row, "Eerste", actor) == 2
        assert service.hide(row, "Tweede", actor) == 0
        assert service.dismiss(row, actor) is False
        db.session.commit()
    assert rows(app, Idea, Idea.id == idea_id)[0].hidden_reason == "Eerste"


def test_my_processes_shows_the_number_of_open_reports(app, people, reported):
    process, _, _, _ = reported
    client = _as(app, people["facilitator"].email)

    html = client.get("/begeleiding").get_data(as_text=True)

    assert f'href="/processen/{process.slug}/meldingen"' in html
    assert ">3<" in html
    # The notice above the table is a link: with one process it leads to its reports.
    notice = re.search(
        r'<p class="notice notice--warning"><a class="utrecht-link" href="([^"]+)">', html
    )
    assert notice and notice.group(1) == f"/processen/{process.slug}/meldingen"


def test_the_public_notice_of_hidden_content(app):
    from flask import render_template_string

    with app.test_request_context():
        html = render_template_string(
            '{% from "moderation/_macros.html" import hidden_notice %}{{ hidden_notice("Scheld") }}'
        )
    assert "door de moderator: Scheld" in html or "by the moderator: Scheld" in html


def test_an_htmx_request_gets_only_the_list_of_reports(app, people, reported):
    process, _, _, _ = reported
    client = _as(app, people["facilitator"].email)

    full = client.get(f"/processen/{process.slug}/meldingen").get_data(as_text=True)
    partial = client.get(
        f"/processen/{process.slug}/meldingen", headers={"HX-Request": "true"}
    ).get_data(as_text=True)

    assert "<html" in full and '<div id="reports">' in full
    assert "<html" not in partial and partial.strip().startswith('<div id="reports">')
    assert "Scheldt op de buren" in partial
