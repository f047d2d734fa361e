"""``flask backup`` while writes go on, and ``flask restore`` into an empty database.

What the round trip proves, on the suite's database (SQLite or PostgreSQL):

- the backup is taken while a writer thread keeps committing (an idea with one
  comment per transaction), before, during and after it;
- the restored database has every table of the live one; every table the writer
  does not touch is row for row the same (a sha256 over its rows ordered by
  primary key, rendered as text);
- the writer's tables hold a consistent snapshot: exactly the live rows up to
  some moment (a prefix of the writer's commits), never an idea without its
  comment or the reverse, and at least everything committed before the backup
  started;
- on SQLite the restored database equals the backup file itself, read
  through a byte copy; on PostgreSQL the restored database takes new rows (its sequences
  came along).
"""

import hashlib
import os
import threading

import pytest
import sqlalchemy as sa
from participatie import create_app
from participatie.builtin.comments.models import Comment
from participatie.builtin.ideas.models import Idea
from participatie.builtin.votes import service as votes
from participatie.core.accounts.models import User
from participatie.extensions import db

WRITER_TABLES = {"idea", "comment"}


def checksums(engine) -> dict[str, tuple[int, str]]:
    """Per table: the number of rows and a sha256 over them, ordered by primary key."""
    result = {}
    inspector = sa.inspect(engine)
    metadata = sa.MetaData()
    with engine.connect() as connection:
        for name in inspector.get_table_names():
            table = sa.Table(name, metadata, autoload_with=connection)
            order = list(table.primary_key.columns) or list(table.columns)
            digest = hashlib.sha256()
            count = 0
            for row in connection.execute(sa.select(table).order_by(*order)):
                digest.update(repr(tuple(row)).encode() + b"\n")
                count += 1
            result[name] = (count, digest.hexdigest())
    return result


def rows_up_to(engine, name, last_id) -> tuple[int, str]:
    """The checksum of table ``name`` restricted to ids up to ``last_id``."""
    table = sa.Table(name, sa.MetaData(), autoload_with=engine)
    digest = hashlib.sha256()
    count = 0
    with engine.connect() as connection:
        for row in connection.execute(
            sa.select(table).where(table.c.id <= last_id).order_by(table.c.id)
        ):
            digest.update(repr(tuple(row)).encode() + b"\n")
            count += 1
    return count, digest.hexdigest()


@pytest.fixture
def data(app, create_process, create_idea, create_user):
    """A few processes with ideas, supports and comments."""
    users = [create_user() for _ in range(5)]
    processes = [create_process(status="published", slug=f"proces-{n}") for n in range(3)]
    ideas = [create_idea(p, author=users[0], title=f"Idee {p.slug}") for p in processes]
    with app.app_context():
        for idea_id in ideas:
            idea = db.session.get(Idea, idea_id)
            for user in users:
                votes.support(idea, user.id)
            db.session.add(Comment(idea_id=idea_id, author_id=users[1].id, text="Goed plan."))
        db.session.commit()
    return processes, ideas, users


class Writer(threading.Thread):
    """Commits an idea with one comment, again and again, until stopped."""

    def __init__(self, app, process_id, author_id):
        super().__init__(daemon=True)
        self.app, self.process_id, self.author_id = app, process_id, author_id
        self.stop = threading.Event()
        self.commits = 0
        self.committed = threading.Condition()
        self.error = None

    def run(self):
        try:
            with self.app.app_context():
                while not self.stop.is_set():
                    idea = Idea(
                        process_id=self.process_id,
                        author_id=self.author_id,
                        title=f"Geschreven {self.commits}",
                        text="Tijdens de back-up.",
                    )
                    db.session.add(idea)
                    db.session.flush()
                    db.session.add(
                        Comment(idea_id=idea.id, author_id=self.author_id, text=idea.title)
                    )
                    db.session.commit()
                    with self.committed:
                        self.commits += 1
                        self.committed.notify_all()
                db.session.remove()
        except Exception as error:  # reported by the test
            self.error = error

    def wait_for(self, count):
        with self.committed:
            assert self.committed.wait_for(lambda: self.commits >= count or self.error, 60)


def restore_app(app, tmp_path):
    """An app on an empty database: a new SQLite file, or PostgreSQL's integrity_restore."""
    url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        target = url.set(database=str(tmp_path / "restored.sqlite3"))
    else:
        target = url.set(database="integrity_restore")
        _postgres_admin(url, 'DROP DATABASE IF EXISTS "integrity_restore" WITH (FORCE)')
        _postgres_admin(url, 'CREATE DATABASE "integrity_restore"')
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "restore test",
            "SQLALCHEMY_DATABASE_URI": target.render_as_string(hide_password=False),
        }
    )


def _postgres_admin(url, statement):
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(statement)
    admin.dispose()


def test_a_backup_taken_during_writes_restores_to_one_consistent_snapshot(
    app, runner, data, tmp_path
):
    processes, _ideas, users = data
    file = tmp_path / "participatie.backup"
    with app.app_context():
        before = checksums(db.engine)
    writer = Writer(app, processes[0].id, users[0].id)
    writer.start()
    try:
        writer.wait_for(5)
        started_at = writer.commits
        result = runner.invoke(args=["backup", str(file)])
        assert result.exit_code == 0, result.output
        assert "Backup written to" in result.output
        writer.wait_for(writer.commits + 5)
    finally:
        writer.stop.set()
        writer.join()
    assert writer.error is None
    with app.app_context():
        live = checksums(db.engine)
        live_engine = db.engine
    url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    target = restore_app(app, tmp_path)
    try:
        # Outside any app context: the command runs in the target app's.
        restored_result = target.test_cli_runner().invoke(args=["restore", str(file)])
        assert restored_result.exit_code == 0, restored_result.output
        with target.app_context():
            restored = checksums(db.engine)
            titles = set(db.session.scalars(sa.select(Idea.title)))
            texts = set(db.session.scalars(sa.select(Comment.text)))
            last = {
                "idea": db.session.scalar(sa.select(sa.func.max(Idea.id))),
                "comment": db.session.scalar(sa.select(sa.func.max(Comment.id))),
            }
            if db.engine.dialect.name == "postgresql":
                # The sequences came along: a new row gets a fresh id.
                db.session.add(User(email="nieuw@example.org", display_name="Nieuw"))
                db.session.commit()
            db.session.remove()
            db.engine.dispose()
        assert set(restored) == set(live)
        for name in set(live) - WRITER_TABLES:
            assert restored[name] == live[name] == before[name], name
        # Every restored idea of the writer has its comment, and no more.
        assert {t for t in titles if t.startswith("Geschreven")} == {
            t for t in texts if t.startswith("Geschreven")
        }
        with app.app_context():
            for name in WRITER_TABLES:
                # The live rows up to one moment, exactly: a consistent snapshot.
                assert restored[name] == rows_up_to(live_engine, name, last[name]), name
                # Everything committed before the backup began is there.
                assert restored[name][0] >= before[name][0] + started_at
                assert restored[name][0] <= live[name][0]
        if url.get_backend_name() == "sqlite":
            # Read from a byte copy of the backup file (the app's engines switch on WAL).
            (tmp_path / "copy.sqlite3").write_bytes(file.read_bytes())
            copy = sa.create_engine(f"sqlite:///{tmp_path / 'copy.sqlite3'}")
            assert checksums(copy) == restored
            copy.dispose()
    finally:
        if url.get_backend_name() != "sqlite":
            _postgres_admin(url, 'DROP DATABASE IF EXISTS "integrity_restore" WITH (FORCE)')


def test_restore_refuses_a_database_that_is_not_empty(app, runner, data, tmp_path):
    file = tmp_path / "participatie.backup"
    assert runner.invoke(args=["backup", str(file)]).exit_code == 0
    result = runner.invoke(args=["restore", str(file)])
    assert result.exit_code != 0
    assert "The target database is not empty" in result.output
    assert "create a new one and point DATABASE_URL at it" in result.output


def test_restore_refuses_a_file_that_is_no_backup(app, runner, tmp_path):
    file = tmp_path / "notes.txt"
    file.write_text("not a backup")
    result = runner.invoke(args=["restore", str(file)])
    assert result.exit_code != 0 and "is not a" in result.output


def test_a_missing_postgresql_tool_is_named(app, monkeypatch):
    from participatie.core.backup import _tool
    from participatie.core.backup import BackupError

    monkeypatch.setenv("PATH", os.devnull)
    with pytest.raises(BackupError, match="pg_dump was not found on the PATH"):
        _tool("pg_dump")


def test_a_backup_into_a_missing_folder_names_it_and_leaves_nothing(app, runner, tmp_path):
    result = runner.invoke(args=["backup", str(tmp_path / "nergens" / "x.backup")])
    assert result.exit_code != 0
    assert f"The folder {tmp_path / 'nergens'} does not exist" in result.output
    assert not (tmp_path / "nergens").exists()


def test_a_restore_into_a_missing_folder_names_it(app, runner, tmp_path):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("a SQLite target is a file in a folder; PostgreSQL has none")
    file = tmp_path / "participatie.backup"
    assert runner.invoke(args=["backup", str(file)]).exit_code == 0
    target = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "restore test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'nergens' / 'db.sqlite3'}",
        }
    )
    result = target.test_cli_runner().invoke(args=["restore", str(file)])
    assert result.exit_code != 0
    assert f"The folder {tmp_path / 'nergens'} does not exist" in result.output
