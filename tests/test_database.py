import threading

import pytest
import sqlalchemy as sa
from participatie.core.accounts.models import LoginThrottle
from participatie.extensions import db
from participatie.extensions import utcnow


def test_sqlite_is_configured_for_concurrent_safe_writes(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite settings; this run uses PostgreSQL")
        with db.engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA synchronous").scalar() == 2  # FULL
            assert pragma("PRAGMA busy_timeout").scalar() >= 5000


def test_concurrent_read_modify_write_transactions_never_fail(app):
    """Twenty threads each read a counter and write it back, ten times.

    With deferred transactions SQLite would refuse some of these with
    "database is locked"; immediate transactions make them wait their turn,
    so no update is lost either.
    """
    with app.app_context():
        db.session.add(LoginThrottle(email="counter@example.org", failures=0))
        db.session.commit()
    errors = []

    def work():
        try:
            with app.app_context():
                for _ in range(10):
                    row = db.session.get(
                        LoginThrottle, "counter@example.org", populate_existing=True
                    )
                    if db.engine.dialect.name == "postgresql":
                        db.session.refresh(row, with_for_update=True)
                    row.failures += 1
                    row.updated_at = utcnow()
                    db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - any failure fails the test below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        total = db.session.scalar(sa.select(LoginThrottle.failures))
    assert total == 200
