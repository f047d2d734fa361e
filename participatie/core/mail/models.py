"""The outbox table."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from participatie.extensions import db
from participatie.extensions import UTCDateTime
from participatie.extensions import utcnow


class OutboxMessage(db.Model):
    """One mail to one recipient, queued until an SMTP server accepted it."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body_text: Mapped[str] = mapped_column(sa.Text)
    headers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    #: After a failure: not tried again before this time (back-off).
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Given up after ``MAX_ATTEMPTS``; shown to administrators, who may try again.
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: What the mail quotes (``idea:12``, see ``about``): withheld once that is no longer shown.
    about: Mapped[str | None] = mapped_column(sa.String(40))
