"""Browser tests: Debian's chromium driven by Playwright, against a real server.

Without /usr/bin/chromium these tests are skipped with a loud notice, except
with CI=true, where a missing browser fails them.
"""

import os
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import free_port
from tests.conftest import TEST_PASSWORD

CHROMIUM = "/usr/bin/chromium"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: browser tests cannot run (install Debian's chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip("!!! " + message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """The test app served by a real multi-threaded HTTP server on loopback."""
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="nl-NL")
    page = context.new_page()
    yield page
    context.close()


def log_in(page, email, password=TEST_PASSWORD):
    """Log in through the form, as a person would."""
    from playwright.sync_api import expect

    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_text("Je bent ingelogd.")).to_be_visible()


def violations(page):
    """axe-core's WCAG 2.1 A and AA violations on the page: (rule, first three targets)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        (v["id"], [node["target"] for node in v["nodes"]][:3])
        for v in results.response["violations"]
    ]
