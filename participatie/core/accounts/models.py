"""Accounts, their single-use tokens and the per-address login throttle."""

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from participatie.extensions import db
from participatie.extensions import UTCDateTime
from participatie.extensions import utcnow

if TYPE_CHECKING:
    from participatie.core.accounts.identities import OidcIdentity
    from participatie.core.roles.models import RoleAssignment

#: The reserved domain (RFC 2606) of the addresses of accounts that have no
#: mailbox: made through an OpenID Connect provider that gave no checked address.
NO_MAIL_DOMAIN = "oidc.invalid"


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    """An account. Every account is a resident; roles come on top.

    ``session_token`` is part of every login cookie. Logging out and changing
    the password replace it, which makes every cookie issued before useless,
    also one that an attacker copied: Flask's signed cookie session alone would
    stay valid until it expires.
    """

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    #: Read and written through ``display_name``, which names an erased account
    #: "voormalig deelnemer" in the reader's language.
    stored_display_name: Mapped[str] = mapped_column("display_name", sa.String(80))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    locale: Mapped[str] = mapped_column(sa.String(8), default="nl")
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    house_rules_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set for pseudonymous participants of an imported conversation (Polis):
    #: they have no password, cannot log in and are never purged as inactive.
    imported_from: Mapped[str | None] = mapped_column(sa.String(120))
    #: How this account wants notification mail: immediate, daily or never.
    notify_mode: Mapped[str] = mapped_column(
        sa.String(16), default="immediate", server_default="immediate"
    )
    #: When its personal data was erased (``core/accounts/privacy``): the row
    #: stays, so that its contributions and every count stay, without a person.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When it was told it will be erased for being inactive; a log-in clears it.
    inactivity_warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Two-step verification (``core/accounts/twofactor.py``): the TOTP secret,
    #: encrypted (a Fernet token, ``core/accounts/totp_cipher.py``) and stored
    #: only once a code made with it was typed; the time step of the last code
    #: used, so that no code works twice; and since when.
    totp_secret_encrypted: Mapped[str | None] = mapped_column(sa.String(255))
    totp_last_counter: Mapped[int | None] = mapped_column(sa.Integer)
    two_factor_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    tokens: Mapped[list["AccountToken"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    #: The roles on top of being a resident (``core/roles/models.py``).
    roles: Mapped[list["RoleAssignment"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    #: Log-ins through OpenID Connect providers (``core/accounts/identities.py``).
    oidc_identities: Mapped[list["OidcIdentity"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="OidcIdentity.id"
    )

    @hybrid_property
    def display_name(self) -> str:
        if self.erased_at is not None:
            from flask_babel import gettext

            return gettext("former participant")
        return self.stored_display_name

    @display_name.inplace.setter
    def _display_name_setter(self, value: str) -> None:
        self.stored_display_name = value

    @display_name.inplace.expression
    @classmethod
    def _display_name_expression(cls):
        return cls.stored_display_name

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        """Not blocked, and able to log in: with a password or through an OpenID provider.

        The identities are loaded only for an account without a password.
        """
        if self.blocked_at is not None or self.erased_at is not None:
            return False
        return self.password_hash is not None or bool(self.oidc_identities)

    @property
    def has_two_factor(self) -> bool:
        return self.two_factor_enabled_at is not None and bool(self.totp_secret_encrypted)

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def has_mailbox(self) -> bool:
        """False for an account made through a provider that gave no address: never mailed."""
        return not self.email.endswith("@" + NO_MAIL_DOMAIN)

    @property
    def can_participate(self) -> bool:
        """Whether the account may submit, comment and vote.

        A confirmed email address shows a person is reachable; a log-in through
        an OpenID Connect provider (DigiD through a broker) shows who they are,
        which is at least as much.
        """
        return self.is_active and (self.email_confirmed or bool(self.oidc_identities))

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class AccountToken(db.Model):
    """A single-use token mailed to an account (email confirmation, password reset).

    Only a hash is stored: someone who reads the database cannot use a token.
    """

    __tablename__ = "account_token"

    PURPOSES = ("confirm", "reset", "email")

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(16))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: For an e-mail change (purpose ``email``): the new address, set once the token is used.
    new_email: Mapped[str | None] = mapped_column(sa.String(254))

    user: Mapped[User] = relationship(back_populates="tokens")


class RecoveryCode(db.Model):
    """A one-time code that stands in for the second step when the phone is lost.

    Only a salted SHA-256 hash is stored (the codes are random, 50 bits each,
    so a slow hash adds nothing); ``used_at`` makes each usable once.
    """

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    salt: Mapped[str] = mapped_column(sa.String(32))
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginThrottle(db.Model):
    """Failed log-ins, kept in the database.

    Keyed by the e-mail address typed together with the client's address
    (``"<email> client:<ip>"``), whether or not an account has it, so that the
    lock-out works the same for unknown addresses and tells nobody which
    addresses have an account; and by the client alone (``"client:<ip>"``)
    for failures over all addresses. Being in the database, it holds across
    all workers and machines.
    """

    __tablename__ = "login_throttle"

    email: Mapped[str] = mapped_column(sa.String(254), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
