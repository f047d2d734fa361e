"""Area look-ups used by several pages."""

import time

import sqlalchemy as sa
from flask import current_app
from flask import g
from sqlalchemy import event

from participatie.core.areas.models import Area
from participatie.core.areas.models import AreaFigure
from participatie.extensions import db


def municipality() -> Area | None:
    """The gemeente this deployment serves, or None before areas are imported."""
    if "municipality_area" not in g:
        code = current_app.config["MUNICIPALITY"]
        g.municipality_area = db.session.scalar(sa.select(Area).where(Area.code == code))
    return g.municipality_area


#: How long another worker may show a municipality name changed by an import
#: (seconds). In the worker that changed it the cache is dropped at once.
NAME_SECONDS = 60

_changes = 0
_clock = time.monotonic


@event.listens_for(Area, "after_insert")
@event.listens_for(Area, "after_update")
@event.listens_for(Area, "after_delete")
def _area_changed(mapper, connection, target) -> None:
    global _changes
    _changes += 1


def municipality_name() -> str:
    """The name every page shows in its header and title, without a query on most requests.

    Kept per app and worker: every page needs it, and it changes only when the
    areas are imported again. A change through this worker is seen at once;
    another worker (or a command) sees it within ``NAME_SECONDS``.
    """
    if current_app.config["MUNICIPALITY_NAME"]:
        return current_app.config["MUNICIPALITY_NAME"]
    kept = current_app.extensions.get("participatie.municipality_name")
    now = _clock()
    if kept is not None and kept[0] == _changes and now < kept[1]:
        return kept[2]
    changes = _changes
    if "municipality_area" in g:
        name = getattr(g.municipality_area, "name", None)
    else:
        code = current_app.config["MUNICIPALITY"]
        name = db.session.scalar(sa.select(Area.name).where(Area.code == code))
    name = name or "Participatie"
    current_app.extensions["participatie.municipality_name"] = (changes, now + NAME_SECONDS, name)
    return name


def area_by_code(code: str) -> Area | None:
    return db.session.scalar(sa.select(Area).where(Area.code == code))


def descendants(area: Area):
    """A recursive CTE of the ids (column ``id``) of ``area`` and every area below it."""
    tree = sa.select(Area.id).where(Area.id == area.id).cte("tree", recursive=True)
    return tree.union_all(sa.select(Area.id).join(tree, Area.parent_id == tree.c.id))


def descendant_ids(area: Area) -> list[int]:
    """Ids of ``area`` and every area below it, in one recursive query."""
    return list(db.session.scalars(sa.select(descendants(area).c.id)))


def comparison(area: Area, gemeente: Area | None) -> list[dict]:
    """The area's figures next to the gemeente's, for the figures table."""
    base = (
        {f.key: f for f in gemeente.latest_figures} if gemeente and gemeente.id != area.id else {}
    )
    rows = []
    for figure in area.latest_figures:
        other = base.get(figure.key)
        rows.append({"figure": figure, "gemeente": other})
    return rows


def child_figures(area: Area, key: str) -> dict[int, AreaFigure]:
    """The latest figure ``key`` of each child of ``area`` that has it, by child id, in one query."""
    figures = db.session.scalars(
        sa.select(AreaFigure)
        .join(Area, Area.id == AreaFigure.area_id)
        .where(Area.parent_id == area.id, AreaFigure.key == key)
        .order_by(AreaFigure.year)
    )
    # Ordered by year, so the latest year of each child is the one kept.
    return {figure.area_id: figure for figure in figures}
