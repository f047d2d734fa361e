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
