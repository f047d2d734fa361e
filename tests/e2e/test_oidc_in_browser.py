"""Log-in through OpenID Connect in Chromium: the app's button, the provider's own
log-in page (npm's oidc-provider on loopback, tests/oidc/) and back, logged in."""

import pytest
from playwright.sync_api import expect

from tests.conftest import free_port
from tests.e2e.conftest import log_in
from tests.e2e.conftest import violations
from tests.oidc.fixtures import environment
from tests.oidc.fixtures import KEY
from tests.oidc.fixtures import require_node
from tests.oidc.fixtures import start_provider

pytestmark = pytest.mark.browser


@pytest.fixture
def provider_port(monkeypatch):
    require_node()
    port = free_port()
    for name, value in environment(f"http://127.0.0.1:{port}").items():
        monkeypatch.setenv(name, value)
    return port


@pytest.fixture
def app(provider_port, app):
    """The test app, made with the provider in its environment."""
    return app


@pytest.fixture
def provider(provider_port, app, live_server):
    """The provider, started once the app's address (its redirect URI) is known."""
    app.config["PUBLIC_URL"] = live_server
    running = start_provider([f"{live_server}/inloggen/oidc/{KEY}/terug"], port=provider_port)
    yield running
    running.stop()


def test_log_in_through_the_providers_page_then_again(page, provider, live_server):
    page.goto("/inloggen")
    assert violations(page) == []
    page.get_by_role("button", name="Inloggen met Test-inlogdienst").click()
    # The provider's own page, on its own port.
    expect(page.get_by_role("heading", name="Test-inlogdienst")).to_be_visible()
    assert page.url.startswith(provider.issuer + "/interaction/")
    page.get_by_label("Gebruikersnaam").fill("jan")
    page.get_by_label("Wachtwoord").fill("jan-wachtwoord")
    page.get_by_role("button", name="Inloggen bij de test-inlogdienst").click()
    # Back in the app: the first log-in asks for the name to show.
    expect(page.get_by_role("heading", name="Maak je account")).to_be_visible()
    assert page.url.startswith(live_server)
    expect(page.get_by_label("Schermnaam")).to_have_value("Jan de Vries")
    assert violations(page) == []
    page.get_by_label("Schermnaam").fill("Jan")
    page.get_by_label("Ik ga akkoord met de huisregels").check()
    page.get_by_role("button", name="Account aanmaken").click()
    expect(
        page.get_by_text("Je account is gemaakt. Je bent ingelogd met Test-inlogdienst.")
    ).to_be_visible()
    page.goto("/account")
    expect(page.get_by_text("Je bent ingelogd als Jan.")).to_be_visible()
    expect(page.get_by_role("button", name="Ontkoppel Test-inlogdienst")).to_be_visible()
    assert violations(page) == []

    # Logged out and in again: the provider still knows the browser, the app the account.
    page.get_by_role("button", name="Uitloggen").click()
    page.goto("/inloggen")
    page.get_by_role("button", name="Inloggen met Test-inlogdienst").click()
    expect(page.get_by_text("Je bent ingelogd met Test-inlogdienst.")).to_be_visible()
    assert page.url == live_server + "/"


def test_link_and_unlink_a_password_account(page, provider, create_user):
    user = create_user(email="anna@example.org")
    log_in(page, user.email)
    page.goto("/account")
    expect(page.get_by_role("heading", name="Koppel je account")).to_be_visible()
    page.get_by_role("button", name="Koppel Test-inlogdienst").click()
    page.get_by_label("Gebruikersnaam").fill("kim")
    page.get_by_label("Wachtwoord").fill("kim-wachtwoord")
    page.get_by_role("button", name="Inloggen bij de test-inlogdienst").click()
    expect(page.get_by_text("Je account is gekoppeld aan Test-inlogdienst.")).to_be_visible()
    page.get_by_role("button", name="Ontkoppel Test-inlogdienst").click()
    expect(
        page.get_by_text("Je account is niet meer gekoppeld aan Test-inlogdienst.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Koppel Test-inlogdienst")).to_be_visible()


def test_stopping_at_the_provider(page, provider):
    page.goto("/taal/en?next=/inloggen")
    page.get_by_role("button", name="Log in with Test-inlogdienst").click()
    page.get_by_role("button", name="Annuleren").click()
    expect(page.get_by_role("heading", name="Logging in did not work")).to_be_visible()
    expect(page.get_by_text("You stopped the log-in at Test-inlogdienst.")).to_be_visible()
    assert violations(page) == []
