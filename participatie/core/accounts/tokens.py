"""Single-use tokens for email confirmation, password reset and a new e-mail address."""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa

from participatie.core.accounts.models import AccountToken
from participatie.core.accounts.models import User
from participatie.extensions import db
from participatie.extensions import utcnow

TOKEN_LIFETIME = timedelta(hours=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, purpose: str, new_email: str | None = None) -> str:
    """Create a token for ``user`` and return it; only its hash is stored.

    Earlier unused tokens of the same purpose are spent, so only the newest
    mail works.
    """
    now = utcnow()
    db.session.execute(
        sa.update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            user=user,
            purpose=purpose,
            token_hash=_digest(token),
            created_at=now,
            expires_at=now + TOKEN_LIFETIME,
            new_email=new_email,
        )
    )
    return token


def find_token(token: str, purpose: str) -> AccountToken | None:
    """Return the valid, unused token row for ``token``, or None."""
    row = db.session.scalar(
        sa.select(AccountToken).where(
            AccountToken.token_hash == _digest(token), AccountToken.purpose == purpose
        )
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row


def spend_token(row: AccountToken) -> bool:
    """Mark ``row`` used; False when another request spent it first.

    The conditional UPDATE is what makes the token single-use when two clicks
    on the same link arrive at once.
    """
    result = db.session.execute(
        sa.update(AccountToken)
        .where(AccountToken.id == row.id, AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    return result.rowcount == 1
