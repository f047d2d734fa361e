"""Roles on top of being a resident: facilitator, councillor, administrator."""

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
    from participatie.core.areas.models import Area
    from participatie.core.processes.models import Process

ROLES = ("facilitator", "councillor", "administrator")


class RoleAssignment(db.Model):
    """One role of one account, for an area, a process, or (administrator) everything.

    A facilitator of an area is facilitator of every area below it and of their
    processes; a facilitator can also be named for a single process.
    """

    __tablename__ = "role_assignment"
    __table_args__ = (
        sa.CheckConstraint(
            sa.text(
                "(role = 'administrator' AND area_id IS NULL AND process_id IS NULL)"
                " OR (role = 'councillor' AND area_id IS NOT NULL AND process_id IS NULL)"
                " OR (role = 'facilitator' AND (area_id IS NULL) <> (process_id IS NULL))"
            ),
            name="scope",
        ),
        sa.UniqueConstraint("user_id", "role", "area_id", "process_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(16))
    area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id", ondelete="CASCADE"))
    process_id: Mapped[int | None] = mapped_column(sa.ForeignKey("process.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped["User"] = relationship(back_populates="roles")
    area: Mapped["Area | None"] = relationship("Area")
    process: Mapped["Process | None"] = relationship("Process")
