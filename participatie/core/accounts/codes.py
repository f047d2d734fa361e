"""Voting codes (stemcodes) sent by letter: made, stored as a hash, used once.

A code is 12 characters from an alphabet without look-alikes (no 0/O, 1/l/I),
about 59 bits from ``secrets``, printed in three groups of four separated by
``-``. Only an HMAC-SHA256 of the code (keyed with the app's ``SECRET_KEY``,
bound to the process) is stored: whoever reads the database cannot use a code,
and the plain codes exist only in the download made right after generation.

Using a code marks it used (the day only, not the moment) with one atomic
``UPDATE ... WHERE used_on IS NULL``, so one code sent in parallel requests is
used once. Who used it is not stored with the code: a ``CodeHolder`` row says
that an account took part in a process through *a* code, never which one.
Someone without an account becomes a pseudonymous participant, an account
without password or e-mail kept in the session, counted once like imported
participants.

Wrong codes are counted in the database (``CodeThrottle``), per client
address and in total across all workers, so guessing stops at a limit.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask import session
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from participatie.core.accounts.models import User
from participatie.core.accounts.sessions import SESSION_KEY
from participatie.dbutil import upsert_insert
from participatie.extensions import db
from participatie.extensions import UTCDateTime
from participatie.extensions import utcnow

#: 31 characters: no 0, O, 1, I or L, which readers confuse.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 12
GROUP = 4
#: Bits of chance per code: 12 x log2(31), about 59.4.
BITS = LENGTH * 4.954
TOTAL = "*"


class VotingCode(db.Model):
    __tablename__ = "voting_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The day it was used: a moment could be matched with a ballot's time.
    used_on: Mapped[date | None] = mapped_column(sa.Date)


class CodeHolder(db.Model):
    """An account that may take part in a process through a code it used (not which code)."""

    __tablename__ = "code_holder"

    process_id: Mapped[int] = mapped_column(
        sa.ForeignKey("process.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class CodeThrottle(db.Model):
    """Wrong codes per client address (``key``), and in total (key ``*``), per window."""

    __tablename__ = "code_throttle"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


# --- Making codes -------------------------------------------------------------


def new_code() -> str:
    """A random code as printed: ``ABCD-EFGH-JKMN``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return printed(raw)


def printed(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def normalize(typed: str) -> str | None:
    """The code as typed without spaces and dashes, in capitals; None when it cannot be one."""
    raw = "".join(ch for ch in (typed or "").upper() if ch not in " -\t")
    if len(raw) != LENGTH or any(ch not in ALPHABET for ch in raw):
        return None
    return raw


def code_hash(process_id: int, raw: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{process_id}:{raw}".encode(), hashlib.sha256).hexdigest()


def generate(process, count: int) -> list[str]:
    """Make ``count`` new codes for ``process``; store their hashes; return them as printed.

    The caller commits. Codes are drawn until ``count`` distinct ones are
    stored; a clash with a stored code (practically never) draws again.
    """
    codes: dict[str, str] = {}
    while len(codes) < count:
        code = new_code()
        codes.setdefault(code_hash(process.id, normalize(code)), code)
    hashes = list(codes)
    taken = set()
    for start in range(0, len(hashes), 1000):
        taken |= set(
            db.session.scalars(
                sa.select(VotingCode.code_hash).where(
                    VotingCode.code_hash.in_(hashes[start : start + 1000])
                )
            )
        )
    for clash in taken:
        codes.pop(clash)
    now = utcnow()
    rows = [{"process_id": process.id, "code_hash": h, "created_at": now} for h in codes]
    for start in range(0, len(rows), 1000):
        db.session.execute(sa.insert(VotingCode.__table__), rows[start : start + 1000])
    if taken:
        return list(codes.values()) + generate(process, len(taken))
    return list(codes.values())


def counts(process_id: int) -> tuple[int, int]:
    """(codes made, codes used) for a process."""
    made, used = db.session.execute(
        sa.select(sa.func.count(), sa.func.count(VotingCode.used_on)).where(
            VotingCode.process_id == process_id
        )
    ).one()
    return made, used


def first_made_at(process_id: int) -> datetime | None:
    return db.session.scalar(
        sa.select(sa.func.min(VotingCode.created_at)).where(VotingCode.process_id == process_id)
    )


# --- Using a code --------------------------------------------------------------


@dataclass
class Redeemed:
    ok: bool
    #: ``wrong`` (unknown, used, or not a code), ``locked``, ``already`` (holds one already)
    reason: str = ""
    locked_until: datetime | None = None
    user_id: int | None = None


def is_holder(process_id: int, user_id: int) -> bool:
    found = db.session.get(CodeHolder, (process_id, user_id))
    return found is not None


def session_holder(process) -> User | None:
    """The pseudonymous participant this browser became with a code for ``process``."""
    user_id = (session.get(SESSION_KEY) or {}).get(str(process.id))
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or not is_holder(process.id, user.id):
        return None
    return user


def redeem(process, typed: str, client: str, user=None) -> Redeemed:
    """Use the code ``typed`` for ``process``, for ``user`` or for a new pseudonymous participant.

    Every refusal of a wrong code looks the same. The caller commits.
    """
    now = utcnow()
    locked = locked_until([client, TOTAL], now)
    if locked is not None:
        return Redeemed(False, "locked", locked_until=locked)
    if user is not None and is_holder(process.id, user.id):
        return Redeemed(False, "already", user_id=user.id)
    raw = normalize(typed)
    spent = 0
    if raw is not None:
        spent = db.session.execute(
            sa.update(VotingCode)
            .where(
                VotingCode.code_hash == code_hash(process.id, raw),
                VotingCode.process_id == process.id,
                VotingCode.used_on.is_(None),
            )
            .values(used_on=now.date())
        ).rowcount
    if spent != 1:
        until = count_failure([client, TOTAL], now)
        return Redeemed(False, "locked" if until else "wrong", locked_until=until)
    if user is None:
        user = _pseudonymous_participant(process)
    db.session.execute(
        upsert_insert(CodeHolder.__table__)
        .values(process_id=process.id, user_id=user.id)
        .on_conflict_do_nothing()
    )
    return Redeemed(True, user_id=user.id)


def remember_in_session(process, user_id: int) -> None:
    holders = dict(session.get(SESSION_KEY) or {})
    holders[str(process.id)] = user_id
    session[SESSION_KEY] = holders


def _pseudonymous_participant(process) -> User:
    user = User(
        email=f"stemcode-{secrets.token_hex(12)}@stemcode.invalid",
        display_name="Stemcode",
        imported_from=f"stemcode:{process.id}",
        notify_mode="never",
    )
    db.session.add(user)
    db.session.flush()
    return user


def is_pseudonymous(user) -> bool:
    return (getattr(user, "imported_from", None) or "").startswith("stemcode:")


# --- Guessing stops -----------------------------------------------------------------


def _limits() -> dict[str, tuple[int, int]]:
    config = current_app.config
    return {
        "client": (config["CODE_MAX_FAILURES"], config["CODE_WINDOW_MINUTES"]),
        TOTAL: (config["CODE_MAX_FAILURES_TOTAL"], config["CODE_WINDOW_MINUTES"]),
    }


def locked_until(keys, now: datetime) -> datetime | None:
    rows = db.session.scalars(sa.select(CodeThrottle).where(CodeThrottle.key.in_(keys)))
    moments = [row.locked_until for row in rows if row.locked_until and row.locked_until > now]
    return max(moments) if moments else None


def count_failure(keys, now: datetime) -> datetime | None:
    """Count one wrong code for each key (in SQL, so workers add up); return a new lock-out."""
    table = CodeThrottle.__table__
    limits = _limits()
    until = None
    for key in keys:
        maximum, minutes = limits[TOTAL if key == TOTAL else "client"]
        window = timedelta(minutes=minutes)
        db.session.execute(
            upsert_insert(table)
            .values(key=key, failures=1, window_started_at=now)
            .on_conflict_do_update(
                index_elements=[table.c.key],
                set_={
                    # A window that has passed starts again at one.
                    "failures": sa.case(
                        (table.c.window_started_at < now - window, 1),
                        else_=table.c.failures + 1,
                    ),
                    "window_started_at": sa.case(
                        (table.c.window_started_at < now - window, now),
                        else_=table.c.window_started_at,
                    ),
                },
            )
        )
        locked = db.session.execute(
            sa.update(CodeThrottle)
            .where(CodeThrottle.key == key, CodeThrottle.failures >= maximum)
            .values(failures=0, window_started_at=now, locked_until=now + window)
        ).rowcount
        if locked:
            until = max(until or now, now + window)
    return until
