"""The area cycle's API, checked against the OpenAPI document (the ``api`` fixture)."""

from datetime import date

import sqlalchemy as sa
from participatie.builtin.agenda.models import Indicator
from participatie.builtin.agenda.models import ProcessTask
from participatie.builtin.agenda.models import Task
from participatie.builtin.agenda.models import Work
from participatie.core.processes.models import Process
from participatie.core.processes.service import set_enabled
from participatie.extensions import db

from tests.builtin.agenda.conftest import add_works


def test_the_agenda_of_an_area(api, app, cycle, create_process):
    process = create_process(status="published")
    draft = create_process(slug="concept")
    with app.app_context():
        task = db.session.get(Task, cycle["task"])
        task.indicators = [Indicator(key="population", baseline=33685, target=34000, year=2024)]
        db.session.add(ProcessTask(process_id=process.id, task_id=task.id))
        db.session.add(ProcessTask(process_id=draft.id, task_id=task.id))
        db.session.commit()
    data = api("/areas/WK015306/agenda")
    assert data["next"] is None
    [agenda] = data["items"]
    assert (agenda["period_start"], agenda["period_end"], agenda["adopted_on"]) == (
        2026,
        2029,
        "2026-01-29",
    )
    [item] = agenda["tasks"]
    assert (item["domain"], item["status"], item["processes"]) == (
        "fysiek",
        "active",
        [process.slug],
    )
    assert item["indicators"] == [
        {"key": "population", "baseline": 33685, "target": 34000, "year": 2024}
    ]
    assert api("/areas/GM0153/agenda")["items"] == []
    api("/areas/XX/agenda", expected_status=404)


def test_works_of_an_area_include_its_child_areas_and_filter(api, app, cycle):
    add_works(app, 2)
    with app.app_context():
        work = db.session.scalar(sa.select(Work).order_by(Work.id))
        work.status, work.year, work.task_id = "done", 2025, cycle["task"]
        db.session.commit()
    everything = api("/areas/GM0153/works")["items"]
    assert len(everything) == 2
    first = next(w for w in everything if w["status"] == "done")
    assert first["starts"] == "2026-03" and first["ends"] == "2026-05"
    assert first["owner"] == {"name": "Enschede", "kind": "municipality"}
    assert first["buurt_codes"] == ["BU01530600"]
    assert first["task_id"] == cycle["task"] and first["source"] is None
    assert first["url"].startswith("http://localhost/gebieden/WK015306/in-mijn-buurt#work-")
    assert [w["status"] for w in api("/areas/WK015306/works?year=2026")["items"]] == ["planned"]
    assert len(api("/areas/WK015306/works?status=done")["items"]) == 1
    assert api("/areas/WK015300/works")["items"] == []
    api("/areas/WK015306/works?status=klaar", expected_status=400)
    api("/areas/WK015306/works?year=twee", expected_status=400)


def test_a_work_from_an_idea_names_its_source(api, app, cycle, create_process, create_idea):
    from participatie.builtin.agenda import service
    from participatie.builtin.ideas.models import Idea

    process = create_process(status="published")
    idea_id = create_idea(process, status="adopted")
    with app.app_context():
        service.work_from_idea(db.session.get(Idea, idea_id), today=date(2026, 5, 1))
        db.session.commit()
    [work] = api("/areas/WK015306/works")["items"]
    assert work["source"] == {"process_slug": process.slug, "idea_id": idea_id}


def test_partners(api, cycle):
    [partner] = api("/partners")["items"]
    assert partner == {
        "id": cycle["partner"],
        "name": "Welbions",
        "kind": "housing-corporation",
        "website": "",
        "area_codes": ["WK015306"],
    }


def test_a_process_names_its_task_and_null_without_one_or_with_the_plugin_off(
    api, app, cycle, create_process
):
    process = create_process(status="published")
    assert api(f"/processes/{process.slug}")["task"] is None
    with app.app_context():
        db.session.add(ProcessTask(process_id=process.id, task_id=cycle["task"]))
        db.session.commit()
    assert api(f"/processes/{process.slug}")["task"] == {
        "agenda_id": cycle["agenda"],
        "task_id": cycle["task"],
        "title": "Groen en veilig",
        "area_code": "WK015306",
    }
    with app.app_context():
        set_enabled(db.session.get(Process, process.id), "agenda", False)
        db.session.commit()
    assert api(f"/processes/{process.slug}")["task"] is None
