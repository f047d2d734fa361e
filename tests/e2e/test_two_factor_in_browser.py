"""Two-step verification in Chromium: set up from the page's key, log in with a code, axe."""

import time

import pyotp
import pytest
from playwright.sync_api import expect

from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import log_in
from tests.e2e.conftest import violations

pytestmark = pytest.mark.browser


def test_set_up_and_log_in_with_a_code_and_a_recovery_code(page, create_user):
    user = create_user()
    log_in(page, user.email)
    page.goto("/account")
    page.locator("a[href='/account/tweestapsverificatie']").click()
    qr = page.get_by_role("img", name="QR-code om te scannen met je authenticator-app")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 150
    assert violations(page) == []
    secret = page.locator("code.secret-key").inner_text().replace(" ", "")
    page.get_by_label("Code uit je app").fill(
        "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    )
    page.get_by_role("button", name="Tweestapsverificatie aanzetten").click()
    expect(page.locator("#code-error")).to_contain_text("Deze code klopt niet.")
    page.get_by_label("Code uit je app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Tweestapsverificatie aanzetten").click()
    expect(page.get_by_role("heading", name="Je herstelcodes")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert violations(page) == []
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_text("Je bent uitgelogd.")).to_be_visible()

    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_role("heading", name="Inloggen: code")).to_be_visible()
    # The code field has the focus, and the browser may fill it from an SMS or a password manager.
    assert page.evaluate("document.activeElement.name") == "code"
    assert page.get_by_label("Code", exact=True).get_attribute("autocomplete") == "one-time-code"
    assert violations(page) == []
    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("Je bent ingelogd.")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_text("Je bent uitgelogd.")).to_be_visible()

    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.get_by_label("Code", exact=True).fill(codes[0])
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("Je bent ingelogd met een herstelcode")).to_be_visible()
    page.goto("/account")
    expect(page.get_by_text("Je hebt 9 ongebruikte herstelcodes.")).to_be_visible()
    assert violations(page) == []
