import pytest
from cryptography.fernet import Fernet
from flask import request
from participatie import create_app
from participatie.config import ConfigurationError
from participatie.config import database_url
from participatie.extensions import db


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("PARTICIPATIE_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", "postgresql://db.example/participatie")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app()


def test_production_refuses_to_start_without_database_url(monkeypatch, tmp_path):
    monkeypatch.setenv("PARTICIPATIE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        create_app()


def test_production_refuses_to_start_without_public_url(monkeypatch, tmp_path):
    monkeypatch.setenv("PARTICIPATIE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://db.example/participatie")
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="PUBLIC_URL"):
        create_app()


def test_production_refuses_to_start_without_a_totp_encryption_key(monkeypatch, tmp_path):
    monkeypatch.setenv("PARTICIPATIE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://db.example/participatie")
    monkeypatch.setenv("PUBLIC_URL", "https://participatie.example.nl")
    monkeypatch.delenv("TOTP_ENCRYPTION_KEYS", raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError) as refused:
        create_app()
    # Named, with how to make one: never derived from SECRET_KEY in production.
    assert "Production needs TOTP_ENCRYPTION_KEYS" in str(refused.value)
    assert "Fernet.generate_key()" in str(refused.value)


@pytest.mark.parametrize("given", ["not-a-key", "{key},too-short", "{key}, {cut}"])
def test_a_totp_encryption_key_that_is_not_a_fernet_key_stops_start_up(
    monkeypatch, tmp_path, given
):
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("TOTP_ENCRYPTION_KEYS", given.format(key=key, cut=key[:40]))
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="is not a Fernet key") as refused:
        create_app({"SECRET_KEY": "given"})
    assert (
        "key 1 " in str(refused.value) if given == "not-a-key" else "key 2 " in str(refused.value)
    )
    # The message names the place in the list, never the key itself.
    assert key[:40] not in str(refused.value) and "too-short" not in str(refused.value)


def test_totp_encryption_keys_are_read_in_order(monkeypatch, tmp_path):
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("TOTP_ENCRYPTION_KEYS", f" {new} , {old},")
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    assert create_app({"SECRET_KEY": "given"}).config["TOTP_ENCRYPTION_KEYS"] == [new, old]


def test_production_answers_only_its_own_host(monkeypatch, tmp_path):
    monkeypatch.setenv("PARTICIPATIE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/p.sqlite3")
    monkeypatch.setenv("PUBLIC_URL", "https://participatie.example.nl")
    monkeypatch.setenv("TOTP_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    app = create_app()
    with app.app_context():
        db.create_all()
    client = app.test_client()
    assert client.get("/huisregels", headers={"Host": "attacker.example"}).status_code == 400
    assert client.get("/huisregels", base_url="https://participatie.example.nl").status_code == 200


def test_production_sets_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("PARTICIPATIE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://db.example/participatie")
    monkeypatch.setenv("PUBLIC_URL", "https://participatie.example.nl/")
    monkeypatch.setenv("TOTP_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["PUBLIC_URL"] == "https://participatie.example.nl"
    assert app.config["TRUSTED_HOSTS"] == ["participatie.example.nl"]
    assert app.config["MAIL_BACKEND"] == "smtp"
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_development_generates_secret_key_once_and_keeps_it(monkeypatch, tmp_path):
    monkeypatch.delenv("PARTICIPATIE_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    first = create_app()
    second = create_app()
    assert len(first.config["SECRET_KEY"]) >= 40
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert first.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/participatie.sqlite3"
    assert first.config["MAIL_BACKEND"] == "file"


def test_unknown_environment_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("PARTICIPATIE_ENV", "staging")
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="PARTICIPATIE_ENV"):
        create_app()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_plain_postgresql_urls_get_the_apps_driver(given, expected):
    assert database_url(given) == expected


def test_a_given_secret_key_writes_nothing_into_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("PARTICIPATIE_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"SECRET_KEY": "given"})
    assert app.config["SECRET_KEY"] == "given"
    assert not (tmp_path / "instance").exists()


@pytest.mark.parametrize(
    ("count", "seen"),
    [(0, ("127.0.0.1", "http")), (1, ("198.51.100.7", "https"))],
)
def test_the_client_address_comes_from_as_many_proxies_as_are_trusted(tmp_path, count, seen):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test secret key, not for production",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.sqlite3",
            "TRUSTED_PROXY_COUNT": count,
        }
    )
    app.add_url_rule("/address", "address", lambda: f"{request.remote_addr} {request.scheme}")
    # The client wrote the first entry itself; the load balancer added the last.
    headers = {"X-Forwarded-For": "203.0.113.66, 198.51.100.7", "X-Forwarded-Proto": "https"}
    page = app.test_client().get("/address", headers=headers).get_data(as_text=True)
    assert page == " ".join(seen)


def test_a_negative_proxy_count_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "-1")
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="TRUSTED_PROXY_COUNT"):
        create_app({"SECRET_KEY": "x" * 40})


def test_figures_are_cached_in_redis_when_a_url_is_given(monkeypatch, tmp_path):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("CACHE_REDIS_URL", raising=False)
    alone = create_app({"SECRET_KEY": "x"})
    assert (alone.config["CACHE_TYPE"], alone.config["CACHE_DEFAULT_TIMEOUT"]) == (
        "SimpleCache",
        60,
    )
    monkeypatch.setenv("CACHE_REDIS_URL", "redis://127.0.0.1:6379/4")
    shared = create_app({"SECRET_KEY": "x"})
    assert (shared.config["CACHE_TYPE"], shared.config["CACHE_DEFAULT_TIMEOUT"]) == (
        "RedisCache",
        3600,
    )
    # The database number of the URL is the one used.
    from participatie.extensions import cache

    backend = shared.extensions["cache"][cache]
    assert backend._write_client.connection_pool.connection_kwargs["db"] == 4


def test_a_cache_url_that_is_not_redis_stops_start_up(monkeypatch, tmp_path):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CACHE_REDIS_URL", "memcached://127.0.0.1")
    with pytest.raises(ConfigurationError, match="CACHE_REDIS_URL"):
        create_app({"SECRET_KEY": "x"})
