"""axe-core (WCAG 2.1 A and AA rules) in a real Chromium, on every kind of page."""

import pytest
from playwright.sync_api import expect

from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import log_in
from tests.e2e.conftest import violations

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
    expect(page.get_by_role("heading", name="Mijn account")).to_be_visible()
    assert violations(page) == []


def test_process_and_area_pages_have_no_axe_violations(page, create_process):
    create_process(status="published")
    for path in ("/", "/processen/straat", "/gebieden/WK015306", "/gebieden/GM0153"):
        page.goto(path)
        assert violations(page) == [], path


def test_facilitator_screens_have_no_axe_violations(page, create_process, create_user, grant):
    create_process(status="draft", decision_maker="")
    user = create_user()
    grant(user, "facilitator", "GM0153")
    log_in(page, user.email)
    for path in (
        "/begeleiding",
        "/processen/straat/bewerken",
        "/processen/nieuw",
        "/processen/straat",
    ):
        page.goto(path)
        assert violations(page) == [], path


def test_administration_has_no_axe_violations(app, page, areas, create_user, grant):
    user = create_user()
    grant(user, "administrator")
    resident = create_user(email="anna@example.org")
    with app.test_request_context("/"):
        from participatie.core.accounts import twofactor
        from participatie.core.accounts.models import User
        from participatie.extensions import db

        twofactor.enable(db.session.get(User, resident.id), twofactor.new_secret(), 1)
        db.session.commit()
    log_in(page, user.email)
    for path in (
        "/beheer/",
        "/beheer/accounts",
        f"/beheer/accounts/{user.id}",
        # With the form that turns two-step verification off.
        f"/beheer/accounts/{resident.id}",
        "/beheer/gebieden",
        "/beheer/audit",
    ):
        page.goto(path)
        assert violations(page) == [], path
    # The form sent without the tick: its errors in place.
    page.goto(f"/beheer/accounts/{resident.id}")
    page.get_by_role("button", name="Tweestapsverificatie uitzetten").click()
    expect(
        page.get_by_text("Vink het vakje aan als je hebt nagegaan wie het vraagt.").first
    ).to_be_visible()
    assert violations(page) == []


def test_feedback_screens_have_no_axe_violations(
    page, create_process, create_idea, create_user, grant
):
    saved = create_process(status="published")
    idea_id = create_idea(saved, title="Meer bankjes")
    user = create_user()
    grant(user, "facilitator", "GM0153")
    log_in(page, user.email)
    for path in (
        f"/processen/{saved.slug}/antwoorden",
        f"/ideeen/{idea_id}/antwoord",
        f"/processen/{saved.slug}/antwoordsjablonen",
        f"/ideeen/{idea_id}/uitvoering",
        f"/processen/{saved.slug}/wat-we-deden",
    ):
        page.goto(path)
        assert violations(page) == [], path
    page.goto(f"/ideeen/{idea_id}/antwoord")
    page.get_by_label("Nieuwe status").select_option("not-adopted")
    page.get_by_role("button", name="Antwoord publiceren").click()
    expect(page.locator(".form-field__error").first).to_be_visible()
    assert violations(page) == []


def test_idea_pages_have_no_axe_violations(page, create_process, create_idea, create_user):
    saved = create_process(status="published")
    idea_id = create_idea(saved, title="Meer bomen", text="In de **straat**.")
    user = create_user()
    log_in(page, user.email)
    for path in (
        f"/processen/{saved.slug}/ideeen",
        f"/ideeen/{idea_id}",
        f"/processen/{saved.slug}",
    ):
        page.goto(path)
        assert violations(page) == [], path
    page.goto(f"/processen/{saved.slug}/ideeen/nieuw")
    assert violations(page) == []
    page.get_by_role("button", name="Idee indienen").click()
    expect(page.locator("#title-error")).to_be_visible()
    assert violations(page) == []


def test_my_page_has_no_axe_violations(page, create_process, create_idea, create_user):
    saved = create_process(status="published")
    user = create_user()
    create_idea(saved, title="Mijn idee", author=user)
    log_in(page, user.email)
    page.goto("/mijn-pagina")
    expect(page.get_by_role("heading", name="Mijn ideeën", exact=True)).to_be_visible()
    assert violations(page) == []


def test_summary_overview_and_dashboard_have_no_axe_violations(
    page, create_process, create_idea, create_user, grant
):
    saved = create_process(status="published")
    create_idea(saved, title="Meer bomen", author=create_user(email="a@example.org"))
    user = create_user()
    grant(user, "councillor", "GM0153")
    log_in(page, user.email)
    for language in ("nl", "en"):
        page.goto(f"/taal/{language}?next=/")
        for path in (
            f"/processen/{saved.slug}/samenvatting",
            "/gebieden/GM0153/deelname",
            "/gebieden/WK015306/deelname",
            "/raad",
        ):
            page.goto(path)
            assert violations(page) == [], (language, path)
    page.goto("/gebieden/GM0153/deelname")
    expect(page.locator(".area-map path.leaflet-interactive")).to_have_count(10)
    assert violations(page) == []


def test_the_question_after_taking_part_has_no_axe_violations(page, create_process, create_user):
    saved = create_process(status="published")
    user = create_user()
    log_in(page, user.email)
    page.goto(f"/processen/{saved.slug}/ideeen/nieuw")
    page.get_by_label("Titel").fill("Meer bankjes")
    page.get_by_role("button", name="Idee indienen").click()
    expect(page.get_by_role("heading", name="Wil je iets over jezelf vertellen?")).to_be_visible()
    assert violations(page) == []
    page.get_by_role("button", name="Nee, bedankt").click()
    expect(page.get_by_role("heading", name="Meer bankjes")).to_be_visible()
