"""A voting code from the letter used in a real browser, without an account; axe-clean screens."""

import pytest
from playwright.sync_api import expect

from tests.core.accounts.test_participation import _budget_phase
from tests.core.accounts.test_participation import _make_codes
from tests.core.accounts.test_participation import _set_rules
from tests.e2e.conftest import log_in
from tests.e2e.conftest import violations

pytestmark = pytest.mark.browser


def test_a_resident_without_an_account_votes_with_the_code_from_the_letter(
    app, page, create_process
):
    saved = create_process(status="published", slug="wijkbudget")
    _budget_phase(app, saved.slug)
    _set_rules(app, saved.slug, ("budget", "code", 12, None))
    [code] = _make_codes(app, saved.slug, 1)
    page.goto(f"/processen/{saved.slug}")
    expect(page.locator(".participation-rules")).to_contain_text("je moet 12 jaar of ouder zijn")
    page.get_by_role("link", name="Ik heb een stemcode").click()
    assert violations(page) == []
    page.get_by_label("Je stemcode").fill("AAAA-BBBB-CCCC")
    page.get_by_role("button", name="Gebruik deze code").click()
    expect(page.locator("#form-errors")).to_contain_text("Deze code klopt niet")
    assert violations(page) == []
    page.get_by_label("Je stemcode").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Gebruik deze code").click()
    expect(page.get_by_text("Je stemcode is goedgekeurd")).to_be_visible()
    assert violations(page) == []
    page.get_by_label("Je geboortejaar").fill("2000")
    page.get_by_role("button", name="Opslaan").click()
    page.goto(f"/processen/{saved.slug}/begroting")
    page.get_by_label("Bankjes").check()
    page.get_by_role("button", name="Stem uitbrengen").click()
    expect(page.get_by_text("Je stem is uitgebracht")).to_be_visible()


def test_the_code_and_register_screens_have_no_axe_violations(
    app, page, create_process, create_user, grant
):
    saved = create_process(status="published", slug="wijkbudget")
    admin = create_user(email="beheer@example.org")
    grant(admin, "administrator")
    log_in(page, admin.email)
    for path in (
        f"/processen/{saved.slug}/stemcodes",
        "/beheer/adresregister",
        f"/processen/{saved.slug}/bewerken",
        "/account",
    ):
        page.goto(path)
        assert violations(page) == [], path
