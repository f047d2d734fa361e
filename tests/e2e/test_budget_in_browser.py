"""A budget ballot cast in a real browser: with htmx, without JavaScript, by keyboard, axe-clean."""

import re

import pytest
from playwright.sync_api import expect

from tests.builtin.budgets.test_budget_vote import _close
from tests.builtin.budgets.test_budget_vote import _open_vote
from tests.e2e.conftest import log_in
from tests.e2e.conftest import violations

pytestmark = pytest.mark.browser


def test_a_ballot_by_keyboard_with_htmx_updates_the_total_in_place(
    app, page, create_process, create_user
):
    saved = create_process(status="published", slug="wijkbudget")
    _open_vote(app, saved.slug)
    log_in(page, create_user().email)
    page.goto(f"/processen/{saved.slug}/begroting")
    assert violations(page) == []
    page.evaluate("window.marker = 'still here'")
    page.get_by_label("Bankjes").focus()
    page.keyboard.press("Space")
    expect(page.locator("#keuze")).to_contain_text("1 project gekozen")
    page.keyboard.press("Tab")  # to the next card's link or checkbox, by keyboard only
    page.get_by_label("Bomen").focus()
    page.keyboard.press("Space")
    expect(page.locator("#keuze")).to_contain_text("2 projecten gekozen")
    expect(page.locator("#keuze")).to_contain_text("€\u00a015.000 over")
    expect(page.locator("#keuze-balk")).to_contain_text("2 projecten gekozen")
    assert page.evaluate("window.marker") == "still here"
    page.get_by_role("button", name="Stem uitbrengen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Je stem is uitgebracht")).to_be_visible()
    expect(page.get_by_label("Bankjes")).to_be_checked()
    expect(page.get_by_label("Bomen")).to_be_checked()
    assert violations(page) == []


def test_without_javascript_check_my_choice_lists_the_rules_and_keeps_the_choice(
    app, browser, live_server, create_process, create_user
):
    saved = create_process(status="published", slug="wijkbudget")
    _open_vote(app, saved.slug)
    user = create_user()
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    log_in(page, user.email)
    page.goto(f"/processen/{saved.slug}/begroting")
    for title in ("Speeltuin", "Bomen", "Bankjes"):
        page.get_by_label(title).check()
    page.get_by_role("button", name="Controleer mijn keuze").click()
    expect(page.locator("#keuze")).to_contain_text("Je keuze voldoet nog niet aan alle regels")
    expect(page.locator("#keuze")).to_contain_text(re.compile("meer dan €\u00a030.000"))
    expect(page.get_by_label("Speeltuin")).to_be_checked()
    page.get_by_label("Bankjes").uncheck()
    page.get_by_role("button", name="Stem uitbrengen").click()
    expect(page.get_by_text("Je stem is uitgebracht")).to_be_visible()
    context.close()


def test_the_facilitators_pages_and_the_outcome_are_axe_clean(
    app, page, create_process, create_user, grant
):
    saved = create_process(status="published", slug="wijkbudget")
    _open_vote(app, saved.slug)
    facilitator = create_user()
    grant(facilitator, "facilitator", "WK015306")
    log_in(page, facilitator.email)
    page.goto(f"/processen/{saved.slug}/begroting/beheer")
    expect(page.get_by_role("heading", name="Begrotingsstemming")).to_be_visible()
    assert violations(page) == []
    _close(app, saved.slug)
    page.goto(f"/processen/{saved.slug}/begroting/beheer")
    page.get_by_role("button", name="De berekende uitkomst publiceren").first.click()
    expect(page.get_by_role("heading", name="Uitkomst van de stemming")).to_be_visible()
    assert violations(page) == []
    for language in ("nl", "en"):
        page.goto(f"/taal/{language}?next=/processen/{saved.slug}/begroting/uitslag")
        assert violations(page) == []
