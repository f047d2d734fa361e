"""The audit log: who did what, when, on which object."""

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from participatie.extensions import db
from participatie.extensions import UTCDateTime
from participatie.extensions import utcnow

if TYPE_CHECKING:
    from participatie.core.accounts.models import User


class AuditEvent(db.Model):
    """One facilitator or administrator action, or a role change.

    ``actor_email`` keeps who it was when the account is later removed;
    ``object_label`` keeps what the object was called at the time.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    actor_email: Mapped[str] = mapped_column(sa.String(254), default="")
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(32))
    object_id: Mapped[str] = mapped_column(sa.String(64))
    object_label: Mapped[str] = mapped_column(sa.String(200), default="")
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    actor: Mapped["User | None"] = relationship("User")
