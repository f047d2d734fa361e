"""``flask mail send``: the outbox worker."""

import click
from flask.cli import AppGroup

from participatie.core.mail.sending import deliver

mail_cli = AppGroup("mail", help="Send queued mail.")


@mail_cli.command("send")
def send_command():
    """Send all queued mail once; run it from cron or a systemd timer."""
    sent, failed = deliver()
    click.echo(f"{sent} sent, {failed} still queued")
