"""The area map: Leaflet draws the wijken beside their table; without JavaScript the table stays."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import violations

pytestmark = pytest.mark.browser


@pytest.fixture
def problems(page):
    """Script errors, CSP violations and failed requests of the page (the favicon aside)."""
    found = []

    def console(message):
        # A failed request is logged too; it is collected, with its address, below.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            found.append(message.text)

    def response(answer):
        if answer.status >= 400 and not answer.url.endswith("/favicon.ico"):
            found.append(f"{answer.status} {answer.url}")

    page.on("console", console)
    page.on("pageerror", lambda error: found.append(str(error)))
    page.on("response", response)
    return found


def test_map_draws_one_shape_per_wijk_and_passes_axe(page, areas, problems):
    page.goto("/gebieden/GM0153")
    area_map = page.locator("[data-area-map]")
    expect(area_map).to_have_attribute("data-area-map-ready", "")
    expect(area_map).to_be_visible()
    expect(area_map.locator(".leaflet-overlay-pane path")).to_have_count(10)
    # Every wijk has a figure, so every shape has a colour of the scale, none the hatch.
    fills = area_map.locator(".leaflet-overlay-pane path").evaluate_all(
        "paths => paths.map(path => path.getAttribute('fill'))"
    )
    assert all(fill.startswith("#") for fill in fills), fills
    assert len(set(fills)) == 5
    expect(area_map.locator(".area-map__legend li")).to_have_count(5)
    assert violations(page) == []
    assert problems == []


def test_tooltip_names_the_wijk_and_its_figure(page, areas):
    page.goto("/gebieden/GM0153")
    path = page.locator(".leaflet-overlay-pane path").first
    path.hover(force=True)
    tooltip = page.locator(".leaflet-tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text("Binnensingelgebied")
    expect(tooltip).to_contain_text("6.670")


def test_buurten_without_figures_are_hatched_and_the_legend_says_so(page, areas, problems):
    page.goto("/gebieden/WK015306")
    area_map = page.locator("[data-area-map]")
    expect(area_map).to_have_attribute("data-area-map-ready", "")
    fills = area_map.locator(".leaflet-overlay-pane path").evaluate_all(
        "paths => paths.map(path => path.getAttribute('fill'))"
    )
    assert fills and all(fill.startswith("url(#") for fill in fills), fills
    expect(area_map.locator(".leaflet-overlay-pane svg pattern")).to_have_count(1)
    expect(area_map.locator(".area-map__legend")).to_contain_text("geen cijfer")
    assert violations(page) == []
    assert problems == []


def test_without_javascript_the_table_is_the_content(browser, live_server, areas):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/gebieden/GM0153")
    table = page.locator("#area-children")
    expect(table).to_be_visible()
    expect(table.locator("tr[data-area-code]")).to_have_count(10)
    expect(page.locator("[data-area-map]")).to_be_hidden()
    context.close()


def test_the_map_adds_no_tab_stops_inside_hidden_content(page, areas):
    # The map is aria-hidden (the table is the content): a keyboard user must not land
    # on its shapes, which a screen reader would not announce.
    page.goto("/gebieden/GM0153")
    area_map = page.locator("[data-area-map]")
    expect(area_map).to_have_attribute("data-area-map-ready", "")
    focusable = page.evaluate(
        """() => [...document.querySelectorAll('[aria-hidden="true"] *')].filter(el =>
            el.tabIndex >= 0 && (el.hasAttribute('tabindex') || el.matches('a[href], button, input, select, textarea'))
        ).length"""
    )
    assert focusable == 0
    # Tabbing from the table's last link goes past the map, never into it.
    for _ in range(40):
        page.keyboard.press("Tab")
        inside = page.evaluate(
            "() => document.activeElement.closest('[aria-hidden=\"true\"]')"
            " ? document.activeElement.outerHTML.slice(0, 200) : ''"
        )
        assert not inside
