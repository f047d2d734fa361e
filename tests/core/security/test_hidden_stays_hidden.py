"""Hidden stays hidden: every GET route, as every kind of visitor, over objects in
every state, and nothing hidden, withdrawn, merged or unpublished leaks.

The world holds a published process with a visible idea and, beside it, a hidden,
a withdrawn and a merged idea, a hidden and a deleted comment; a closed process; and
a draft process with an idea of its own. Each of those carries a marker in its title
and text. Every GET route of ``app.url_map`` is asked with every object that fits
its arguments (pages, fragments, the API, CSV, JSON and PDF exports, maps), and the
marker of an object may only appear for the people who moderate it: the
facilitators of its area and the administrators.
"""

import io
import itertools

import pytest
import sqlalchemy as sa
from participatie.builtin.comments.models import Comment
from participatie.builtin.ideas.models import Idea
from participatie.core.processes.models import Process
from participatie.extensions import db
from participatie.extensions import utcnow

from tests.conftest import login

VISITORS = (
    "anonymous",
    "resident",
    "author",
    "other_facilitator",
    "councillor",
    "facilitator",
    "administrator",
)
#: Who moderates the objects of the world (Enschede-Zuid, WK015306).
MODERATORS = {"facilitator", "administrator"}

#: Routes with nothing of a process or an idea to leak, or that are not pages.
SKIPPED = {"static", "pages.language", "accounts.logout", "pages.theme", "pages.favicon"}

MARKERS = {
    "hidden idea": "Qhidden7idea",
    "withdrawn idea": "Qwithdrawn7idea",
    "merged idea": "Qmerged7idea",
    "hidden comment": "Qhidden7comment",
    "deleted comment": "Qdeleted7comment",
    "draft process": "Qdraft7process",
    "idea of the draft": "Qdraft7idea",
}


#: What some visitors may read of an object that is hidden from the others:
#: the author reads their own contributions, with their state, on their own page;
#: the API answers a merged idea with "merged_into", as docs/api.md fixes it.
ALLOWED = {("author", what, "accounts.my_page") for what in MARKERS} | {
    (visitor, "merged idea", "api_ideas.detail") for visitor in VISITORS
}


@pytest.fixture
def hidden_world(app, create_process, create_user, grant, create_idea):
    now = utcnow()
    people = {name: create_user(email=f"{name}@example.org") for name in VISITORS[1:]}
    grant(people["other_facilitator"], "facilitator", "WK015300")
    grant(people["facilitator"], "facilitator", "WK015306")
    grant(people["councillor"], "councillor", "GM0153")
    grant(people["administrator"], "administrator")
    author = people["author"]
    published = create_process(status="published", slug="straat")
    closed = create_process(status="closed", slug="gesloten", title="Een gesloten traject")
    draft = create_process(
        status="draft", slug="concept", title=f"Concept {MARKERS['draft process']}"
    )
    visible = create_idea(published, author, title="Een zichtbaar idee")
    ideas = {"visible": visible}
    for state in ("hidden idea", "withdrawn idea", "merged idea"):
        ideas[state] = create_idea(
            published, author, title=f"Idee {MARKERS[state]}", text=f"Tekst {MARKERS[state]}"
        )
    ideas["idea of the draft"] = create_idea(
        draft, author, title=f"Idee {MARKERS['idea of the draft']}", text="Tekst"
    )
    ideas["closed"] = create_idea(closed, author, title="Een idee van toen")
    with app.app_context():
        db.session.get(Idea, ideas["hidden idea"]).hidden_at = now
        db.session.get(Idea, ideas["hidden idea"]).hidden_reason = "Beledigend"
        db.session.get(Idea, ideas["withdrawn idea"]).withdrawn_at = now
        db.session.get(Idea, ideas["merged idea"]).merged_into_id = visible
        comments = {
            "visible": Comment(idea_id=visible, author_id=author.id, text="Eens"),
            "hidden comment": Comment(
                idea_id=visible,
                author_id=author.id,
                text=f"Reactie {MARKERS['hidden comment']}",
                hidden_at=now,
                hidden_reason="Beledigend",
            ),
            "deleted comment": Comment(
                idea_id=visible,
                author_id=author.id,
                text=f"Reactie {MARKERS['deleted comment']}",
                deleted_at=now,
            ),
        }
        db.session.add_all(comments.values())
        db.session.commit()
        comment_ids = [comment.id for comment in comments.values()]
        slugs = list(db.session.scalars(sa.select(Process.slug)))
    values = {
        "slug": slugs,
        "idea_id": list(ideas.values()),
        "comment_id": comment_ids,
        "code": ["WK015306", "GM0153"],
    }
    return people, values


def _urls(app, values):
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIPPED:
            continue
        if not set(rule.arguments) <= set(values):
            continue
        names = sorted(rule.arguments)
        for combination in itertools.product(*(values[name] for name in names)):
            try:
                url = rule.build(dict(zip(names, combination, strict=True)))[1]
            except ValueError:  # a converter that takes only its own words
                continue
            yield rule.endpoint, url


def _text(response) -> str:
    if response.mimetype == "application/pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    if response.mimetype.startswith(("image/", "application/octet-stream")):
        return ""
    return response.get_data(as_text=True)


@pytest.mark.parametrize("visitor", VISITORS)
def test_nothing_hidden_leaks_to_anyone_but_its_moderators(app, hidden_world, visitor):
    people, values = hidden_world
    client = app.test_client()
    if visitor != "anonymous":
        assert login(client, people[visitor].email).status_code == 302
    leaks = []
    asked = 0
    for endpoint, url in _urls(app, values):
        response = client.get(url)
        asked += 1
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code >= 300:
            continue
        text = _text(response)
        for what, marker in MARKERS.items():
            if marker in text and visitor not in MODERATORS:
                if (visitor, what, endpoint) not in ALLOWED:
                    leaks.append((visitor, what, endpoint, url))
    assert asked > 100
    assert not leaks, leaks


def test_moderators_do_see_what_is_hidden(app, hidden_world):
    # The markers are really in the pages a moderator reads: the test above would
    # pass for nothing if the world were built wrong.
    people, _values = hidden_world
    client = app.test_client()
    login(client, people["facilitator"].email)
    with app.app_context():
        hidden = db.session.scalar(sa.select(Idea.id).where(Idea.hidden_at.is_not(None)))
    assert MARKERS["hidden idea"] in client.get(f"/ideeen/{hidden}").get_data(as_text=True)
    assert MARKERS["draft process"] in client.get("/processen/concept").get_data(as_text=True)
