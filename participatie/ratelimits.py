"""Rate limits on what people post and on what sends mail, counted across workers.

Flask-Limiter counts in ``RATELIMIT_STORAGE_URI``: Redis (``redis://…``)
where several workers or hosts serve the site, or each process's memory
otherwise (then a warning at start-up in production, since each worker
counts apart). Every limit is counted per account (or, logged out, per
client address) and, more loosely, per client address, because a household
or a library shares one. A refused request gets 429 with a page in the
visitor's language saying when to try again (``participatie.errors``).
"""

import logging

from flask import current_app
from flask import request
from flask_limiter import Limiter
from flask_login import current_user

log = logging.getLogger(__name__)

#: name -> (limit per account, limit per client address), in Flask-Limiter's notation.
#: The address limits are generous: a whole community centre or library may vote
#: from one address; they stop a flood from one machine, not a busy evening.
DEFAULT_LIMITS = {
    "idea": ("5/minute;30/hour", "60/minute;600/hour"),
    "comment": ("10/minute;120/hour", "120/minute;1200/hour"),
    "support": ("60/minute", "1200/minute"),
    "ballot": ("20/minute", "600/minute"),
    "report": ("10/minute;50/day", "60/minute;600/day"),
    "register": ("5/hour", "60/hour"),
    "password_reset": ("5/hour", "60/hour"),
    "confirmation": ("3/hour", "30/hour"),
    "login": ("20/minute", "120/minute"),
    "voting_code": ("10/minute;30/hour", "60/minute;300/hour"),
    # The password asked again (export, deletion, new e-mail address): no guessing through it.
    "reauthenticate": ("10/hour", "60/hour"),
    # Codes at the log-in's second step, per account waiting for it: with a window
    # of 3 codes of 6 digits, 50 guesses a day find one in about 18 years.
    "two_factor": ("5/minute;20/hour;50/day", "60/minute;600/hour"),
}

#: Mails to one address, whoever asks: a reset, an "account exists" notice.
MAILS_TO_ONE_ADDRESS = "3/hour"
#: Log-in attempts over the whole site, before any password is hashed.
LOGINS_SITE_WIDE = "600/minute"


def _client() -> str:
    return f"ip:{request.remote_addr or 'unknown'}"


def _participant() -> str:
    if current_user.is_authenticated:
        return f"account:{current_user.id}"
    return _client()


limiter = Limiter(key_func=_participant)


def _limit_of(name: str, which: int):
    return lambda: current_app.config["RATE_LIMITS"][name][which]


def typed_email() -> str:
    """The e-mail address in the posted form: the account a log-in attempt is for."""
    return "email:" + (request.form.get("email") or "").strip().lower()[:254]


def limited(name: str, key=None):
    """Decorator: the POSTs of a view count against limit ``name``, per account and per address.

    The account is the logged-in one, or what ``key`` returns (the typed
    address of a log-in); logged out and without ``key``, only the address
    limit counts, since all visitors of one address share it.
    """

    def decorate(view):
        per_address = limiter.limit(
            _limit_of(name, 1), key_func=_client, methods=["POST"], scope=f"{name}-address"
        )
        per_participant = limiter.limit(
            _limit_of(name, 0),
            key_func=key or _participant,
            methods=["POST"],
            scope=name,
            exempt_when=None if key else (lambda: not current_user.is_authenticated),
        )
        return per_participant(per_address(view))

    return decorate


def mails_to(field: str = "email"):
    """Decorator: POSTs that mail the address in form field ``field`` count per that address."""

    def key() -> str:
        return "mail-to:" + (request.form.get(field) or "").strip().lower()[:254]

    return limiter.limit(
        lambda: current_app.config["RATE_LIMIT_MAILS_TO_ONE_ADDRESS"],
        key_func=key,
        methods=["POST"],
        scope=f"mail-to-{field}",
    )


def site_wide(name: str, value: str):
    """Decorator: one limit shared by every client (the log-in's, say)."""
    return limiter.limit(
        lambda: value, key_func=lambda: "site", methods=["POST"], scope=f"{name}-site"
    )


def retry_after_seconds() -> int | None:
    """Seconds until the limit that refused this request lets it through again."""
    import time

    current = limiter.current_limit
    if current is None:
        return None
    return max(1, int(current.reset_at - time.time()))


def init_app(app) -> None:
    app.config.setdefault("RATE_LIMITS", DEFAULT_LIMITS)
    app.config.setdefault("RATE_LIMIT_MAILS_TO_ONE_ADDRESS", MAILS_TO_ONE_ADDRESS)
    limiter.init_app(app)
    storage = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if storage.startswith("memory://") and app.config.get("PARTICIPATIE_ENV") == "production":
        log.warning(
            "Rate limits are counted in each worker's memory (RATELIMIT_STORAGE_URI is not set): "
            "with several workers or hosts every one counts apart. Set "
            "RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 to count them together."
        )
