"""axe-core (WCAG 2.1 A and AA rules) in a real Chromium, on every kind of page."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import TEST_PASSWORD

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

PUBLIC_PAGES = [
    "/",
    "/inloggen",
    "/registreren",
    "/wachtwoord-vergeten",
    "/huisregels",
    "/privacy",
    "/toegankelijkheid",
    "/contact",
    "/bestaat-niet",
]

pytestmark = pytest.mark.browser


def violations(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        (v["id"], [node["target"] for node in v["nodes"]][:3])
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_axe_violations(page, path, language):
    page.goto(f"/taal/{language}?next={path}")
    assert violations(page) == []


def test_form_with_errors_has_no_axe_violations(page):
    page.goto("/registreren")
    page.get_by_role("button", name="Account aanmaken").click()
    assert page.locator(".form-field__error").count() >= 3
    assert violations(page) == []


def test_account_page_has_no_axe_violations(page, create_user):
    user = create_user(confirmed=False)
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.goto("/account")
    assert page.get_by_role("heading", name="Mijn account").is_visible()
    assert violations(page) == []
