"""Queue mail, and deliver queued mail through SMTP or into a folder."""

import logging
import smtplib
import ssl
import unicodedata
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate
from email.utils import make_msgid
from pathlib import Path

import sqlalchemy as sa
from flask import after_this_request
from flask import current_app
from flask import g
from flask import has_request_context
from flask import render_template
from flask import url_for
from flask_babel import force_locale

from participatie.core.mail.about import not_shown
from participatie.core.mail.about import WITHHELD
from participatie.core.mail.models import OutboxMessage
from participatie.extensions import db
from participatie.extensions import utcnow

log = logging.getLogger(__name__)

# A claim older than this is taken to belong to a sender that died mid-send.
CLAIM_TIMEOUT = timedelta(minutes=5)
# A message that failed this often is given up (``failed_at``) until an administrator retries it.
MAX_ATTEMPTS = 8


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure: 1, 2, 4 … minutes, at most 6 hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), timedelta(hours=6))


def one_line(text: str) -> str:
    """``text`` as one header line: line breaks and other control characters become spaces.

    A carriage return in an idea's title would otherwise reach the Subject
    header, where Python's mail package refuses it.
    """
    cleaned = "".join(" " if unicodedata.category(char)[0] in "CZ" else char for char in text)
    return " ".join(cleaned.split())


def external_url(endpoint: str, **values) -> str:
    """An absolute URL for a mail: always on ``PUBLIC_URL``, never on the request's host.

    A request's ``Host`` header is the sender's to choose: a reset link built
    from it would carry a valid token to whatever host an attacker named.
    """
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return url_for(endpoint, _external=True, **values)


def mail_template(name: str) -> str:
    """The template of mail ``name``: ``mail/<name>.txt`` for the core's mails.

    A plugin's mail is named ``<plugin>/mail/<name>`` and lives in the
    plugin's template folder.
    """
    return f"{name}.txt" if "/" in name else f"mail/{name}.txt"


def queue_mail(
    recipient: str, template: str, locale: str, headers=None, about: str | None = None, **context
):
    """Render mail ``template`` (see ``mail_template``) in ``locale`` and queue it.

    The template's first line is the subject; the rest is the body. The mail
    is queued in this transaction. An address in a reserved ``.invalid``
    domain (imported participants, accounts without a mailbox) gets nothing.
    A mail ``about`` content (``mail.about``) is withheld if that is no longer
    shown when its turn comes.
    """
    if recipient.lower().endswith(".invalid"):
        return None
    with force_locale(locale):
        rendered = render_template(mail_template(template), **context)
    subject, _, body = rendered.strip().partition("\n")
    message = OutboxMessage(
        recipient=recipient,
        subject=one_line(subject)[:200],
        body_text=body.strip().replace("\x00", "") + "\n",
        headers={name: one_line(value) for name, value in (headers or {}).items()},
        about=about,
    )
    db.session.add(message)
    db.session.flush()
    if has_request_context():
        g.setdefault("queued_mail", []).append(message.id)
    return message


def send_queued_from_request() -> None:
    """Send, once the answer has gone out, the mail this request queued (call after the commit).

    Sending after the response keeps the SMTP round trip out of the answer's
    time, so that how long a reset or a registration takes tells nothing about
    whether a mail went out, that is, whether the address has an account. A
    failure leaves the mail queued for ``flask mail send``; the person who
    asked for it never sees an error for it.
    """
    ids = g.pop("queued_mail", [])
    if not ids:
        return
    app = current_app._get_current_object()

    def send() -> None:
        with app.app_context():
            try:
                deliver(ids)
            except Exception:  # noqa: BLE001 - the mail stays queued for the worker
                log.exception("Sending mail %s after the request failed; it stays queued", ids)
            finally:
                db.session.remove()

    @after_this_request
    def send_after_the_answer(response):
        response.call_on_close(send)
        return response


def deliver(ids=None) -> tuple[int, int]:
    """Send queued mail (all of it, or only ``ids``); return (sent, failed).

    One message that cannot be built or sent never stops the rest: it is
    marked with its reason and tried again later (``backoff``), and given up
    after ``MAX_ATTEMPTS``.
    """
    now = utcnow()
    query = sa.select(OutboxMessage.id).where(
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.failed_at.is_(None),
        sa.or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
    )
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(ids))
    pending = db.session.scalars(query.order_by(OutboxMessage.id)).all()
    db.session.rollback()
    sent = failed = 0
    for message_id in pending:
        if not _claim(message_id):
            continue
        message = db.session.get(OutboxMessage, message_id)
        if message.about and not_shown([message.about]):
            _withhold(message)
            db.session.commit()
            continue
        try:
            _transport(_build(message))
        except Exception as error:  # noqa: BLE001 - any failure is recorded; the queue goes on
            failed += 1
            _record_failure(message, error)
        else:
            sent += 1
            message.sent_at = utcnow()
            message.attempts += 1
            message.last_error = None
            message.next_attempt_at = None
        db.session.commit()
    return sent, failed


def _withhold(message: OutboxMessage) -> None:
    """Keep back a mail whose content was hidden, withdrawn or merged since it was queued."""
    message.claimed_at = None
    message.failed_at = utcnow()
    message.last_error = WITHHELD
    log.info("Mail %s withheld: %s is no longer shown", message.id, message.about)


def _record_failure(message: OutboxMessage, error: Exception) -> None:
    now = utcnow()
    message.claimed_at = None
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:500]
    message.next_attempt_at = now + backoff(message.attempts)
    if message.attempts >= MAX_ATTEMPTS:
        message.failed_at = now
    log.warning("Mail %s not sent (attempt %s): %s", message.id, message.attempts, error)


def retry_failed() -> int:
    """Queue every given-up message again (an administrator's choice); return how many."""
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.failed_at.is_not(None),
            OutboxMessage.last_error != WITHHELD,
        )
        .values(failed_at=None, next_attempt_at=None, attempts=0)
    )
    return result.rowcount


def outbox_counts() -> dict:
    """Queued, waiting after a failure, given-up and withheld messages, for the administrators."""
    unsent = OutboxMessage.sent_at.is_(None)
    given_up = OutboxMessage.failed_at.is_not(None)
    withheld = OutboxMessage.last_error == WITHHELD
    row = db.session.execute(
        sa.select(
            sa.func.count().filter(unsent, OutboxMessage.failed_at.is_(None)),
            sa.func.count().filter(
                unsent, OutboxMessage.failed_at.is_(None), OutboxMessage.last_error.is_not(None)
            ),
            sa.func.count().filter(unsent, given_up, ~withheld),
            sa.func.count().filter(unsent, given_up, withheld),
        )
    ).one()
    return {"queued": row[0], "retrying": row[1], "failed": row[2], "withheld": row[3]}


def _claim(message_id: int) -> bool:
    """Take ``message_id`` for sending, unless another sender holds it."""
    now = utcnow()
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.sent_at.is_(None),
            sa.or_(
                OutboxMessage.claimed_at.is_(None),
                OutboxMessage.claimed_at < now - CLAIM_TIMEOUT,
            ),
        )
        .values(claimed_at=now)
    )
    db.session.commit()
    return result.rowcount == 1


def _build(message: OutboxMessage) -> EmailMessage:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = one_line(message.subject)
    email["Date"] = formatdate(localtime=False)
    # One Message-ID per queued mail: should a crash make it go out twice,
    # mail clients still see one message.
    domain = config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].strip(">") or "localhost"
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}", domain=domain)
    for name, value in (message.headers or {}).items():
        email[name] = one_line(value)
    email.set_content(message.body_text)
    return email


def _transport(email: EmailMessage) -> None:
    config = current_app.config
    if config["MAIL_BACKEND"] == "file":
        folder = Path(config["MAIL_FOLDER"])
        folder.mkdir(parents=True, exist_ok=True)
        name = utcnow().strftime("%Y%m%d-%H%M%S-") + email["Message-ID"].strip("<>").split("@")[0]
        (folder / f"{name}.eml").write_bytes(bytes(email))
        return
    server, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    if config["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(server, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(server, port, timeout=timeout)
    with smtp:
        if config["MAIL_STARTTLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)
