"""The follow button of the process page and of the idea page: one rule for both."""

import pytest
import sqlalchemy as sa
from participatie.core.notifications.models import Follow
from participatie.extensions import db

from tests.conftest import csrf_token
from tests.conftest import login


@pytest.fixture
def followable(client, create_process, create_idea, create_user):
    """The pages with a follow button, as (kind, object id, page, follow address)."""
    saved = create_process(status="published")
    idea_id = create_idea(saved, title="Meer bankjes")
    login(client, create_user().email)
    return {
        "process": (saved.id, f"/processen/{saved.slug}", f"/processen/{saved.slug}/volgen"),
        "idea": (idea_id, f"/ideeen/{idea_id}", f"/ideeen/{idea_id}/volgen"),
    }


def _follows(app, kind, object_id):
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Follow)
            .where(Follow.kind == kind, Follow.object_id == object_id)
        )


@pytest.mark.parametrize(
    ("kind", "followed", "stopped"),
    [
        ("process", "Je volgt dit traject:", "Je volgt dit traject niet meer."),
        ("idea", "Je volgt dit idee:", "Je volgt dit idee niet meer."),
    ],
)
def test_the_follow_button_follows_once_and_stops(app, client, followable, kind, followed, stopped):
    object_id, page, address = followable[kind]
    for _ in range(2):
        response = client.post(
            address, data={"csrf_token": csrf_token(client, page)}, follow_redirects=True
        )
        assert response.request.path == page
        assert followed in response.get_data(as_text=True)
    assert _follows(app, kind, object_id) == 1
    assert 'name="stop"' in response.get_data(as_text=True)
    response = client.post(
        address,
        data={"csrf_token": csrf_token(client, page), "stop": "1"},
        follow_redirects=True,
    )
    assert stopped in response.get_data(as_text=True)
    assert _follows(app, kind, object_id) == 0


@pytest.mark.parametrize("kind", ["process", "idea"])
def test_the_follow_button_without_a_csrf_token_changes_nothing(app, client, followable, kind):
    object_id, page, address = followable[kind]
    response = client.post(address, data={})
    assert response.status_code == 400
    assert _follows(app, kind, object_id) == 0
