"""Log-in through OpenID Connect, against a real provider on loopback (tests/oidc/).

The Flask test client plays the app's side, ``log_in_at_provider`` the
person's browser at the provider; the app's own calls to the provider (discovery,
token, JWKS, userinfo) go over the network as in production.
"""

import os
from datetime import date
from urllib.parse import parse_qs
from urllib.parse import urlencode
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from participatie.config import ConfigurationError
from participatie.config import oidc_providers
from participatie.core.accounts.identities import OidcIdentity
from participatie.core.accounts.models import User
from participatie.core.accounts.oidc import claim
from participatie.core.accounts.oidc import Claims
from participatie.core.audit.models import AuditEvent
from participatie.extensions import db

from tests.conftest import csrf_token
from tests.conftest import free_port
from tests.conftest import login
from tests.oidc.fixtures import KEY
from tests.oidc.fixtures import log_in_at_provider

START = f"/inloggen/oidc/{KEY}"


@pytest.fixture
def oidc_environment(oidc_provider, monkeypatch):
    for name, value in oidc_provider.environment().items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def app(oidc_environment, app):
    """The test app, made with the provider in its environment."""
    return app


def start(client, page="/inloggen", **data):
    response = client.post(START, data={"csrf_token": csrf_token(client, page), **data})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def back(client, url):
    """Follow the provider's redirect back into the app."""
    parts = urlsplit(url)
    assert parts.path == f"/inloggen/oidc/{KEY}/terug", url
    return client.get(f"{parts.path}?{parts.query}")


def first_login(client, who="jan", name="Jan", **data):
    response = back(client, log_in_at_provider(start(client, **data), who))
    assert response.headers["Location"].endswith(f"/inloggen/oidc/{KEY}/account")
    token = csrf_token(client, f"/inloggen/oidc/{KEY}/account")
    return client.post(
        f"/inloggen/oidc/{KEY}/account",
        data={"csrf_token": token, "display_name": name, "house_rules": "y"},
    )


def actions(app):
    with app.app_context():
        return [event.action for event in db.session.scalars(sa.select(AuditEvent))]


def identities(app):
    with app.app_context():
        return list(db.session.scalars(sa.select(OidcIdentity)))


def test_the_login_page_has_a_button_per_provider(client):
    page = client.get("/inloggen").get_data(as_text=True)
    assert f'action="{START}"' in page
    assert "Inloggen met Test-inlogdienst" in page
    assert "Inloggen met Test-inlogdienst" in client.get("/registreren").get_data(as_text=True)


def test_the_start_asks_for_pkce_state_and_nonce(client, oidc_provider):
    url = start(client)
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(oidc_provider.issuer + "/auth?")
    assert query["code_challenge_method"] == ["S256"]
    assert query["code_challenge"] and query["state"] and query["nonce"]
    assert query["redirect_uri"] == [f"http://localhost/inloggen/oidc/{KEY}/terug"]
    assert query["scope"] == ["openid profile address email"]


def test_starting_without_the_csrf_token_is_refused(client):
    response = client.post(START)
    assert response.status_code == 400
    assert "Location" not in response.headers


def test_a_first_login_makes_an_account_with_the_mapped_claims(app, client):
    response = back(client, log_in_at_provider(start(client), "jan"))
    assert response.status_code == 302
    page = client.get(f"/inloggen/oidc/{KEY}/account").get_data(as_text=True)
    assert 'value="Jan de Vries"' in page  # the name claim, to change or keep
    token = csrf_token(client, f"/inloggen/oidc/{KEY}/account")
    refused = client.post(
        f"/inloggen/oidc/{KEY}/account", data={"csrf_token": token, "display_name": " "}
    )
    assert refused.status_code == 400
    assert "Vul een schermnaam in." in refused.get_data(as_text=True)
    response = client.post(
        f"/inloggen/oidc/{KEY}/account",
        data={"csrf_token": token, "display_name": "Jan", "house_rules": "y"},
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalars(sa.select(User)).one()
        identity = db.session.scalars(sa.select(OidcIdentity)).one()
        assert (user.display_name, user.password_hash, user.has_mailbox) == ("Jan", None, False)
        assert user.email.endswith("@oidc.invalid") and user.notify_mode == "never"
        assert user.is_active and user.can_participate
        assert identity.user_id == user.id
        assert (identity.provider, identity.subject) == (KEY, "s-0001-jan")
        assert identity.birth_date == date(1990, 4, 12)
        assert (identity.postcode, identity.house_number) == ("7511AB", "12a")
        assert identity.last_login_at is not None
    account = client.get("/account").get_data(as_text=True)
    assert "Je account heeft geen e-mailadres" in account
    assert "Wachtwoord wijzigen" not in account
    assert "Ontkoppel Test-inlogdienst" in account
    assert "account.oidc_login" in actions(app)


def test_a_verified_email_claim_becomes_the_confirmed_address(app, client):
    assert first_login(client, "kim", "Kim").status_code == 302
    with app.app_context():
        user = db.session.scalars(sa.select(User)).one()
        assert user.email == "kim@example.org" and user.email_confirmed and user.has_mailbox
        assert db.session.scalars(sa.select(OidcIdentity)).one().postcode == "7522NB"


def test_an_email_claim_of_another_account_joins_nothing(app, client, create_user):
    other = create_user(email="kim@example.org")
    assert first_login(client, "kim", "Kim").status_code == 302
    with app.app_context():
        new = db.session.scalars(sa.select(User).where(User.id != other.id)).one()
        assert not new.has_mailbox
        assert db.session.scalars(sa.select(OidcIdentity)).one().user_id == new.id


def test_the_second_login_finds_the_account_and_refreshes_the_claims(app, client):
    first_login(client)
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/account")})
    with app.app_context():
        identity = db.session.scalars(sa.select(OidcIdentity)).one()
        identity.postcode, identity.birth_date = "1234XY", None
        db.session.commit()
    client.get("/inloggen")
    with client.session_transaction() as session:
        session["keep-draft"] = "a ballot"
        session["planted"] = "by someone else"
    response = back(client, log_in_at_provider(start(client, next="/mijn-pagina"), "jan"))
    assert response.status_code == 302
    assert response.headers["Location"] == "/mijn-pagina"
    with client.session_transaction() as session:
        assert session["keep-draft"] == "a ballot"
        assert "planted" not in session
    assert client.get("/account").status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
        identity = db.session.scalars(sa.select(OidcIdentity)).one()
        assert (identity.postcode, identity.birth_date) == ("7511AB", date(1990, 4, 12))
    assert actions(app) == ["account.oidc_login", "account.oidc_login"]  # made, logged in


def test_linking_a_password_account_and_logging_in_with_it(app, client, create_user):
    user = create_user(email="anna@example.org")
    login(client, user.email)
    account = client.get("/account").get_data(as_text=True)
    assert "Koppel je account" in account and "Koppel Test-inlogdienst" in account
    response = back(client, log_in_at_provider(start(client, "/account"), "jan"))
    assert response.headers["Location"] == "/account"
    assert "Je account is gekoppeld aan Test-inlogdienst." in client.get("/account").get_data(
        as_text=True
    )
    [identity] = identities(app)
    assert identity.user_id == user.id and identity.postcode == "7511AB"
    assert "account.oidc_link" in actions(app)

    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/account")})
    response = back(client, log_in_at_provider(start(client), "jan"))
    assert response.headers["Location"] == "/"
    assert user.email in client.get("/account").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_a_subject_linked_to_another_account_is_not_linked_again(app, client, create_user):
    first_login(client)
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/account")})
    user = create_user(email="anna@example.org")
    login(client, user.email)
    response = back(client, log_in_at_provider(start(client, "/account"), "jan"))
    assert response.headers["Location"] == "/account"
    assert "gekoppeld aan een ander account" in client.get("/account").get_data(as_text=True)
    assert all(identity.user_id != user.id for identity in identities(app))


def test_unlinking(app, client, create_user):
    user = create_user(email="anna@example.org")
    login(client, user.email)
    back(client, log_in_at_provider(start(client, "/account"), "jan"))
    response = client.post(
        f"/account/oidc/{KEY}/ontkoppelen", data={"csrf_token": csrf_token(client, "/account")}
    )
    assert response.status_code == 302
    assert "niet meer gekoppeld" in client.get("/account").get_data(as_text=True)
    assert identities(app) == []
    assert "account.oidc_unlink" in actions(app)
    assert client.post(f"/account/oidc/{KEY}/ontkoppelen").status_code == 400  # no CSRF token


def test_the_only_way_to_log_in_is_not_unlinked(app, client):
    first_login(client)
    client.post(
        f"/account/oidc/{KEY}/ontkoppelen", data={"csrf_token": csrf_token(client, "/account")}
    )
    assert "niet meer inloggen" in client.get("/account").get_data(as_text=True)
    assert len(identities(app)) == 1


def test_a_wrong_state_is_refused(app, client):
    url = log_in_at_provider(start(client), "jan")
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query["state"] = "not-the-state-we-sent"
    response = client.get(f"{parts.path}?{urlencode(query)}")
    assert response.status_code == 400
    assert "hoort niet bij een inlogpoging" in response.get_data(as_text=True)
    assert identities(app) == []


def test_a_callback_without_a_started_log_in_is_refused(client):
    response = client.get(f"/inloggen/oidc/{KEY}/terug?code=abc&state=def")
    assert response.status_code == 400


def test_a_replayed_answer_is_refused(app, client):
    url = log_in_at_provider(start(client), "jan")
    assert back(client, url).status_code == 302
    response = back(client, url)
    assert response.status_code == 400
    assert "al gebruikt" in response.get_data(as_text=True)


def test_a_wrong_nonce_is_refused(app, client):
    url = start(client)
    state = parse_qs(urlsplit(url).query)["state"][0]
    with client.session_transaction() as session:
        saved = session[f"_state_{KEY}_{state}"]
        saved["data"]["nonce"] = "a nonce this log-in never sent"
        session[f"_state_{KEY}_{state}"] = saved
    response = back(client, log_in_at_provider(url, "jan"))
    assert response.status_code == 400
    assert "ID-token" in response.get_data(as_text=True)
    assert identities(app) == []
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_an_error_answer_of_the_provider(client):
    url = log_in_at_provider(start(client), abort=True)
    assert parse_qs(urlsplit(url).query)["error"] == ["access_denied"]
    response = back(client, url)
    assert response.status_code == 400
    assert "Je hebt het inloggen bij Test-inlogdienst gestopt." in response.get_data(as_text=True)


def test_an_unknown_provider(client):
    token = csrf_token(client)
    for response in (
        client.post("/inloggen/oidc/onbekend", data={"csrf_token": token}),
        client.get("/inloggen/oidc/onbekend/terug?code=a&state=b"),
        client.get("/inloggen/oidc/onbekend/account"),
    ):
        assert response.status_code == 400
        assert "onbekend" in response.get_data(as_text=True)


def test_the_english_message(client):
    client.get("/taal/en?next=/inloggen")
    url = log_in_at_provider(start(client), abort=True)
    assert "You stopped the log-in at Test-inlogdienst." in back(client, url).get_data(as_text=True)


def test_an_unreachable_provider(monkeypatch, schema, app):
    from participatie import create_app

    monkeypatch.setenv(f"OIDC_{KEY.upper()}_ISSUER", f"http://127.0.0.1:{free_port()}")
    down = create_app({**app.config, "OIDC_PROVIDERS": oidc_providers(os.environ)})
    try:
        client = down.test_client()
        response = client.post(START, data={"csrf_token": csrf_token(client)})
        assert response.status_code == 503
        assert "niet bereikbaar" in response.get_data(as_text=True)
    finally:
        with down.app_context():
            db.session.remove()
            db.engine.dispose()


def test_the_new_account_step_expires(client):
    assert client.get(f"/inloggen/oidc/{KEY}/account").status_code == 400


# --- Configuration and claims, without the provider -----------------------------------


def test_the_configuration_is_read_and_checked():
    environment = {
        "OIDC_PROVIDERS": "digid, eherkenning",
        "OIDC_DIGID_ISSUER": "https://broker.example.org/digid",
        "OIDC_DIGID_CLIENT_ID": "enschede",
        "OIDC_DIGID_CLIENT_SECRET": "s",
        "OIDC_DIGID_LABEL": "DigiD",
        "OIDC_DIGID_CLAIM_POSTCODE": "address.postal_code",
        "OIDC_EHERKENNING_ISSUER": "https://broker.example.org/eh",
        "OIDC_EHERKENNING_CLIENT_ID": "enschede",
        "OIDC_EHERKENNING_CLIENT_SECRET": "s",
        "OIDC_EHERKENNING_SCOPES": "openid  kvk",
    }
    providers = oidc_providers(environment)
    assert list(providers) == ["digid", "eherkenning"]
    assert providers["digid"].label == "DigiD" and providers["digid"].scopes == "openid profile"
    assert providers["digid"].claim_postcode == "address.postal_code"
    assert providers["digid"].claim_birthdate == "birthdate"
    assert providers["eherkenning"].scopes == "openid kvk"
    assert providers["digid"].metadata_url == (
        "https://broker.example.org/digid/.well-known/openid-configuration"
    )
    assert oidc_providers({}) == {}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"OIDC_DIGID_ISSUER": ""}, "OIDC_DIGID_ISSUER is missing"),
        ({"OIDC_DIGID_CLIENT_SECRET": ""}, "OIDC_DIGID_CLIENT_SECRET is missing"),
        ({"OIDC_DIGID_ISSUER": "http://broker.example.org"}, "must be an https:// URL"),
        ({"OIDC_DIGID_SCOPES": "profile"}, "must contain openid"),
        ({"OIDC_DIGID_CLAIM_POSTCODE": "address..postcode"}, "dotted path"),
        ({"OIDC_PROVIDERS": "digid,DigiD"}, "'DigiD' is not a key"),
        ({"OIDC_PROVIDERS": "digid,digid"}, "names 'digid' twice"),
    ],
)
def test_a_bad_configuration_stops_the_start(change, message):
    environment = {
        "OIDC_PROVIDERS": "digid",
        "OIDC_DIGID_ISSUER": "https://broker.example.org",
        "OIDC_DIGID_CLIENT_ID": "c",
        "OIDC_DIGID_CLIENT_SECRET": "s",
        **change,
    }
    with pytest.raises(ConfigurationError, match=message):
        oidc_providers(environment)


def test_the_app_does_not_start_with_a_bad_configuration(monkeypatch, tmp_path):
    from participatie import create_app

    monkeypatch.setenv("OIDC_PROVIDERS", "digid")
    with pytest.raises(ConfigurationError, match="OIDC_DIGID_ISSUER is missing"):
        create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_claims_are_mapped_by_dotted_paths():
    config = oidc_providers(
        {
            "OIDC_PROVIDERS": "digid",
            "OIDC_DIGID_ISSUER": "https://broker.example.org",
            "OIDC_DIGID_CLIENT_ID": "c",
            "OIDC_DIGID_CLIENT_SECRET": "s",
            "OIDC_DIGID_CLAIM_NAME": "given_name",
            "OIDC_DIGID_CLAIM_POSTCODE": "address.postal_code",
            "OIDC_DIGID_CLAIM_HOUSE_NUMBER": "address.house.number",
        }
    )["digid"]
    claims = {
        "sub": "abc",
        "given_name": "  Fatma   ",
        "birthdate": "2010-02-30",
        "address": {"postal_code": "7511 ab", "house": {"number": 12}},
        "email": "f@example.org",
        "email_verified": "true",  # a string is not a yes
    }
    mapped = Claims.map(config, claims)
    assert mapped == Claims(
        subject="abc", name="Fatma", email=None, postcode="7511AB", house_number="12"
    )
    assert claim(claims, "address.missing.deeper") is None
    assert Claims.map(config, {**claims, "address": "not a dict"}).postcode is None
    assert Claims.from_session(mapped.to_session()) == mapped


def test_forms_may_lead_to_the_provider_and_nowhere_else(client, oidc_provider):
    policy = client.get("/inloggen").headers["Content-Security-Policy"]
    assert f"form-action 'self' {oidc_provider.issuer};" in policy


def test_an_authorization_endpoint_on_another_host_gets_a_link(app, client):
    with app.app_context():
        provider_client = app.extensions["participatie.oidc"].create_client(KEY)
        provider_client.load_server_metadata()
        provider_client.server_metadata["authorization_endpoint"] = "https://login.example.org/a"
    response = client.post(START, data={"csrf_token": csrf_token(client)})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'href="https://login.example.org/a?' in page
    assert "Verder naar Test-inlogdienst" in page


def test_a_blocked_account_does_not_log_in(app, client):
    from participatie.extensions import utcnow

    first_login(client)
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/account")})
    with app.app_context():
        db.session.scalars(sa.select(User)).one().blocked_at = utcnow()
        db.session.commit()
    response = back(client, log_in_at_provider(start(client), "jan"))
    assert response.status_code == 403
    assert "geblokkeerd" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_an_id_token_signed_with_another_key_is_refused(app, client, oidc_provider, monkeypatch):
    """The provider's real keys, swapped for keys with the same ids: the signature fails."""
    import requests
    from joserfc.jwk import RSAKey

    real = requests.get(oidc_provider.issuer + "/jwks", timeout=10).json()
    forged = {
        "keys": [
            RSAKey.generate_key(
                2048, parameters={"kid": key["kid"], "use": "sig", "alg": "RS256"}
            ).as_dict(private=False)
            for key in real["keys"]
            if key["kty"] == "RSA"
        ]
    }
    with app.app_context():
        provider_client = app.extensions["participatie.oidc"].create_client(KEY)
    monkeypatch.setattr(provider_client, "fetch_jwk_set", lambda force=False: forged)
    response = back(client, log_in_at_provider(start(client), "jan"))
    assert response.status_code == 400
    assert "ID-token" in response.get_data(as_text=True)
    assert identities(app) == []


def test_an_account_links_one_log_in_per_provider(app, client, create_user):
    user = create_user(email="anna@example.org")
    login(client, user.email)
    back(client, log_in_at_provider(start(client, "/account"), "jan"))
    response = back(client, log_in_at_provider(start(client, "/account"), "kim"))
    assert response.headers["Location"] == "/account"
    assert "Ontkoppel die eerst." in client.get("/account").get_data(as_text=True)
    assert [identity.subject for identity in identities(app)] == ["s-0001-jan"]


def test_a_link_started_by_someone_who_logged_out_meanwhile_is_refused(app, client, create_user):
    user = create_user(email="anna@example.org")
    login(client, user.email)
    url = log_in_at_provider(start(client, "/account"), "jan")
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/account")})
    response = back(client, url)  # the flow is for account 1, nobody is logged in now
    assert response.status_code == 400
    assert "hoort niet bij een inlogpoging" in response.get_data(as_text=True)
    assert identities(app) == []


def test_a_login_through_the_provider_also_needs_the_second_step(app, client):
    from tests.core.accounts.test_two_factor import next_code
    from tests.core.accounts.test_two_factor import send_code
    from tests.core.accounts.test_two_factor import set_up

    first_login(client)
    secret, _codes = set_up(client)
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/account")})
    client.get("/inloggen")
    with client.session_transaction() as session:
        session["keep-draft"] = "a ballot"
    response = back(client, log_in_at_provider(start(client, next="/mijn-pagina"), "jan"))
    assert response.headers["Location"] == "/inloggen/code"
    # The provider's answer alone logs nobody in.
    assert client.get("/account").headers["Location"].startswith("/inloggen")
    assert send_code(client, "12345678").status_code == 400
    response = send_code(client, next_code(secret))
    assert response.headers["Location"] == "/mijn-pagina"
    assert client.get("/account").status_code == 200
    with client.session_transaction() as session:
        assert session["keep-draft"] == "a ballot"
