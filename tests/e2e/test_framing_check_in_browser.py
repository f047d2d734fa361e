"""The framing check updates while a facilitator edits (htmx), and works without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def facilitator(create_process, create_user, grant):
    create_process(status="draft")
    user = create_user()
    grant(user, "facilitator", "GM0153")
    return user


def test_check_updates_on_field_change_with_htmx(page, facilitator):
    log_in(page, facilitator.email)
    page.goto("/processen/straat/bewerken")
    check = page.locator("#framing-check")
    expect(check).to_contain_text("De framing is compleet")
    page.get_by_label("Wie beslist").fill("")
    page.get_by_label("Wie beslist").blur()
    expect(check.locator('[data-code="no-decision-maker"]')).to_be_visible()
    # Nothing was saved by the live check.
    page.goto("/processen/straat/bewerken")
    expect(page.get_by_label("Wie beslist")).to_have_value("Het college")


def test_check_button_works_without_javascript(browser, live_server, facilitator):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    log_in(page, facilitator.email)
    page.goto("/processen/straat/bewerken")
    page.get_by_label("Wie beslist").fill("")
    page.get_by_role("button", name="Controleer").click()
    expect(page.locator('[data-code="no-decision-maker"]')).to_be_visible()
    expect(page.get_by_label("Wie beslist")).to_have_value("")
    context.close()
