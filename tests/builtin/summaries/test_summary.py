"""The summary of a process: known data in, every figure out, on the page, in the API, CSV and PDF."""

import csv
import io
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from participatie.builtin.comments.models import Comment
from participatie.builtin.feedback.models import Answer
from participatie.builtin.feedback.models import DecisionSummary
from participatie.builtin.feedback.models import Milestone
from participatie.builtin.ideas.models import Idea
from participatie.builtin.summaries import figures
from participatie.builtin.votes.models import Vote
from participatie.core.accounts.models import User
from participatie.core.accounts.profile import ParticipantProfile
from participatie.core.areas.indicators import import_indicators
from participatie.core.areas.models import Area
from participatie.core.processes.models import Phase
from participatie.core.processes.models import Process
from participatie.core.processes.service import set_enabled
from participatie.extensions import db
from participatie.extensions import utcnow
from pypdf import PdfReader

from tests.builtin.ideas.test_list_and_api import add_reactions
from tests.conftest import login
from tests.querycount import count_statements

#: Inhabitants of wijk Enschede-Zuid in the shipped CBS file (CBS 85984NED, 2024).
ENSCHEDE_ZUID = 33685


def past_phases(now):
    return [
        Phase(
            name="Ideeën",
            starts_at=now - timedelta(days=60),
            ends_at=now - timedelta(days=40),
            allows_submit=True,
            allows_comment=True,
            allows_vote=True,
            position=0,
        ),
        Phase(
            name="Besluit",
            starts_at=now - timedelta(days=40),
            ends_at=now + timedelta(days=10),
            position=1,
        ),
    ]


@pytest.fixture
def known(app, create_process):
    """A process with known participants, ideas, comments, supports and answers.

    Answer promise: 30 days after the submit phase ended (40 days ago), so
    ideas submitted in it are due 10 days ago.
    """
    now = utcnow()
    saved = create_process(status="published", phases=past_phases(now))
    with app.app_context():
        process = db.session.get(Process, saved.id)
        limit = process.fixed_limits[0]
        theme = process.themes[0]
        buurten = {
            a.code: a
            for a in db.session.scalars(sa.select(Area).where(Area.code.like("BU015306%")))
        }
        people = [User(email=f"p{n}@example.org", display_name=f"P{n}") for n in range(8)]
        staff = User(email="begeleider@example.org", display_name="Begeleider")
        db.session.add_all([*people, staff])
        db.session.flush()
        # Five state Stroinkslanden Noord-Oost, one Helmerhoek-Noord, one nothing;
        # five are 25 to 44, one 65 or older.
        for person, buurt, band in [
            (people[0], "BU01530600", "25-44"),
            (people[1], "BU01530600", "25-44"),
            (people[2], "BU01530600", "25-44"),
            (people[3], "BU01530600", "25-44"),
            (people[4], "BU01530600", "25-44"),
            (people[5], "BU01530607", "65+"),
        ]:
            db.session.add(
                ParticipantProfile(user_id=person.id, buurt_id=buurten[buurt].id, age_band=band)
            )

        def idea(title, days_ago, **fields):
            made = Idea(
                process_id=process.id,
                title=title,
                text="Tekst",
                created_at=now - timedelta(days=days_ago),
                **fields,
            )
            db.session.add(made)
            db.session.flush()
            return made

        on_time = idea("Meer bomen", 50, author_id=people[0].id, theme_id=theme.id, supports=3)
        late = idea(
            "Een parkeergarage",
            45,
            author_id=people[1].id,
            buurt_id=buurten["BU01530600"].id,
            supports=1,
        )
        idea("Bankjes", 42, author_id=people[2].id, theme_id=theme.id)  # overdue
        idea("Speeltuin", 2, offline=True, entered_by_id=staff.id)  # open: due in 28 days
        idea("Verborgen", 44, author_id=people[7].id, hidden_at=now)  # not counted
        db.session.add_all(
            [
                Answer(
                    idea_id=on_time.id,
                    status="adopted",
                    explanation="Doen we.",
                    answered_at=now - timedelta(days=20),
                ),
                Answer(
                    idea_id=late.id,
                    status="not-adopted",
                    explanation="Te duur.",
                    reason_kind="fixed-limit",
                    fixed_limit_id=limit.id,
                    answered_at=now - timedelta(days=5),
                ),
                Milestone(idea_id=on_time.id, title="Bomen planten", date=now.date(), done=False),
            ]
        )
        on_time.status, late.status = "adopted", "not-adopted"
        at = now - timedelta(days=48)
        db.session.add_all(
            [
                Comment(
                    idea_id=on_time.id,
                    author_id=people[3].id,
                    text="Goed plan",
                    stance="for",
                    created_at=at,
                ),
                Comment(
                    idea_id=on_time.id,
                    author_id=people[4].id,
                    text="Kost te veel",
                    stance="against",
                    created_at=at,
                ),
                Comment(idea_id=late.id, author_id=people[5].id, text="Eens", created_at=at),
                Comment(
                    idea_id=late.id,
                    author_id=people[5].id,
                    text="weg",
                    created_at=at,
                    deleted_at=now,
                ),
            ]
        )
        db.session.add_all(
            [
                Vote(
                    idea_id=on_time.id, user_id=people[0].id, process_id=process.id, created_at=at
                ),
                Vote(
                    idea_id=on_time.id, user_id=people[6].id, process_id=process.id, created_at=at
                ),
                Vote(
                    idea_id=on_time.id, user_id=people[5].id, process_id=process.id, created_at=at
                ),
                Vote(idea_id=late.id, user_id=people[6].id, process_id=process.id, created_at=at),
            ]
        )
        db.session.commit()
    return saved


EXPECTED_API = {
    # p0..p6 (p7 wrote only the hidden idea, and hidden ideas still count
    # their authors as participants: they took part), staff not.
    "participants": 8,
    "ideas": 4,
    "ideas_offline": 1,
    "comments": 3,
    "votes": 4,
    "by_status": {
        "submitted": 2,
        "under-consideration": 0,
        "adopted": 1,
        "partly-adopted": 0,
        "not-adopted": 1,
        "already-planned": 0,
        "in-execution": 0,
        "done": 0,
    },
    "by_reason": {"fixed-limit": 1, "other-interests": 0, "other": 0},
    "answers_on_time": 1,
    "answers_late": 1,
    "answers_overdue": 1,
    "answers_open": 1,
}


def test_every_figure_of_known_data(app, known):
    with app.app_context():
        process = db.session.get(Process, known.id)
        data = figures.summary(process)
        api = data.api()
        for key, value in EXPECTED_API.items():
            assert api[key] == value, key
        first, *buurten = api["representativeness"]
        # The wijk's real CBS population, all participants.
        assert first == {
            "area_code": "WK015306",
            "participants": 8,
            "population": ENSCHEDE_ZUID,
            "per_1000": round(8 * 1000 / ENSCHEDE_ZUID, 1),
        }
        assert first["per_1000"] == 0.2
        by_code = {row["area_code"]: row for row in buurten}
        assert len(by_code) == 10  # every buurt of Enschede-Zuid
        # Five stated Stroinkslanden Noord-Oost: shown; CBS has no buurt figure:
        # the count and no invented rate.
        assert by_code["BU01530600"] == {
            "area_code": "BU01530600",
            "participants": 5,
            "population": None,
            "per_1000": None,
        }
        # One stated Helmerhoek-Noord: too few to show.
        assert by_code["BU01530607"]["participants"] is None
        assert by_code["BU01530609"]["participants"] == 0
        assert data.by_fixed_limit == {process.fixed_limits[0].id: 1}
        assert data.by_theme == [("Fysiek", 2), ("", 2)]
        assert data.by_buurt[0] == ("", 3)
        assert [(p.name, p.ideas, p.comments, p.votes) for p in data.phases] == [
            ("Ideeën", 3, 3, 4),
            ("Besluit", 1, 0, 0),
        ]
        assert [(m.title, title) for m, title in data.milestones] == [
            ("Bomen planten", "Meer bomen")
        ]
        ages = {row.band: row for row in data.ages}
        assert ages["25-44"].participants == 5
        assert ages["65+"].participants is None  # one person
        assert ages["25-44"].participants_share == 100.0
        assert data.ages_known is False


def test_age_bands_against_the_area_distribution_once_imported(app, known):
    lines = ["code,key,value,unit,year,source"] + [
        f"WK015306,{key},{value},persons,2024,CBS 85984NED"
        for key, value in [
            ("age_0_14", 5000),
            ("age_15_24", 5000),
            ("age_25_44", 10000),
            ("age_45_64", 10000),
            ("age_65_plus", 3685),
        ]
    ]
    with app.app_context():
        assert import_indicators(lines).ok
        db.session.commit()
        data = figures.summary(db.session.get(Process, known.id))
        ages = {row.band: row for row in data.ages}
        assert data.ages_known
        assert ages["25-44"].inhabitants == 10000
        assert ages["25-44"].inhabitants_share == round(10000 * 100 / 33685, 1)
        assert ages["65+"].inhabitants_share == round(3685 * 100 / 33685, 1)


def test_the_api_gives_the_figures_of_the_page(app, client, api, known):
    data = api(f"/processes/{known.slug}/summary")
    for key, value in EXPECTED_API.items():
        assert data[key] == value, key
    assert data["representativeness"][0]["per_1000"] == 0.2
    page = client.get(f"/processen/{known.slug}/samenvatting").get_data(as_text=True)
    assert "Enschede-Zuid" in page
    assert "Stroinkslanden Noord-Oost" in page
    assert "minder dan 5" in page  # Helmerhoek-Noord's single participant
    assert "cijfer ontbreekt" in page
    assert "Budget € 100.000" in page
    assert "<svg" in page and 'role="img"' in page
    assert "style=" not in page.split("<main", 1)[1]  # charts styled by the stylesheet
    assert api("/processes/onbekend/summary", 404) == {"error": "not_found"}


def test_a_process_without_the_plugin_answers_zero(app, client, api, known):
    with app.app_context():
        process = db.session.get(Process, known.id)
        set_enabled(process, "summaries", False)
        db.session.commit()
    data = api(f"/processes/{known.slug}/summary")
    assert data["participants"] == 0 and data["representativeness"] == []
    assert client.get(f"/processen/{known.slug}/samenvatting").status_code == 404


def test_drafts_are_read_by_facilitators_and_councillors_of_the_area_only(
    app, known, create_user, grant
):
    with app.app_context():
        db.session.add(DecisionSummary(process_id=known.id, text="Het college kiest voor bomen."))
        db.session.commit()
    path = f"/processen/{known.slug}/samenvatting"
    councillor, elsewhere = (
        create_user(email="raad@example.org"),
        create_user(email="hengelo@example.org"),
    )
    grant(councillor, "councillor", "WK015306")
    grant(elsewhere, "councillor", "WK015300")
    readers = {}
    for name, user in [("councillor", councillor), ("elsewhere", elsewhere), ("anonymous", None)]:
        client = app.test_client()
        if user:
            login(client, user.email)
        readers[name] = client.get(path).get_data(as_text=True)
    assert "Het college kiest voor bomen." in readers["councillor"]
    assert "Concept" in readers["councillor"]
    assert "Het college kiest voor bomen." not in readers["elsewhere"]
    assert "Het college kiest voor bomen." not in readers["anonymous"]
    with app.app_context():
        db.session.get(DecisionSummary, known.id).published_at = utcnow()
        db.session.commit()
    page = app.test_client().get(path).get_data(as_text=True)
    assert "Het college kiest voor bomen." in page and "Concept" not in page


def test_csv_and_json_exports_hold_every_counted_idea_and_no_personal_data(app, client, known):
    response = client.get(f"/processen/{known.slug}/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    # For Dutch Excel: a byte-order mark (or € and ë are garbled), ";" between cells,
    # a header and words in the reader's language.
    assert response.data.startswith("\ufeff".encode())
    text = response.data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    by_title = {row["Titel"]: row for row in rows}
    assert sorted(by_title) == ["Bankjes", "Een parkeergarage", "Meer bomen", "Speeltuin"]
    assert by_title["Meer bomen"]["Status"] == "Overgenomen"
    assert by_title["Meer bomen"]["Steun"] == "3"
    assert by_title["Meer bomen"]["Reacties"] == "2"
    assert by_title["Een parkeergarage"]["Vast kader"] == "Budget € 100.000"
    assert by_title["Een parkeergarage"]["Buurtcode (CBS)"] == "BU01530600"
    assert by_title["Een parkeergarage"]["Buurt"]
    assert by_title["Speeltuin"]["Offline opgehaald"] == "ja"
    text = response.get_data(as_text=True) + client.get(
        f"/processen/{known.slug}/export.json"
    ).get_data(as_text=True)
    assert "@example.org" not in text and "P0" not in text and "Begeleider" not in text
    exported = json.loads(client.get(f"/processen/{known.slug}/export.json").data)
    assert len(exported["ideas"]) == 4
    assert {i["title"]: i["supports"] for i in exported["ideas"]}["Meer bomen"] == 3


def test_csv_cells_cannot_become_spreadsheet_formulas(app, client, known, create_idea):
    create_idea(known, title='=HYPERLINK("http://x")')
    text = client.get(f"/processen/{known.slug}/export.csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert '\'=HYPERLINK("http://x")' in [row["Titel"] for row in rows]


def test_the_pdf_carries_the_figures_of_the_page(app, client, known):
    response = client.get(f"/processen/{known.slug}/samenvatting.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    flat = " ".join(text.split())
    assert "Samenvatting: Een groenere straat" in flat
    assert (
        "8 deelnemers, 4 ideeën (waarvan 1 offline opgehaald), 3 reacties en 4 keer steun voor een idee"
        in flat
    )
    assert "Enschede-Zuid 8 33.685 0,2" in flat
    assert "Stroinkslanden Noord-Oost 5 cijfer ontbreekt" in flat
    assert "Helmerhoek-Noord minder dan 5" in flat
    assert "Op tijd beantwoord 1" in flat
    assert "Te laat beantwoord 1" in flat
    assert "Budget € 100.000" in flat
    assert "Bomen planten" in flat


def test_the_summary_takes_as_many_statements_for_500_ideas_as_for_5(app, client, create_process):
    few = create_process(status="published", slug="weinig")
    many = create_process(status="published", slug="veel")
    add_reactions(app, few.id, 5)
    add_reactions(app, many.id, 500, prefix="veel")
    for path in (
        "/processen/{}/samenvatting",
        "/api/v1/processes/{}/summary",
        "/processen/{}/export.csv",
    ):
        client.get(path.format("weinig"))
        with count_statements(app) as small:
            assert client.get(path.format("weinig")).status_code == 200
        with count_statements(app) as large:
            assert client.get(path.format("veel")).status_code == 200
        assert large.count == small.count, path
