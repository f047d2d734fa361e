import os

import sqlalchemy as sa
from flask_migrate import check
from flask_migrate import upgrade
from participatie import create_app
from participatie.config import database_url


def _empty_database(tmp_path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return "sqlite:///" + str(tmp_path / "migrations.sqlite3")
    engine_url = sa.make_url(database_url(url))
    name = f"{engine_url.database}_migrations"
    admin = sa.create_engine(engine_url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return engine_url.set(database=name).render_as_string(hide_password=False)


def test_migrations_build_the_schema_of_the_models_without_drift(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": _empty_database(tmp_path),
        }
    )
    with app.app_context():
        upgrade()
        # flask db check exits with an error when the models and the
        # migrated schema differ.
        check()
        from participatie.extensions import db

        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"user", "account_token", "login_throttle", "outbox_message"} <= tables
        db.engine.dispose()
