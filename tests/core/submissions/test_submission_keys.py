"""A form sent twice creates its idea or comment once (idempotency keys)."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from participatie.builtin.comments.models import Comment
from participatie.builtin.ideas.models import Idea
from participatie.core import submissions
from participatie.core.submissions import SubmissionKey
from participatie.extensions import db
from participatie.extensions import utcnow

from tests.conftest import csrf_token
from tests.conftest import login


@pytest.fixture
def resident(app, create_user):
    user = create_user(email="anna@example.org")
    client = app.test_client()
    login(client, user.email)
    return client, user


def _count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _key(page: str) -> str:
    return re.search(r'name="submission_key" type="hidden" value="([0-9a-f]{32})"', page).group(1)


def test_every_form_that_creates_carries_a_fresh_key(client, create_process, resident):
    client, _user = resident
    process = create_process(status="published")
    path = f"/processen/{process.slug}/ideeen/nieuw"
    first, second = (
        _key(client.get(path).get_data(as_text=True)),
        _key(client.get(path).get_data(as_text=True)),
    )
    assert first != second


def test_an_idea_form_sent_again_creates_nothing_new(app, create_process, resident):
    client, _user = resident
    process = create_process(status="published")
    path = f"/processen/{process.slug}/ideeen/nieuw"
    key = _key(client.get(path).get_data(as_text=True))
    data = {"title": "Meer bomen", "text": "In de straat.", "submission_key": key}
    first = client.post(path, data={**data, "csrf_token": csrf_token(client, path)})
    assert first.status_code == 302
    with app.app_context():
        # Longer ago than the one-minute double-submit check: only the key can tell.
        db.session.execute(sa.update(Idea).values(created_at=utcnow() - timedelta(minutes=30)))
        db.session.commit()
    again = client.post(path, data={**data, "csrf_token": csrf_token(client, path)})
    assert again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    with app.app_context():
        assert _count(Idea) == 1


def test_a_comment_sent_twice_is_placed_once(app, create_process, create_idea, resident):
    client, _user = resident
    process = create_process(status="published")
    idea = create_idea(process)
    key = _key(client.get(f"/ideeen/{idea}").get_data(as_text=True))
    data = {"text": "Goed plan", "stance": "", "submission_key": key}
    answers = [
        client.post(
            f"/ideeen/{idea}/reacties", data={**data, "csrf_token": csrf_token(client, "/account")}
        )
        for _ in range(3)
    ]
    assert {answer.status_code for answer in answers} == {302}
    assert len({answer.headers["Location"] for answer in answers}) == 1
    with app.app_context():
        assert _count(Comment) == 1
    # A new showing of the form has a new key: a second comment is a second comment.
    other = _key(client.get(f"/ideeen/{idea}").get_data(as_text=True))
    client.post(
        f"/ideeen/{idea}/reacties",
        data={**data, "submission_key": other, "csrf_token": csrf_token(client, "/account")},
    )
    with app.app_context():
        assert _count(Comment) == 2


def test_a_key_of_another_account_protects_nothing_and_breaks_nothing(
    app, create_process, create_idea, create_user, resident
):
    client, _user = resident
    process = create_process(status="published")
    idea = create_idea(process)
    key = _key(client.get(f"/ideeen/{idea}").get_data(as_text=True))
    data = {"text": "Eens", "stance": "", "submission_key": key}
    client.post(
        f"/ideeen/{idea}/reacties", data={**data, "csrf_token": csrf_token(client, "/account")}
    )
    other = app.test_client()
    login(other, create_user(email="bert@example.org").email)
    response = other.post(
        f"/ideeen/{idea}/reacties", data={**data, "csrf_token": csrf_token(other, "/account")}
    )
    assert response.status_code == 302
    with app.app_context():
        assert _count(Comment) == 2


def test_without_a_valid_key_the_form_still_works(app, create_process, create_idea, resident):
    client, _user = resident
    process = create_process(status="published")
    idea = create_idea(process)
    for key in ("", "not-a-key", "x" * 40):
        response = client.post(
            f"/ideeen/{idea}/reacties",
            data={"text": f"Reactie {key}", "stance": "", "submission_key": key,
                  "csrf_token": csrf_token(client, "/account")},
        )  # fmt: skip
        assert response.status_code == 302
    with app.app_context():
        assert _count(Comment) == 3
        assert _count(SubmissionKey) == 0


def test_old_keys_are_forgotten_after_a_day(app, create_user):
    user = create_user()
    with app.app_context():
        db.session.add_all(
            [
                SubmissionKey(user_id=user.id, key="a" * 32, location="/x",
                              created_at=utcnow() - timedelta(days=2)),
                SubmissionKey(user_id=user.id, key="b" * 32, location="/y"),
            ]
        )  # fmt: skip
        db.session.commit()
        assert submissions.forget_old() == 1
        db.session.commit()
        assert db.session.scalars(sa.select(SubmissionKey.key)).all() == ["b" * 32]
