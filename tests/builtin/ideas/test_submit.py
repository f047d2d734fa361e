import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from participatie.builtin.ideas.models import Idea
from participatie.core.processes.models import Process
from participatie.extensions import db
from participatie.extensions import utcnow
from PIL import Image

from tests.conftest import csrf_token
from tests.conftest import login


@pytest.fixture
def open_process(app, create_process, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    return create_process(status="published")


@pytest.fixture
def resident(app, create_user):
    user = create_user(email="anna@example.org")
    client = app.test_client()
    login(client, user.email)
    return client, user


def post_idea(client, slug, **fields):
    path = f"/processen/{slug}/ideeen/nieuw"
    data = {
        "title": "Meer bomen",
        "text": "In de **straat**.",
        "theme": "",
        "buurt": "",
        "photo_alt": "",
    }
    data.update(fields)
    data["csrf_token"] = csrf_token(client, path)
    return client.post(path, data=data, content_type="multipart/form-data")


def count(model=Idea):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_submitting_an_idea(app, open_process, resident):
    client, user = resident
    page = client.get(f"/processen/{open_process.slug}/ideeen/nieuw").get_data(as_text=True)
    # The limits and open questions stand right above the form.
    assert page.index("Budget € 100.000") < page.index('name="title"')
    assert "Waar komen de bomen?" in page
    response = post_idea(client, open_process.slug)
    assert response.status_code == 302
    with app.app_context():
        idea = db.session.scalar(sa.select(Idea))
        assert (idea.title, idea.status, idea.author_id, idea.offline) == (
            "Meer bomen",
            "submitted",
            user.id,
            False,
        )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>straat</strong>" in page


def test_a_double_submit_makes_one_idea(app, open_process, resident):
    client, _user = resident
    post_idea(client, open_process.slug)
    post_idea(client, open_process.slug)
    with app.app_context():
        assert count() == 1


@pytest.mark.parametrize(
    ("fields", "error"),
    [({"title": ""}, "title-error"), ({"title": "x" * 161}, "title-error")],
)
def test_bad_title_is_refused_and_what_was_typed_stays(app, open_process, resident, fields, error):
    client, _user = resident
    response = post_idea(client, open_process.slug, text="Mijn lange uitleg", **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{error}"' in page
    assert "Mijn lange uitleg" in page
    with app.app_context():
        assert count() == 0


def test_submitting_needs_an_open_submit_phase(app, open_process, resident):
    client, _user = resident
    with app.app_context():
        process = db.session.get(Process, open_process.id)
        process.phases[0].allows_submit = False
        db.session.commit()
    response = post_idea(client, open_process.slug)
    assert response.status_code == 400
    assert "niet mogelijk" in response.get_data(as_text=True)
    with app.app_context():
        assert count() == 0


def test_submitting_needs_a_confirmed_email(app, open_process, create_user):
    user = create_user(confirmed=False)
    client = app.test_client()
    login(client, user.email)
    response = post_idea(client, open_process.slug)
    assert response.status_code == 400
    assert "Bevestig eerst je e-mailadres" in response.get_data(as_text=True)


def test_ideas_plugin_switched_off_hides_everything(app, client, open_process):
    from participatie.core.processes.service import set_enabled

    with app.app_context():
        process = db.session.get(Process, open_process.id)
        set_enabled(process, "ideas", False)
        db.session.commit()
    assert client.get(f"/processen/{open_process.slug}/ideeen").status_code == 404
    page = client.get(f"/processen/{open_process.slug}").get_data(as_text=True)
    assert "ideeën indienen" not in page
    assert client.get(f"/api/v1/processes/{open_process.slug}/ideas").get_json() == {
        "items": [],
        "next": None,
    }


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "green")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (52.0, 13.0, 0.0)}  # GPSInfo
    exif[0x010F] = "Camera maker"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_a_photo_is_stored_without_its_metadata_and_served_safely(app, open_process, resident):
    client, _user = resident
    data = jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif()
    response = post_idea(
        client,
        open_process.slug,
        photo=(io.BytesIO(data), "vakantie.jpg"),
        photo_alt="Een lege stoep",
    )
    assert response.status_code == 302
    with app.app_context():
        idea = db.session.scalar(sa.select(Idea))
        assert idea.photo_file.endswith(".jpg") and "vakantie" not in idea.photo_file
    served = client.get(f"/ideeen/{idea.id}/foto")
    assert served.mimetype == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    stored = Image.open(io.BytesIO(served.data))
    assert not stored.getexif()
    served.close()
    page = client.get(f"/ideeen/{idea.id}").get_data(as_text=True)
    assert 'alt="Een lege stoep"' in page


def test_svg_and_other_files_are_refused_by_content(app, open_process, resident):
    client, _user = resident
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = post_idea(
        client, open_process.slug, photo=(io.BytesIO(svg), "foto.jpg"), photo_alt="x"
    )
    assert response.status_code == 400
    assert "geen JPEG- of PNG-foto" in response.get_data(as_text=True)
    gif = io.BytesIO()
    Image.new("RGB", (5, 5)).save(gif, "GIF")
    response = post_idea(
        client, open_process.slug, photo=(io.BytesIO(gif.getvalue()), "a.png"), photo_alt="x"
    )
    assert response.status_code == 400
    with app.app_context():
        assert count() == 0


def test_a_photo_needs_alt_text(app, open_process, resident):
    client, _user = resident
    response = post_idea(client, open_process.slug, photo=(io.BytesIO(jpeg_with_gps()), "a.jpg"))
    assert response.status_code == 400
    assert 'id="photo_alt-error"' in response.get_data(as_text=True)


def test_user_html_is_cleaned(app, open_process, resident):
    client, _user = resident
    text = (
        '<script>alert(1)</script> <a href="/x" hx-post="/y" data-hx-get="/z" onclick="e()">a</a> '
        "[js](javascript:alert(1)) [data](data:text/html;base64,xx) [ok](https://example.org)"
    )
    post_idea(client, open_process.slug, text=text)
    with app.app_context():
        idea_id = db.session.scalar(sa.select(Idea.id))
    page = client.get(f"/ideeen/{idea_id}").get_data(as_text=True)
    body = page[page.index('class="idea-text"') :]
    body = body[: body.index("</div>")]
    # Typed HTML comes out as text; no attribute of it survives as markup.
    assert "<script" not in body
    for attribute in ('hx-post="', 'data-hx-get="', 'onclick="'):
        assert attribute not in body
    assert 'href="javascript' not in body and 'href="data' not in body
    assert '<a href="https://example.org" rel="nofollow ugc">ok</a>' in body
    api = client.get(f"/api/v1/ideas/{idea_id}").get_json()
    assert api["text"] == text


def test_edit_and_withdraw_until_there_are_reactions(app, open_process, resident):
    client, user = resident
    post_idea(client, open_process.slug)
    with app.app_context():
        idea_id = db.session.scalar(sa.select(Idea.id))
    path = f"/ideeen/{idea_id}/bewerken"
    response = client.post(
        path,
        data={
            "title": "Nog meer bomen",
            "text": "",
            "theme": "",
            "buurt": "",
            "photo_alt": "",
            "csrf_token": csrf_token(client, path),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        idea = db.session.get(Idea, idea_id)
        assert idea.title == "Nog meer bomen"
        idea.supports = 1
        db.session.commit()
    assert client.get(path).status_code == 403
    token = csrf_token(client, f"/ideeen/{idea_id}")
    client.post(f"/ideeen/{idea_id}/intrekken", data={"csrf_token": token})
    with app.app_context():
        assert db.session.get(Idea, idea_id).withdrawn_at is None
    client.post(
        f"/ideeen/{idea_id}/aanvulling", data={"text": "Ook bij de school.", "csrf_token": token}
    )
    assert "Ook bij de school." in client.get(f"/ideeen/{idea_id}").get_data(as_text=True)


def test_a_comment_also_locks_editing(app, open_process, resident, create_idea):
    client, user = resident
    idea_id = create_idea(open_process, author=user)
    with app.app_context():
        db.session.execute(
            sa.text(
                "INSERT INTO comment (idea_id, text, created_at, hidden_reason) VALUES (:i, 'Eens', :t, '')"
            ),
            {"i": idea_id, "t": utcnow().replace(tzinfo=None)},
        )
        db.session.commit()
    assert client.get(f"/ideeen/{idea_id}/bewerken").status_code == 403


def test_withdrawn_idea_disappears(app, open_process, resident):
    client, _user = resident
    post_idea(client, open_process.slug)
    with app.app_context():
        idea_id = db.session.scalar(sa.select(Idea.id))
    client.post(
        f"/ideeen/{idea_id}/intrekken",
        data={"csrf_token": csrf_token(client, f"/ideeen/{idea_id}")},
    )
    assert client.get(f"/ideeen/{idea_id}").status_code == 404
    assert "Meer bomen" not in client.get(f"/processen/{open_process.slug}/ideeen").get_data(
        as_text=True
    )


def test_only_the_author_may_edit(app, open_process, create_idea, create_user):
    other = create_user()
    idea_id = create_idea(open_process)
    client = app.test_client()
    login(client, other.email)
    assert client.get(f"/ideeen/{idea_id}/bewerken").status_code == 403


def test_hidden_idea_shows_the_public_reason(app, client, open_process, create_idea):
    idea_id = create_idea(
        open_process,
        title="Weg ermee",
        text="Geheim",
        hidden_at=utcnow() - timedelta(minutes=1),
        hidden_reason="Scheldwoorden",
    )
    response = client.get(f"/ideeen/{idea_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "Scheldwoorden" in page and "Geheim" not in page and "Weg ermee" not in page


def test_facilitators_hear_of_new_ideas_and_followers_of_answers(
    app, open_process, resident, create_user, grant, mailbox
):
    from participatie.builtin.feedback import service as feedback

    facilitator = create_user(email="begeleider@example.org")
    grant(facilitator, "facilitator", "WK015306")
    client, _user = resident
    post_idea(client, open_process.slug)
    [mail] = mailbox.to("begeleider@example.org")
    assert "Nieuw idee" in mail["Subject"] and "Meer bomen" in mail.get_content()
    with app.app_context():
        idea_id = db.session.scalar(sa.select(Idea.id))
    follower = create_user(email="volger@example.org")
    other = app.test_client()
    login(other, follower.email)
    other.post(
        f"/ideeen/{idea_id}/volgen", data={"csrf_token": csrf_token(other, f"/ideeen/{idea_id}")}
    )
    with app.app_context():
        feedback.answer(
            [feedback.AnswerInput(db.session.get(Idea, idea_id), "adopted", "Komt er.")]
        )
        db.session.commit()
        from participatie.core.mail.sending import deliver

        deliver()
    assert len(mailbox.to("volger@example.org")) == 1
    assert len(mailbox.to("anna@example.org")) == 1


def test_preview_shows_the_text_and_saves_nothing(app, open_process, resident):
    client, _user = resident
    response = post_idea(
        client,
        open_process.slug,
        text="Eerste regel\ntweede regel\n\n- minder tegels\n- meer groen",
        preview="1",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="preview"' in page
    # A line break stays a line break, a dash makes a list: no Markdown needed.
    assert "Eerste regel<br" in page
    assert "<li>minder tegels</li>" in page
    # What was typed is still in the form, ready to submit.
    assert "Eerste regel\ntweede regel" in page
    with app.app_context():
        assert count() == 0
    assert post_idea(client, open_process.slug).status_code == 302
    with app.app_context():
        assert count() == 1


def test_preview_of_an_invalid_form_shows_the_errors_not_the_preview(open_process, resident):
    client, _user = resident
    response = post_idea(client, open_process.slug, title="", preview="1")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="preview"' not in page
    assert "Geef je idee een titel" in page


def test_a_chosen_photo_that_comes_back_is_named(open_process, resident):
    client, _user = resident
    photo = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(photo, "JPEG")
    photo.seek(0)
    response = post_idea(client, open_process.slug, title="", photo=(photo, "boom.jpg"))
    assert response.status_code == 400
    assert "Kies je foto opnieuw" in response.get_data(as_text=True)


def test_the_form_does_not_ask_for_markdown(open_process, resident):
    client, _user = resident
    page = client.get(f"/processen/{open_process.slug}/ideeen/nieuw").get_data(as_text=True)
    assert "**" not in page
    assert "Voorbeeld bekijken" in page
