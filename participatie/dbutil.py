"""Small helpers for SQL that must behave the same on SQLite and PostgreSQL."""

from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite

from participatie.extensions import db


def upsert_insert(table):
    """Return an ``INSERT`` for ``table`` that supports ``ON CONFLICT``.

    Both databases have ``INSERT ... ON CONFLICT``; SQLAlchemy spells it per
    dialect. Using it instead of check-then-insert in Python is what keeps a
    row unique when requests race.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def referenced_ids(table_name: str, ids) -> set[int]:
    """The ids among ``ids`` of rows of ``table_name`` that any other table refers to.

    It reads the foreign keys from the models' metadata, so the core can ask
    whether, say, an answer of a plugin cites a fixed limit without knowing
    the plugin.
    """
    import sqlalchemy as sa

    ids = [int(value) for value in ids]
    found: set[int] = set()
    if not ids:
        return found
    for table in db.metadata.tables.values():
        for key in table.foreign_keys:
            if key.column.table.name != table_name or key.parent.table is key.column.table:
                continue
            column = key.parent
            found.update(db.session.scalars(sa.select(column).where(column.in_(ids)).distinct()))
    return found


def commit_ending_the_request() -> None:
    """Commit the request's write, keeping what it loaded as it was (not expired).

    After a plain ``commit`` every loaded object is expired: the account, read again
    for the language of the message that follows or the voluntary-details question,
    opens a second transaction, which on SQLite means a second wait for the write lock
    (see ``extensions._begin``). For a write that ends its request with a message and
    a redirect nothing loaded changes meanwhile, so it is kept. What the committed
    statements changed in SQL (a counter moved with ``UPDATE``) is read again
    explicitly where it is shown (``session.refresh``).
    """
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
