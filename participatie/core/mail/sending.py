"""Queue mail, and deliver queued mail through SMTP or into a folder."""

import logging
import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate
from email.utils import make_msgid
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask import g
from flask import has_request_context
from flask import render_template
from flask import url_for
from flask_babel import force_locale

from participatie.core.mail.models import OutboxMessage
from participatie.extensions import db
from participatie.extensions import utcnow

log = logging.getLogger(__name__)

# A claim older than this is taken to belong to a sender that died mid-send.
CLAIM_TIMEOUT = timedelta(minutes=5)


def external_url(endpoint: str, **values) -> str:
    """An absolute URL for a mail, also outside a request (the mail worker, the digest).

    Outside a request the site's address comes from ``PUBLIC_URL``.
    """
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return url_for(endpoint, _external=True, **values)


def mail_template(name: str) -> str:
    """The template of mail ``name``: ``mail/<name>.txt`` for the core's mails.

    A plugin's mail is named ``<plugin>/mail/<name>`` and lives in the
    plugin's template folder.
    """
    return f"{name}.txt" if "/" in name else f"mail/{name}.txt"


def queue_mail(recipient: str, template: str, locale: str, headers=None, **context):
    """Render mail ``template`` (see ``mail_template``) in ``locale`` and queue it.

    The template's first line is the subject; the rest is the body. The mail
    is queued in this transaction. An address in a reserved ``.invalid``
    domain (imported participants, accounts without a mailbox) gets nothing.
    """
    if recipient.lower().endswith(".invalid"):
        return None
    with force_locale(locale):
        rendered = render_template(mail_template(template), **context)
    subject, _, body = rendered.strip().partition("\n")
    message = OutboxMessage(
        recipient=recipient,
        subject=subject.strip()[:200],
        body_text=body.strip() + "\n",
        headers=headers or {},
    )
    db.session.add(message)
    db.session.flush()
    if has_request_context():
        g.setdefault("queued_mail", []).append(message.id)
    return message


def send_queued_from_request() -> None:
    """Try to send, after the commit, the mail this request queued.

    A failure leaves the mail queued for ``flask mail send``; the person who
    asked for it is never shown an error for it.
    """
    ids = g.pop("queued_mail", [])
    if ids:
        deliver(ids)


def deliver(ids=None) -> tuple[int, int]:
    """Send queued mail (all of it, or only ``ids``); return (sent, failed)."""
    query = sa.select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None))
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(ids))
    pending = db.session.scalars(query.order_by(OutboxMessage.id)).all()
    db.session.rollback()
    sent = failed = 0
    for message_id in pending:
        if not _claim(message_id):
            continue
        message = db.session.get(OutboxMessage, message_id)
        try:
            _transport(_build(message))
        except (OSError, smtplib.SMTPException) as error:
            failed += 1
            message.claimed_at = None
            message.attempts += 1
            message.last_error = f"{type(error).__name__}: {error}"[:500]
            log.warning("Mail %s not sent: %s", message_id, error)
        else:
            sent += 1
            message.sent_at = utcnow()
            message.attempts += 1
            message.last_error = None
        db.session.commit()
    return sent, failed


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
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    # One Message-ID per queued mail: should a crash make it go out twice,
    # mail clients still see one message.
    domain = config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].strip(">") or "localhost"
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}", domain=domain)
    for name, value in (message.headers or {}).items():
        email[name] = value
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
