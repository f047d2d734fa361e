"""Process look-ups shared by pages and the API."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from participatie.core.areas.models import Area
from participatie.core.areas.queries import descendant_ids
from participatie.core.processes.models import Process
from participatie.core.roles.permissions import is_admin
from participatie.extensions import db


def _full():
    # Made on use: building loader options configures the mappers, which must
    # wait until every model is imported.
    return (
        selectinload(Process.reasons),
        selectinload(Process.fixed_limits),
        selectinload(Process.open_questions),
        selectinload(Process.themes),
        selectinload(Process.phases),
    )


def process_by_slug(slug: str, full: bool = True) -> Process | None:
    query = sa.select(Process).where(Process.slug == slug)
    if full:
        query = query.options(*_full())
    return db.session.scalar(query)


def public_process_by_slug(slug: str, full: bool = False) -> Process | None:
    """The published or closed process ``slug``, as the API shows it to everyone."""
    query = sa.select(Process).where(Process.slug == slug, Process.is_public)
    if full:
        query = query.options(*_full())
    return db.session.scalar(query)


def public_processes(area_ids=None):
    """A query of published and closed processes, newest first (then slug).

    ``area_ids``: only those in these areas (ids, or a query of them).
    """
    query = (
        sa.select(Process)
        .where(Process.is_public)
        .options(selectinload(Process.phases))
        .order_by(Process.created_at.desc(), Process.slug)
    )
    if area_ids is not None:
        query = query.where(Process.area_id.in_(area_ids))
    return query


def processes_in(area: Area, page: int = 1, per_page: int = 20, status: str | None = None):
    """Public processes of ``area`` and every area below it, a page at a time.

    Returns the processes of ``page`` and whether there is a next page.
    """
    query = public_processes(descendant_ids(area))
    if status is not None:
        query = query.where(Process.status == status)
    rows = list(db.session.scalars(query.limit(per_page + 1).offset((page - 1) * per_page)))
    return rows[:per_page], len(rows) > per_page


def facilitated_processes(user) -> list[Process]:
    """Every process ``user`` may manage, drafts included."""
    query = (
        sa.select(Process)
        .options(selectinload(Process.phases))
        .order_by(Process.status, Process.created_at.desc())
    )
    if not is_admin(user):
        area_ids, process_ids = set(), set()
        for role in user.roles:
            if role.role != "facilitator":
                continue
            if role.area_id is not None:
                area_ids.update(descendant_ids(role.area))
            if role.process_id is not None:
                process_ids.add(role.process_id)
        query = query.where(sa.or_(Process.area_id.in_(area_ids), Process.id.in_(process_ids)))
    return list(db.session.scalars(query))


def manageable_areas(user) -> list[Area]:
    """Areas in which ``user`` may create a process, gemeente first."""
    if is_admin(user):
        ids = None
    else:
        ids = set()
        for role in user.roles:
            if role.role == "facilitator" and role.area_id is not None:
                ids.update(descendant_ids(role.area))
    query = sa.select(Area).order_by(Area.code)
    if ids is not None:
        query = query.where(Area.id.in_(ids))
    order = {"gemeente": 0, "stadsdeel": 1, "wijk": 2, "buurt": 3}
    return sorted(db.session.scalars(query), key=lambda a: (order[a.level], a.code))
