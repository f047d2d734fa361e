"""``flask backup`` and ``flask restore``: online backups of the whole database.

SQLite is copied through its backup API (``sqlite3.Connection.backup``): one
consistent snapshot, taken while the server keeps writing (WAL lets it). For
PostgreSQL the server's own tools do it: ``pg_dump`` in its custom format
(one consistent snapshot too) and ``pg_restore``, found on the PATH.

A restore goes only into an empty database, so that it never mixes a backup
with other rows.
"""

import os
import shutil
import sqlite3
import subprocess  # nosec B404 - only pg_dump and pg_restore, see _run
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from participatie.extensions import db

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(click.ClickException):
    """A backup or restore that cannot be done, with the reason for the operator."""


def _url() -> sa.URL:
    return sa.make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _sqlite_file(url: sa.URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(url.database)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found on the PATH. Install the PostgreSQL client tools of the "
            f"server's major version (Debian: apt install postgresql-client) or put {name} "
            "on the PATH."
        )
    return found


def _libpq(url: sa.URL) -> tuple[str, dict]:
    """A libpq connection string without the password, and the environment carrying it.

    The password goes in PGPASSWORD, not on the command line, where anyone on
    the machine could read it in the process list.
    """
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict) -> None:
    # A fixed program (pg_dump or pg_restore from the PATH) with a list of arguments, no shell.
    result = subprocess.run(  # noqa: S603  # nosec B603
        command, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} failed (exit status {result.returncode}):\n"
            + (result.stderr.strip() or result.stdout.strip())
        )


def backup(target: str) -> Path:
    """Write a backup of the app's database to ``target``; return its path.

    The file is written beside the target under a temporary name and renamed
    when complete, so a half-written backup never has the backup's name.
    """
    url = _url()
    path = Path(target).resolve()
    if path.is_dir():
        raise BackupError(f"{path} is a folder; give the name of the backup file.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    backend = url.get_backend_name()
    if backend == "sqlite" and not _sqlite_file(url).is_file():
        raise BackupError(f"There is no SQLite database {_sqlite_file(url)} to back up.")
    if backend not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups of {backend} databases are not supported.")
    # Made empty for the owner only before anything is written into it.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    if backend == "sqlite":
        source = sqlite3.connect(_sqlite_file(url), timeout=30)
        copy = sqlite3.connect(partial)
        try:
            # All pages in one step: one consistent snapshot, even while others write.
            source.backup(copy)
            # One self-contained file (no -wal beside it), readable read-only.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
            source.close()
    else:
        dsn, env = _libpq(url)
        try:
            pg_dump = _tool("pg_dump")
            _run([pg_dump, "--format=custom", "--no-owner", f"--file={partial}", dsn], env)
        except BackupError:
            partial.unlink(missing_ok=True)
            raise
    partial.replace(path)
    return path


def _tables_in_target() -> list[str]:
    return sa.inspect(db.engine).get_table_names()


def restore(source: str) -> None:
    """Bring the backup ``source`` back into the app's database, which must be empty."""
    url = _url()
    path = Path(source).resolve()
    if not path.is_file():
        raise BackupError(f"There is no backup file {path}.")
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    backend = url.get_backend_name()
    expected = {"sqlite": SQLITE_MAGIC, "postgresql": PG_DUMP_MAGIC}.get(backend)
    if expected is None:
        raise BackupError(f"Restoring into {backend} databases is not supported.")
    if not head.startswith(expected):
        kind = {"sqlite": "a SQLite backup", "postgresql": "a pg_dump file (custom format)"}
        raise BackupError(f"{path} is not {kind[backend]}, which a {backend} database needs.")
    if backend == "sqlite" and not _sqlite_file(url).parent.is_dir():
        raise BackupError(f"The folder {_sqlite_file(url).parent} does not exist.")
    tables = _tables_in_target()
    db.engine.dispose()
    if tables:
        raise BackupError(
            f"The target database is not empty (it has {len(tables)} tables). Restore only into "
            "an empty database: create a new one and point DATABASE_URL at it."
        )
    if backend == "sqlite":
        source_connection = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)
        target_connection = sqlite3.connect(_sqlite_file(url))
        try:
            check = source_connection.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"{path} is damaged (SQLite integrity check: {check}).")
            source_connection.backup(target_connection)
        finally:
            target_connection.close()
            source_connection.close()
    else:
        pg_restore = _tool("pg_restore")
        dsn, env = _libpq(url)
        _run(
            [pg_restore, "--no-owner", "--exit-on-error", "--single-transaction", "-d", dsn, path],
            env,
        )


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(file):
    """Write an online backup of the database to FILE (safe while the site runs)."""
    path = backup(file)
    click.echo(f"Backup written to {path}")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def restore_command(file):
    """Restore the backup FILE into the configured database, which must be empty."""
    restore(file)
    click.echo(f"Backup {Path(file).resolve()} restored.")
