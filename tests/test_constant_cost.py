"""The pages that count over a process cost the same for 60 ideas as for 300.

Structure, not speed: the number of SQL statements a page sends, and the rows
it fetches from the database, do not grow with the number of ideas, comments,
supports, answers or ballots. A page that loads one row per idea into Python
(to count it, or to work out its deadline) fails here.

60 ideas is more than one page of every list (20 on a page, 50 in the API),
so a list fetches a full page at both sizes and its rows can be compared too.
"""

import pytest
import sqlalchemy as sa
from participatie.builtin.ideas.models import Idea
from participatie.extensions import db

from tests.conftest import login
from tests.querycount import count_statements
from tests.scale import budget_ballots
from tests.scale import fill

SLUG = "groei"

#: Every page and API answer that shows ideas or counts over them.
PAGES = (
    "/processen/{slug}",
    "/processen/{slug}/ideeen",
    "/processen/{slug}/ideeen?sort=supports",
    "/processen/{slug}/ideeen?sort=random",
    "/processen/{slug}/ideeen?pagina=2",
    "/ideeen/{idea}",
    "/processen/{slug}/samenvatting",
    "/api/v1/processes/{slug}/summary",
    "/gebieden/GM0153/deelname",
    "/gebieden/WK015306/deelname",
    "/processen/{slug}/begroting/uitslag",
    "/api/v1/processes",
    "/api/v1/processes/{slug}",
    "/api/v1/processes/{slug}/ideas",
    "/api/v1/processes/{slug}/ideas?sort=supports",
    "/api/v1/processes/{slug}/budget",
    "/api/v1/ideas/{idea}",
    "/api/v1/areas",
    "/api/v1/areas/WK015306",
    "/api/v1/areas/WK015306/agenda",
    "/api/v1/areas/WK015306/works",
)


def _measure(app, client, paths, idea_id):
    found = {}
    for path in paths:
        url = path.format(slug=SLUG, idea=idea_id)
        assert client.get(url).status_code == 200, url  # warm: first-request work is not counted
        with count_statements(app) as counter:
            response = client.get(url)
        assert response.status_code == 200, url
        found[path] = (counter.count, counter.rows)
    return found


@pytest.fixture
def growing(app, create_process):
    process = create_process(status="published", slug=SLUG)
    fill(app, process.id, 60, "klein")
    budget_ballots(app, process.id, 60, "stemmer-klein")
    with app.app_context():
        idea_id = db.session.scalar(
            sa.select(Idea.id).where(Idea.process_id == process.id).order_by(Idea.id)
        )

    def grow():
        fill(app, process.id, 240, "groot")
        budget_ballots(app, process.id, 240, "stemmer-groot")

    return process, idea_id, grow


def test_statements_and_rows_are_the_same_for_60_and_300_ideas(app, client, growing):
    _process, idea_id, grow = growing
    small = _measure(app, client, PAGES, idea_id)
    grow()
    large = _measure(app, client, PAGES, idea_id)
    grown = {path: (small[path], large[path]) for path in PAGES if small[path] != large[path]}
    assert not grown, f"(statements, rows) for 60 ideas, then for 300: {grown}"


def test_the_councillor_dashboard_costs_the_same_for_60_and_300_ideas(
    app, client, growing, create_user, grant
):
    _process, idea_id, grow = growing
    councillor = create_user(email="raadslid@example.org")
    grant(councillor, "councillor", "WK015306")
    login(client, councillor.email)
    small = _measure(app, client, ["/raad"], idea_id)
    grow()
    large = _measure(app, client, ["/raad"], idea_id)
    assert small == large
