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


@mail_cli.command("digest")
def digest_command():
    """Send the daily digest to accounts that chose it; run once a day."""
    from participatie.core.notifications.service import send_digests

    count = send_digests()
    sent, failed = deliver()
    click.echo(f"{count} digests queued; {sent} sent, {failed} still queued")
