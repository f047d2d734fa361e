"""Flask commands: demo data; other groups are registered from their own packages."""

import os

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from participatie.core.backup import backup_command
from participatie.core.backup import restore_command
from participatie.core.mail.cli import mail_cli
from participatie.core.processes.queries import process_by_slug

demo_cli = AppGroup("demo", help="Demo data.")

# Public on purpose: the demo accounts' password, printed by `make run`; `flask demo load`
# refuses to run in production.
DEFAULT_DEMO_PASSWORD = "wijk-en-buurt-samen-2026"  # noqa: S105  # nosec B105


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has accounts.")
def load_command(if_empty):
    """Load the areas, the demo accounts with their roles, and example content."""
    from flask import current_app

    from participatie import demo

    if current_app.config["PARTICIPATIE_ENV"] == "production":
        # The demo accounts have a public password, an administrator among them.
        raise click.ClickException(
            "Demo data is never loaded in production (PARTICIPATIE_ENV=production): its accounts "
            "have a public password. Create the first administrator with `flask accounts`."
        )
    from participatie.core.accounts.models import User
    from participatie.extensions import db

    if if_empty and db.session.scalar(sa.select(sa.func.count()).select_from(User)):
        click.echo("The database has data; demo data not loaded.")
        return
    counts = demo.load(demo_password())
    db.session.commit()
    click.echo(
        f"Demo data loaded: {counts['areas']} areas, {counts['accounts']} accounts, "
        f"{counts['processes']} processes."
    )
    click.echo("Demo voting codes: see flask demo info.")


@demo_cli.command("info")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
def info_command(host, port):
    """Print the address, the demo accounts and where development mail goes."""
    from flask import current_app

    password = demo_password()
    click.echo("")
    click.echo(f"Participatie runs at http://{host}:{port}")
    click.echo(f"Demo accounts (password: {password}):")
    from participatie.demo import ACCOUNTS

    for email, name, _role in ACCOUNTS:
        click.echo(f"  {email:<26} {name}")
    from participatie.demo import demo_codes
    from participatie.demo import LETTER_SLUG

    letter = process_by_slug(LETTER_SLUG)
    if letter is not None:
        click.echo(f"Voting codes (stemcodes) for /processen/{LETTER_SLUG}, demo only:")
        click.echo("  " + "  ".join(demo_codes(letter)))
    if current_app.config["MAIL_BACKEND"] == "file":
        click.echo(f"Mail is not sent but written to {current_app.config['MAIL_FOLDER']}")
    click.echo("")


def init_app(app) -> None:
    app.cli.add_command(demo_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
