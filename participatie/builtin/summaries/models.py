"""The areas a councillor chose for their dashboard."""

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from participatie.extensions import db

if TYPE_CHECKING:
    from participatie.core.areas.models import Area


class DashboardArea(db.Model):
    __tablename__ = "dashboard_area"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    area_id: Mapped[int] = mapped_column(
        sa.ForeignKey("area.id", ondelete="CASCADE"), primary_key=True
    )

    area: Mapped["Area"] = relationship("Area")
