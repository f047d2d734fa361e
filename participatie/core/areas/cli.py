"""``flask areas import [FILE]``."""

import click
from flask import current_app
from flask.cli import AppGroup

from participatie.core.areas.importer import import_file
from participatie.core.areas.importer import SHIPPED_FILE
from participatie.extensions import db

areas_cli = AppGroup("areas", help="Areas of the municipality.")


@areas_cli.command("import")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False))
def import_command(file):
    """Import areas from FILE (default: the shipped CBS file), all or nothing."""
    municipality = current_app.config["MUNICIPALITY"]
    report = import_file(file or SHIPPED_FILE, municipality)
    if not report.ok:
        db.session.rollback()
        for line, message in report.errors:
            click.echo(f"line {line}: {message}", err=True)
        raise click.ClickException(f"{len(report.errors)} rows are wrong; nothing was imported.")
    db.session.commit()
    click.echo(
        f"{municipality}: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged; {report.skipped_other_municipality} rows of other "
        "municipalities skipped."
    )


@areas_cli.command("import-indicators")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_indicators_command(file):
    """Import area figures from FILE (code, key, value, unit, year, source), all or nothing."""
    from participatie.core.areas.indicators import import_indicators

    with open(file, newline="", encoding="utf-8-sig") as lines:
        report = import_indicators(lines)
    if not report.ok:
        db.session.rollback()
        for line, message in report.errors:
            click.echo(f"line {line}: {message}", err=True)
        raise click.ClickException(f"{len(report.errors)} rows are wrong; nothing was imported.")
    db.session.commit()
    click.echo(
        f"Figures: {report.created} created, {report.updated} updated, {report.unchanged} unchanged."
    )
