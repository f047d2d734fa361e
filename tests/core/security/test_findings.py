"""Issue 15's findings, each as a test that failed before its fix."""

import os
import re
import stat
import threading

import pytest
import sqlalchemy as sa
from participatie.builtin.comments.models import Comment
from participatie.builtin.ideas.models import Idea
from participatie.builtin.ideas.models import IdeaUpdate
from participatie.core.accounts.models import LoginThrottle
from participatie.core.mail.models import OutboxMessage
from participatie.core.mail.sending import deliver
from participatie.core.mail.sending import MAX_ATTEMPTS
from participatie.extensions import db
from participatie.extensions import utcnow

from tests.conftest import csrf_token
from tests.conftest import login
from tests.conftest import TEST_PASSWORD

WRONG = "dit is niet het wachtwoord"


@pytest.fixture
def process(app, create_process, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    return create_process(status="published")


@pytest.fixture
def resident(app, create_user):
    user = create_user(email="anna@example.org", display_name="Anna")
    client = app.test_client()
    login(client, user.email)
    return client, user


def _count(app, model, *where):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


# Links in mail ---------------------------------------------------------------


def test_a_reset_link_is_on_public_url_whatever_host_the_request_names(
    app, client, mailbox, create_user
):
    user = create_user()
    host = {"Host": "attacker.example"}
    form = client.get("/wachtwoord-vergeten", headers=host).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    response = client.post(
        "/wachtwoord-vergeten", data={"email": user.email, "csrf_token": token}, headers=host
    )
    assert response.status_code == 200
    body = mailbox.to(user.email)[0].get_content()
    assert "attacker.example" not in body
    assert re.search(r"http://localhost/wachtwoord-herstellen/\S+", body)


# Mail headers and the outbox worker -----------------------------------------


def test_a_line_break_in_a_title_is_refused_with_a_message_and_the_form_kept(
    app, process, resident
):
    client, _user = resident
    path = f"/processen/{process.slug}/ideeen/nieuw"
    response = client.post(
        path,
        data={
            "title": "Meer bomen\r\nBcc: iedereen@example.org",
            "text": "Mijn uitleg blijft staan.",
            "theme": "",
            "buurt": "",
            "photo_alt": "",
            "csrf_token": csrf_token(client, path),
        },
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "één regel" in page or "one line" in page
    assert "Mijn uitleg blijft staan." in page
    assert _count(app, Idea) == 0


def test_one_message_that_cannot_be_built_does_not_stop_the_others(app, mailbox):
    with app.app_context():
        bad = OutboxMessage(recipient="a@example.org", subject="x", body_text="x", headers={})
        db.session.add(bad)
        good = OutboxMessage(recipient="b@example.org", subject="Goed", body_text="y", headers={})
        db.session.add(good)
        db.session.commit()
        # As stored before the fix: a carriage return inside a header value.
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == bad.id)
            .values(headers={"X-Bad": "een\rtwee"}, recipient="a@example.org\r\nBcc: x@y")
        )
        db.session.commit()
        sent, failed = deliver()
        assert (sent, failed) == (1, 1)
        assert [m["Subject"] for m in mailbox.to("b@example.org")] == ["Goed"]
        stored = db.session.get(OutboxMessage, bad.id)
        assert stored.sent_at is None and stored.attempts == 1
        assert stored.last_error and stored.next_attempt_at > utcnow()
        # Not tried again before its time; given up after MAX_ATTEMPTS.
        assert deliver() == (0, 0)
        for _ in range(MAX_ATTEMPTS):
            stored.next_attempt_at = None
            db.session.commit()
            deliver()
        stored = db.session.get(OutboxMessage, bad.id)
        assert stored.failed_at is not None and stored.attempts == MAX_ATTEMPTS


def test_administrators_see_failed_mail_and_can_queue_it_again(app, create_user, grant):
    admin = create_user(email="beheer@example.org")
    grant(admin, "administrator")
    with app.app_context():
        db.session.add(
            OutboxMessage(
                recipient="c@example.org",
                subject="Vast",
                body_text="z",
                headers={},
                attempts=MAX_ATTEMPTS,
                last_error="ValueError: header",
                failed_at=utcnow(),
            )
        )
        db.session.commit()
    client = app.test_client()
    login(client, admin.email)
    assert "1 bericht mislukt" in client.get("/beheer/").get_data(as_text=True)
    page = client.get("/beheer/mail").get_data(as_text=True)
    assert "ValueError: header" in page
    response = client.post(
        "/beheer/mail/opnieuw", data={"csrf_token": csrf_token(client, "/beheer/mail")}
    )
    assert response.status_code == 302
    assert _count(app, OutboxMessage, OutboxMessage.failed_at.is_not(None)) == 0


# Hidden stays hidden ---------------------------------------------------------


def test_a_hidden_idea_is_gone_for_everyone_but_its_moderators(
    app, process, create_idea, create_user, grant
):
    author = create_user(email="auteur@example.org")
    facilitator = create_user(email="begeleider@example.org")
    grant(facilitator, "facilitator", "WK015306")
    idea_id = create_idea(process, author, title="Verborgen titel", hidden_at=utcnow())
    anonymous = app.test_client()
    notice = anonymous.get(f"/ideeen/{idea_id}")
    assert notice.status_code == 410 and "Verborgen titel" not in notice.get_data(as_text=True)
    assert anonymous.get(f"/ideeen/{idea_id}/reacties").status_code == 404
    assert anonymous.get(f"/api/v1/ideas/{idea_id}").status_code == 404
    as_author = app.test_client()
    login(as_author, author.email)
    assert as_author.get(f"/ideeen/{idea_id}").status_code == 410
    token = csrf_token(as_author, "/account")
    response = as_author.post(
        f"/ideeen/{idea_id}/aanvulling", data={"text": "Toch nog iets", "csrf_token": token}
    )
    assert response.status_code == 404
    assert _count(app, IdeaUpdate) == 0
    as_facilitator = app.test_client()
    login(as_facilitator, facilitator.email)
    page = as_facilitator.get(f"/ideeen/{idea_id}").get_data(as_text=True)
    assert "Verborgen titel" in page


# Hostile parameters ----------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "٣", "1" * 40, "-1", "0", "1e3", "9" * 20])
def test_page_numbers_never_break_a_page(app, process, create_idea, value):
    idea_id = create_idea(process)
    client = app.test_client()
    for path in (
        f"/processen/{process.slug}/ideeen?pagina={value}",
        f"/ideeen/{idea_id}/reacties?pagina={value}",
        f"/ideeen/{idea_id}?reacties={value}",
        f"/gebieden/WK015306?pagina={value}",
    ):
        assert client.get(path).status_code in {200, 302, 404}, path
    for path in (f"/api/v1/processes?page={value}", f"/api/v1/areas?page={value}"):
        response = client.get(path)
        assert response.status_code == 400, path
        assert response.get_json()["error"] == "bad_request"


@pytest.mark.parametrize("number", [2**31, 2**63, 10**30])
def test_ids_past_any_column_name_no_row(app, number):
    client = app.test_client()
    for path in (f"/ideeen/{number}", f"/api/v1/ideas/{number}", f"/reacties/{number}/bewerken"):
        assert client.get(path).status_code in {302, 404}, path


def test_a_nul_byte_in_the_url_is_a_bad_request(app, process):
    client = app.test_client()
    assert client.get(f"/processen/{process.slug}/ideeen?thema=%00").status_code == 400
    assert client.get("/api/v1/processes?page=1%00").status_code == 400


def test_a_nul_byte_in_a_comment_is_refused_and_the_text_kept(app, process, create_idea, resident):
    client, _user = resident
    idea_id = create_idea(process)
    response = client.post(
        f"/ideeen/{idea_id}/reacties",
        data={
            "text": "Mijn reactie\x00 met een NUL",
            "stance": "",
            "parent": "",
            "csrf_token": csrf_token(client, f"/ideeen/{idea_id}"),
        },
    )
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)
    assert "met een NUL" in response.get_data(as_text=True)
    assert _count(app, Comment) == 0


@pytest.mark.parametrize("parent", ["²", "9" * 30, "abc"])
def test_a_strange_parent_of_a_comment_is_a_bad_request(
    app, process, create_idea, resident, parent
):
    client, _user = resident
    idea_id = create_idea(process)
    response = client.post(
        f"/ideeen/{idea_id}/reacties",
        data={
            "text": "Antwoord",
            "stance": "",
            "parent": parent,
            "csrf_token": csrf_token(client, f"/ideeen/{idea_id}"),
        },
    )
    assert response.status_code == 400
    assert _count(app, Comment) == 0


# Redirects and passwords -----------------------------------------------------


@pytest.mark.parametrize("target", ["/\\evil.example", "//evil.example", "https://evil.example"])
def test_the_support_button_never_sends_anyone_elsewhere(
    app, process, create_idea, resident, target
):
    client, _user = resident
    idea_id = create_idea(process)
    response = client.post(
        f"/ideeen/{idea_id}/steun",
        data={"csrf_token": csrf_token(client, f"/ideeen/{idea_id}"), "next": target},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideeen/{idea_id}"


def test_an_overlong_password_is_refused_before_it_is_hashed(app, client, create_user):
    user = create_user()
    response = login(client, user.email, "x" * 10_000)
    assert response.status_code == 400
    assert _count(app, LoginThrottle) == 0


# The log-in lock-out ---------------------------------------------------------


def test_a_lock_out_from_one_client_does_not_keep_the_owner_out_elsewhere(app, create_user):
    user = create_user()
    attacker = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        attacker.post(
            "/inloggen",
            data={"email": user.email, "password": WRONG, "csrf_token": csrf_token(attacker)},
            environ_base={"REMOTE_ADDR": "203.0.113.9"},
        )
    owner = app.test_client()
    assert login(owner, user.email).status_code == 302
    blocked = attacker.post(
        "/inloggen",
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(attacker)},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )
    assert blocked.status_code == 400


def test_too_many_failures_from_one_client_are_refused_before_any_hash(app, create_user):
    app.config["LOGIN_MAX_FAILURES_PER_CLIENT"] = 6
    client = app.test_client()
    for number in range(6):
        client.post(
            "/inloggen",
            data={
                "email": f"iemand{number}@example.org",
                "password": WRONG,
                "csrf_token": csrf_token(client),
            },
        )
    user = create_user()
    # Even the right password: this client has tried too often.
    assert login(client, user.email).status_code == 400


def test_a_password_reset_lifts_the_lock(app, client, mailbox, create_user):
    user = create_user()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, user.email, WRONG)
    assert login(client, user.email).status_code == 400
    client.post(
        "/wachtwoord-vergeten",
        data={"email": user.email, "csrf_token": csrf_token(client, "/wachtwoord-vergeten")},
    )
    path = re.search(
        r"http://localhost(/wachtwoord-herstellen/\S+)", mailbox.to(user.email)[0].get_content()
    ).group(1)
    new = "een heel nieuwe wachtzin"
    client.post(
        path, data={"password": new, "password_repeat": new, "csrf_token": csrf_token(client, path)}
    )
    assert login(client, user.email, new).status_code == 302


# Operations --------------------------------------------------------------------


def test_demo_data_is_never_loaded_in_production(app, runner):
    app.config["PARTICIPATIE_ENV"] = "production"
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code != 0
    assert "never loaded in production" in result.output


def test_the_sqlite_database_file_is_for_the_apps_user_only(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("a file permission of SQLite")
        db.session.execute(sa.text("SELECT 1"))
        path = db.engine.url.database
    assert stat.S_IMODE(os.stat(path).st_mode) & 0o077 == 0


def test_opposite_merges_at_the_same_moment_leave_one_merge(
    app, process, create_idea, create_user, grant
):
    from participatie.builtin.ideas.merge import merge
    from participatie.builtin.ideas.merge import MergeRefused

    first = create_idea(process, title="A")
    second = create_idea(process, title="B")
    outcomes = []
    barrier = threading.Barrier(2)

    def run(duplicate_id, kept_id):
        with app.app_context():
            barrier.wait()
            try:
                merge(db.session.get(Idea, duplicate_id), db.session.get(Idea, kept_id))
                db.session.commit()
                outcomes.append("merged")
            except MergeRefused:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=run, args=pair) for pair in ((first, second), (second, first))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["merged", "refused"]
    with app.app_context():
        merged = [i for i in db.session.scalars(sa.select(Idea)) if i.merged_into_id is not None]
        assert len(merged) == 1


# Photos ------------------------------------------------------------------------


def _jpeg(width, height) -> bytes:
    import io

    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", (width, height), (40, 120, 60)).save(output, "JPEG", quality=30)
    return output.getvalue()


def test_a_forty_megapixel_photo_is_decoded_small_and_stored_at_most_2560_pixels(app, tmp_path):
    from participatie.builtin.ideas import photos
    from PIL import Image

    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    data = _jpeg(7300, 5470)  # 39.9 megapixels, a few hundred KB
    with app.test_request_context():
        name, content_type = photos.store(data)
        with Image.open(photos.path_of(name)) as stored:
            assert max(stored.size) <= photos.MAX_SIDE
    assert content_type == "image/jpeg"


def test_a_png_with_too_many_pixels_is_refused_from_its_header(app, tmp_path):
    import struct
    import zlib

    from participatie.builtin.ideas import photos

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    # A PNG header that claims 20,000 × 20,000 pixels: a decompression bomb.
    header = struct.pack(">IIBBBBB", 20_000, 20_000, 8, 2, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 100))
        + chunk(b"IEND", b"")
    )
    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    with app.test_request_context(), pytest.raises(photos.PhotoRefused):
        photos.store(data)
    assert list(tmp_path.iterdir()) == []


# CSV files as spreadsheets save them -------------------------------------------


def _admin(app, create_user, grant):
    admin = create_user(email="csv-beheer@example.org")
    grant(admin, "administrator")
    client = app.test_client()
    login(client, admin.email)
    return client


def _import_areas(client, data: bytes):
    import io

    return client.post(
        "/beheer/gebieden/import",
        data={
            "file": (io.BytesIO(data), "stadsdelen.csv"),
            "csrf_token": csrf_token(client, "/beheer/gebieden"),
        },
        content_type="multipart/form-data",
    )


def test_a_csv_with_carriage_returns_only_imports(app, areas, create_user, grant):
    from participatie.core.areas.models import Area

    client = _admin(app, create_user, grant)
    mac = b"code,name,level,parent_code,gemeente_code\rSD-N,Noord,stadsdeel,GM0153,GM0153\r"
    assert _import_areas(client, mac).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Area.name).where(Area.code == "SD-N")) == "Noord"


def test_a_csv_field_past_the_limit_is_reported_not_a_crash(app, areas, create_user, grant):
    client = _admin(app, create_user, grant)
    huge = (
        b"code,name,level,parent_code,gemeente_code\nSD-N,"
        + b"x" * 140_000
        + b",stadsdeel,GM0153,GM0153\n"
    )
    response = _import_areas(client, huge)
    assert response.status_code == 400
    assert "not valid CSV" in response.get_data(as_text=True)


@pytest.mark.parametrize("name", ["Moderator", "Gemeente Enschede", "beheer-team", "B.e.h.e.e.r"])
def test_a_display_name_cannot_pass_for_staff(app, client, name):
    from participatie.core.accounts.models import User

    response = client.post(
        "/registreren",
        data={
            "email": "nep@example.org",
            "display_name": name,
            "password": "mijn fiets staat bij het station",
            "password_repeat": "mijn fiets staat bij het station",
            "house_rules": "y",
            "csrf_token": csrf_token(client, "/registreren"),
        },
    )
    assert response.status_code == 400
    assert "gemeente" in response.get_data(as_text=True)
    assert _count(app, User) == 0


def test_every_report_link_says_what_it_reports(app, process, create_idea, create_user):
    author = create_user(email="schrijver@example.org", display_name="Sanne")
    idea_id = create_idea(process, author)
    with app.app_context():
        for text in ("Eens", "Oneens"):
            db.session.add(Comment(idea_id=idea_id, author_id=author.id, text=text))
        db.session.commit()
    page = app.test_client().get(f"/ideeen/{idea_id}").get_data(as_text=True)
    names = re.findall(r'class="utrecht-link report-link"[^>]*>(.*?)</a>', page, re.S)
    texts = [re.sub(r"<[^>]+>", "", name).strip() for name in names]
    assert len(texts) == 3 and len(set(texts)) == 3, texts
