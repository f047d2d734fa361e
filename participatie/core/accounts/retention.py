"""How long each kind of personal data is kept, why, and who sees it: one structure.

The privacy page renders its table from ``kinds()``; ``flask accounts
erase-inactive`` and the log-in code read the same numbers, so the page cannot
promise what the code does not do.
"""

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from participatie.core.accounts.kept import KEEP_FOR
from participatie.core.accounts.tokens import TOKEN_LIFETIME

#: An inactive account is told this long before it is erased.
WARNING_BEFORE_MONTHS = 1
#: It is erased no sooner than this long after the warning was sent.
WARNING_NOTICE_DAYS = 30
#: Export and deletion without a password (an account that logs in only
#: through a provider) need a log-in at most this long ago.
RECENT_LOGIN_MINUTES = 10
#: A month, for the inactivity period: 30 days, so the dates are plain arithmetic.
MONTH = timedelta(days=30)


def inactive_months() -> int:
    return current_app.config["INACTIVE_ACCOUNT_MONTHS"]


def erase_before(now: datetime) -> datetime:
    """Accounts last active before this moment are erased (once warned)."""
    return now - inactive_months() * MONTH


def warn_before(now: datetime) -> datetime:
    """Accounts last active before this moment are warned."""
    return now - (inactive_months() - WARNING_BEFORE_MONTHS) * MONTH


@dataclass(frozen=True)
class Kind:
    """One kind of personal data, a row of the privacy page's table."""

    what: str
    why: str
    how_long: str
    who: str


def _months(count: int) -> str:
    return ngettext("%(num)d month", "%(num)d months", count)


def kinds() -> list[Kind]:
    """Every kind of personal data we store, in the reader's language."""
    months = inactive_months()
    account_life = _l(
        "Until you delete your account, or %(period)s after your last log-in "
        "(we mail you a month before).",
        period=_months(months),
    )
    config = current_app.config
    return [
        Kind(
            _l("Email address, display name, language, mail settings"),
            _l("To log you in, to show who wrote what, and to mail you about what you follow."),
            account_life,
            _l("You. Your display name: everyone. Your email address: administrators."),
        ),
        Kind(
            _l("Password (only as an Argon2id hash)"),
            _l("To check that it is you when you log in."),
            account_life,
            _l("Nobody: the hash cannot be read back."),
        ),
        Kind(
            _l(
                "Two-step verification, when you turn it on: the key of your authenticator app "
                "and your recovery codes (only as hashes)"
            ),
            _l("To check the code from your app when you log in."),
            _l("Until you turn it off or delete your account."),
            _l("Nobody."),
        ),
        Kind(
            _l(
                "Log-in service (such as DigiD): its code for you, date of birth, postcode, house number"
            ),
            _l("To log you in and to check who may take part in a process."),
            _l("Until you unlink the service or delete your account."),
            _l("You and administrators; facilitators only see whether you may take part."),
        ),
        Kind(
            _l("Voluntary details: buurt, age band, year of birth, address"),
            _l(
                "To show the council who took part, and to check processes limited to an area or age."
            ),
            _l("Until you remove them or delete your account."),
            _l("Only added up, never for groups smaller than 5 people. Your address: nobody."),
        ),
        Kind(
            _l("Ideas, comments, photos, supports and budget ballots"),
            _l("They are your contribution to the process and part of its accountability."),
            _l(
                "As long as the process's accountability needs them. When your account is "
                "deleted they stay, under the name \u201cformer participant\u201d."
            ),
            _l("Everyone (a ballot: only you; it counts added up)."),
        ),
        Kind(
            _l("What you follow"),
            _l("To mail you news about it."),
            account_life,
            _l("You."),
        ),
        Kind(
            _l("Log-ins: the time of your last log-in, and failed attempts"),
            _l("To protect your account against guessing, and to find inactive accounts."),
            _l(
                "The last log-in: with your account. Failed attempts: %(minutes)d minutes "
                "after the last one.",
                minutes=config["LOGIN_LOCK_MINUTES"],
            ),
            _l("Administrators."),
        ),
        Kind(
            _l("What you typed in a form you sent after your session had ended (no passwords)"),
            _l("To show it to you again after you log in, so that it is not lost."),
            _l(
                "Until you log in and see it again, at most %(hours)d hours.",
                hours=int(KEEP_FOR.total_seconds() // 3600),
            ),
            _l("You."),
        ),
        Kind(
            _l("A random key of each idea or comment form you sent, with what it made"),
            _l("So that a form sent twice (a lost connection, a double click) counts once."),
            _l("One day."),
            _l("Nobody."),
        ),
        Kind(
            _l("Links in mails (confirmation, password reset, new email address)"),
            _l("To check that a mailbox is yours."),
            ngettext("%(num)d hour", "%(num)d hours", int(TOKEN_LIFETIME.total_seconds() // 3600)),
            _l("Nobody: we keep only a hash."),
        ),
        Kind(
            _l("Voting codes used"),
            _l("To let a code count once."),
            _l("The day a code was used, without an address or a name, as long as the process."),
            _l("Nobody sees which code belongs to which vote."),
        ),
        Kind(
            _l("The audit log of what facilitators and administrators did"),
            _l("To account for decisions about processes and accounts."),
            _l(
                "As long as the process's accountability needs it; when an account is deleted, "
                "its email address is removed from the log."
            ),
            _l("Administrators."),
        ),
    ]
