"""Residents take part in a real browser: with htmx, and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.browser


def test_support_with_htmx_swaps_the_button_without_a_reload(
    page, create_process, create_idea, create_user
):
    saved = create_process(status="published")
    create_idea(saved, title="Meer bomen")
    user = create_user()
    log_in(page, user.email)
    page.goto(f"/processen/{saved.slug}/ideeen")
    page.evaluate("window.marker = 'still here'")
    page.get_by_role("button", name=re.compile(r"^Steunen\W+Meer bomen")).click()
    expect(page.get_by_text("1 persoon steunt dit")).to_be_visible()
    expect(
        page.get_by_role("button", name=re.compile(r"^Steun intrekken\W+Meer bomen"))
    ).to_be_visible()
    assert page.evaluate("window.marker") == "still here"


def test_submit_and_comment_without_javascript(browser, live_server, create_process, create_user):
    saved = create_process(status="published")
    user = create_user()
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    log_in(page, user.email)
    page.goto(f"/processen/{saved.slug}/ideeen/nieuw")
    page.get_by_label("Titel").fill("Een bankje bij de bushalte")
    page.get_by_label("Beschrijving").fill("Om op de bus te wachten.")
    page.get_by_role("button", name="Idee indienen").click()
    expect(page.get_by_role("heading", name="Een bankje bij de bushalte")).to_be_visible()
    page.get_by_label("Je reactie").fill("Goed plan!")
    page.get_by_label("Een argument voor het idee").check()
    page.get_by_role("button", name="Reactie plaatsen").click()
    expect(page.get_by_text("Goed plan!", exact=True)).to_be_visible()
    expect(page.get_by_text("argument voor", exact=True)).to_be_visible()
    context.close()


def test_filtering_the_list_with_htmx(page, create_process, create_idea):
    saved = create_process(status="published")
    create_idea(saved, title="Meer bomen")
    create_idea(saved, title="Drempels")
    page.goto(f"/processen/{saved.slug}/ideeen")
    page.get_by_label("Zoeken").fill("bomen")
    page.get_by_label("Zoeken").press("Enter")
    expect(page.get_by_role("link", name="Drempels")).to_have_count(0)
    expect(page.get_by_role("link", name="Meer bomen")).to_be_visible()


def test_a_refused_support_with_htmx_says_why(page, create_process, create_idea, create_user):
    # The server refuses with 400 and the button with its message; htmx swaps it in.
    saved = create_process(status="published")
    create_idea(saved, title="Meer bomen")
    user = create_user(confirmed=False)
    log_in(page, user.email)
    page.goto(f"/processen/{saved.slug}/ideeen")
    page.evaluate("window.marker = 'still here'")
    page.get_by_role("button", name=re.compile(r"^Steunen\W+Meer bomen")).click()
    expect(page.get_by_text("Bevestig eerst je e-mailadres")).to_be_visible()
    assert page.evaluate("window.marker") == "still here"
