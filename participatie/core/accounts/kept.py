"""What was typed into a form sent after the session ended, kept until the log-in.

A form sent after the idle time-out would otherwise be lost: the person is sent to
the log-in page. Its fields (never passwords, tokens or files) are kept on the server,
keyed by the page the form was on; the session cookie holds only a random key. After
logging in, the next visit of that page by the same account fills the form in again
(the base form in ``participatie/forms.py`` takes the kept values) and the row is
deleted. Rows nobody came back for are deleted after a day (when another form is kept, and
by ``flask accounts erase-inactive``); erasing an account deletes its rows.
"""

import secrets
from datetime import datetime
from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import flash
from flask import g
from flask import request
from flask import session
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from werkzeug.datastructures import MultiDict

from participatie.core.accounts.sessions import KEPT_PREFIX
from participatie.extensions import db
from participatie.extensions import UTCDateTime
from participatie.extensions import utcnow
from participatie.security import safe_next_url

SESSION_KEY = f"{KEPT_PREFIX}form"
#: Field names whose values are never kept.
SECRET_PARTS = ("password", "wachtwoord", "csrf", "token", "code")
#: At most this many characters of typed text are kept (a form's fields together).
MAX_CHARACTERS = 100_000
KEEP_FOR = timedelta(days=1)


class KeptForm(db.Model):
    """The fields of one form sent after its session ended, until its owner logs in."""

    __tablename__ = "kept_form"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(sa.String(2000))
    fields: Mapped[list] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def _secret(name: str) -> bool:
    lowered = name.lower()
    return any(part in lowered for part in SECRET_PARTS)


def here() -> str:
    query = request.query_string.decode("latin-1")
    return request.path + ("?" + query if query else "")


def form_page() -> str:
    """The page the sent form was on: the Referer on this site, else the address sent to."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.scheme in {"http", "https"}:
        page = referrer.path + ("?" + referrer.query if referrer.query else "")
        if safe_next_url(page):
            return page
    return here()


def keep(user_id: int, page: str) -> None:
    """Keep the sent form's fields for ``user_id``, to be shown again on ``page``."""
    fields = [
        [name, value]
        for name, values in request.form.lists()
        if not _secret(name)
        for value in values
    ]
    if not fields or sum(len(value) for _name, value in fields) > MAX_CHARACTERS:
        return
    key = secrets.token_urlsafe(32)
    delete_stale()
    db.session.execute(sa.delete(KeptForm).where(KeptForm.user_id == user_id))
    db.session.add(KeptForm(key=key, user_id=user_id, url=page[:2000], fields=fields))
    db.session.commit()
    session[SESSION_KEY] = {"key": key, "url": page[:2000]}


def delete_stale() -> None:
    """Delete the kept forms nobody came back for (also run by ``flask accounts
    erase-inactive``); the caller commits."""
    db.session.execute(sa.delete(KeptForm).where(KeptForm.created_at < utcnow() - KEEP_FOR))


def restore() -> None:
    """On the kept form's page, after logging in: put its fields where the forms find them
    (before_request)."""
    kept = session.get(SESSION_KEY)
    if not kept or request.method != "GET" or not current_user.is_authenticated:
        return
    if kept.get("url") != here():
        return
    session.pop(SESSION_KEY, None)
    row = db.session.get(KeptForm, kept.get("key", ""))
    if row is None:
        return
    fields, owner, fresh = row.fields, row.user_id, row.created_at > utcnow() - KEEP_FOR
    db.session.delete(row)
    db.session.commit()
    if owner != current_user.id or not fresh:
        return
    g.kept_form = MultiDict([(name, value) for name, value in fields])
    flash(
        _(
            "Your session had ended before your form was sent. What you typed is filled in "
            "again: check it and send it once more."
        ),
        "info",
    )
