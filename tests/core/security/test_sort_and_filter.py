"""Sorting and filtering take only what the page offers, never an arbitrary attribute.

Peers had list views that sorted or filtered on whatever column a parameter
named (an author's e-mail, a hidden flag), which leaks order or hidden rows.
Here a column name, a relation path or an SQL fragment as ``sort`` (or as a
filter the view does not offer) changes nothing on the page and is refused by
the API, and hidden ideas never appear whatever is asked.
"""

import json

import pytest
from participatie.builtin.ideas.models import Idea
from participatie.core.accounts.models import User

from tests.builtin.ideas.test_list_and_api import ideas  # noqa: F401 - the fixture
from tests.builtin.ideas.test_list_and_api import titles

#: The orders the list offers (newest, supports, random) are not among them.
ASKED = [
    *sorted(set(Idea.__table__.columns.keys()) - {"supports"}),
    *(f"author.{name}" for name in ("email", "password_hash", "session_token")),
    *sorted(User.__table__.columns.keys())[:5],
    "supports desc",
    "-supports",
    "created_at; DROP TABLE idea",
    "hidden_at",
    "title asc, id",
]

#: Filters a view does not offer, as a peer's generic filter would read them.
UNOFFERED = [
    "hidden_at=",
    "hidden=1",
    "withdrawn_at=",
    "merged_into_id=",
    "author_id=1",
    "author.email=a@example.org",
    "include_hidden=1",
    "all=1",
]


@pytest.mark.parametrize("asked", ASKED)
def test_an_unknown_sort_keeps_the_newest_first_on_the_page_and_is_refused_by_the_api(
    client,
    ideas,  # noqa: F811 - the imported fixture
    asked,
):
    saved, _made = ideas
    path = f"/processen/{saved.slug}/ideeen"
    newest = titles(client, path)
    response = client.get(path, query_string={"sort": asked})
    assert response.status_code == 200
    assert titles(client, path + "?" + response.request.query_string.decode()) == newest
    api = client.get(f"/api/v1/processes/{saved.slug}/ideas", query_string={"sort": asked})
    assert api.status_code == 400, asked
    assert json.loads(api.get_data(as_text=True))["error"] == "bad_request"


@pytest.mark.parametrize("filter_", UNOFFERED)
def test_a_filter_the_view_does_not_offer_changes_nothing_and_never_shows_hidden_ideas(
    client,
    ideas,  # noqa: F811 - the imported fixture
    filter_,
):
    saved, _made = ideas
    path = f"/processen/{saved.slug}/ideeen"
    shown = titles(client, path + "?" + filter_)
    assert shown == titles(client, path) and "Verborgen" not in shown
    api = client.get(f"/api/v1/processes/{saved.slug}/ideas?{filter_}")
    assert api.status_code == 200
    found = [item["title"] for item in json.loads(api.get_data(as_text=True))["items"]]
    assert "Verborgen" not in found and len(found) == 3
