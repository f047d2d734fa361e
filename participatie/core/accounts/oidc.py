"""Log-in through OpenID Connect providers (a DigiD or eHerkenning broker, say).

The providers come from the environment (``OIDC_PROVIDERS``, see
``participatie/config.py``). Authlib does the protocol: discovery from the
issuer's ``.well-known/openid-configuration``, the authorization code flow
with PKCE (S256), ``state`` and ``nonce`` kept in the session, and the ID
token checked (signature against the provider's JWKS, issuer, audience,
nonce, expiry). This module maps the claims and keeps the ``OidcIdentity``
rows; ``oidc_views`` has the routes.

What is stored of a log-in: the provider's subject and the mapped birth date,
postcode and house number (refreshed on every log-in), nothing else.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from authlib.integrations.flask_client import OAuth
from flask import current_app

from participatie.config import OidcProvider
from participatie.core import audit
from participatie.core.accounts.identities import OidcIdentity
from participatie.core.accounts.models import NO_MAIL_DOMAIN
from participatie.core.accounts.models import User
from participatie.extensions import db
from participatie.extensions import utcnow

EXTENSION = "participatie.oidc"
#: Seconds the provider's answers may take (discovery, token, JWKS, userinfo).
TIMEOUT = 10

POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s?([A-Za-z]{2})\s*$")


def init_app(app) -> None:
    """Register an Authlib client per configured provider, on this app only."""
    oauth = OAuth(app)
    for provider in app.config.get("OIDC_PROVIDERS", {}).values():
        oauth.register(
            name=provider.key,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.metadata_url,
            client_kwargs={
                "scope": provider.scopes,
                "code_challenge_method": "S256",
                # The name of an OAuth authentication method, not a password.
                "token_endpoint_auth_method": "client_secret_basic",  # nosec B105
                "default_timeout": TIMEOUT,
            },
        )
    app.extensions[EXTENSION] = oauth


def providers() -> dict[str, OidcProvider]:
    return current_app.config.get("OIDC_PROVIDERS", {})


def provider(key: str) -> OidcProvider | None:
    return providers().get(key)


def client(key: str):
    return current_app.extensions[EXTENSION].create_client(key)


# --- Claims --------------------------------------------------------------------


def claim(claims: dict, path: str):
    """The value at the dotted ``path`` in ``claims`` (``address.postal_code``), or None."""
    if not path:
        return None
    value = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _text(value, limit: int) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value[:limit] or None


def _birth_date(value) -> date | None:
    text = _text(value, 10)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _postcode(value) -> str | None:
    match = POSTCODE.match(_text(value, 20) or "")
    return f"{match.group(1)}{match.group(2).upper()}" if match else None


@dataclass
class Claims:
    """What a log-in gave, mapped by the provider's ``OIDC_<KEY>_CLAIM_*``."""

    subject: str
    name: str | None = None
    email: str | None = None
    birth_date: date | None = None
    postcode: str | None = None
    house_number: str | None = None

    @classmethod
    def map(cls, config: OidcProvider, claims: dict) -> "Claims":
        email = _text(claim(claims, config.claim_email), 254)
        # Only an address the provider says it checked.
        verified = claims.get("email_verified") is True
        return cls(
            subject=str(claims["sub"])[:255],
            name=_text(claim(claims, config.claim_name), 80),
            email=email.lower() if email and verified and "@" in email else None,
            birth_date=_birth_date(claim(claims, config.claim_birthdate)),
            postcode=_postcode(claim(claims, config.claim_postcode)),
            house_number=_text(claim(claims, config.claim_house_number), 12),
        )

    def to_session(self) -> dict:
        return {
            "subject": self.subject,
            "name": self.name,
            "email": self.email,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "postcode": self.postcode,
            "house_number": self.house_number,
        }

    @classmethod
    def from_session(cls, data: dict) -> "Claims":
        birth = data.get("birth_date")
        return cls(**{**data, "birth_date": date.fromisoformat(birth) if birth else None})


# --- Identities ----------------------------------------------------------------


def find_identity(key: str, subject: str) -> OidcIdentity | None:
    return db.session.scalar(sa.select(OidcIdentity).filter_by(provider=key, subject=subject))


def identity_of(user: User, key: str) -> OidcIdentity | None:
    return db.session.scalar(sa.select(OidcIdentity).filter_by(provider=key, user_id=user.id))


def _refresh(identity: OidcIdentity, claims: Claims) -> None:
    """Store the claims as the provider gave them now (a detail it no longer gives is cleared)."""
    identity.birth_date = claims.birth_date
    identity.postcode = claims.postcode
    identity.house_number = claims.house_number
    identity.last_login_at = utcnow()


def log_in(identity: OidcIdentity, claims: Claims) -> User:
    _refresh(identity, claims)
    user = db.session.get(User, identity.user_id)
    user.last_login_at = identity.last_login_at
    user.inactivity_warned_at = None
    audit.record("account.oidc_login", user, actor=user, provider=identity.provider)
    return user


def link(user: User, key: str, claims: Claims) -> OidcIdentity:
    identity = OidcIdentity(provider=key, subject=claims.subject)
    _refresh(identity, claims)
    user.oidc_identities.append(identity)
    db.session.flush()
    audit.record("account.oidc_link", user, actor=user, provider=key)
    return identity


def can_unlink(user: User, identity: OidcIdentity) -> bool:
    """Whether the account keeps a way to log in without this identity."""
    return user.password_hash is not None or len(user.oidc_identities) > 1


def unlink(user: User, identity: OidcIdentity) -> None:
    user.oidc_identities.remove(identity)
    audit.record("account.oidc_unlink", user, actor=user, provider=identity.provider)


def no_mail_address(key: str, subject: str) -> str:
    digest = hashlib.sha256(f"{key}\0{subject}".encode()).hexdigest()[:24]
    return f"{key}-{digest}@{NO_MAIL_DOMAIN}"


def create_account(key: str, claims: Claims, display_name: str, locale: str) -> User:
    """A new account for a person the provider identified, with no password.

    The provider's email address is used, as confirmed, when it said it checked
    it and no other account has it; otherwise the account gets an address that
    is never mailed. Someone who has an account already links the provider to
    it from the account page instead: an address alone never joins two accounts.
    """
    email = claims.email
    if email and db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        email = None
    now = utcnow()
    user = User(
        email=email or no_mail_address(key, claims.subject),
        display_name=display_name.strip(),
        password_hash=None,
        locale=locale,
        email_confirmed_at=now if email else None,
        house_rules_accepted_at=now,
        last_login_at=now,
        notify_mode="immediate" if email else "never",
    )
    identity = OidcIdentity(provider=key, subject=claims.subject, created_at=now)
    _refresh(identity, claims)
    user.oidc_identities.append(identity)
    db.session.add(user)
    db.session.flush()
    audit.record("account.oidc_login", user, actor=user, provider=key, created=True)
    return user
