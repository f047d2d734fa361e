import os

import pytest
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


def test_the_totp_migration_encrypts_existing_secrets_and_its_downgrade_decrypts(tmp_path, capfd):
    from cryptography.fernet import Fernet
    from flask_migrate import downgrade

    key = Fernet.generate_key().decode()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": _empty_database(tmp_path),
            "TOTP_ENCRYPTION_KEYS": [key],
        }
    )
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    with app.app_context():
        from participatie.core.accounts import totp_cipher
        from participatie.extensions import db

        def column(name):
            rows = db.session.execute(sa.text(f'SELECT email, {name} FROM "user" ORDER BY email'))
            db.session.commit()
            return dict(rows.all())

        def columns():
            return {c["name"] for c in sa.inspect(db.engine).get_columns("user")}

        # The revision before: two accounts, one with a secret stored as it was, in base32.
        upgrade(revision="a1f5324facd7")
        for email, stored in (("anna@example.org", secret), ("bert@example.org", None)):
            db.session.execute(
                sa.text(
                    'INSERT INTO "user" (email, display_name, session_token, locale, created_at,'
                    " notify_mode, totp_secret) VALUES (:email, 'x', :email, 'nl',"
                    " CURRENT_TIMESTAMP, 'never', :stored)"
                ),
                {"email": email, "stored": stored},
            )
        db.session.commit()

        upgrade(revision="fdf2ddadcb5b")
        assert "totp_secret" not in columns()
        encrypted = column("totp_secret_encrypted")
        assert encrypted["bert@example.org"] is None
        token = encrypted["anna@example.org"]
        assert secret not in token
        assert Fernet(key).decrypt(token.encode()).decode() == secret
        assert totp_cipher.decrypt(token) == secret  # what the app reads at log-in

        downgrade(revision="a1f5324facd7")
        assert "totp_secret_encrypted" not in columns()
        assert column("totp_secret") == {"anna@example.org": secret, "bert@example.org": None}

        # With a key that does not open the secret, the downgrade stops and changes nothing.
        upgrade()
        token = column("totp_secret_encrypted")["anna@example.org"]
        app.config["TOTP_ENCRYPTION_KEYS"] = [Fernet.generate_key().decode()]
        capfd.readouterr()
        with pytest.raises(SystemExit):
            downgrade(revision="a1f5324facd7")
        said = capfd.readouterr().err
        assert "No key in TOTP_ENCRYPTION_KEYS opens the TOTP secret of account #1" in said
        db.session.rollback()
        assert "totp_secret" not in columns()
        assert column("totp_secret_encrypted")["anna@example.org"] == token
        db.session.remove()
        db.engine.dispose()
