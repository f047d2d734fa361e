"""Login sessions: loading the user from the cookie, the log-in's second step, and timeouts."""

import secrets
import time
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import request
from flask import Response
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_login import login_user
from flask_login import logout_user

from participatie.caching import stale
from participatie.core.accounts.models import User
from participatie.core.paging import whole_number
from participatie.extensions import db
from participatie.extensions import login_manager

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Log in to see this page.")
login_manager.login_message_category = "info"
# Flask-Login's own session protection would log out people whose IP address
# changes (phones moving between networks); the per-account token does the work.
login_manager.session_protection = None


@login_manager.user_loader
def load_user(user_id: str):
    """Load the account named in the cookie, if its session token is still current."""
    id_part, _sep, token = user_id.partition(":")
    number = whole_number(id_part)
    if number is None or not token:
        return None
    user = db.session.get(User, number)
    if user is None or not user.is_active:
        return None
    if not secrets.compare_digest(user.session_token, token):
        return None
    return user


#: Session keys starting with this survive the log-in: what a visitor chose
#: before logging in (a draft ballot, say), never anything that grants a right.
KEPT_PREFIX = "keep-"
SESSION_KEY = "code_holders"


#: A log-in waiting for its second step (``twofactor``): whose, since when, where to go.
PENDING_KEY = "two_factor_pending"
#: How long the second step waits for a code.
PENDING_SECONDS = 5 * 60


def start_session(
    user: User, second_factor_done: bool = False, next_url: str | None = None
) -> bool:
    """Log ``user`` in with a fresh session: only the language and the ``keep-`` keys stay.

    Every log-in comes here (password, OpenID Connect). For an account with
    two-step verification it does not log in yet, unless ``second_factor_done``:
    it keeps a pending log-in in the session for ``PENDING_SECONDS`` and
    returns False; the code step then logs in. Returns True when logged in.
    """
    if user.has_two_factor and not second_factor_done:
        if current_user.is_authenticated:
            logout_user()
        session[PENDING_KEY] = {
            "user": user.id,
            # A new password or a log-out everywhere ends the pending log-in too.
            "token": user.session_token,
            "at": int(time.time()),
            "next": next_url,
        }
        return False
    language = session.get("language")
    holders = session.get(SESSION_KEY)
    kept = {key: value for key, value in session.items() if key.startswith(KEPT_PREFIX)}
    session.clear()
    # Flask-WTF keeps this request's CSRF token in ``g``; made from the session just
    # cleared, it would make the forms of a page rendered now fail (a 400 at the next POST).
    g.pop("csrf_token", None)
    session.update(kept)
    if language:
        session["language"] = language
    session["sid"] = secrets.token_urlsafe(16)
    now = int(time.time())
    session["login_at"] = now
    session["seen_at"] = now
    login_user(user)
    if holders:
        # A voting code used before logging in now counts for the account.
        adopt_code_holders(user, holders)
        db.session.commit()
    return True


def pending_login() -> tuple[User, dict] | tuple[None, None]:
    """The account whose log-in waits for its second step, and the pending entry; or Nones.

    Expired, or for an account that changed since (blocked, new password, two-step
    verification turned off), the pending log-in is dropped.
    """
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None, None
    user = db.session.get(User, pending.get("user", 0))
    fresh = time.time() - pending.get("at", 0) <= PENDING_SECONDS
    if (
        not fresh
        or user is None
        or not user.is_active
        or not user.has_two_factor
        or not secrets.compare_digest(user.session_token, str(pending.get("token", "")))
    ):
        session.pop(PENDING_KEY, None)
        return None, None
    return user, pending


def enforce_timeouts() -> None:
    """End a session that was idle too long or has lasted too long (before_request)."""
    if "login_at" not in session or not current_user.is_authenticated:
        return
    config = current_app.config
    now = int(time.time())
    idle = now - session.get("seen_at", 0) > config["SESSION_IDLE_MINUTES"] * 60
    too_old = now - session["login_at"] > config["SESSION_ABSOLUTE_HOURS"] * 3600
    if idle or too_old:
        # Who it was: a form sent now is kept for them until they log in again.
        g.expired_user_id = current_user.id
        logout_user()
        for key in ("sid", "login_at", "seen_at"):
            session.pop(key, None)
        flash(_("Your session has ended. Log in again to go on."), "info")
        return
    # Refresh at most once a minute, so the cookie does not change on every request.
    if now - session.get("seen_at", 0) > 60:
        session["seen_at"] = now


def adopt_code_holders(user: User, holders: dict) -> None:
    """Give ``user`` the voting codes this browser used without an account.

    Only where the pseudonymous participant has not taken part yet (else that
    part would count twice) and the account holds no code for the process.
    """
    from participatie import plugins
    from participatie.core.accounts.codes import CodeHolder
    from participatie.core.processes.models import Process

    for process_id, holder_id in holders.items():
        process = db.session.get(Process, int(process_id))
        if process is None or db.session.get(CodeHolder, (process.id, user.id)) is not None:
            continue
        if holder_id in plugins.participant_ids(process):
            continue
        stale(process.id)
        db.session.execute(
            sa.update(CodeHolder)
            .where(CodeHolder.process_id == process.id, CodeHolder.user_id == holder_id)
            .values(user_id=user.id)
        )


def remaining_seconds() -> int | None:
    """How long the current log-in session has left before it ends, or None without one."""
    if "login_at" not in session or not current_user.is_authenticated:
        return None
    config = current_app.config
    now = int(time.time())
    idle_end = session.get("seen_at", now) + config["SESSION_IDLE_MINUTES"] * 60
    absolute_end = session["login_at"] + config["SESSION_ABSOLUTE_HOURS"] * 3600
    return max(0, min(idle_end, absolute_end) - now)


def keep_alive() -> int:
    """Count the idle time from now (the "stay logged in" button); the seconds left."""
    session["seen_at"] = int(time.time())
    return remaining_seconds() or 0


def remaining_header(response):
    """Tell htmx how long the session has left, so the page's warning timer starts again
    (after_request)."""
    if request.headers.get("HX-Request"):
        seconds = remaining_seconds()
        if seconds is not None:
            response.headers["X-Session-Remaining"] = str(seconds)
    return response


def _page_of_htmx_request() -> str | None:
    parts = urlsplit(request.headers.get("HX-Current-URL", ""))
    if parts.netloc != request.host:
        return None
    from participatie.security import safe_next_url

    return safe_next_url(parts.path + ("?" + parts.query if parts.query else ""))


@login_manager.unauthorized_handler
def unauthorized():
    """To the log-in page, and back here afterwards. A form sent after the session ended
    is kept and shown again after logging in; htmx loads the log-in page as a whole."""
    from participatie.core.accounts import kept

    expired = g.get("expired_user_id")
    if not expired:
        flash(str(login_manager.login_message), login_manager.login_message_category)
    if request.headers.get("HX-Request"):
        response = Response(status=401)
        response.headers["HX-Redirect"] = url_for("accounts.login", next=_page_of_htmx_request())
        return response
    if request.method == "POST":
        page = kept.form_page()
        if expired:
            kept.keep(expired, page)
    else:
        page = kept.here()
    return redirect(url_for("accounts.login", next=page))
