"""A form sent after the session's idle time-out is kept, and shown again after logging in."""

import re
import time
from html import unescape

import pytest
import sqlalchemy as sa
from participatie.builtin.comments.models import Comment
from participatie.builtin.ideas.models import Idea
from participatie.core.accounts import sessions
from participatie.core.accounts.kept import KeptForm
from participatie.extensions import db

from tests.conftest import csrf_token
from tests.conftest import login
from tests.conftest import TEST_PASSWORD

LONG_TEXT = "Een lange uitleg over de stoep. " * 200


class Clock:
    """time.time() for the session checks, moved forward by the test."""

    def __init__(self):
        self.offset = 0

    def time(self):
        return time.time() + self.offset


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(sessions, "time", fake)
    return fake


@pytest.fixture
def resident(create_user):
    return create_user()


@pytest.fixture
def process(create_process):
    return create_process(status="published")


def value_of(page: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'<input[^>]*value="([^"]*)"[^>]*name="{name}"', page
    )
    return unescape(match.group(1)) if match else None


def textarea_of(page: str, name: str) -> str | None:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\s*(.*?)</textarea>', page, re.S)
    return unescape(match.group(1)) if match else None


def expire(client, clock, path):
    """Open ``path`` logged in, then let the session's idle time pass; its CSRF token."""
    token = csrf_token(client, path)
    clock.offset = 61 * 60
    return token


def log_in_again(client, email, next_path):
    token = csrf_token(client, "/inloggen")
    return client.post(
        f"/inloggen?next={next_path}",
        data={"email": email, "password": TEST_PASSWORD, "csrf_token": token},
    )


def test_an_idea_sent_after_the_time_out_is_filled_in_again_after_logging_in(
    app, client, clock, resident, process
):
    form_path = f"/processen/{process.slug}/ideeen/nieuw"
    login(client, resident.email)
    token = expire(client, clock, form_path)
    sent = client.post(
        form_path,
        data={"csrf_token": token, "title": "Een bankje bij de bushalte", "text": LONG_TEXT},
    )
    assert sent.status_code == 302
    assert sent.headers["Location"].startswith("/inloggen?next=")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Idea)) == 0
    login_page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Je sessie is afgelopen." in login_page
    assert "Log in om deze pagina te zien" not in login_page

    answer = log_in_again(client, resident.email, form_path)
    assert answer.status_code == 302
    assert answer.headers["Location"] == form_path
    page = client.get(form_path).get_data(as_text=True)
    assert value_of(page, "title") == "Een bankje bij de bushalte"
    assert textarea_of(page, "text") == LONG_TEXT.strip()
    assert "Wat je had ingevuld staat er weer" in page
    # Only once: the kept text is gone from the server after it was shown.
    again = client.get(form_path).get_data(as_text=True)
    assert value_of(again, "title") in (None, "")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(KeptForm)) == 0


def test_a_comment_is_kept_for_the_idea_page_it_was_typed_on(
    app, client, clock, resident, process, create_idea
):
    idea_id = create_idea(process, title="Meer bomen")
    idea_path = f"/ideeen/{idea_id}"
    login(client, resident.email)
    token = expire(client, clock, idea_path)
    sent = client.post(
        f"/ideeen/{idea_id}/reacties",
        # As a browser sends it: the hidden parent field too (empty: not a reply).
        data={"csrf_token": token, "text": "Graag ook bij de school.", "parent": ""},
        headers={"Referer": f"http://localhost{idea_path}"},
    )
    assert sent.status_code == 302
    assert sent.headers["Location"] == f"/inloggen?next={idea_path.replace('/', '%2F')}" or (
        sent.headers["Location"].startswith("/inloggen?next=")
        and "ideeen" in sent.headers["Location"]
    )
    log_in_again(client, resident.email, idea_path)
    page = client.get(idea_path).get_data(as_text=True)
    assert textarea_of(page, "text") == "Graag ook bij de school."
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0


def test_passwords_are_never_kept(app, client, clock, resident):
    login(client, resident.email)
    token = expire(client, clock, "/account")
    client.post(
        "/account/wachtwoord",
        data={
            "csrf_token": token,
            "current_password": TEST_PASSWORD,
            "password": "een-heel-nieuw-wachtwoord",
            "password_repeat": "een-heel-nieuw-wachtwoord",
        },
    )
    with app.app_context():
        rows = db.session.scalars(sa.select(KeptForm)).all()
        names = {name for row in rows for name, _value in row.fields}
    assert not {name for name in names if "password" in name or "csrf" in name}


def test_another_account_does_not_get_what_was_kept(
    app, client, clock, resident, process, create_user
):
    other = create_user()
    form_path = f"/processen/{process.slug}/ideeen/nieuw"
    login(client, resident.email)
    token = expire(client, clock, form_path)
    client.post(form_path, data={"csrf_token": token, "title": "Van iemand anders", "text": "x"})
    clock.offset = 0
    log_in_again(client, other.email, form_path)
    page = client.get(form_path).get_data(as_text=True)
    assert "Van iemand anders" not in page


def test_an_active_session_is_not_kept_or_redirected(app, client, clock, resident, process):
    form_path = f"/processen/{process.slug}/ideeen/nieuw"
    login(client, resident.email)
    token = csrf_token(client, form_path)
    clock.offset = 59 * 60
    sent = client.post(form_path, data={"csrf_token": token, "title": "Nog op tijd", "text": "x"})
    assert sent.status_code == 302
    assert not sent.headers["Location"].startswith("/inloggen")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(KeptForm)) == 0


def test_stay_logged_in_counts_the_idle_time_from_now(client, clock, resident):
    login(client, resident.email)
    token = csrf_token(client, "/account")
    clock.offset = 58 * 60
    answer = client.post("/sessie/verlengen", headers={"X-CSRFToken": token})
    assert answer.status_code == 200
    assert answer.get_json()["remaining"] > 59 * 60
    # 58 more minutes: without the refresh this would be 116 idle minutes.
    clock.offset = 116 * 60
    assert client.get("/account").status_code == 200


def test_stay_logged_in_needs_the_csrf_token_and_a_session(client, clock, resident):
    login(client, resident.email)
    assert client.post("/sessie/verlengen").status_code == 400
    token = csrf_token(client, "/account")
    clock.offset = 61 * 60
    answer = client.post("/sessie/verlengen", headers={"X-CSRFToken": token})
    assert answer.status_code == 403
    assert answer.get_json() == {"remaining": 0}


def test_the_page_says_how_long_the_session_has_left(client, clock, resident):
    assert "data-session-remaining" not in client.get("/").get_data(as_text=True)
    login(client, resident.email)
    # Opening a page is doing something: the idle time counts from it.
    clock.offset = 10 * 60
    page = client.get("/account").get_data(as_text=True)
    assert 59 * 60 <= remaining_on(page) <= 60 * 60
    assert 'id="session-warning"' in page
    assert "Ingelogd blijven" in page
    # Near the absolute end (12 hours after logging in) that end comes first.
    for minutes in range(60, 12 * 60 - 10, 50):
        clock.offset = minutes * 60
        client.get("/account")
    clock.offset = (12 * 60 - 10) * 60
    assert 9 * 60 <= remaining_on(client.get("/account").get_data(as_text=True)) <= 10 * 60


def remaining_on(page: str) -> int:
    return int(re.search(r'data-session-remaining="(\d+)"', page).group(1))


def test_htmx_answers_say_how_long_the_session_has_left(client, resident, process, create_idea):
    idea_id = create_idea(process)
    login(client, resident.email)
    token = csrf_token(client, f"/ideeen/{idea_id}")
    answer = client.post(
        f"/ideeen/{idea_id}/steun", data={"csrf_token": token}, headers={"HX-Request": "true"}
    )
    assert int(answer.headers["X-Session-Remaining"]) > 59 * 60


def test_htmx_after_the_time_out_loads_the_log_in_page_as_a_whole(
    client, clock, resident, process, create_idea
):
    idea_id = create_idea(process)
    login(client, resident.email)
    token = expire(client, clock, f"/ideeen/{idea_id}")
    answer = client.post(
        f"/ideeen/{idea_id}/steun",
        data={"csrf_token": token},
        headers={
            "HX-Request": "true",
            "HX-Current-URL": f"http://localhost/processen/{process.slug}/ideeen",
        },
    )
    assert answer.status_code == 401
    assert answer.headers["HX-Redirect"].startswith("/inloggen?next=")
    assert f"{process.slug}" in answer.headers["HX-Redirect"]


def test_kept_forms_go_with_an_erased_account_and_after_a_day(
    app, client, clock, resident, process, create_user
):
    from datetime import timedelta

    from participatie.core.accounts import privacy
    from participatie.core.accounts.models import User
    from participatie.extensions import utcnow

    form_path = f"/processen/{process.slug}/ideeen/nieuw"
    login(client, resident.email)
    token = expire(client, clock, form_path)
    client.post(form_path, data={"csrf_token": token, "title": "Bewaard", "text": "x"})
    other = create_user()
    with app.app_context():
        db.session.add(
            KeptForm(
                key="old",
                user_id=other.id,
                url="/",
                fields=[["title", "Oud"]],
                created_at=utcnow() - timedelta(days=2),
            )
        )
        db.session.commit()
        privacy.erase_inactive()
        db.session.commit()
        assert [row.user_id for row in db.session.scalars(sa.select(KeptForm))] == [resident.id]
        privacy.erase(db.session.get(User, resident.id))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(KeptForm)) == 0
