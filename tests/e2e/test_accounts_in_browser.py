"""The account flows in a real browser, by keyboard and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_register_and_confirm_without_javascript(browser, live_server, mailbox):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/registreren")
    page.get_by_label("E-mailadres").fill("kees@example.org")
    page.get_by_label("Schermnaam").fill("Kees")
    page.get_by_label("Wachtwoord", exact=True).fill("het gras is groen in de wijk")
    page.get_by_label("Herhaal wachtwoord").fill("het gras is groen in de wijk")
    page.get_by_label("Ik ga akkoord met de huisregels").check()
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page.get_by_role("heading", name="Kijk in je e-mail")).to_be_visible()
    [message] = mailbox.to("kees@example.org")
    path = re.search(r"https?://[^/\s]+(/bevestigen/\S+)", message.get_content()).group(1)
    page.goto(path)
    page.get_by_role("button", name="Bevestig mijn e-mailadres").click()
    expect(page.get_by_text("je e-mailadres is bevestigd")).to_be_visible()
    context.close()


def test_log_in_and_out_by_keyboard(page, create_user):
    user = create_user()
    page.goto("/inloggen")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    page.get_by_label("E-mailadres").focus()
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    expect(page.get_by_text("Je bent ingelogd.")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Je bent uitgelogd.")).to_be_visible()


def test_wrong_password_message_keeps_the_email_typed(page, create_user):
    user = create_user()
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill("dit is helemaal fout")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.get_by_label("E-mailadres").input_value() == user.email
    assert page.get_by_label("Wachtwoord").input_value() == ""
