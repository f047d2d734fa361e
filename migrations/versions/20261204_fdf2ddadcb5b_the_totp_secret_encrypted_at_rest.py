"""The TOTP secret encrypted at rest: user.totp_secret becomes user.totp_secret_encrypted

The base32 secrets become Fernet tokens of the first key of TOTP_ENCRYPTION_KEYS
(in development one derived from SECRET_KEY); the downgrade decrypts them.

Revision ID: fdf2ddadcb5b
Revises: a1f5324facd7
Create Date: 2026-12-04 14:02:11.493611

"""
import base64

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import Fernet
from cryptography.fernet import InvalidToken
from cryptography.fernet import MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

# revision identifiers, used by Alembic.
revision = 'fdf2ddadcb5b'
down_revision = 'a1f5324facd7'
branch_labels = None
depends_on = None

users = sa.table(
    "user",
    sa.column("id", sa.Integer),
    sa.column("totp_secret", sa.String),
    sa.column("totp_secret_encrypted", sa.String),
)


def _cipher() -> MultiFernet:
    # The keys as participatie/core/accounts/totp_cipher.py takes them at this
    # revision (copied, so that a later change there cannot change this step):
    # TOTP_ENCRYPTION_KEYS, or in development a key derived from SECRET_KEY.
    config = current_app.config
    keys = [key.encode() if isinstance(key, str) else key for key in config.get("TOTP_ENCRYPTION_KEYS") or ()]
    if not keys:
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"participatie: TOTP secrets at rest"
        ).derive(config["SECRET_KEY"].encode())
        keys = [base64.urlsafe_b64encode(derived)]
    return MultiFernet([Fernet(key) for key in keys])


def _online_only():
    if op.get_context().as_sql:
        raise RuntimeError(
            "This migration encrypts the stored TOTP secrets with TOTP_ENCRYPTION_KEYS, which "
            "needs the database: run flask db upgrade (or downgrade) without --sql."
        )


def upgrade():
    _online_only()
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret_encrypted', sa.String(length=255), nullable=True))

    connection = op.get_bind()
    cipher = _cipher()
    rows = connection.execute(
        sa.select(users.c.id, users.c.totp_secret).where(users.c.totp_secret.is_not(None))
    ).all()
    for user_id, secret in rows:
        connection.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(totp_secret_encrypted=cipher.encrypt(secret.encode()).decode())
        )

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('totp_secret')


def downgrade():
    _online_only()
    connection = op.get_bind()
    cipher = _cipher()
    # Every secret is decrypted before the schema changes: with a wrong key nothing changes.
    plain = []
    rows = connection.execute(
        sa.select(users.c.id, users.c.totp_secret_encrypted).where(
            users.c.totp_secret_encrypted.is_not(None)
        )
    ).all()
    for user_id, token in rows:
        try:
            plain.append((user_id, cipher.decrypt(token.encode()).decode()))
        except InvalidToken:
            raise RuntimeError(
                f"No key in TOTP_ENCRYPTION_KEYS opens the TOTP secret of account #{user_id}; "
                "the downgrade stopped and changed nothing. Set the key that encrypted it."
            ) from None

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
    for user_id, secret in plain:
        connection.execute(users.update().where(users.c.id == user_id).values(totp_secret=secret))

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('totp_secret_encrypted')
