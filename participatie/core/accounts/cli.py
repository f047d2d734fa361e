"""``flask codes generate`` and ``flask codes import-register``."""

import click
from flask.cli import AppGroup

from participatie.core import audit
from participatie.core.accounts import codes
from participatie.core.accounts import letters
from participatie.core.accounts import register
from participatie.core.processes.queries import process_by_slug
from participatie.extensions import db

codes_cli = AppGroup("codes", help="Voting codes and the address register.")


@codes_cli.command("generate")
@click.argument("slug")
@click.option("--count", type=click.IntRange(1, 100_000), help="Make this many codes.")
@click.option(
    "--addresses",
    type=click.Path(exists=True, dir_okay=False),
    help="One code per address of this CSV (postcode;huisnummer;toevoeging;buurtcode).",
)
@click.option("--csv", "csv_path", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option("--pdf", "pdf_path", required=True, type=click.Path(dir_okay=False, writable=True))
def generate_command(slug, count, addresses, csv_path, pdf_path):
    """Make voting codes for the process SLUG; write the letters (PDF) and the mailing list (CSV).

    The plain codes are written only to these two files; the database keeps their hashes.
    """
    if (count is None) == (addresses is None):
        raise click.UsageError("Give either --count N or --addresses FILE.csv.")
    process = process_by_slug(slug)
    if process is None:
        raise click.ClickException(f"No process {slug!r}.")
    listed = None
    if addresses:
        with open(addresses, encoding="utf-8-sig") as handle:
            read = letters.read_addresses(handle.read(), process)
        if read.problems:
            for line, message in read.problems:
                click.echo(f"line {line}: {message}", err=True)
            raise click.ClickException(f"{len(read.problems)} rows are wrong; no codes were made.")
        listed = read.addresses
        count = len(listed)
    made = codes.generate(process, count)
    pdf = letters.letters_pdf(process, made, listed)
    csv = letters.mailing_csv(made, listed)
    audit.record("codes.generate", process, count=len(made), from_addresses=bool(listed))
    # Stored first: a printed code must always work; an unprinted one is harmless.
    db.session.commit()
    with open(pdf_path, "wb") as out:
        out.write(pdf)
    with open(csv_path, "wb") as out:
        out.write(csv)
    click.echo(f"{len(made)} codes made for {slug}: letters in {pdf_path}, list in {csv_path}.")


@codes_cli.command("import-register")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--max-per-address", type=click.IntRange(1, 1000), help="Accounts per address.")
def import_register_command(file, max_per_address):
    """Replace the address register with FILE (postcode;huisnummer;toevoeging;buurtcode)."""
    with open(file, "rb") as stream:
        result = register.import_csv(stream)
    if result.problems:
        db.session.rollback()
        for line, message in result.problems:
            click.echo(f"line {line}: {message}", err=True)
        raise click.ClickException(f"{len(result.problems)} rows are wrong; nothing was imported.")
    if max_per_address is not None:
        register.settings().max_per_address = max_per_address
    db.session.commit()
    click.echo(f"{result.addresses} addresses imported.")


accounts_cli = AppGroup(
    "accounts",
    help="Accounts: erasing inactive ones, turning off two-step verification, its key.",
)


@accounts_cli.command("erase-inactive")
@click.option("--include-staff", is_flag=True, help="Also staff accounts (with a role).")
@click.option("--dry-run", is_flag=True, help="Only count; warn and erase nobody.")
def erase_inactive_command(include_staff, dry_run):
    """Warn accounts nearly inactive too long, and erase those warned long enough ago.

    The period is INACTIVE_ACCOUNT_MONTHS (the privacy page states the same).
    """
    from participatie.core.accounts import privacy
    from participatie.core.accounts import retention
    from participatie.core.mail.sending import deliver

    result = privacy.erase_inactive(include_staff=include_staff, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
        deliver()
    prefix = "Would have " if dry_run else ""
    click.echo(
        f"{prefix}warned {result.warned} and erased {result.erased} accounts "
        f"(inactive for {retention.inactive_months()} months)."
    )


@accounts_cli.command("turn-off-two-step")
@click.argument("email")
def turn_off_two_step_command(email):
    """Turn off two-step verification of the account EMAIL (lost phone and recovery codes).

    Check first, outside the site, that the request comes from the account's
    owner. The owner is told by mail; staff with REQUIRE_2FA_FOR_STAFF set it
    up again at their next log-in.
    """
    from participatie.core.accounts import twofactor
    from participatie.core.accounts.service import find_user
    from participatie.core.mail.sending import deliver

    user = find_user(email)
    if user is None:
        raise click.ClickException(f"No account {email!r}.")
    if not user.has_two_factor:
        raise click.ClickException(f"Two-step verification is already off for {user.email}.")
    twofactor.disable(user, by_administrator=True)
    db.session.commit()
    deliver()
    click.echo(f"Two-step verification is off for {user.email}; they were told by mail.")


@accounts_cli.command("rotate-two-step-key")
def rotate_two_step_key_command():
    """Encrypt every stored TOTP secret again with the first key of TOTP_ENCRYPTION_KEYS.

    To replace a key: put the new key first in TOTP_ENCRYPTION_KEYS and keep the
    old one after it, restart, run this, then drop the old key.
    """
    from participatie.core.accounts import twofactor

    result = twofactor.rotate_stored_secrets()
    db.session.commit()
    click.echo(f"{result.rotated} TOTP secrets are now encrypted with the first key.")
    if result.unreadable:
        ids = ", ".join(f"#{user_id}" for user_id in result.unreadable)
        raise click.ClickException(
            f"No key in TOTP_ENCRYPTION_KEYS opens the secrets of the accounts {ids}; they "
            "were left as they are. Add the key that encrypted them, or turn two-step "
            "verification off for them (turn-off-two-step)."
        )
