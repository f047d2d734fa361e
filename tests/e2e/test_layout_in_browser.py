"""Every page looks right in a real browser, beyond what axe-core checks.

Over every HTML page of ``app.url_map`` (with the route matrix's world of a published
process, an idea, a comment, a budget vote and an agenda), logged out and per role,
at 1280 and at 320 px wide:

- no letter stacking: no element whose own text is longer than 10 characters is
  narrower than 4 characters (the checkbox labels that rendered one letter wide);
- no sideways scroll of the page at 320 px (WCAG 1.4.10 reflow): wide tables scroll
  in their own region;
- no text clipped with WCAG 1.4.12 text spacing (line height 1.5, paragraph spacing
  2, letter spacing 0.12 and word spacing 0.16 times the font size).

The last test shows that the checks fail on a deliberately broken page.
"""

import pytest

from tests.e2e.conftest import log_in
from tests.test_route_matrix import OVERRIDES
from tests.test_route_matrix import world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser

#: Routes that are not pages to look at: files, feeds, redirects and actions.
NOT_PAGES = {
    "static",
    "pages.language",
    "pages.theme",
    "pages.favicon",
    "pages.favicon_ico",
    "pages.logo",
    "accounts.logout",
}

# Elements whose own text is longer than 10 characters and that are narrower than
# 4 characters of their font: letters stacked into a column.
STACKED = """() => {
    const found = [];
    for (const el of document.querySelectorAll('body *')) {
        const own = [...el.childNodes].filter(n => n.nodeType === 3)
            .map(n => n.textContent).join('').trim();
        if (own.length <= 10) continue;
        const rect = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (rect.width <= 1 || style.visibility === 'hidden' || style.display === 'none') continue;
        if (el.closest('.visually-hidden, [hidden], svg, title')) continue;
        const char = parseFloat(style.fontSize) * 0.5;
        if (rect.width < 4 * char) found.push(el.tagName + ': ' + own.slice(0, 40) + ' (' + Math.round(rect.width) + 'px)');
    }
    return found;
}"""

SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"

TEXT_SPACING = """() => {
    const style = document.createElement('style');
    style.textContent = `* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
        word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }`;
    document.head.appendChild(style);
}"""

# Elements that hide what overflows them and whose text no longer fits.
CLIPPED = """() => {
    const found = [];
    for (const el of document.querySelectorAll('body *')) {
        const style = getComputedStyle(el);
        const hides = [style.overflowX, style.overflowY].some(v => v === 'hidden' || v === 'clip');
        if (!hides || !el.textContent.trim()) continue;
        if (el.closest('.visually-hidden, .skip-link, [hidden], svg, .leaflet-container')) continue;
        const rect = el.getBoundingClientRect();
        if (rect.width <= 1 || rect.height <= 1) continue;
        if (el.scrollHeight > el.clientHeight + 2 || el.scrollWidth > el.clientWidth + 2) {
            found.push(el.tagName + '.' + el.className + ': ' + el.textContent.trim().slice(0, 40));
        }
    }
    return found;
}"""


@pytest.fixture
def page(browser, live_server):
    """A page that may add the checks' own style sheet (the site's CSP forbids inline
    styles, rightly; the checks are not the site)."""
    context = browser.new_context(base_url=live_server, locale="nl-NL", bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


#: Files the pages link to: a browser downloads them instead of showing a page.
FILE_SUFFIXES = (".csv", ".pdf", ".json", ".svg", ".ico", ".ics", ".png", ".jpg", ".zip")

VISITORS = ["anonymous", "resident", "facilitator", "councillor", "administrator"]


def _page_urls(app, values):
    """The URL of every GET route, built with the world's values."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        if rule.endpoint.startswith("api"):
            continue
        arguments = {name: values[name] for name in rule.arguments}
        arguments.update(OVERRIDES.get(rule.endpoint, {}))
        url = rule.build(arguments, append_unknown=False)[1]
        if not url.endswith(FILE_SUFFIXES):
            urls.append(url)
    return sorted(set(urls))


def problems_of(page):
    """What the three checks find on the loaded page, at its current width."""
    problems = [f"letters stacked: {item}" for item in page.evaluate(STACKED)]
    width = page.viewport_size["width"]
    if width <= 360:
        sideways = page.evaluate(SIDEWAYS)
        if sideways > 1:
            problems.append(f"scrolls sideways by {sideways}px at {width}px")
    page.evaluate(TEXT_SPACING)
    problems += [f"clipped with text spacing: {item}" for item in page.evaluate(CLIPPED)]
    return problems


@pytest.mark.parametrize("visitor", VISITORS)
def test_every_page_looks_right_at_1280_and_320(app, world, page, visitor):  # noqa: F811
    users, values = world
    if visitor != "anonymous":
        log_in(page, users[visitor].email)
    found = {}
    looked = 0
    for url in _page_urls(app, values):
        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(url)
            if response is None or response.status != 200:
                break
            if not response.headers.get("content-type", "").startswith("text/html"):
                break
            looked += 1
            problems = problems_of(page)
            if problems:
                found[f"{url} at {width}px"] = problems[:5]
    assert looked >= 20, looked
    assert not found, found


def test_the_checks_fail_on_a_broken_page(page):
    # The registration page with the checkbox label squeezed into its grid column, as
    # the first round's macro did, a table that is too wide and a clipped box.
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto("/registreren")
    page.add_style_tag(
        content=".utrecht-form-field--checkbox label { display: block; width: 1ch; }"
        " main::after { content: ''; display: block; width: 600px; height: 1px; }"
        " h1 { overflow: hidden; height: 1em; width: 60px; white-space: nowrap; }"
    )
    problems = problems_of(page)
    assert any(p.startswith("letters stacked: LABEL") for p in problems), problems
    assert any(p.startswith("scrolls sideways") for p in problems), problems
    assert any(p.startswith("clipped with text spacing") for p in problems), problems
