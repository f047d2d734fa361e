"""Figures computed over a process, kept in a cache the workers share and renewed by events.

The cache is Flask-Caching's: Redis when ``CACHE_REDIS_URL`` is set (all
workers and hosts share it), otherwise each worker's own memory, where a
worker hears only of its own events and keeps a value for a minute (so
another worker's change shows within a minute, as the municipality's name
does). What is kept
is computed data that is the same for every visitor (the figures of a
summary, the counts of an area overview), never a rendered page: the CSRF
token, the user menu, the language and drafts stay per request.

Invalidation is by version. Every process has a version token in the cache;
a cached value is stored under a key that contains the tokens of everything it
was computed from, and one token more for what all figures depend on (the
areas and their data, the participants' stated buurt and age). An event gives
a process (or everything) a new token, so old values are never read again and
simply expire. Nothing enumerates keys.

Events are found in two ways, both ending in a new token after the commit:

- ORM writes to the models registered with ``track`` (the summaries plugin
  registers what its figures are computed from), seen at each flush;
- ``stale(process_id)`` / ``stale_everywhere()``, called next to every Core
  statement (``sa.insert``, ``sa.update``, ``sa.delete``) that writes such
  rows, since those bypass the ORM: supports, ballots, imports, deadlines.

A token changes only after the transaction committed (a reader that sees the
new token must also see the new rows); a rolled back transaction changes none.
On SQLite a read transaction keeps the snapshot it began with, so a value is
stored only when the reader's transaction began after every token it was
computed under was made; otherwise it is computed and served, not stored.
"""

import hashlib
import logging
import secrets
import time
from collections.abc import Callable

from flask import current_app
from flask import has_app_context
from sqlalchemy import event

from participatie.extensions import cache
from participatie.extensions import db
from participatie.extensions import utcnow

log = logging.getLogger(__name__)

#: The token every cached figure depends on: areas, their data, participants' profiles.
EVERYWHERE = "everywhere"

#: Model class -> function of a changed object giving its process id, or None for "every process".
_TRACKED: dict[type, Callable] = {}


def track(model: type, process_of: Callable) -> None:
    """Renew the cached figures when rows of ``model`` are added, changed or deleted.

    ``process_of(obj, session)`` gives the id of the process the row belongs
    to, ``EVERYWHERE`` when the change touches every process (an area's
    population), or None when it touches no cached figure (a process not yet
    saved has none).
    """
    _TRACKED[model] = process_of


def stale(process_id: int) -> None:
    """The cached figures of the process are stale once this transaction commits."""
    _pending().add(process_id)


def stale_everywhere() -> None:
    """Every cached figure is stale once this transaction commits."""
    _pending().add(EVERYWHERE)


def _pending() -> set:
    return db.session().info.setdefault("stale_figures", set())


def _version_key(name) -> str:
    return f"version:{name}"


def _new_token(made_ns: int | None = None) -> str:
    # The time of the write it stands for (for the SQLite snapshot rule), then randomness.
    return f"{time.time_ns() if made_ns is None else made_ns}.{secrets.token_hex(4)}"


def _renew(names) -> None:
    if not names or not has_app_context():
        return
    try:
        cache.set_many({_version_key(name): _new_token() for name in names}, timeout=0)
    except _cache_errors() as error:
        log.error("Could not renew cached figures %s: %s", sorted(map(str, names)), error)


def _tokens(names: list) -> list[str] | None:
    """The current token of each name, made where missing; None when the cache keeps nothing."""
    keys = [_version_key(name) for name in names]
    found = cache.get_many(*keys)
    if all(found):
        return found
    for key, token in zip(keys, found, strict=True):
        if not token:
            # A first token stands for no write, so any snapshot may be kept under
            # it; ``add`` sets it only where no other worker did meanwhile.
            cache.add(key, _new_token(0), timeout=0)
    found = cache.get_many(*keys)
    return found if all(found) else None


def _snapshot_is_newer(tokens: list[str]) -> bool:
    """Whether this transaction's snapshot saw every write that made these tokens.

    On PostgreSQL (read committed) every statement sees what was committed
    before it; on SQLite the snapshot is the one the transaction began with.
    """
    began = db.session.connection().info.get("began_ns")
    if began is None:
        return True
    return all(began > int(token.split(".", 1)[0]) for token in tokens)


def shape(*classes) -> str:
    """A short digest of the fields of these classes (dataclasses or named tuples).

    Part of a kind's keys, so that a new version of the code, whose values
    have other fields, never reads the values an older one left in Redis.
    """
    described = []
    for cls in classes:
        fields = getattr(cls, "__dataclass_fields__", None) or cls.__annotations__
        described.append(f"{cls.__qualname__}({','.join(fields)})")
    return hashlib.sha256(";".join(described).encode()).hexdigest()[:8]


def remember(kind: str, processes, compute: Callable, valid_until=None):
    """``compute()``, or its value kept from an earlier call with the same versions.

    ``processes`` are the ids of the processes the value is computed from;
    ``valid_until(value)`` may give the time the value changes by itself
    (an answer falls due), after which it is computed again.
    """
    if current_app.config.get("CACHE_TYPE") == "NullCache":
        return compute()
    names = [EVERYWHERE, *sorted(set(processes))]
    try:
        tokens = _tokens(names)
        if tokens is None:
            return compute()
        digest = hashlib.sha256(
            "|".join(f"{n}={t}" for n, t in zip(names, tokens, strict=True)).encode()
        ).hexdigest()[:32]
        key = f"{kind}:{digest}"
        kept = cache.get(key)
    except _cache_errors() as error:
        log.error("The cache could not be read, computing %s: %s", kind, error)
        return compute()
    if kept is not None:
        return kept
    value = compute()
    timeout = current_app.config["CACHE_DEFAULT_TIMEOUT"]
    until = valid_until(value) if valid_until else None
    if until is not None:
        timeout = min(timeout, int((until - utcnow()).total_seconds()))
    if timeout > 0 and _snapshot_is_newer(tokens):
        try:
            cache.set(key, value, timeout=timeout)
        except _cache_errors() as error:
            log.error("The cache could not keep %s: %s", kind, error)
    return value


def _cache_errors() -> tuple:
    from redis.exceptions import RedisError

    return (RedisError, OSError)


def _before_flush(session, flush_context, instances) -> None:
    if not _TRACKED:
        return
    marks = session.info.setdefault("stale_figures", set())
    with session.no_autoflush:
        dirty = [obj for obj in session.dirty if type(obj) in _TRACKED]
        changed = [obj for obj in dirty if session.is_modified(obj)]
        for obj in (*session.new, *changed, *session.deleted):
            process_of = _TRACKED.get(type(obj))
            if process_of is None:
                continue
            name = process_of(obj, session)
            if name is not None:
                marks.add(name)


def _after_commit(session) -> None:
    _renew(session.info.pop("stale_figures", None))


def _after_soft_rollback(session, previous_transaction) -> None:
    # Only the outermost transaction's rollback forgets the marks; a savepoint's
    # leaves them (renewing too much is harmless).
    if previous_transaction.parent is None:
        session.info.pop("stale_figures", None)


def init_app(app) -> None:
    """Listen to the app's database session (once; the session is shared by every app)."""
    if app.config.get("CACHE_TYPE") == "SimpleCache" and app.config["PARTICIPATIE_ENV"] == (
        "production"
    ):
        log.warning(
            "Figures are cached in each worker's memory (CACHE_REDIS_URL is not set): a "
            "worker sees another's new support or comment in the summary only after %s "
            "seconds. Set CACHE_REDIS_URL=redis://127.0.0.1:6379/1 to share them.",
            app.config["CACHE_DEFAULT_TIMEOUT"],
        )
    if not event.contains(db.session, "before_flush", _before_flush):
        event.listen(db.session, "before_flush", _before_flush)
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_soft_rollback", _after_soft_rollback)
