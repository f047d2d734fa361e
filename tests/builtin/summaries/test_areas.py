"""Participation per area, and the councillor's dashboard."""

import sqlalchemy as sa
from participatie.builtin.comments.models import Comment
from participatie.builtin.feedback.models import Answer
from participatie.builtin.feedback.models import DecisionSummary
from participatie.builtin.ideas.models import Idea
from participatie.builtin.summaries import overview
from participatie.builtin.summaries.models import DashboardArea
from participatie.builtin.votes.models import Vote
from participatie.core.accounts.models import User
from participatie.core.areas.models import Area
from participatie.extensions import db
from participatie.extensions import utcnow

from tests.builtin.ideas.test_list_and_api import add_reactions
from tests.conftest import csrf_token
from tests.conftest import login
from tests.querycount import count_statements

#: Inhabitants in the shipped CBS file (2024).
ENSCHEDE, ENSCHEDE_ZUID, BINNENSINGEL = 161738, 33685, 28505


def take_part(app, process_id, people, comment_by=(), vote_by=()):
    with app.app_context():
        users = {}
        for email in {*people, *comment_by, *vote_by}:
            user = db.session.scalar(sa.select(User).where(User.email == email))
            if user is None:
                user = User(email=email, display_name=email.split("@")[0])
                db.session.add(user)
                db.session.flush()
            users[email] = user
        ideas = []
        for email in people:
            idea = Idea(process_id=process_id, title=f"Idee van {email}", author_id=users[email].id)
            db.session.add(idea)
            db.session.flush()
            ideas.append(idea)
        for email in comment_by:
            db.session.add(Comment(idea_id=ideas[0].id, author_id=users[email].id, text="Ja"))
        for email in vote_by:
            db.session.add(
                Vote(idea_id=ideas[0].id, user_id=users[email].id, process_id=process_id)
            )
        db.session.commit()
        return [idea.id for idea in ideas]


def test_participants_per_area_count_each_person_once(app, create_process):
    zuid = create_process(status="published", slug="zuid")
    centrum = create_process(status="published", slug="centrum", area_code="WK015300")
    create_process(status="draft", slug="concept", area_code="WK015300")
    take_part(app, zuid.id, ["a@x.nl", "b@x.nl"], comment_by=["c@x.nl"], vote_by=["a@x.nl"])
    take_part(app, centrum.id, ["a@x.nl", "d@x.nl", "e@x.nl"])
    with app.app_context():
        gemeente = db.session.scalar(sa.select(Area).where(Area.code == "GM0153"))
        itself, children = overview.area_rows(gemeente)
        # a took part in both: once for the gemeente.
        assert (itself.participants, itself.processes) == (5, 2)
        assert itself.per_1000 == round(5 * 1000 / ENSCHEDE, 1)
        rows = {row.area.code: row for row in children}
        assert len(rows) == 10
        assert (rows["WK015306"].participants, rows["WK015306"].processes) == (3, 1)
        assert rows["WK015306"].per_1000 == round(3 * 1000 / ENSCHEDE_ZUID, 1)
        assert (rows["WK015300"].participants, rows["WK015300"].processes) == (3, 1)
        assert rows["WK015300"].per_1000 == round(3 * 1000 / BINNENSINGEL, 1)
        assert rows["WK015301"].participants == 0
        by_slug = {
            row.process.slug: row for row in overview.process_rows(overview.published_in(gemeente))
        }
        assert set(by_slug) == {"zuid", "centrum"}  # drafts are not public
        assert by_slug["zuid"].participants == 3
        assert by_slug["centrum"].per_1000 == round(3 * 1000 / BINNENSINGEL, 1)


def test_answers_on_time_per_process(app, create_process):
    saved = create_process(status="published")
    first, second = take_part(app, saved.id, ["a@x.nl", "b@x.nl"])
    with app.app_context():
        db.session.add(
            Answer(idea_id=first, status="adopted", explanation="Ja", answered_at=utcnow())
        )
        db.session.add(
            Answer(
                idea_id=second,
                status="under-consideration",
                explanation="We kijken",
                answered_at=utcnow(),
            )
        )
        db.session.commit()
        [row] = overview.process_rows(
            overview.published_in(db.session.scalar(sa.select(Area).where(Area.code == "WK015306")))
        )
        assert (row.ideas, row.answered, row.on_time, row.overdue, row.on_time_share) == (
            2,
            1,
            1,
            0,
            100,
        )


def test_the_overview_page_shows_processes_areas_and_the_map(app, client, create_process):
    saved = create_process(status="published", slug="zuid")
    take_part(app, saved.id, ["a@x.nl", "b@x.nl"])
    page = client.get("/gebieden/GM0153/deelname").get_data(as_text=True)
    assert "Deelname in Enschede" in page
    assert 'data-area-code="WK015306"' in page
    assert 'data-value="0.1"' in page  # 2 per 33,685 inhabitants, one decimal
    assert "/processen/zuid/samenvatting" in page
    assert "data-area-map" in page and "/gebieden/GM0153/kaart.geojson" in page
    assert client.get("/gebieden/BU01530600/deelname").status_code == 404  # no areas below a buurt
    assert client.get("/gebieden/XX/deelname").status_code == 404
    area_page = client.get("/gebieden/GM0153").get_data(as_text=True)
    assert "/gebieden/GM0153/deelname" in area_page


def test_the_overview_takes_as_many_statements_for_500_ideas_as_for_5(app, client, create_process):
    few = create_process(status="published", slug="weinig")
    add_reactions(app, few.id, 5)
    client.get("/gebieden/GM0153/deelname")
    with count_statements(app) as small:
        client.get("/gebieden/GM0153/deelname")
    many = create_process(status="published", slug="veel", area_code="WK015300")
    add_reactions(app, many.id, 500, prefix="veel")
    with count_statements(app) as large:
        client.get("/gebieden/GM0153/deelname")
    assert large.count == small.count


def test_a_councillor_sees_their_areas_then_the_areas_they_chose(
    app, create_process, create_user, grant
):
    zuid = create_process(status="published", slug="zuid", title="Groen in Zuid")
    create_process(status="published", slug="centrum", area_code="WK015300", title="Het centrum")
    with app.app_context():
        db.session.add(DecisionSummary(process_id=zuid.id, text="Concepttekst"))
        db.session.commit()
    councillor = create_user(email="raad@example.org")
    grant(councillor, "councillor", "WK015306")
    client = app.test_client()
    login(client, councillor.email)
    page = client.get("/raad").get_data(as_text=True)
    assert "Groen in Zuid" in page and "Het centrum" not in page
    assert "Samenvattingen die nog concept zijn" in page
    with app.app_context():
        centrum, zuid_area = (
            db.session.scalar(sa.select(Area.id).where(Area.code == code))
            for code in ("WK015300", "WK015306")
        )
    response = client.post(
        "/raad/gebieden",
        data={"area": [centrum, zuid_area], "csrf_token": csrf_token(client, "/raad")},
    )
    assert response.status_code == 302
    page = client.get("/raad").get_data(as_text=True)
    assert "Groen in Zuid" in page and "Het centrum" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DashboardArea)) == 2
    # A made-up area changes nothing and says why.
    response = client.post(
        "/raad/gebieden",
        data={"area": ["999999"], "csrf_token": csrf_token(client, "/raad")},
        follow_redirects=True,
    )
    assert "Kies gebieden uit de lijst." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DashboardArea)) == 2
    assert "/raad" in client.get("/mijn-pagina").get_data(as_text=True)


def test_residents_have_no_dashboard(app, client, create_user, areas):
    resident = create_user()
    login(client, resident.email)
    assert client.get("/raad").status_code == 403
    assert "/raad" not in client.get("/mijn-pagina").get_data(as_text=True)
