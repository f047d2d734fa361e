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
