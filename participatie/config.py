"""Settings from environment variables.

Development is the default: SQLite and a secret key generated once, both under
the instance folder. Production is chosen explicitly with
``PARTICIPATIE_ENV=production``; there a missing ``SECRET_KEY`` or
``DATABASE_URL`` stops start-up, because a fallback secret in code would be
shared by every deployment that forgot to set one. The same holds for
``PUBLIC_URL`` and ``TOTP_ENCRYPTION_KEYS``.
"""

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit


class ConfigurationError(RuntimeError):
    """Raised at start-up when the environment does not describe a usable app."""


def database_url(url: str) -> str:
    """Return ``url`` with the SQLAlchemy driver the app uses.

    Operators paste plain ``postgresql://`` URLs (as libpq and most hosting
    panels print them); the app talks to PostgreSQL through psycopg 3.
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ConfigurationError(f"{name} must be a whole number, not {value!r}.") from error


def _trusted_hosts(public_url: str) -> list[str]:
    parts = urlsplit(public_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigurationError(
            f"PUBLIC_URL must be the site's address, such as https://participatie.example.nl, "
            f"not {public_url!r}."
        )
    extra = os.environ.get("ALLOWED_HOSTS", "")
    return [parts.hostname] + [host.strip() for host in extra.split(",") if host.strip()]


#: How to make a key for ``TOTP_ENCRYPTION_KEYS``, said wherever one is missing or wrong.
NEW_FERNET_KEY = (
    '.venv/bin/python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())"'
)


def _totp_keys() -> list[str]:
    """``TOTP_ENCRYPTION_KEYS``: Fernet keys, comma-separated; the first encrypts, all decrypt.

    A wrong key is refused at start-up (naming its place in the list, never the key),
    not at the first log-in that needs it.
    """
    from cryptography.fernet import Fernet

    value = os.environ.get("TOTP_ENCRYPTION_KEYS", "")
    keys = [key.strip() for key in value.split(",") if key.strip()]
    for number, key in enumerate(keys, 1):
        try:
            Fernet(key)
        except ValueError as error:
            raise ConfigurationError(
                f"TOTP_ENCRYPTION_KEYS: key {number} is not a Fernet key (32 bytes in URL-safe "
                f"base64, 44 characters). Make one with: {NEW_FERNET_KEY}"
            ) from error
    return keys


def _proxy_count() -> int:
    count = _int("TRUSTED_PROXY_COUNT", 0)
    if count < 0:
        raise ConfigurationError(f"TRUSTED_PROXY_COUNT must be 0 or more, not {count}.")
    return count


def _cache_settings() -> dict:
    url = os.environ.get("CACHE_REDIS_URL", "").strip()
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigurationError(
            f"CACHE_REDIS_URL must be a Redis URL such as redis://127.0.0.1:6379/1, not {url!r}."
        )
    settings = {
        "CACHE_TYPE": "RedisCache" if url else "SimpleCache",
        # With Redis, values are renewed by events for all workers at once, and this
        # only bounds how long one outlives a missed event. Each worker's own cache
        # hears only of its own events: another worker's change is seen within this time.
        "CACHE_DEFAULT_TIMEOUT": _int("CACHE_DEFAULT_TIMEOUT", 3600 if url else 60),
        "CACHE_KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "participatie:"),
        # Each worker's own cache holds at most this many values.
        "CACHE_THRESHOLD": 2000,
    }
    if url:
        settings["CACHE_REDIS_URL"] = url
    return settings


@dataclass(frozen=True)
class OidcProvider:
    """One OpenID Connect provider (a DigiD or eHerkenning broker, say), from ``OIDC_<KEY>_*``.

    The claim names may be dotted paths into nested claims (``address.postal_code``);
    an empty one means the provider does not give that detail.
    """

    key: str
    issuer: str
    client_id: str
    client_secret: str
    label: str
    scopes: str = "openid profile"
    claim_name: str = "name"
    claim_email: str = "email"
    claim_birthdate: str = "birthdate"
    claim_postcode: str = ""
    claim_house_number: str = ""

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


PROVIDER_KEY = re.compile(r"^[a-z][a-z0-9]{0,39}$")
CLAIM_PATH = re.compile(r"^[A-Za-z0-9_:\-]+(\.[A-Za-z0-9_:\-]+)*$")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def oidc_providers(environ: Mapping[str, str]) -> dict[str, OidcProvider]:
    """The providers named in ``OIDC_PROVIDERS`` (comma-separated keys), checked.

    Every mistake is collected and reported at once, naming the variable.
    """
    keys = [key.strip() for key in environ.get("OIDC_PROVIDERS", "").split(",") if key.strip()]
    problems = []
    providers = {}
    for key in keys:
        if not PROVIDER_KEY.match(key):
            problems.append(
                f"OIDC_PROVIDERS: {key!r} is not a key of lower-case letters and digits "
                "(at most 40, starting with a letter), for example digid."
            )
            continue
        if key in providers:
            problems.append(f"OIDC_PROVIDERS names {key!r} twice.")
            continue
        prefix = f"OIDC_{key.upper()}_"

        def value(name, default="", prefix=prefix):
            return environ.get(prefix + name, default).strip()

        for name in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET"):
            if not value(name):
                problems.append(f"{prefix}{name} is missing (provider {key!r} in OIDC_PROVIDERS).")
        issuer = value("ISSUER")
        if issuer:
            parts = urlsplit(issuer)
            loopback = parts.scheme == "http" and parts.hostname in LOOPBACK
            if not parts.hostname or not (parts.scheme == "https" or loopback):
                problems.append(
                    f"{prefix}ISSUER must be an https:// URL (http:// only on loopback), "
                    f"not {issuer!r}."
                )
        scopes = " ".join(value("SCOPES", "openid profile").split())
        if "openid" not in scopes.split():
            problems.append(f"{prefix}SCOPES must contain openid, not {scopes!r}.")
        claims = {}
        for name, default in (
            ("NAME", "name"),
            ("EMAIL", "email"),
            ("BIRTHDATE", "birthdate"),
            ("POSTCODE", ""),
            ("HOUSE_NUMBER", ""),
        ):
            path = value("CLAIM_" + name, default)
            if path and not CLAIM_PATH.match(path):
                problems.append(
                    f"{prefix}CLAIM_{name} must be a claim name or a dotted path such as "
                    f"address.postal_code, not {path!r}."
                )
            claims["claim_" + name.lower()] = path
        providers[key] = OidcProvider(
            key=key,
            issuer=issuer,
            client_id=value("CLIENT_ID"),
            client_secret=value("CLIENT_SECRET"),
            label=value("LABEL") or key,
            scopes=scopes,
            **claims,
        )
    if problems:
        raise ConfigurationError(
            "The OpenID Connect configuration is not usable (see README.md, section "
            "OpenID Connect):\n- " + "\n- ".join(problems)
        )
    return providers


def _development_secret(instance_path: Path) -> str:
    """Return the development secret key, generated on first use and kept."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Written with owner-only permissions: the key signs session cookies.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(key + "\n")
    return key


def from_environment(instance_path: str, given: dict | None = None) -> dict:
    """Build the configuration mapping from the process environment.

    ``given`` is the configuration that will override it (the tests'): with a
    ``SECRET_KEY`` there, no development key is generated in the instance folder.
    """
    instance = Path(instance_path)
    environment = os.environ.get("PARTICIPATIE_ENV", "development").strip().lower()
    if environment not in {"development", "production"}:
        raise ConfigurationError(
            f"PARTICIPATIE_ENV must be 'development' or 'production', not {environment!r}."
        )
    production = environment == "production"

    secret_key = os.environ.get("SECRET_KEY", "")
    url = os.environ.get("DATABASE_URL", "")
    public_url = os.environ.get("PUBLIC_URL", "").strip().rstrip("/")
    totp_keys = _totp_keys()
    if production:
        needed = (
            ("SECRET_KEY", secret_key),
            ("DATABASE_URL", url),
            ("PUBLIC_URL", public_url),
            ("TOTP_ENCRYPTION_KEYS", totp_keys),
        )
        missing = [name for name, value in needed if not value]
        if missing:
            how = ""
            if "TOTP_ENCRYPTION_KEYS" in missing:
                how = f" Make a key for TOTP_ENCRYPTION_KEYS with: {NEW_FERNET_KEY}"
            raise ConfigurationError(
                "Production needs " + " and ".join(missing) + " in the environment; "
                "see README.md, section Configuration." + how
            )
    if not secret_key:
        secret_key = (given or {}).get("SECRET_KEY") or _development_secret(instance)
    if not url:
        url = "sqlite:///" + str(instance / "participatie.sqlite3")

    mail_backend = os.environ.get("MAIL_BACKEND") or ("smtp" if production else "file")
    return {
        "PARTICIPATIE_ENV": environment,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url(url),
        "MUNICIPALITY": os.environ.get("MUNICIPALITY", "GM0153"),
        "MUNICIPALITY_NAME": os.environ.get("MUNICIPALITY_NAME", ""),
        "THEME_BRAND_COLOR": os.environ.get("THEME_BRAND_COLOR", "#154273"),
        "THEME_BRAND_CONTRAST": os.environ.get("THEME_BRAND_CONTRAST", "#ffffff"),
        "LOGO_PATH": os.environ.get("LOGO_PATH", ""),
        "CONTACT_EMAIL": os.environ.get("CONTACT_EMAIL", "participatie@example.org"),
        "MAIL_BACKEND": mail_backend,
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_STARTTLS": _flag("MAIL_STARTTLS", False),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL", False),
        "MAIL_TIMEOUT": _int("MAIL_TIMEOUT", 10),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Participatie <noreply@example.org>"
        ),
        "MAIL_FOLDER": os.environ.get("MAIL_FOLDER", str(instance / "mail")),
        "SESSION_COOKIE_SECURE": production or _flag("SESSION_COOKIE_SECURE", False),
        "SESSION_IDLE_MINUTES": _int("SESSION_IDLE_MINUTES", 60),
        # The time-out warning shows this many seconds before the session ends.
        "SESSION_WARNING_SECONDS": _int("SESSION_WARNING_SECONDS", 120),
        "SESSION_ABSOLUTE_HOURS": _int("SESSION_ABSOLUTE_HOURS", 12),
        # Staff (facilitators, councillors, administrators) must use two-step verification.
        "REQUIRE_2FA_FOR_STAFF": _flag("REQUIRE_2FA_FOR_STAFF", production),
        # The keys of the TOTP secrets at rest (``core/accounts/totp_cipher.py``); empty in
        # development: then one is derived from SECRET_KEY.
        "TOTP_ENCRYPTION_KEYS": totp_keys,
        "LOGIN_MAX_FAILURES": _int("LOGIN_MAX_FAILURES", 5),
        "LOGIN_LOCK_MINUTES": _int("LOGIN_LOCK_MINUTES", 15),
        # After this many months without a log-in an account is erased (warned a month before).
        "INACTIVE_ACCOUNT_MONTHS": _int("INACTIVE_ACCOUNT_MONTHS", 24),
        # Where the rate limits are counted: redis://… to count across workers and hosts.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI") or "memory://",
        # Put before every key in that storage: sites (or test runs) sharing one Redis apart.
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", ""),
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Figures shared by the workers (summaries, area overviews): Redis when
        # CACHE_REDIS_URL is set, else each worker keeps its own (participatie.caching).
        **_cache_settings(),
        # Failed log-ins from one client address, over all e-mail addresses.
        "LOGIN_MAX_FAILURES_PER_CLIENT": _int("LOGIN_MAX_FAILURES_PER_CLIENT", 30),
        # Wrong voting codes: per client address, and in total across all workers.
        "CODE_MAX_FAILURES": _int("CODE_MAX_FAILURES", 10),
        "CODE_MAX_FAILURES_TOTAL": _int("CODE_MAX_FAILURES_TOTAL", 1000),
        "CODE_WINDOW_MINUTES": _int("CODE_WINDOW_MINUTES", 15),
        "ARGON2_TIME_COST": _int("ARGON2_TIME_COST", 3),
        "ARGON2_MEMORY_COST": _int("ARGON2_MEMORY_COST", 65536),
        "ARGON2_PARALLELISM": _int("ARGON2_PARALLELISM", 4),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "PUBLIC_URL": public_url or "http://127.0.0.1:5000",
        # How many proxies (a load balancer, a TLS terminator) stand in front of the app and
        # add the client's address to X-Forwarded-For: behind them the connection comes from
        # the proxy, and the log-in lock-out and the rate limits would take every resident
        # for one client. 0 (the default) trusts no such header, since anyone can send one.
        "TRUSTED_PROXY_COUNT": _proxy_count(),
        # Production answers only requests for these hosts (Flask's TRUSTED_HOSTS):
        # PUBLIC_URL's host and any in ALLOWED_HOSTS (comma-separated).
        "TRUSTED_HOSTS": _trusted_hosts(public_url) if production else None,
        # Background tiles of the area maps, for example PDOK's BRT-Achtergrondkaart.
        # Empty: the maps show only the area shapes and load nothing from other hosts.
        "MAP_TILE_URL": os.environ.get("MAP_TILE_URL", ""),
        "MAP_TILE_ATTRIBUTION": os.environ.get("MAP_TILE_ATTRIBUTION", ""),
        # Log-in through OpenID Connect providers, by key (``OIDC_PROVIDERS``).
        "OIDC_PROVIDERS": oidc_providers(os.environ),
        # Works in one buurt at most this many whole months apart are a coupling chance.
        "AGENDA_COUPLING_GAP_MONTHS": _int("AGENDA_COUPLING_GAP_MONTHS", 12),
    }


# Settings that do not depend on the environment.
STATIC = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "participatie_session",
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    "WTF_CSRF_TIME_LIMIT": None,
    "BABEL_DEFAULT_LOCALE": "nl",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
    "LANGUAGES": ("nl", "en"),
    # The language processes, ideas and comments are written in (marked on other pages).
    "CONTENT_LANGUAGE": "nl",
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
}
