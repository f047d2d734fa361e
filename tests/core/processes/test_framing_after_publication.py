"""Product rule 10 for the whole life of a process: what residents were told stays honest."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from participatie.core.audit.models import AuditEvent
from participatie.core.processes.models import FixedLimit
from participatie.core.processes.models import FramingRevision
from participatie.core.processes.models import Process
from participatie.extensions import db
from participatie.extensions import utcnow

from tests.conftest import csrf_token
from tests.conftest import login
from tests.core.processes.test_facilitator_screens import form_data


@pytest.fixture
def facilitated(client, app, create_process, create_user, grant):
    """A published process, and a logged-in facilitator of its area."""
    saved = create_process(status="published")
    user = create_user(email="begeleider@example.org")
    grant(user, "facilitator", "GM0153")
    login(client, user.email)
    return saved


def _framing(client, slug):
    return client.get(f"/api/v1/processes/{slug}").get_json()["framing"]


# Each change below would make the publish check refuse the process.
BLOCKING = {
    "no-reason": {"reasons-0-text": "", "reasons-0-remove": "y"},
    "no-decision-maker": {"decision_maker": ""},
    "no-horizontal-limits": {"horizontal_limits": ""},
    "no-integrality": {"integrality": ""},
    "no-execution-owner": {"execution_owner": ""},
    "no-participation-end": {"participation_ends": ""},
    "no-answer-promise": {"answer_within_days": ""},
    "no-fixed-limit": {"fixed_limits-0-remove": "y"},
    "no-open-question": {"open_questions-0-remove": "y", "open_questions-1-remove": "y"},
    "too-few-open-questions": {"level": "co-decide", "open_questions-1-remove": "y"},
    "no-level": {"level": ""},
    "vote-in-inform": {"level": "inform"},
    "phase-order": {"phases-0-ends_at": "2020-01-01T00:00"},
}


@pytest.mark.parametrize("code", sorted(BLOCKING))
def test_a_published_process_cannot_be_saved_into_a_state_the_check_refuses(
    client, app, facilitated, code
):
    path = f"/processen/{facilitated.slug}/bewerken"
    before = _framing(client, facilitated.slug)
    changes = dict(BLOCKING[code], change_explanation="Anders besloten")
    response = client.post(path, data=form_data(client, path, **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'data-code="{code}"' in page
    assert "Niet opgeslagen" in page
    assert "<title>Fout: " in page and 'id="refused-summary"' in page
    # What was typed stays in the form.
    assert "Anders besloten" in page
    assert _framing(client, facilitated.slug) == before
    with app.app_context():
        assert db.session.get(Process, facilitated.id).status == "published"


def test_the_form_and_the_check_agree_on_the_answer_promise_and_fixed_limits(client, facilitated):
    path = f"/processen/{facilitated.slug}/bewerken"
    response = client.post(
        path, data=form_data(client, path, answer_within_days="365", change_explanation="x")
    )
    assert response.status_code == 400
    assert "van 1 tot 90" in response.get_data(as_text=True)
    response = client.post(
        path,
        data=form_data(
            client,
            path,
            **{"fixed_limits-1-description": "zonder titel", "change_explanation": "x"},
        ),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Zeg wat er vaststaat." in page
    assert "Noem de bron van deze vaste kader." in page or "bron" in page


def test_a_change_needs_an_explanation_and_becomes_a_public_revision(
    client, app, facilitated, mailbox
):
    path = f"/processen/{facilitated.slug}/bewerken"
    response = client.post(path, data=form_data(client, path, decision_maker="De gemeenteraad"))
    assert response.status_code == 400
    assert "waarom de kaders veranderen" in response.get_data(as_text=True).lower()
    assert _framing(client, facilitated.slug)["decision_maker"] == "Het college"

    response = client.post(
        path,
        data=form_data(
            client,
            path,
            decision_maker="De gemeenteraad",
            change_explanation="De raad besluit over het budget.",
        ),
    )
    assert response.status_code == 302
    with app.app_context():
        revision = db.session.scalar(sa.select(FramingRevision))
        assert revision.number == 1
        assert revision.explanation == "De raad besluit over het budget."
        assert revision.changes == [
            {"field": "decision_maker", "old": "Het college", "new": "De gemeenteraad"}
        ]
        update = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "process.update")
        )
        assert {"field": "decision_maker", "old": "Het college", "new": "De gemeenteraad"} in (
            update.details["changes"]
        )
    page = client.get(f"/processen/{facilitated.slug}").get_data(as_text=True)
    assert "De kaders zijn gewijzigd op" in page
    assert "De raad besluit over het budget." in page
    history = client.get(f"/processen/{facilitated.slug}/kaders/geschiedenis")
    assert history.status_code == 200
    assert "De gemeenteraad" in history.get_data(as_text=True)
    api = client.get(f"/api/v1/processes/{facilitated.slug}").get_json()
    assert api["framing_revisions"] == 1
    items = client.get(f"/api/v1/processes/{facilitated.slug}/framing-history").get_json()["items"]
    assert items[0]["number"] == 1
    assert items[0]["changes"][0]["new"] == "De gemeenteraad"


def test_a_save_that_changes_no_framing_creates_no_revision(client, app, facilitated):
    path = f"/processen/{facilitated.slug}/bewerken"
    response = client.post(path, data=form_data(client, path, title="Een nieuwe titel"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(FramingRevision)) == 0
        assert db.session.get(Process, facilitated.id).title == "Een nieuwe titel"


def test_followers_and_participants_hear_of_a_major_change_once(
    client, app, facilitated, create_user, create_idea
):
    from participatie.core.mail.models import OutboxMessage
    from participatie.core.notifications.service import follow

    resident = create_user(email="bewoner@example.org")
    create_idea(facilitated, author=resident)
    with app.app_context():
        follow(resident, "process", facilitated.id)
        db.session.commit()
    path = f"/processen/{facilitated.slug}/bewerken"
    client.post(
        path,
        data=form_data(client, path, level="advise", change_explanation="Meer zeggenschap."),
    )
    with app.app_context():
        mails = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.subject.like("%kaders%"))
        ).all()
        assert [mail.recipient for mail in mails] == ["bewoner@example.org"]


def test_deadlines_of_ideas_already_in_never_move_back(client, app, facilitated, create_idea):
    from participatie.builtin.ideas.models import Idea

    old = create_idea(facilitated)
    with app.app_context():
        first = db.session.get(Idea, old).answer_due_at
    assert first is not None
    path = f"/processen/{facilitated.slug}/bewerken"

    def promise(days):
        response = client.post(
            path,
            data=form_data(client, path, answer_within_days=days, change_explanation="Termijn"),
        )
        return response.status_code

    assert promise("60") == 302
    with app.app_context():
        assert db.session.get(Idea, old).answer_due_at == first
    assert promise("10") == 302
    with app.app_context():
        shortened = db.session.get(Idea, old).answer_due_at
        # The form keeps phase times to the minute, so the seconds may go.
        assert abs(shortened - (first - timedelta(days=20))) < timedelta(minutes=1)
    assert promise("") == 400
    assert promise("90") == 302
    new = create_idea(facilitated)
    with app.app_context():
        assert db.session.get(Idea, old).answer_due_at == shortened
        assert db.session.get(Idea, new).answer_due_at == shortened + timedelta(days=80)


def test_overdue_counts_do_not_drop_when_the_promise_is_lengthened(client, app, facilitated):
    from participatie.builtin.ideas.models import Idea

    with app.app_context():
        process = db.session.get(Process, facilitated.id)
        db.session.add(
            Idea(
                process_id=process.id,
                title="Oud idee",
                offline=True,
                created_at=utcnow() - timedelta(days=45),
            )
        )
        db.session.commit()

    def overdue():
        return client.get(f"/api/v1/processes/{facilitated.slug}/summary").get_json()[
            "answers_overdue"
        ]

    assert overdue() == 1
    path = f"/processen/{facilitated.slug}/bewerken"
    client.post(path, data=form_data(client, path, answer_within_days="90", change_explanation="x"))
    assert overdue() == 1


def test_a_cited_fixed_limit_cannot_be_removed_but_can_lapse(client, app, facilitated, create_idea):
    from participatie.builtin.feedback.models import Answer

    idea = create_idea(facilitated)
    with app.app_context():
        limit = db.session.scalar(sa.select(FixedLimit))
        db.session.add(
            Answer(
                idea_id=idea,
                status="not-adopted",
                explanation="Past niet in het budget.",
                reason_kind="fixed-limit",
                fixed_limit_id=limit.id,
            )
        )
        db.session.commit()
    path = f"/processen/{facilitated.slug}/bewerken"
    response = client.post(
        path,
        data=form_data(
            client,
            path,
            **{
                "fixed_limits-0-remove": "y",
                "fixed_limits-1-title": "Nieuw kader",
                "fixed_limits-1-source": "Raadsbesluit",
                "change_explanation": "Ander kader",
            },
        ),
    )
    assert response.status_code == 400
    assert "kan niet worden verwijderd" in response.get_data(as_text=True)
    response = client.post(
        path,
        data=form_data(
            client,
            path,
            **{
                "fixed_limits-0-lapsed_on": "2026-12-01",
                "fixed_limits-1-title": "Nieuw kader",
                "fixed_limits-1-source": "Raadsbesluit",
                "change_explanation": "Het budget is vervallen.",
            },
        ),
    )
    assert response.status_code == 302
    limits = _framing(client, facilitated.slug)["fixed_limits"]
    assert limits[0]["lapsed_on"] == "2026-12-01"
    assert "Vervallen sinds" in client.get(f"/processen/{facilitated.slug}").get_data(
        as_text=True
    ) or "Geldt niet meer sinds" in client.get(f"/processen/{facilitated.slug}").get_data(
        as_text=True
    )


def test_close_phase_close_and_reopen_ask_first_and_are_audited(client, app, facilitated):
    slug = facilitated.slug
    page = client.get(f"/processen/{slug}/fase-afsluiten")
    assert page.status_code == 200
    assert "Ideeën" in page.get_data(as_text=True)
    token = csrf_token(client, f"/processen/{slug}/fase-afsluiten")
    assert (
        client.post(f"/processen/{slug}/fase-afsluiten", data={"csrf_token": token}).status_code
        == 302
    )
    assert client.get(f"/processen/{slug}/sluiten").status_code == 200
    client.post(f"/processen/{slug}/sluiten", data={"csrf_token": token})
    detail = client.get(f"/processen/{slug}").get_data(as_text=True)
    assert 'aria-current="step"' not in detail.split('id="phases-heading"')[1]
    response = client.post(f"/processen/{slug}/heropenen", data={"csrf_token": token})
    assert response.status_code == 400
    client.post(
        f"/processen/{slug}/heropenen", data={"csrf_token": token, "explanation": "Meer tijd."}
    )
    with app.app_context():
        assert db.session.get(Process, facilitated.id).status == "published"
        actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
        kinds = db.session.scalars(
            sa.select(FramingRevision.kind).order_by(FramingRevision.number)
        ).all()
    assert actions == ["process.close_phase", "process.close", "process.reopen"]
    assert kinds == ["close-phase", "close", "reopen"]
