import re

import pytest
from participatie.security import CONTENT_SECURITY_POLICY

from tests.conftest import login

PUBLIC_PAGES = [
    "/",
    "/inloggen",
    "/registreren",
    "/wachtwoord-vergeten",
    "/huisregels",
    "/privacy",
    "/toegankelijkheid",
    "/contact",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_public_pages_answer_in_both_languages(client, path, language):
    client.get(f"/taal/{language}")
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<html lang="{language}"' in page


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_pages_have_no_inline_script_or_style_and_nothing_from_other_hosts(client, path):
    page = client.get(path).get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "inline script"
    assert not re.search(r"<style\b", page), "style element"
    assert not re.search(r'\sstyle="', page), "style attribute"
    assert not re.search(r'\son[a-z]+="', page), "event handler attribute"
    for url in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert not url.startswith(("http:", "https:", "//")), url


def test_every_response_carries_the_security_headers(client):
    response = client.get("/")
    headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "style-src 'self'" in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_default_language_is_dutch_and_the_switch_keeps_the_page(client):
    assert '<html lang="nl"' in client.get("/inloggen").get_data(as_text=True)
    response = client.get("/taal/en?next=/registreren")
    assert response.headers["Location"] == "/registreren"
    page = client.get("/registreren").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert "Create account" in page


def test_language_switch_refuses_other_sites_and_languages(client):
    assert client.get("/taal/en?next=https://evil.example/").headers["Location"] == "/"
    assert client.get("/taal/de").status_code == 404


def test_language_choice_is_remembered_for_the_account(app, client, create_user):
    from participatie.core.accounts.models import User
    from participatie.extensions import db

    user = create_user()
    login(client, user.email)
    client.get("/taal/en")
    with app.app_context():
        assert db.session.get(User, user.id).locale == "en"


def test_post_without_csrf_token_gets_the_400_page(client):
    response = client.post("/inloggen", data={"email": "a@example.org", "password": "x" * 12})
    assert response.status_code == 400
    assert "utrecht-heading-1" in response.get_data(as_text=True)


def test_404_page_is_in_the_site_style(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "site-header" in page
    assert "Pagina niet gevonden" in page


def test_500_page_shows_a_correlation_id_and_nothing_internal(app, caplog):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "secret internal detail" not in page
    assert "Traceback" not in page
    correlation_id = re.search(r'class="correlation-id">([0-9a-f]{12})<', page).group(1)
    assert correlation_id in caplog.text


def test_theme_stylesheet_comes_from_configuration(app, client):
    app.config["THEME_BRAND_COLOR"] = "#00689e"
    css = client.get("/theme.css")
    assert css.mimetype == "text/css"
    assert "--participatie-brand: #00689e;" in css.get_data(as_text=True)


def test_theme_stylesheet_refuses_anything_but_a_colour(app, client):
    app.config["THEME_BRAND_COLOR"] = "red; } body { display: none"
    assert "display" not in client.get("/theme.css").get_data(as_text=True)


def test_house_rules_are_linked_from_registration(client):
    page = client.get("/registreren").get_data(as_text=True)
    assert 'href="/huisregels"' in page


def test_every_page_has_a_favicon_in_the_theme_colour(app, client):
    app.config["THEME_BRAND_COLOR"] = "#c8102e"
    page = client.get("/huisregels").get_data(as_text=True)
    assert 'rel="icon" href="/favicon.svg"' in page
    icon = client.get("/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert 'fill="#c8102e"' in icon.get_data(as_text=True)
    assert client.get("/favicon.ico").headers["Location"].endswith("/favicon.svg")


def test_theme_text_colour_stays_readable_on_white(app, client):
    from participatie.core.pages.views import contrast_ratio

    app.config["THEME_BRAND_COLOR"] = "#ffcc00"
    css = client.get("/theme.css").get_data(as_text=True)
    text = re.search(r"--participatie-brand-text: (#[0-9a-f]{6});", css).group(1)
    assert text != "#ffcc00"
    assert contrast_ratio(text, "#ffffff") >= 4.5
    app.config["THEME_BRAND_COLOR"] = "#154273"
    css = client.get("/theme.css").get_data(as_text=True)
    assert "--participatie-brand-text: #154273;" in css


def test_a_plain_page_for_a_visitor_sends_no_statement_once_the_name_is_known(app, client, areas):
    from tests.querycount import count_statements

    assert "Enschede" in client.get("/huisregels").get_data(as_text=True)
    with count_statements(app) as counter:
        page = client.get("/huisregels").get_data(as_text=True)
    assert "<span>Enschede</span>" in page
    assert counter.count == 0, counter.statements


def test_the_municipality_name_follows_a_rename_at_once_here_and_within_a_minute_elsewhere(
    app, client, areas, monkeypatch
):
    import sqlalchemy as sa
    from participatie.core.areas import queries
    from participatie.core.areas.models import Area
    from participatie.extensions import db

    assert "<span>Enschede</span>" in client.get("/huisregels").get_data(as_text=True)
    with app.app_context():
        gemeente = db.session.scalar(sa.select(Area).where(Area.code == "GM0153"))
        gemeente.name = "Enschede-Stad"
        db.session.commit()
    # Renamed through this worker: the next page has the new name.
    assert "<span>Enschede-Stad</span>" in client.get("/huisregels").get_data(as_text=True)
    # Renamed by another process (a command, another worker): plain SQL, no event here.
    with app.app_context():
        db.session.execute(
            sa.update(Area).where(Area.code == "GM0153").values(name="Gemeente Enschede")
        )
        db.session.commit()
    assert "<span>Enschede-Stad</span>" in client.get("/huisregels").get_data(as_text=True)
    later = queries._clock() + queries.NAME_SECONDS + 1
    monkeypatch.setattr(queries, "_clock", lambda: later)
    assert "<span>Gemeente Enschede</span>" in client.get("/huisregels").get_data(as_text=True)
