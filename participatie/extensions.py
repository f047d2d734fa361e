"""Extensions, created unbound here and bound to the app in ``create_app``."""

import os
import time
from datetime import datetime
from datetime import UTC

import sqlalchemy as sa
from flask_babel import Babel
from flask_caching import Cache
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so that migrations are the same on SQLite and
# PostgreSQL and can drop or alter a constraint by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
#: Figures shared by the workers (``participatie.caching``): Redis or each worker's memory.
cache = Cache()


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC date-time on every database.

    SQLite keeps no offset, so values are stored as naive UTC and handed back
    as aware UTC; comparing them with ``datetime.now(UTC)`` is then always
    valid, whichever database runs.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware datetime in UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    """Make SQLite safe for several concurrent web workers.

    WAL lets readers go on while one writer writes; the busy timeout makes a
    second writer wait instead of failing; FULL synchronous makes a commit
    durable; and with the driver's own transaction handling switched off, every
    transaction that may write starts with BEGIN IMMEDIATE (see ``_begin``), so
    two transactions never both read and then fight over the write lock, which
    is what produces "database is locked". A GET only reads: its transaction is
    deferred and takes no lock, so readers never wait for each other.
    """
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=FULL")
    files = [row[2] for row in cursor.execute("PRAGMA database_list") if row[2]]
    cursor.close()
    _owner_only(files)


def _owner_only(database_files) -> None:
    """Make the SQLite files readable and writable by the app's own user only.

    SQLite creates them with the umask's mode (0644 as a rule): anyone on the
    machine could then read every account's address and password hash.
    """
    for name in database_files:
        for path in (name, name + "-wal", name + "-shm"):
            try:
                if os.stat(path).st_mode & 0o077:
                    os.chmod(path, 0o600)
            except OSError:
                continue


#: Request methods that only read: their SQLite transactions take no write lock.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: SQL that changes the database (or opens a savepoint, which only a write needs).
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "SAVEPOINT")


def _reads_only() -> bool:
    from flask import has_request_context
    from flask import request

    return has_request_context() and request.method in READ_METHODS


@event.listens_for(Engine, "begin")
def _begin(connection):
    """BEGIN IMMEDIATE for every SQLite transaction but those of a GET.

    A POST takes the write lock at its first statement, so what it reads is
    what it writes over. A GET's transaction is deferred: it reads a snapshot
    and holds no lock, through template rendering too; the other workers'
    reads and writes go on meanwhile. Outside a request (commands, jobs,
    tests) transactions are immediate, as before.
    """
    if connection.dialect.name != "sqlite":
        return
    # When the snapshot began, for values computed in it (``participatie.caching``).
    connection.info["began_ns"] = time.time_ns()
    if _reads_only():
        connection.exec_driver_sql("BEGIN")
        connection.info["deferred"] = True
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        connection.info["deferred"] = False


@event.listens_for(Engine, "before_cursor_execute")
def _write_in_a_read(connection, cursor, statement, parameters, context, executemany):
    """A GET that writes (the language switch stores a logged-in user's choice).

    Upgrading a deferred SQLite transaction to a write fails at once with
    "database is locked" when another worker wrote since it began. So the read
    transaction ends here and an immediate one begins, waiting its turn with
    the busy timeout; the write and everything after it are one transaction.
    """
    if not connection.info.get("deferred"):
        return
    if not statement.lstrip()[:9].upper().startswith(_WRITES):
        return
    connection.info["deferred"] = False
    raw = connection.connection.driver_connection
    raw.execute("COMMIT")
    raw.execute("BEGIN IMMEDIATE")
    connection.info["began_ns"] = time.time_ns()


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _end(connection):
    connection.info.pop("deferred", None)
    connection.info.pop("began_ns", None)


def render_migration_item(type_, obj, autogen_context):
    """Write app-level column types into migrations as the plain types they store.

    Migrations then do not import application code, which may move.
    """
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False
