"""Count the SQL statements a block of code runs, and the rows it fetches (structure, not speed)."""

from contextlib import contextmanager

from participatie.extensions import db
from sqlalchemy import event
from sqlalchemy.engine.cursor import CursorResult


class _Counter:
    count = 0
    rows = 0
    statements: list
    #: Rows fetched after each statement, in the order of ``statements``.
    fetched: list

    def __init__(self):
        self.statements = []
        self.fetched = []

    def add_rows(self, n: int) -> None:
        self.rows += n
        if self.fetched:
            self.fetched[-1] += n


def _counting(counter, original, many: bool):
    if many:

        def fetch(self, *args, **kwargs):
            found = original(self, *args, **kwargs)
            counter.add_rows(len(found))
            return found

    else:

        def fetch(self, *args, **kwargs):
            found = original(self, *args, **kwargs)
            counter.add_rows(found is not None)
            return found

    return fetch


def _counting_iter(counter, original):
    def fetch(self, *args, **kwargs):
        for row in original(self, *args, **kwargs):
            counter.add_rows(1)
            yield row

    return fetch


@contextmanager
def count_statements(app):
    """``counter.count``: statements sent; ``counter.rows``: rows fetched from their results."""
    counter = _Counter()

    def before(conn, cursor, statement, parameters, context, executemany):
        counter.count += 1
        counter.statements.append(statement)
        counter.fetched.append(0)

    with app.app_context():
        engine = db.engine
    originals = {
        name: getattr(CursorResult, name)
        for name in ("_fetchall_impl", "_fetchmany_impl", "_fetchone_impl", "_fetchiter_impl")
    }
    CursorResult._fetchall_impl = _counting(counter, originals["_fetchall_impl"], True)
    CursorResult._fetchmany_impl = _counting(counter, originals["_fetchmany_impl"], True)
    CursorResult._fetchone_impl = _counting(counter, originals["_fetchone_impl"], False)
    CursorResult._fetchiter_impl = _counting_iter(counter, originals["_fetchiter_impl"])
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", before)
        for name, original in originals.items():
            setattr(CursorResult, name, original)
