"""What happens in my buurt: the map coloured by the works' status, and the table without JavaScript."""

from datetime import date

import pytest
import sqlalchemy as sa
from participatie.builtin.agenda.models import Agenda
from participatie.builtin.agenda.models import Partner
from participatie.builtin.agenda.models import Task
from participatie.builtin.agenda.models import Work
from participatie.core.areas.models import Area
from participatie.extensions import db
from playwright.sync_api import expect

from tests.e2e.conftest import violations

pytestmark = pytest.mark.browser

PLANNED, IN_EXECUTION = "#ffffb2", "#2c7fb8"


@pytest.fixture
def plan(app, areas):
    with app.app_context():
        wijk = db.session.scalar(sa.select(Area).where(Area.code == "WK015306"))
        buurten = {b.code: b for b in wijk.children}
        partner = Partner(name="Welbions", kind="housing-corporation", areas=[wijk])
        agenda = Agenda(area=wijk, title="Wijkagenda Zuid", period_start=2026, period_end=2029)
        task = Task(agenda=agenda, title="Groen en veilig", domain="fysiek", change="Meer groen")
        works = [
            Work(
                area=wijk,
                year=2026,
                title="Riool vervangen",
                task=task,
                starts_on=date(2026, 3, 1),
                ends_on=date(2026, 9, 1),
                buurten=[buurten["BU01530600"]],
                status="in-execution",
                status_explanation="De aannemer is begonnen.",
            ),
            Work(
                area=wijk,
                year=2026,
                title="Woningen renoveren",
                starts_on=date(2026, 6, 1),
                ends_on=date(2026, 12, 1),
                owner=partner,
                buurten=[buurten["BU01530601"]],
            ),
        ]
        db.session.add_all([partner, agenda, task, *works])
        db.session.commit()
        return len(buurten)


def test_the_map_colours_the_buurten_by_the_status_of_their_works_and_passes_axe(page, plan):
    page.goto("/")
    page.get_by_role("link", name="Bekijk wat er gebeurt in mijn buurt").click()
    page.get_by_role("link", name="Enschede-Zuid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat gebeurt er in Enschede-Zuid")
    area_map = page.locator("[data-area-map]")
    expect(area_map).to_have_attribute("data-area-map-ready", "")
    paths = area_map.locator(".leaflet-overlay-pane path")
    expect(paths).to_have_count(plan)
    fills = paths.evaluate_all("paths => paths.map(path => path.getAttribute('fill'))")
    assert fills.count(IN_EXECUTION) == 1 and fills.count(PLANNED) == 1
    assert sum(fill.startswith("url(#") for fill in fills) == plan - 2
    legend = area_map.locator(".area-map__legend")
    expect(legend).to_contain_text("In uitvoering")
    expect(legend).to_contain_text("Gepland")
    expect(page.get_by_text("De aannemer is begonnen.")).to_be_visible()
    assert violations(page) == []


def test_without_javascript_the_table_and_the_list_are_the_content(browser, live_server, plan):
    context = browser.new_context(base_url=live_server, java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    page.goto("/gebieden/WK015306/in-mijn-buurt")
    table = page.locator("#works-per-buurt")
    expect(table).to_be_visible()
    expect(table.locator("tr[data-area-code]")).to_have_count(plan)
    expect(page.locator("[data-area-map]")).to_be_hidden()
    expect(page.get_by_text("Woningen renoveren")).to_be_visible()
    page.get_by_label("Je buurt").select_option("BU01530601")
    page.get_by_role("button", name="Tonen").click()
    expect(page.get_by_text("Woningen renoveren")).to_be_visible()
    expect(page.get_by_text("Riool vervangen")).to_have_count(0)
    context.close()


def test_the_staff_pages_of_the_area_cycle_pass_axe(page, plan, app, create_user, grant):
    from tests.e2e.conftest import log_in

    user = create_user(email="begeleider@example.org")
    grant(user, "facilitator", "WK015306")
    with app.app_context():
        first = db.session.scalar(sa.select(Work).where(Work.title == "Riool vervangen"))
        other = Work(
            area=first.area,
            year=2026,
            title="Bomen planten",
            starts_on=date(2026, 5, 1),
            ends_on=date(2026, 6, 1),
            owner=db.session.scalar(sa.select(Partner)),
            buurten=list(first.buurten),
        )
        db.session.add(other)
        db.session.commit()
        first, second = first.id, other.id
        partner = db.session.scalar(sa.select(Partner.id))
        agenda = db.session.scalar(sa.select(Agenda.id))
        task = db.session.scalar(sa.select(Task.id))
    log_in(page, user.email)
    failures = {}
    for path in (
        "/partners",
        f"/partners/{partner}",
        "/gebieden/WK015306/gebiedscyclus",
        "/gebieden/WK015306/mensen/nieuw",
        f"/gebieden/WK015306/agendas/{agenda}",
        f"/gebieden/WK015306/opgaven/{task}",
        "/gebieden/WK015306/uitvoering",
        f"/gebieden/WK015306/uitvoering/{first}",
        f"/gebieden/WK015306/uitvoering/{first}/status",
        "/gebieden/WK015306/uitvoering/importeren",
        "/gebieden/WK015306/koppelkansen",
        f"/gebieden/WK015306/koppelkansen/{first}-{second}",
        "/gebieden/WK015306/voortgang",
        "/gebieden/WK015306",
        "/begeleiding",
    ):
        answer = page.goto(path)
        assert answer.status == 200, path
        found = violations(page)
        if found:
            failures[path] = found
    assert failures == {}
