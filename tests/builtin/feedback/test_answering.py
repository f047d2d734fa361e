from datetime import timedelta

import sqlalchemy as sa
from participatie.builtin.feedback import service
from participatie.builtin.feedback.models import Answer
from participatie.builtin.ideas.models import Idea
from participatie.core.audit.models import AuditEvent
from participatie.core.processes.models import Process
from participatie.extensions import db
from participatie.extensions import utcnow

from tests.conftest import csrf_token
from tests.conftest import login


def facilitator_client(app, create_user, grant):
    user = create_user(email="begeleider@example.org")
    grant(user, "facilitator", "GM0153")
    client = app.test_client()
    login(client, user.email)
    return client


def test_an_answer_is_public_history_and_reaches_the_author_once(
    app, create_process, create_idea, create_user, grant, mailbox
):
    saved = create_process(status="published")
    author = create_user(email="anna@example.org")
    idea_id = create_idea(saved, title="Meer bomen", author=author)
    client = facilitator_client(app, create_user, grant)
    path = f"/ideeen/{idea_id}/antwoord"
    response = client.post(
        path,
        data={
            "status": "under-consideration",
            "explanation": "We bekijken het.",
            "csrf_token": csrf_token(client, path),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        limit_id = db.session.get(Process, saved.id).fixed_limits[0].id
    client.post(
        path,
        data={
            "status": "not-adopted",
            "explanation": "Past niet binnen het budget.",
            "reason_kind": "fixed-limit",
            "fixed_limit": limit_id,
            "csrf_token": csrf_token(client, path),
        },
    )
    with app.app_context():
        idea = db.session.get(Idea, idea_id)
        assert idea.status == "not-adopted"
        history = db.session.scalars(sa.select(Answer).order_by(Answer.id)).all()
        assert [(a.status, a.reason_kind, a.fixed_limit_id) for a in history] == [
            ("under-consideration", None, None),
            ("not-adopted", "fixed-limit", limit_id),
        ]
        actions = db.session.scalars(sa.select(AuditEvent.action)).all()
        assert actions.count("idea.answer") == 2
    mails = mailbox.to("anna@example.org")
    assert len(mails) == 2
    assert "Past niet binnen het budget." in mails[1].get_content()
    # The mail gives the same reason as the idea page: the fixed limit and its source.
    assert "Budget € 100.000 (Begroting 2026)" in mails[1].get_content()
    assert mails[1]["List-Unsubscribe"]


def test_a_wrong_answer_keeps_what_was_typed(app, create_process, create_idea, create_user, grant):
    saved = create_process(status="published")
    idea_id = create_idea(saved)
    client = facilitator_client(app, create_user, grant)
    path = f"/ideeen/{idea_id}/antwoord"
    response = client.post(
        path,
        data={
            "status": "not-adopted",
            "explanation": "Helaas niet.",
            "csrf_token": csrf_token(client, path),
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="reason_kind-error"' in page
    assert "Helaas niet." in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 0


def test_bulk_answering_is_all_or_nothing(app, create_process, create_idea, create_user, grant):
    saved = create_process(status="published")
    first = create_idea(saved, title="Eerste")
    second = create_idea(saved, title="Tweede")
    client = facilitator_client(app, create_user, grant)
    path = f"/processen/{saved.slug}/antwoorden/samen"
    token = csrf_token(client, f"/processen/{saved.slug}/antwoorden")
    step = client.post(
        path,
        data={"idea": [first, second], "status": "adopted", "template": "", "csrf_token": token},
    )
    assert step.status_code == 200
    assert f'name="explanation-{second}"' in step.get_data(as_text=True)
    refused = client.post(
        path,
        data={
            "idea": [first, second],
            "status": "adopted",
            "template": "",
            f"explanation-{first}": "Goed idee, we doen het.",
            f"explanation-{second}": "",
            "action": "save",
            "csrf_token": token,
        },
    )
    assert refused.status_code == 400
    assert "Goed idee, we doen het." in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 0
        assert {db.session.get(Idea, i).status for i in (first, second)} == {"submitted"}
    client.post(
        path,
        data={
            "idea": [first, second],
            "status": "adopted",
            "template": "",
            f"explanation-{first}": "Goed idee.",
            f"explanation-{second}": "Ook goed.",
            "action": "save",
            "csrf_token": token,
        },
    )
    with app.app_context():
        assert {db.session.get(Idea, i).status for i in (first, second)} == {"adopted"}


def test_deadlines_and_the_most_overdue_first(app, create_process, create_idea):
    now = utcnow()
    saved = create_process(status="published", answer_within_days=10)
    with app.app_context():
        process = db.session.get(Process, saved.id)
        phase = process.phases[0]
        phase.starts_at, phase.ends_at = now - timedelta(days=30), now - timedelta(days=20)
        process.phases[1].starts_at = now - timedelta(days=20)
        phase_end = phase.ends_at
        db.session.commit()
    in_phase = create_idea(saved, title="In de fase", created_at=now - timedelta(days=25))
    late_entry = create_idea(saved, title="Later", created_at=now - timedelta(days=5))
    old_entry = create_idea(saved, title="Ouder", created_at=now - timedelta(days=15))
    with app.app_context():
        process = db.session.get(Process, saved.id)
        items = {d.idea.id: d for d in service.deadlines(process)}
        assert items[in_phase].due == phase_end + timedelta(days=10)
        assert items[late_entry].due == items[late_entry].idea.created_at + timedelta(days=10)
        assert items[in_phase].state(now) == "overdue"
        assert items[late_entry].state(now) == "open"
        order = [d.idea.id for d in service.unanswered_most_overdue_first(process)]
        assert order == [in_phase, old_entry, late_entry]
        # The process page's counts, in one SQL row, agree with the per-idea rule.
        service.answer([service.AnswerInput(db.session.get(Idea, late_entry), "adopted", "Ja.")])
        db.session.commit()
        counts = service.tab_counts(process)
        waiting = [d.due for d in service.deadlines(process) if not d.answered]
        assert (counts.total, counts.answered) == (3, 1)
        assert counts.last_due == max(waiting)


def test_answered_on_time_or_late(app, create_process, create_idea):
    now = utcnow()
    saved = create_process(status="published", answer_within_days=1)
    early = create_idea(saved, created_at=now - timedelta(days=40))
    with app.app_context():
        idea = db.session.get(Idea, early)
        service.answer([service.AnswerInput(idea, "adopted", "Ja.")])
        db.session.commit()
        process = db.session.get(Process, saved.id)
        [item] = service.deadlines(process)
        assert item.answered and item.state(now) == "late"


def test_residents_see_how_many_ideas_are_answered_and_you_said_we_did(
    app, client, create_process, create_idea
):
    saved = create_process(status="published")
    first = create_idea(saved, title="Bankjes")
    create_idea(saved, title="Speeltuin")
    with app.app_context():
        idea = db.session.get(Idea, first)
        limit = idea.process.fixed_limits[0]
        service.answer(
            [service.AnswerInput(idea, "not-adopted", "Te duur.", "fixed-limit", limit.id)]
        )
        db.session.commit()
    page = client.get(f"/processen/{saved.slug}").get_data(as_text=True)
    assert "1 van 2 ideeën heeft een openbaar antwoord" in page
    assert f'href="/processen/{saved.slug}/wat-we-deden"' in page
    report = client.get(f"/processen/{saved.slug}/wat-we-deden").get_data(as_text=True)
    assert "Niet overgenomen" in report and "Te duur." in report
    assert "#fixed-limit-" in report and "Budget € 100.000" in report


def test_api_fields_give_answers_and_milestones(app, create_process, create_idea):
    from datetime import date

    from participatie.builtin.feedback import api_answers
    from participatie.builtin.feedback.models import Milestone

    saved = create_process(status="published")
    idea_id = create_idea(saved)
    with app.app_context():
        idea = db.session.get(Idea, idea_id)
        service.answer([service.AnswerInput(idea, "adopted", "Doen we.")])
        db.session.add(Milestone(idea_id=idea_id, title="Ontwerp", date=date(2027, 3, 1)))
        db.session.commit()
        data = api_answers([idea])[idea_id]
    assert data["milestones"] == [{"title": "Ontwerp", "date": "2027-03-01", "done": False}]
    [answer] = data["answers"]
    assert (answer["status"], answer["reason_kind"], answer["fixed_limit"]) == (
        "adopted",
        None,
        None,
    )
    assert answer["answered_at"].endswith(("+01:00", "+02:00"))


def test_my_page_shows_my_ideas_answers_comments_supports_and_follows(
    app, create_process, create_idea, create_user
):
    from participatie.builtin.comments.models import Comment
    from participatie.builtin.votes import service as votes

    saved = create_process(status="published")
    anna = create_user(email="anna@example.org")
    mine = create_idea(saved, title="Mijn idee", author=anna)
    other = create_idea(saved, title="Idee van een ander")
    with app.app_context():
        service.answer([service.AnswerInput(db.session.get(Idea, mine), "adopted", "We doen het!")])
        db.session.add(Comment(idea_id=other, author_id=anna.id, text="Mooi plan"))
        votes.support(db.session.get(Idea, other), anna.id)
        db.session.commit()
    client = app.test_client()
    login(client, anna.email)
    client.post(
        f"/processen/{saved.slug}/volgen",
        data={"csrf_token": csrf_token(client, f"/processen/{saved.slug}")},
    )
    page = client.get("/mijn-pagina").get_data(as_text=True)
    for text in (
        "Mijn idee",
        "Overgenomen",
        "We doen het!",
        "Mooi plan",
        "Idee van een ander",
        "Een groenere straat",
    ):
        assert text in page, text
    assert app.test_client().get("/mijn-pagina").status_code == 302


def test_a_draft_decision_is_read_by_the_councillors_of_the_area_only(
    app, client, create_process, create_user, grant
):
    from participatie.builtin.feedback.models import DecisionSummary

    saved = create_process(status="published")
    with app.app_context():
        db.session.add(DecisionSummary(process_id=saved.id, text="We planten twaalf bomen."))
        db.session.commit()
    path = f"/processen/{saved.slug}/wat-we-deden"
    assert "We planten twaalf bomen." not in client.get(path).get_data(as_text=True)
    councillor = create_user(email="raad@example.org")
    grant(councillor, "councillor", "GM0153")
    reader = app.test_client()
    login(reader, councillor.email)
    page = reader.get(path).get_data(as_text=True)
    assert "We planten twaalf bomen." in page and "Concept" in page


def test_the_facilitators_overview_counts_waiting_and_overdue_ideas_with_a_link(
    app, create_process, create_idea, create_user, grant
):
    now = utcnow()
    saved = create_process(status="published", answer_within_days=1)
    create_idea(saved, title="Oud", created_at=now - timedelta(days=30))
    create_idea(saved, title="Nieuw")
    answered = create_idea(saved, title="Klaar")
    with app.app_context():
        service.answer([service.AnswerInput(db.session.get(Idea, answered), "adopted", "Ja.")])
        db.session.commit()
    client = facilitator_client(app, create_user, grant)
    page = client.get("/begeleiding").get_data(as_text=True)
    assert "2 ideeën wachten op een antwoord" in page
    assert "1 over de termijn" in page
    assert f'href="/processen/{saved.slug}/antwoorden"' in page
