from datetime import timedelta

import pytest
import sqlalchemy as sa
from participatie.core.areas.models import Area
from participatie.core.processes.models import Process
from participatie.extensions import db
from participatie.extensions import utcnow

from tests.conftest import without_tokens
from tests.querycount import count_statements


@pytest.fixture
def ideas(app, create_process, create_idea):
    saved = create_process(status="published")
    now = utcnow()
    with app.app_context():
        theme = db.session.get(Process, saved.id).themes[0].id
        buurt = db.session.scalar(sa.select(Area.id).where(Area.code == "BU01530600"))
    made = {
        "bomen": create_idea(
            saved,
            title="Meer bomen",
            text="Groen",
            theme_id=theme,
            supports=5,
            created_at=now - timedelta(days=3),
        ),
        "bankjes": create_idea(
            saved,
            title="Bankjes bij de school",
            buurt_id=buurt,
            supports=9,
            created_at=now - timedelta(days=2),
        ),
        "licht": create_idea(
            saved,
            title="Betere verlichting",
            text="Donker pad",
            status="adopted",
            offline=True,
            created_at=now - timedelta(days=1),
        ),
        "weg": create_idea(saved, title="Verborgen", hidden_at=now),
    }
    return saved, made


def titles(client, path):
    page = client.get(path).get_data(as_text=True)
    order = ["Meer bomen", "Bankjes bij de school", "Betere verlichting", "Verborgen"]
    return sorted((t for t in order if f">{t}</a>" in page), key=lambda t: page.index(f">{t}</a>"))


def test_list_filters_sorts_and_searches(client, ideas):
    saved, _made = ideas
    path = f"/processen/{saved.slug}/ideeen"
    assert titles(client, path) == ["Betere verlichting", "Bankjes bij de school", "Meer bomen"]
    assert titles(client, path + "?sort=supports") == [
        "Bankjes bij de school",
        "Meer bomen",
        "Betere verlichting",
    ]
    assert titles(client, path + "?theme=fysiek") == ["Meer bomen"]
    assert titles(client, path + "?buurt=BU01530600") == ["Bankjes bij de school"]
    assert titles(client, path + "?status=adopted") == ["Betere verlichting"]
    assert titles(client, path + "?q=DONKER") == ["Betere verlichting"]


def test_random_order_is_stable_for_one_visitor(app, client, create_process, create_idea):
    saved = create_process(status="published")
    for number in range(12):
        create_idea(saved, title=f"Idee {number:02d}")
    path = f"/processen/{saved.slug}/ideeen?sort=random"
    # The pages carry CSRF tokens with a timestamp: compare them without.
    first = without_tokens(client.get(path).get_data(as_text=True))
    second = without_tokens(client.get(path).get_data(as_text=True))
    assert first == second
    orders = set()
    for _ in range(5):
        other = app.test_client()
        page = other.get(path).get_data(as_text=True)
        orders.add(tuple(sorted(range(12), key=lambda n: page.index(f"Idee {n:02d}"))))
    assert len(orders) > 1


def test_list_is_paginated_and_htmx_gets_the_partial(client, create_process, create_idea):
    saved = create_process(status="published")
    for number in range(21):
        create_idea(saved, title=f"Idee {number:02d}")
    page = client.get(f"/processen/{saved.slug}/ideeen").get_data(as_text=True)
    assert page.count('class="card idea-card"') == 20
    assert "pagina=2" in page
    partial = client.get(f"/processen/{saved.slug}/ideeen?pagina=2", headers={"HX-Request": "true"})
    text = partial.get_data(as_text=True)
    assert text.lstrip().startswith('<div id="idea-list"')
    assert text.count('class="card idea-card"') == 1


def add_reactions(app, process_id, count, per_idea=10, prefix="stem"):
    """``count`` ideas, each with ``per_idea`` comments and votes, inserted in bulk."""
    from participatie.builtin.comments.models import Comment
    from participatie.builtin.ideas.models import Idea
    from participatie.builtin.votes.models import Vote
    from participatie.core.accounts.models import User

    with app.app_context():
        now = utcnow()
        voters = [
            User(email=f"{prefix}{n}@example.org", display_name=f"S{n}") for n in range(per_idea)
        ]
        db.session.add_all(voters)
        db.session.flush()
        for number in range(count):
            idea = Idea(
                process_id=process_id,
                title=f"Idee {number}",
                text="x",
                supports=per_idea,
                created_at=now,
            )
            db.session.add(idea)
            db.session.flush()
            db.session.add_all(
                Comment(idea_id=idea.id, text="reactie", created_at=now) for _ in range(per_idea)
            )
            db.session.add_all(
                Vote(idea_id=idea.id, user_id=v.id, process_id=process_id) for v in voters
            )
        db.session.commit()


def test_list_statements_do_not_grow_with_the_ideas(app, client, create_process):
    few = create_process(status="published", slug="weinig")
    many = create_process(status="published", slug="veel")
    add_reactions(app, few.id, 5)
    add_reactions(app, many.id, 500, prefix="veel")
    client.get("/processen/weinig/ideeen")
    with count_statements(app) as small:
        client.get("/processen/weinig/ideeen")
    with count_statements(app) as large:
        client.get("/processen/veel/ideeen")
    assert large.count == small.count
    with count_statements(app) as small_page:
        client.get("/processen/weinig")
    with count_statements(app) as large_page:
        client.get("/processen/veel")
    assert large_page.count == small_page.count


def test_api_lists_ideas_as_the_contract_says(app, api, ideas):
    saved, made = ideas
    data = api(f"/processes/{saved.slug}/ideas")
    assert [i["title"] for i in data["items"]] == [
        "Betere verlichting",
        "Bankjes bij de school",
        "Meer bomen",
    ]
    first = data["items"][0]
    assert (first["status"], first["offline"], first["theme"], first["comments"]) == (
        "adopted",
        True,
        None,
        0,
    )
    assert data["items"][1]["buurt_code"] == "BU01530600"
    assert data["items"][2]["theme"] == "fysiek"
    assert [i["title"] for i in api(f"/processes/{saved.slug}/ideas?sort=supports")["items"]][
        0
    ] == "Bankjes bij de school"
    assert [i["title"] for i in api(f"/processes/{saved.slug}/ideas?theme=fysiek")["items"]] == [
        "Meer bomen"
    ]
    assert api(f"/processes/{saved.slug}/ideas?sort=random", 400)["error"] == "bad_request"
    detail = api(f"/ideas/{made['bomen']}")
    assert (detail["text"], detail["answers"], detail["milestones"], detail["merged_into"]) == (
        "Groen",
        [],
        [],
        None,
    )
    assert api(f"/ideas/{made['weg']}", 404) == {"error": "not_found"}


def test_the_list_pages_to_page_50_at_most_and_says_how_to_find_the_others(
    app, client, create_process
):
    from participatie.builtin.ideas.service import MAX_PAGE
    from participatie.builtin.ideas.service import PER_PAGE

    from tests.scale import fill

    saved = create_process(status="published", slug="stad")
    fill(app, saved.id, MAX_PAGE * PER_PAGE + 5, "stad", per_idea=0)
    for sort in ("newest", "supports", "random"):
        before_last = client.get(f"/processen/stad/ideeen?sort={sort}&pagina={MAX_PAGE - 1}")
        page = before_last.get_data(as_text=True)
        assert f"pagina={MAX_PAGE}" in page and 'rel="next"' in page
        assert "Gebruik het zoeken" not in page
        last = client.get(f"/processen/stad/ideeen?sort={sort}&pagina={MAX_PAGE}")
        page = last.get_data(as_text=True)
        assert last.status_code == 200
        assert page.count('<li class="card idea-card">') == PER_PAGE
        assert 'rel="next"' not in page
        assert "Je kunt door de eerste 1.000 ideeën bladeren." in page
        assert "Gebruik het zoeken of de filters om de andere te vinden." in page
        # A page past the last shows the last page, the same as a link to it would.
        far = client.get(f"/processen/stad/ideeen?sort={sort}&pagina=900").get_data(as_text=True)
        assert f"Pagina {MAX_PAGE}" in far and 'rel="next"' not in far
    # A search finds an idea past the last page.
    found = client.get("/processen/stad/ideeen?q=stad+idee+1004").get_data(as_text=True)
    assert "stad idee 1004" in found
