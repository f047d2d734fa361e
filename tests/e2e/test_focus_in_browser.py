"""Focus, announcements and errors after htmx updates, the error summary and the session
time-out, tried with the keyboard alone in a real browser."""

import re
import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.browser

# Every non-empty text the page's live region gets, in order.
RECORD_ANNOUNCEMENTS = """() => {
    window.said = [];
    const region = document.getElementById('announcer');
    new MutationObserver(() => { if (region.textContent) window.said.push(region.textContent); })
        .observe(region, {childList: true, characterData: true, subtree: true});
}"""

ACTIVE = """() => {
    const e = document.activeElement;
    return {tag: e.tagName, id: e.id, text: e.textContent.trim(), cls: e.className,
            inList: Boolean(e.closest('#idea-list')), inComments: Boolean(e.closest('.comment'))};
}"""


class Clock:
    """time.time() for the server's session checks, moved forward by the test."""

    def __init__(self):
        self.offset = 0

    def time(self):
        return time.time() + self.offset


@pytest.fixture
def server_clock(monkeypatch):
    from participatie.core.accounts import sessions

    clock = Clock()
    monkeypatch.setattr(sessions, "time", clock)
    return clock


@pytest.fixture
def ideas_page(page, create_process, create_idea, create_user):
    saved = create_process(status="published")
    create_idea(saved, title="Meer bomen")
    user = create_user()
    log_in(page, user.email)
    page.goto(f"/processen/{saved.slug}/ideeen")
    return saved


def support_button(page, name="Steunen"):
    return page.get_by_role("button", name=re.compile(rf"^{name}\W+Meer bomen"))


def press(page, locator):
    """Reach a control as the keyboard does and press Enter on it."""
    locator.focus()
    page.keyboard.press("Enter")


def test_support_keeps_the_focus_on_the_button_and_is_said_once(page, ideas_page):
    page.evaluate(RECORD_ANNOUNCEMENTS)
    press(page, support_button(page))
    withdraw = support_button(page, "Steun intrekken")
    expect(withdraw).to_be_focused()
    expect(page.locator("#announcer")).to_have_text("Je steunt dit idee.")
    assert page.evaluate("window.said") == ["Je steunt dit idee."]
    # One live region on the page: the list is not one, the button's message is not one.
    assert page.locator("[aria-live], [role=status], [role=alert]").count() == 1
    press(page, withdraw)
    expect(support_button(page)).to_be_focused()
    expect(page.locator("#announcer")).to_have_text("Je steun is ingetrokken.")
    assert page.evaluate("window.said") == ["Je steunt dit idee.", "Je steun is ingetrokken."]


def test_next_page_puts_the_focus_on_its_first_idea(page, create_process, create_idea):
    saved = create_process(status="published")
    for number in range(25):
        create_idea(saved, title=f"Idee nummer {number:02d}")
    page.goto(f"/processen/{saved.slug}/ideeen")
    page.evaluate(RECORD_ANNOUNCEMENTS)
    first_on_page_one = page.locator(".idea-card").first.text_content()
    press(page, page.get_by_role("link", name="Volgende pagina"))
    expect(page.locator("#announcer")).to_have_text("Pagina 2: 5 ideeën.")
    focused = page.evaluate(ACTIVE)
    assert focused["tag"] == "LI" and "idea-card" in focused["cls"], focused
    assert focused["text"] != first_on_page_one.strip()
    expect(page.locator(".idea-card").first).to_be_focused()
    assert page.evaluate("window.said") == ["Pagina 2: 5 ideeën."]
    # The next Tab goes into the new ideas, not to the footer.
    page.keyboard.press("Tab")
    focused = page.evaluate(ACTIVE)
    assert focused["inList"] and focused["tag"] == "A", focused
    assert focused["text"].startswith("Idee nummer")
    assert page.url.endswith("pagina=2")
    # Back: the whole first page again, not the list alone in place of the page.
    page.go_back()
    expect(page.locator(".idea-card").first).to_have_text(first_on_page_one)
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.get_by_role("link", name="Volgende pagina")).to_be_visible()


def test_filtering_keeps_the_focus_and_says_how_many_were_found(page, create_process, create_idea):
    saved = create_process(status="published")
    create_idea(saved, title="Meer bomen")
    create_idea(saved, title="Bomen langs de weg")
    create_idea(saved, title="Drempels")
    page.goto(f"/processen/{saved.slug}/ideeen")
    page.evaluate(RECORD_ANNOUNCEMENTS)
    search = page.get_by_label("Zoeken")
    search.focus()
    page.keyboard.type("bomen")
    page.keyboard.press("Enter")
    expect(page.locator("#announcer")).to_have_text("2 ideeën gevonden.")
    expect(search).to_be_focused()
    expect(page.get_by_role("link", name="Drempels")).to_have_count(0)


def test_more_comments_are_said_and_take_the_focus(
    app, page, create_process, create_idea, create_user
):
    from participatie.builtin.comments.models import Comment
    from participatie.extensions import db
    from participatie.extensions import utcnow

    saved = create_process(status="published")
    idea_id = create_idea(saved, title="Meer bomen")
    author = create_user(display_name="Sanne")
    with app.app_context():
        start = utcnow() - timedelta(days=1)
        for number in range(23):
            db.session.add(
                Comment(
                    idea_id=idea_id,
                    author_id=author.id,
                    text=f"Reactie nummer {number:02d}",
                    created_at=start + timedelta(minutes=number),
                )
            )
        db.session.commit()
    page.goto(f"/ideeen/{idea_id}")
    page.evaluate(RECORD_ANNOUNCEMENTS)
    press(page, page.get_by_role("link", name="Meer reacties tonen"))
    expect(page.locator("#announcer")).to_have_text("3 reacties erbij geladen.")
    focused = page.evaluate(ACTIVE)
    assert focused["tag"] == "LI" and "Reactie nummer 20" in focused["text"], focused
    assert page.evaluate("window.said") == ["3 reacties erbij geladen."]
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE)["inComments"]


def test_a_budget_choice_keeps_the_focus_on_the_box_and_says_the_totals(
    app, page, create_process, create_user
):
    from tests.builtin.budgets.test_budget_vote import _open_vote

    saved = create_process(status="published", slug="wijkbudget")
    _open_vote(app, saved.slug)
    log_in(page, create_user().email)
    page.goto(f"/processen/{saved.slug}/begroting")
    page.evaluate(RECORD_ANNOUNCEMENTS)
    box = page.get_by_label("Bankjes")
    box.focus()
    page.keyboard.press("Space")
    expect(page.locator("#announcer")).to_contain_text("1 project gekozen")
    expect(box).to_be_focused()
    assert len(page.evaluate("window.said")) == 1


def test_a_server_error_shows_a_retry_that_works(app, page, ideas_page, monkeypatch):
    from participatie.builtin.votes import service

    real = service.support
    calls = []

    def fails_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("a broken database, say")
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "support", fails_once)
    # The site's own 500 page, as in production (tests let errors through by default).
    app.config["PROPAGATE_EXCEPTIONS"] = False
    button = support_button(page)
    press(page, button)
    message = page.get_by_role("alert")
    expect(message).to_contain_text("Er ging bij ons iets mis")
    retry = message.get_by_role("button", name="Opnieuw proberen")
    expect(button).to_be_focused()  # the focus stays where it was
    page.keyboard.press("Tab")
    expect(retry).to_be_focused()
    page.keyboard.press("Enter")
    withdraw = support_button(page, "Steun intrekken")
    expect(withdraw).to_be_focused()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_text("1 steunbetuiging")).to_be_visible()
    assert len(calls) == 2


def test_no_connection_shows_a_retry_that_works(page, ideas_page):
    page.route("**/steun", lambda route: route.abort("internetdisconnected"))
    press(page, support_button(page))
    message = page.get_by_role("alert")
    expect(message).to_contain_text("Er is geen verbinding met de website.")
    page.unroute("**/steun")
    press(page, message.get_by_role("button", name="Opnieuw proberen"))
    expect(support_button(page, "Steun intrekken")).to_be_focused()
    expect(page.get_by_role("alert")).to_have_count(0)


def test_an_error_page_answer_says_in_place_what_the_page_says(app, page, ideas_page):
    from participatie.builtin.ideas.models import Idea
    from participatie.extensions import db
    from participatie.extensions import utcnow

    with app.app_context():
        idea = db.session.query(Idea).filter_by(title="Meer bomen").one()
        idea.withdrawn_at = utcnow()
        db.session.commit()
    button = support_button(page)
    press(page, button)
    message = page.get_by_role("alert")
    # The words of the 404 page without JavaScript; no retry: trying again does not help.
    expect(message).to_contain_text("Pagina niet gevonden")
    expect(message).to_contain_text("Deze pagina bestaat niet (meer).")
    expect(message.get_by_role("button")).to_have_count(0)
    expect(button).to_be_visible()


@pytest.mark.parametrize(("language", "prefix"), [("nl", "Fout: "), ("en", "Error: ")])
def test_a_failed_idea_lands_on_the_summary_whose_links_reach_the_fields(
    page, create_process, create_user, language, prefix
):
    saved = create_process(status="published")
    user = create_user()
    log_in(page, user.email)
    page.goto(f"/taal/{language}?next=/processen/{saved.slug}/ideeen/nieuw")
    assert not page.title().startswith(prefix)
    page.locator("#title").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile("^" + prefix))
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    links = summary.locator('a[href^="#"]')
    assert links.count() >= 1
    for index in range(links.count()):
        target = links.nth(index).get_attribute("href")[1:]
        assert page.locator(f"#{target}").count() == 1, target
    # Tab to the first link and follow it: the focus lands in its field.
    page.keyboard.press("Tab")
    expect(links.first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#" + links.first.get_attribute("href")[1:])).to_be_focused()


def test_the_time_out_warning_and_stay_logged_in(page, create_user, server_clock):
    user = create_user()
    page.clock.install()
    log_in(page, user.email)
    page.goto("/account")
    warning = page.locator("#session-warning")
    expect(warning).to_be_hidden()
    # 58 minutes without doing anything, in the browser and on the server.
    server_clock.offset = 58 * 60
    page.clock.fast_forward((58 * 60 + 30) * 1000)
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Over 2 minuten word je uitgelogd.")
    stay = warning.get_by_role("button", name="Ingelogd blijven")
    expect(stay).to_be_focused()
    page.keyboard.press("Enter")
    expect(warning).to_be_hidden()
    expect(page.locator("#announcer")).to_have_text("Je blijft ingelogd.")
    # 58 more minutes: 116 minutes after the page was opened, but 58 after "stay".
    server_clock.offset = 116 * 60
    page.goto("/account")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(re.compile("Inloggen"))
    assert "/inloggen" not in page.url


def test_the_warning_says_when_the_session_has_ended(page, create_user, server_clock):
    user = create_user()
    page.clock.install()
    log_in(page, user.email)
    page.goto("/account")
    page.clock.fast_forward((60 * 60 + 5) * 1000)
    warning = page.locator("#session-warning")
    expect(warning).to_contain_text("Je bent uitgelogd")
    expect(warning.get_by_role("link", name="Opnieuw inloggen")).to_be_visible()
    expect(warning.get_by_role("button", name="Ingelogd blijven")).to_be_hidden()


def test_what_was_typed_survives_an_ended_session(page, create_process, create_user, server_clock):
    saved = create_process(status="published")
    user = create_user()
    log_in(page, user.email)
    page.goto(f"/processen/{saved.slug}/ideeen/nieuw")
    page.get_by_label("Titel").focus()
    page.keyboard.type("Een bankje bij de bushalte")
    page.get_by_label("Beschrijving").focus()
    page.keyboard.type("Om op de bus te wachten, ook als het regent.")
    server_clock.offset = 61 * 60
    page.get_by_label("Titel").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Je sessie is afgelopen.")).to_be_visible()
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_text("Wat je had ingevuld staat er weer")).to_be_visible()
    assert page.url.endswith(f"/processen/{saved.slug}/ideeen/nieuw")
    expect(page.get_by_label("Titel")).to_have_value("Een bankje bij de bushalte")
    expect(page.get_by_label("Beschrijving")).to_have_value(
        "Om op de bus te wachten, ook als het regent."
    )
