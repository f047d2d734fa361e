"""Count the SQL statements a block of code runs (structure, not speed)."""

from contextlib import contextmanager

from participatie.extensions import db
from sqlalchemy import event


class _Counter:
    count = 0
    statements: list

    def __init__(self):
        self.statements = []


@contextmanager
def count_statements(app):
    counter = _Counter()

    def before(conn, cursor, statement, parameters, context, executemany):
        counter.count += 1
        counter.statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", before)
