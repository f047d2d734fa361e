"""The summaries plugin's part of an account's data: the areas on its dashboard."""

import sqlalchemy as sa

from participatie.builtin.summaries.models import DashboardArea
from participatie.extensions import db


def personal_data(user) -> dict:
    areas = db.session.scalars(
        sa.select(DashboardArea.area_id)
        .where(DashboardArea.user_id == user.id)
        .order_by(DashboardArea.area_id)
    ).all()
    return {"dashboard_areas": list(areas)}


def erase_personal_data(user) -> None:
    """A dashboard choice is a preference, not a contribution: it goes."""
    db.session.execute(sa.delete(DashboardArea).where(DashboardArea.user_id == user.id))
