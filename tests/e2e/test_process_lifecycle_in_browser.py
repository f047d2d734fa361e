"""A facilitator closes a phase, closes the process and reopens it, in a real browser.

Each step goes through its confirmation page, which says what stops and who is
told; the confirmations are submitted by keyboard, with and without JavaScript.
"""

import pytest
import sqlalchemy as sa
from participatie.core.audit.models import AuditEvent
from participatie.extensions import db
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.conftest import violations

pytestmark = pytest.mark.browser

REOPEN_REASON = "De gemeenteraad vroeg om meer tijd voor reacties."


@pytest.fixture
def facilitated(create_process, create_user, grant):
    """A published process in its first phase, with a facilitator of its area."""
    saved = create_process(status="published")
    user = create_user(email="begeleider@example.org")
    grant(user, "facilitator", "GM0153")
    return saved, user


def _current_phase_badges(page):
    return page.locator(".phase-list__item--current .badge", has_text="nu")


def _check_accessibility(page, javascript):
    """axe-core runs as a script in the page, so only where JavaScript is on; the
    confirmation pages' markup is the same either way."""
    if javascript:
        assert violations(page) == []


def _confirm_by_keyboard(page, button_name):
    """Tab from the explanation to the confirm button and press Enter, as a keyboard user."""
    page.get_by_role("textbox").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name=button_name)).to_be_focused()
    page.keyboard.press("Enter")


def _follow_link_by_keyboard(page, name):
    page.get_by_role("link", name=name).focus()
    page.keyboard.press("Enter")


def _close_phase(page, slug, javascript):
    page.goto(f"/processen/{slug}")
    expect(page.locator(".phase-list__item--current")).to_contain_text("Ideeën")
    _follow_link_by_keyboard(page, "Huidige fase nu afsluiten")
    page.wait_for_url(f"**/processen/{slug}/fase-afsluiten")
    expect(page.get_by_role("heading", name="De huidige fase afsluiten?")).to_be_visible()
    happens = page.locator(".notice--warning")
    expect(happens).to_contain_text("De fase “Ideeën” eindigt nu")
    expect(happens).to_contain_text("Bewoners kunnen dan niet meer: ideeën indienen")
    expect(happens).to_contain_text("De fase “Besluit” begint nu.")
    expect(happens).to_contain_text("0 volgers van het traject krijgen een mail.")
    _check_accessibility(page, javascript)
    _confirm_by_keyboard(page, "Ja, sluit de fase nu af")
    page.wait_for_url(f"**/processen/{slug}")
    expect(page.get_by_text("De fase is afgesloten; Besluit is begonnen.")).to_be_visible()
    expect(page.locator(".phase-list__item--current")).to_contain_text("Besluit")
    expect(_current_phase_badges(page)).to_have_count(1)


def _close_process(page, slug, javascript):
    _follow_link_by_keyboard(page, "Traject afsluiten")
    page.wait_for_url(f"**/processen/{slug}/sluiten")
    expect(page.get_by_role("heading", name="Het traject afsluiten?")).to_be_visible()
    happens = page.locator(".notice--warning")
    expect(happens).to_contain_text("er is geen huidige fase meer")
    expect(happens).to_contain_text("0 volgers van het traject krijgen een mail.")
    _check_accessibility(page, javascript)
    _confirm_by_keyboard(page, "Ja, sluit het traject af")
    page.wait_for_url(f"**/processen/{slug}")
    expect(page.get_by_text("Het traject is afgesloten.")).to_be_visible()
    expect(page.locator(".process-meta .badge--closed")).to_have_text("Afgesloten")
    expect(_current_phase_badges(page)).to_have_count(0)
    expect(page.locator(".phase-list__item--current")).to_have_count(0)
    expect(page.get_by_role("link", name="Huidige fase nu afsluiten")).to_have_count(0)


def _reopen(page, slug, javascript):
    _follow_link_by_keyboard(page, "Traject heropenen")
    page.wait_for_url(f"**/processen/{slug}/heropenen")
    expect(page.get_by_role("heading", name="Het traject heropenen?")).to_be_visible()
    expect(page.locator(".notice--warning")).to_contain_text("0 volgers, 0 deelnemers")
    _check_accessibility(page, javascript)
    # Without an explanation the page stays, with the message beside the field.
    _confirm_by_keyboard(page, "Traject heropenen")
    expect(page.locator("#explanation-error")).to_have_text(
        "Leg bewoners uit waarom het traject wordt heropend."
    )
    expect(page.get_by_role("heading", name="Het traject heropenen?")).to_be_visible()
    assert page.url.endswith(f"/processen/{slug}/heropenen")
    _check_accessibility(page, javascript)
    page.get_by_label("Waarom het traject wordt heropend").fill(REOPEN_REASON)
    _confirm_by_keyboard(page, "Traject heropenen")
    page.wait_for_url(f"**/processen/{slug}")
    expect(page.get_by_text("Het traject is weer open.")).to_be_visible()
    expect(page.locator(".process-meta .badge--published")).to_have_text("Open")
    expect(page.locator(".phase-list__item--current")).to_contain_text("Besluit")
    expect(page.locator(".framing-changed")).to_contain_text(REOPEN_REASON)


def _public_history_shows_the_reopening(page, slug):
    page.goto(f"/processen/{slug}/kaders/geschiedenis")
    latest = page.locator(".revision-list__item").first
    expect(latest.get_by_role("heading")).to_contain_text("Traject heropend")
    expect(latest).to_contain_text(REOPEN_REASON)
    headings = page.locator(".revision-list__item h2")
    expect(headings.nth(1)).to_contain_text("Traject afgesloten")
    expect(headings.nth(2)).to_contain_text("Fase eerder afgesloten")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_facilitator_closes_a_phase_closes_and_reopens_the_process(
    app, browser, live_server, facilitated, javascript
):
    saved, user = facilitated
    context = browser.new_context(
        base_url=live_server, locale="nl-NL", java_script_enabled=javascript
    )
    page = context.new_page()
    log_in(page, user.email)
    _close_phase(page, saved.slug, javascript)
    _close_process(page, saved.slug, javascript)
    _reopen(page, saved.slug, javascript)
    context.close()
    public = browser.new_context(base_url=live_server, java_script_enabled=javascript)
    _public_history_shows_the_reopening(public.new_page(), saved.slug)
    public.close()

    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.object_type == "process", AuditEvent.object_id == str(saved.id))
            .order_by(AuditEvent.id)
        ).all()
    lifecycle = [e for e in events if e.action.split(".")[1] in {"close_phase", "close", "reopen"}]
    assert [e.action for e in lifecycle] == [
        "process.close_phase",
        "process.close",
        "process.reopen",
    ]
    assert {e.actor_email for e in lifecycle} == {user.email}
    assert lifecycle[0].details["phase"] == "Ideeën"
    assert lifecycle[0].details["next_phase"] == "Besluit"


@pytest.mark.parametrize("step", ["fase-afsluiten", "sluiten", "heropenen"])
def test_a_resident_cannot_open_the_confirmation_pages(page, create_process, create_user, step):
    saved = create_process(status="published")
    log_in(page, create_user().email)
    response = page.goto(f"/processen/{saved.slug}/{step}")
    assert response.status in (403, 404)
    expect(page.get_by_role("button", name="Traject heropenen")).to_have_count(0)
    expect(page.locator('textarea[name="explanation"]')).to_have_count(0)
