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


def _many_rows(count: int) -> str:
    lines = ["title,description,theme,buurt,where,when"]
    lines += [f"Idee {n},Gehoord op straat,,,Huis aan huis,2026-03-14" for n in range(count)]
    return "\n".join(lines) + "\n"


def _confirm(client, slug, page, token=None):
    payload = __import__("re").search(r'name="payload" value="([^"]+)"', page).group(1)
    return client.post(
        f"/processen/{slug}/ideeen/import/bevestigen",
        data={"payload": payload, "csrf_token": token or csrf_token(client, f"/processen/{slug}")},
    )


def test_a_large_file_goes_in_with_one_insert_per_batch_and_one_mail_per_facilitator(
    app, create_process, create_user, grant
):
    """Before: one flush, one audit record and one mail per facilitator for every row
    (a 5,000-row file ran past the worker's time-out on PostgreSQL)."""
    from participatie.builtin.ideas.offline import BATCH
    from participatie.builtin.ideas.offline import PREVIEW_ROWS
    from participatie.core.mail.models import OutboxMessage

    from tests.querycount import count_statements

    saved = create_process(status="published")
    colleague = create_user(email="collega@example.org")
    grant(colleague, "facilitator", "GM0153")
    client = facilitator(app, create_user, grant)
    token = csrf_token(client, f"/processen/{saved.slug}")
    counted = []
    for count in (7, 2 * BATCH + 7):
        page = upload(client, saved.slug, _many_rows(count)).get_data(as_text=True)
        assert f"Het bestand heeft {count:,} regels.".replace(",", ".") in page
        listed = page.count('<td class="utrecht-table__cell">Huis aan huis')
        assert listed == min(count, PREVIEW_ROWS)
        with count_statements(app) as counter:
            assert _confirm(client, saved.slug, page, token).status_code == 302
        inserts = [s for s in counter.statements if s.lstrip().startswith("INSERT INTO idea ")]
        counted.append((counter.count, len(inserts)))
    # Only the two extra batches' INSERTs grow with the file.
    assert counted[0][1] == 1 and counted[1] == (counted[0][0] + 2, 3)
    with app.app_context():
        ideas = db.session.scalars(sa.select(Idea)).all()
        assert len(ideas) == 2 * BATCH + 14
        assert all(i.offline and i.answer_due_at is not None for i in ideas)
        audit = db.session.scalars(sa.select(AuditEvent.action)).all()
        assert audit == ["idea.offline_import"] * 2
        mails = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [m.recipient for m in mails] == ["collega@example.org"] * 2
        assert mails[1].subject.startswith(f"{2 * BATCH + 7} ideeën offline opgehaald in ")


def test_a_file_over_the_web_limit_is_refused_in_dutch_and_names_the_command(
    app, create_process, create_user, grant, monkeypatch
):
    from participatie.builtin.ideas import offline

    monkeypatch.setattr(offline, "MAX_WEB_ROWS", 20)
    monkeypatch.setattr(offline.check_rows, "__defaults__", (20,))
    saved = create_process(status="published")
    client = facilitator(app, create_user, grant)
    response = upload(client, saved.slug, _many_rows(21))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Het bestand heeft meer dan 20 regels." in page
    assert "flask ideas import-offline" in page and 'name="payload"' not in page
    assert upload(client, saved.slug, _many_rows(20)).status_code == 200


def test_the_import_command_takes_any_size_with_progress_and_refuses_errors(
    app, runner, create_process, create_user, tmp_path
):
    from participatie.builtin.ideas.offline import BATCH

    saved = create_process(status="published")
    create_user(email="begeleider@example.org")
    good = tmp_path / "goed.csv"
    good.write_text(_many_rows(BATCH + 1), encoding="utf-8")
    bad = tmp_path / "fout.csv"
    bad.write_text(_many_rows(3) + ",zonder titel,,,,12 maart\n", encoding="utf-8")

    refused = runner.invoke(
        args=["ideas", "import-offline", saved.slug, str(bad), "--by", "begeleider@example.org"]
    )
    assert refused.exit_code == 1
    assert "line 5:" in refused.output and "Nothing was imported" in refused.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Idea)) == 0

    done = runner.invoke(
        args=["ideas", "import-offline", saved.slug, str(good), "--by", "Begeleider@example.org"]
    )
    assert done.exit_code == 0, done.output
    assert f"{BATCH} of {BATCH + 1} ideas added" in done.output
    assert f"{BATCH + 1} of {BATCH + 1} ideas added" in done.output
    with app.app_context():
        entered = db.session.scalars(sa.select(Idea.entered_by_id)).all()
        assert len(entered) == BATCH + 1 and len(set(entered)) == 1

    unknown = runner.invoke(
        args=["ideas", "import-offline", "geen-proces", str(good), "--by", "x@example.org"]
    )
    assert unknown.exit_code == 1 and "No process with slug" in unknown.output
