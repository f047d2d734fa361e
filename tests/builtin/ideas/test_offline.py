import io

import sqlalchemy as sa
from participatie.builtin.ideas.models import Idea
from participatie.core.audit.models import AuditEvent
from participatie.core.processes.models import Process
from participatie.extensions import db

from tests.conftest import csrf_token
from tests.conftest import login

CSV = (
    "title,description,theme,buurt,where,when\n"
    "Zebrapad bij de school,Gevaarlijk oversteken,veiligheid,BU01530600,Bewonersavond,2026-03-12\n"
    "Meer bankjes,,fysiek,,Huis aan huis,2026-03-14\n"
)


def facilitator(app, create_user, grant):
    user = create_user(email="begeleider@example.org")
    grant(user, "facilitator", "GM0153")
    client = app.test_client()
    login(client, user.email)
    return client


def test_facilitator_enters_an_idea_gathered_offline_in_any_phase(
    app, create_process, create_user, grant
):
    saved = create_process(status="published")
    with app.app_context():
        db.session.get(Process, saved.id).phases[0].allows_submit = False
        db.session.commit()
    client = facilitator(app, create_user, grant)
    path = f"/processen/{saved.slug}/ideeen/offline"
    response = client.post(
        path,
        data={
            "title": "Een zebrapad",
            "text": "",
            "theme": "",
            "buurt": "",
            "photo_alt": "",
            "gathered_where": "Bewonersavond, Wijkcentrum",
            "gathered_on": "2026-03-12",
            "csrf_token": csrf_token(client, path),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        idea = db.session.scalar(sa.select(Idea))
        assert (idea.offline, idea.author_id, idea.gathered_where) == (
            True,
            None,
            "Bewonersavond, Wijkcentrum",
        )
        assert db.session.scalar(sa.select(AuditEvent.action)) == "idea.offline_create"
    page = client.get(f"/ideeen/{idea.id}").get_data(as_text=True)
    assert "Offline opgehaald: Bewonersavond, Wijkcentrum" in page


def test_offline_entry_needs_where_and_when(app, create_process, create_user, grant):
    saved = create_process(status="published")
    client = facilitator(app, create_user, grant)
    path = f"/processen/{saved.slug}/ideeen/offline"
    response = client.post(
        path, data={"title": "X", "theme": "", "buurt": "", "csrf_token": csrf_token(client, path)}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="gathered_where-error"' in page and 'id="gathered_on-error"' in page


def upload(client, slug, text):
    path = f"/processen/{slug}/ideeen/import"
    return client.post(
        path,
        data={
            "file": (io.BytesIO(text.encode()), "ideeen.csv"),
            "csrf_token": csrf_token(client, path),
        },
        content_type="multipart/form-data",
    )


def test_csv_import_previews_then_imports_all(app, create_process, create_user, grant):
    saved = create_process(status="published", themes=[])
    with app.app_context():
        from participatie.core.processes.models import Theme

        process = db.session.get(Process, saved.id)
        process.themes = [
            Theme(code="veiligheid", name="Veiligheid"),
            Theme(code="fysiek", name="Fysiek"),
        ]
        db.session.commit()
    client = facilitator(app, create_user, grant)
    preview = upload(client, saved.slug, CSV)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Zebrapad bij de school" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Idea)) == 0
    payload = __import__("re").search(r'name="payload" value="([^"]+)"', page).group(1)
    token = csrf_token(client, f"/processen/{saved.slug}")
    response = client.post(
        f"/processen/{saved.slug}/ideeen/import/bevestigen",
        data={"payload": payload, "csrf_token": token},
    )
    assert response.status_code == 302
    with app.app_context():
        ideas = db.session.scalars(sa.select(Idea).order_by(Idea.id)).all()
        assert [(i.title, i.offline, i.buurt.code if i.buurt else None) for i in ideas] == [
            ("Zebrapad bij de school", True, "BU01530600"),
            ("Meer bankjes", True, None),
        ]
    forged = client.post(
        f"/processen/{saved.slug}/ideeen/import/bevestigen",
        data={"payload": payload + "x", "csrf_token": token},
    )
    assert forged.status_code == 400


def test_csv_with_a_wrong_row_imports_nothing_and_says_which(
    app, create_process, create_user, grant
):
    saved = create_process(status="published")
    client = facilitator(app, create_user, grant)
    bad = CSV + ",zonder titel,onbekend,BU99999999,,12 maart\n"
    page = upload(client, saved.slug, bad).get_data(as_text=True)
    assert "De titel is leeg." in page and "Onbekend thema: onbekend" in page
    assert "Onbekende buurt: BU99999999" in page and 'name="payload"' not in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Idea)) == 0
