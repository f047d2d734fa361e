"""The area cycle's pages as each role uses them, the CSV import, and the statement counts."""

from datetime import date

import sqlalchemy as sa
from participatie.builtin.agenda.models import AreaPerson
from participatie.builtin.agenda.models import CouplingDecision
from participatie.builtin.agenda.models import Partner
from participatie.builtin.agenda.models import ProcessTask
from participatie.builtin.agenda.models import Task
from participatie.builtin.agenda.models import Work
from participatie.builtin.ideas.models import Idea
from participatie.core.processes.models import FramingRevision
from participatie.core.processes.models import Process
from participatie.extensions import db

from tests.builtin.agenda.conftest import add_works
from tests.conftest import csrf_token
from tests.conftest import login
from tests.querycount import count_statements


def _post(client, path, data, **kwargs):
    return client.post(path, data={"csrf_token": csrf_token(client, "/account"), **data}, **kwargs)


def test_a_facilitator_records_partners_people_an_agenda_a_task_and_a_work(app, cycle, facilitator):
    answer = _post(
        facilitator,
        "/partners/nieuw",
        {
            "name": "Wijkracht",
            "kind": "welfare",
            "website": "https://www.wijkracht.nl",
            "areas": [],
        },
    )
    assert answer.status_code == 302
    answer = _post(
        facilitator,
        "/gebieden/WK015306/mensen/nieuw",
        {"role": "wijkagent", "name": "Sanne", "phone": "0900-8844"},
    )
    assert answer.status_code == 302
    answer = _post(
        facilitator,
        "/gebieden/WK015306/agendas/nieuw",
        {
            "title": "Wijkagenda 2030",
            "period_start": "2030",
            "period_end": "2033",
            "adopted_on": "2029-12-01",
            "decision_reference": "RV 2029-1",
        },
    )
    assert answer.status_code == 302
    answer = _post(
        facilitator,
        f"/gebieden/WK015306/agendas/{cycle['agenda']}/opgaven/nieuw",
        {
            "title": "Samen in de buurt",
            "domain": "sociaal",
            "change": "Minder eenzaamheid",
            "status": "active",
            "indicators": "population; 33685; 34000; 2024",
        },
    )
    assert answer.status_code == 302
    with app.app_context():
        wijkracht = db.session.scalar(sa.select(Partner).where(Partner.name == "Wijkracht"))
        task = db.session.scalar(sa.select(Task).where(Task.title == "Samen in de buurt"))
        assert [(i.key, int(i.baseline), int(i.target), i.year) for i in task.indicators] == [
            ("population", 33685, 34000, 2024)
        ]
        buurt_id = db.session.scalar(sa.text("SELECT id FROM area WHERE code = 'BU01530600'"))
        assert db.session.scalar(sa.select(AreaPerson.name)) == "Sanne"
    answer = _post(
        facilitator,
        "/gebieden/WK015306/uitvoering/nieuw",
        {
            "title": "Buurthuiskamer",
            "year": "2026",
            "task": str(task.id),
            "starts": "2026-02",
            "ends": "2026-11",
            "owner": str(wijkracht.id),
            "buurten": [str(buurt_id)],
        },
    )
    assert answer.status_code == 302
    with app.app_context():
        work = db.session.scalar(sa.select(Work))
        assert (work.owner_id, work.task_id, work.buurt_codes) == (
            wijkracht.id,
            task.id,
            ["BU01530600"],
        )
        assert (work.starts_on, work.ends_on) == (date(2026, 2, 1), date(2026, 11, 1))


def test_a_bad_work_keeps_what_was_typed_and_says_why(cycle, facilitator):
    answer = _post(
        facilitator,
        "/gebieden/WK015306/uitvoering/nieuw",
        {"title": "Riool", "year": "2026", "starts": "2026-09", "ends": "2026-02", "owner": "x"},
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert 'value="Riool"' in page
    assert "De eindmaand kan niet voor de beginmaand liggen." in page
    assert "Kies uit de lijst wie het uitvoert." in page


def test_a_status_change_without_explanation_is_refused(app, cycle, facilitator):
    add_works(app, 1)
    with app.app_context():
        work_id = db.session.scalar(sa.select(Work.id))
    path = f"/gebieden/WK015306/uitvoering/{work_id}/status"
    answer = _post(facilitator, path, {"status": "postponed", "explanation": ""})
    assert answer.status_code == 400
    assert "Leg de nieuwe status uit" in answer.get_data(as_text=True)
    answer = _post(facilitator, path, {"status": "postponed", "explanation": "Geen aannemer."})
    assert answer.status_code == 302
    with app.app_context():
        work = db.session.get(Work, work_id)
        assert (work.status, work.status_explanation) == ("postponed", "Geen aannemer.")
        assert len(work.changes) == 1


PLAN = """title,task,buurt_codes,starts,ends,owner,budget,status,explanation
Riool vervangen,Groen en veilig,BU01530600,2026-03,2026-09,,850000,,
Woningen renoveren,,BU01530600 BU01530601,2026-06,2026-12,Welbions,,in-execution,Begonnen in juni
"""


def _import(client, text, year="2026"):
    from io import BytesIO

    return _post(
        client,
        "/gebieden/WK015306/uitvoering/importeren",
        {"year": year, "file": (BytesIO(text.encode()), "plan.csv")},
        content_type="multipart/form-data",
    )


def test_a_years_plan_is_imported_whole(app, cycle, facilitator):
    answer = _import(facilitator, PLAN)
    assert answer.status_code == 302
    with app.app_context():
        works = db.session.scalars(sa.select(Work).order_by(Work.title)).all()
        assert [(w.title, w.status, w.year) for w in works] == [
            ("Riool vervangen", "planned", 2026),
            ("Woningen renoveren", "in-execution", 2026),
        ]
        assert works[1].owner.name == "Welbions"
        assert works[1].buurt_codes == ["BU01530600", "BU01530601"]
        assert [c.explanation for c in works[1].changes] == ["Begonnen in juni"]
        assert works[0].task.title == "Groen en veilig"


def test_an_import_with_wrong_rows_imports_nothing_and_names_every_row(app, cycle, facilitator):
    wrong = PLAN + (
        "Speelplek,Onbekende opgave,BU01530600,2026-13,2026-02,,veel,,\n"
        "Straat,,BU01530000,2026-01,2026-02,Niemand,,done,\n"
    )
    answer = _import(facilitator, wrong)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "<title>Fout:" in page
    assert "Regel 4:" in page and "Regel 5:" in page and "Regel 2:" not in page
    assert "geen opgave Onbekende opgave" in page
    assert "starts is geen maand" in page
    assert "budget is geen heel aantal" in page
    assert "buurt BU01530000 ligt niet in dit gebied" in page
    assert "geen partner met de naam Niemand" in page
    assert "een andere status dan gepland heeft een uitleg nodig" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Work)) == 0
    missing = _import(facilitator, "title,starts\nRiool,2026-01\n")
    assert missing.status_code == 400
    assert "Kolommen ontbreken: ends." in missing.get_data(as_text=True)


def test_coupling_chances_are_listed_and_resolved(app, cycle, facilitator):
    add_works(app, 1, prefix="Riool")
    add_works(app, 1, owner=cycle["partner"], start=5, prefix="Renovatie")
    add_works(app, 1, buurt="BU01530601", prefix="Elders")
    page = facilitator.get("/gebieden/WK015306/koppelkansen").get_data(as_text=True)
    assert "1 open koppelkans" in page
    assert "Riool 0 + Renovatie 0" in page
    assert "Elders 0 +" not in page
    with app.app_context():
        first, second = db.session.scalars(sa.select(Work.id).order_by(Work.id)).all()[:2]
    path = f"/gebieden/WK015306/koppelkansen/{first}-{second}"
    refused = _post(facilitator, path, {"decision": "coordinated", "text": ""})
    assert refused.status_code == 400
    done = _post(facilitator, path, {"decision": "coordinated", "text": "Eén keer open."})
    assert done.status_code == 302
    page = facilitator.get("/gebieden/WK015306/koppelkansen").get_data(as_text=True)
    assert "0 open koppelkansen" in page and "Eén keer open." in page
    with app.app_context():
        assert db.session.scalar(sa.select(CouplingDecision.decision)) == "coordinated"
    overview = facilitator.get("/begeleiding").get_data(as_text=True)
    assert "0 open koppelkansen" in overview


def test_open_chances_count_on_the_facilitators_overview(app, cycle, facilitator):
    add_works(app, 1, prefix="Riool")
    add_works(app, 1, owner=cycle["partner"], prefix="Renovatie")
    overview = facilitator.get("/begeleiding").get_data(as_text=True)
    assert "1 open koppelkans" in overview


def test_residents_find_the_works_of_their_buurt_from_the_home_page(app, client, cycle):
    add_works(app, 2, prefix="Riool")
    add_works(app, 1, buurt="BU01530601", prefix="Speelplek")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/in-mijn-buurt"' in home
    chooser = client.get("/in-mijn-buurt").get_data(as_text=True)
    assert 'href="/gebieden/WK015306/in-mijn-buurt"' in chooser
    page = client.get("/gebieden/WK015306/in-mijn-buurt").get_data(as_text=True)
    assert "Groen en veilig" in page and "Riool 1" in page and "Speelplek 0" in page
    assert 'data-area-code="BU01530600"' in page and 'data-category="planned"' in page
    buurt = client.get("/gebieden/WK015306/in-mijn-buurt?buurt=BU01530601").get_data(as_text=True)
    assert "Speelplek 0" in buurt and "Riool 1" not in buurt
    shapes = client.get("/gebieden/WK015306/in-mijn-buurt/kaart.geojson").get_json()
    assert "BU01530600" in {f["properties"]["code"] for f in shapes["features"]}


def test_the_area_page_shows_people_by_role_and_partners(app, client, cycle):
    with app.app_context():
        from participatie.core.areas.models import Area

        wijk = db.session.scalar(sa.select(Area).where(Area.code == "WK015306"))
        db.session.add_all(
            [
                AreaPerson(area=wijk, role="wijkagent", name="Sanne", phone="0900 8844"),
                AreaPerson(area=wijk, role="wijkwethouder", name="Jan", email="jan@example.org"),
            ]
        )
        db.session.commit()
    page = client.get("/gebieden/WK015306").get_data(as_text=True)
    assert page.index("Jan") < page.index("Sanne")
    assert 'href="tel:09008844"' in page and 'href="mailto:jan@example.org"' in page
    assert "Welbions" in page
    assert 'href="/gebieden/WK015306/in-mijn-buurt"' in page


def _count(app, client, path):
    client.get(path)
    with count_statements(app) as counter:
        assert client.get(path).status_code == 200
    return counter.count


def test_the_pages_take_as_many_statements_for_40_works_as_for_2(
    app, cycle, facilitator, client, create_user, grant
):
    councillor = create_user(email="raad@example.org")
    grant(councillor, "councillor", "GM0153")
    council = app.test_client()
    login(council, councillor.email)
    add_works(app, 1, owner=cycle["partner"])
    add_works(app, 1, prefix="Gemeente")
    paths = (
        (client, "/gebieden/WK015306/in-mijn-buurt"),
        (council, "/gebieden/WK015306/voortgang"),
        (facilitator, "/gebieden/WK015306/uitvoering"),
        (facilitator, "/gebieden/WK015306/koppelkansen"),
        (client, "/api/v1/areas/WK015306/works"),
    )
    small = [_count(app, c, p) for c, p in paths]
    add_works(app, 38, buurt="BU01530601", prefix="Meer")
    large = [_count(app, c, p) for c, p in paths]
    assert large == small


def test_a_process_links_to_a_task_and_takes_the_council_decision_into_its_framing(
    app, client, cycle, facilitator, create_process
):
    process = create_process(status="published")
    answer = _post(
        facilitator,
        f"/processen/{process.slug}/opgave",
        {"task": str(cycle["task"]), "partner": str(cycle["partner"])},
    )
    assert answer.status_code == 302
    page = client.get(f"/processen/{process.slug}").get_data(as_text=True)
    assert "Dit traject hoort bij opgave Groen en veilig van de Wijkagenda Zuid 2026–2029." in page
    assert "Uitgevoerd door Welbions" in page
    refused = _post(facilitator, f"/processen/{process.slug}/opgave/kader", {"explanation": ""})
    assert refused.status_code == 302
    with app.app_context():
        assert len(db.session.get(Process, process.id).fixed_limits) == 1
    taken = _post(
        facilitator,
        f"/processen/{process.slug}/opgave/kader",
        {"explanation": "Het raadsbesluit hoort erbij."},
    )
    assert taken.status_code == 302
    with app.app_context():
        limits = db.session.get(Process, process.id).fixed_limits
        assert [(limit.kind, limit.source) for limit in limits[1:]] == [
            ("council-decision", "Raadsbesluit RV 2025-117 van 29-01-2026")
        ]
        revision = db.session.scalar(sa.select(FramingRevision).where(FramingRevision.number > 0))
        assert revision.explanation == "Het raadsbesluit hoort erbij."
        assert revision.changes[0]["field"] == "fixed_limits"
    again = _post(
        facilitator, f"/processen/{process.slug}/opgave/kader", {"explanation": "Nog eens"}
    )
    assert again.status_code == 302
    with app.app_context():
        assert len(db.session.get(Process, process.id).fixed_limits) == 2


def test_an_adopted_idea_becomes_a_work_in_one_step_and_its_page_shows_the_progress(
    app, client, cycle, facilitator, create_process, create_idea
):
    process = create_process(status="published")
    idea_id = create_idea(process, title="Bankje", status="adopted")
    works = facilitator.get("/gebieden/WK015306/uitvoering").get_data(as_text=True)
    assert "Maak een werk van Bankje" in works
    answer = _post(facilitator, "/gebieden/WK015306/uitvoering/van-idee", {"idea": str(idea_id)})
    assert answer.status_code == 302
    with app.app_context():
        work = db.session.scalar(sa.select(Work))
        assert work.source_idea_id == idea_id
        work_id = work.id
    _post(
        facilitator,
        f"/gebieden/WK015306/uitvoering/{work_id}/status",
        {"status": "in-execution", "explanation": "De bank wordt geplaatst."},
    )
    page = client.get(f"/ideeen/{idea_id}").get_data(as_text=True)
    assert "Dit idee staat in het uitvoeringsplan" in page
    assert "De bank wordt geplaatst." in page
    twice = _post(facilitator, "/gebieden/WK015306/uitvoering/van-idee", {"idea": str(idea_id)})
    assert twice.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Work)) == 1
        assert db.session.get(Idea, idea_id).status == "adopted"


def test_the_councillors_page_and_pdf(app, cycle, create_user, grant, create_process):
    councillor = create_user(email="raad@example.org")
    grant(councillor, "councillor", "GM0153")
    client = app.test_client()
    login(client, councillor.email)
    process = create_process(status="published")
    with app.app_context():
        db.session.add(ProcessTask(process_id=process.id, task_id=cycle["task"]))
        db.session.commit()
    add_works(app, 1, prefix="Laat")
    with app.app_context():
        work = db.session.scalar(sa.select(Work))
        work.task_id, work.status, work.status_explanation = (
            cycle["task"],
            "postponed",
            "Geen aannemer",
        )
        db.session.commit()
    page = client.get("/gebieden/WK015306/voortgang").get_data(as_text=True)
    assert "Groen en veilig" in page and "Een groenere straat" in page
    assert "Waarom: Geen aannemer" in page
    pdf = client.get("/gebieden/WK015306/voortgang.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    dashboard = client.get("/raad").get_data(as_text=True)
    assert 'href="/gebieden/GM0153/voortgang"' in dashboard


def test_a_web_address_must_be_http_or_https(app, cycle, facilitator):
    answer = _post(
        facilitator,
        "/partners/nieuw",
        {"name": "Ergens", "kind": "other", "website": "javascript://x.nl/%0Aalert(1)"},
    )
    assert answer.status_code == 400
    assert "Vul een webadres in dat begint met https://." in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Partner).where(Partner.name == "Ergens")) is None


def test_the_councillor_reads_an_indicator_against_baseline_target_and_its_years(
    app, cycle, create_user, grant
):
    from decimal import Decimal

    from participatie.builtin.agenda.models import Indicator
    from participatie.core.areas.models import Area
    from participatie.core.areas.models import AreaFigure

    with app.app_context():
        wijk = db.session.scalar(sa.select(Area).where(Area.code == "WK015306"))
        wijk.figures.append(
            AreaFigure(
                key="housing_stock", value=Decimal(15000), unit="woningen", year=2021, source="CBS"
            )
        )
        task = db.session.get(Task, cycle["task"])
        task.indicators = [Indicator(key="housing_stock", baseline=15000, target=16500, year=2021)]
        db.session.commit()
        latest = next(f for f in wijk.latest_figures if f.key == "housing_stock")
        latest_text = f"{latest.number:,}".replace(",", ".")
    councillor = create_user(email="raad@example.org")
    grant(councillor, "councillor", "GM0153")
    client = app.test_client()
    login(client, councillor.email)
    page = client.get("/gebieden/WK015306/voortgang").get_data(as_text=True)
    assert "15.000 (2021)" in page and "16.500" in page
    assert f"{latest_text} ({latest.year})" in page
    assert f"2021: 15.000 · {latest.year}: {latest_text}" in page


def test_the_plan_is_imported_from_the_command_line_all_or_nothing(app, cycle, runner, tmp_path):
    good = tmp_path / "plan.csv"
    good.write_text(PLAN)
    result = runner.invoke(args=["agenda", "import-plan", "WK015306", "2026", str(good)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 works into WK015306 2026." in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("title,starts,ends\nRiool,2026-13,2026-02\n")
    result = runner.invoke(args=["agenda", "import-plan", "WK015306", "2026", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2:" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Work)) == 2
