"""Pseudonymous participants of an imported source (a Polis conversation, a Pabulib file).

They have no password, cannot log in, get no mail and are never purged as
inactive; importing the same source again finds them and makes none twice.
"""

import secrets

import sqlalchemy as sa

from participatie.core.accounts.models import User
from participatie.extensions import db
from participatie.extensions import utcnow

CHUNK = 1000


def imported_participants(source: str, people: dict[str, tuple[str, str]]) -> dict[str, int]:
    """Account ids by key for ``people`` (key -> (e-mail, display name)) of ``source``.

    Missing accounts are inserted in chunks, in the current transaction.
    """
    known = dict(
        db.session.execute(sa.select(User.email, User.id).where(User.imported_from == source)).all()
    )
    now = utcnow()
    missing = [
        {
            "email": email,
            "display_name": name[:80],
            "session_token": secrets.token_urlsafe(32),
            "locale": "nl",
            "imported_from": source,
            "notify_mode": "never",
            "created_at": now,
        }
        for email, name in dict(people.values()).items()
        if email not in known
    ]
    for start in range(0, len(missing), CHUNK):
        db.session.execute(sa.insert(User.__table__), missing[start : start + CHUNK])
    if missing:
        known = dict(
            db.session.execute(
                sa.select(User.email, User.id).where(User.imported_from == source)
            ).all()
        )
    return {key: known[email] for key, (email, _name) in people.items()}
