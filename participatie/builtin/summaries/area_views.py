"""Routes of the area overview (participation per area) and the councillor's dashboard."""

import sqlalchemy as sa
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from participatie.builtin.feedback.models import DecisionSummary
from participatie.builtin.summaries import overview
from participatie.builtin.summaries.models import DashboardArea
from participatie.builtin.summaries.views import bp
from participatie.core.areas.models import Area
from participatie.core.paging import whole_number
from participatie.core.processes.models import Process
from participatie.core.roles.permissions import council_areas
from participatie.core.roles.permissions import reads_council_pages
from participatie.core.roles.permissions import reads_drafts
from participatie.core.roles.permissions import require
from participatie.extensions import db

#: Levels an overview is made for (a buurt has no areas below it).
OVERVIEW_LEVELS = ("gemeente", "stadsdeel", "wijk")


@bp.get("/gebieden/<code>/deelname")
def area_overview(code):
    area = db.session.scalar(sa.select(Area).where(Area.code == code))
    if area is None or area.level not in OVERVIEW_LEVELS:
        abort(404)
    itself, children, rows = overview.overview(area)
    return render_template(
        "summaries/area_overview.html",
        area=area,
        itself=itself,
        children=children,
        rows=rows,
    )


def _chosen(user) -> list[Area]:
    chosen = db.session.scalars(
        sa.select(Area)
        .join(DashboardArea, DashboardArea.area_id == Area.id)
        .where(DashboardArea.user_id == user.id)
        .order_by(Area.code)
    ).all()
    return list(chosen) or council_areas(user)


def _choices() -> list[Area]:
    return db.session.scalars(
        sa.select(Area).where(Area.level.in_(OVERVIEW_LEVELS)).order_by(Area.code)
    ).all()


@bp.get("/raad")
@require(reads_council_pages)
def dashboard():
    areas = _chosen(current_user)
    sections = []
    for area in areas:
        itself, _children, rows = overview.overview(area)
        sections.append((area, itself, rows))
    drafts = _drafts(areas)
    return render_template(
        "summaries/dashboard.html",
        sections=sections,
        chosen={area.id for area in areas},
        choices=_choices(),
        drafts=drafts,
    )


def _drafts(areas) -> list[Process]:
    """Processes in the areas whose decision-maker's summary is still a draft.

    Only those whose draft this visitor may read: a councillor who looks at
    another area sees its published outcomes, not which drafts it has.
    """
    ids = {
        p.id for area in areas for p in overview.published_in(area) if reads_drafts(current_user, p)
    }
    if not ids:
        return []
    return db.session.scalars(
        sa.select(Process)
        .join(DecisionSummary, DecisionSummary.process_id == Process.id)
        .where(
            Process.id.in_(ids),
            DecisionSummary.published_at.is_(None),
            DecisionSummary.text != "",
        )
        .order_by(Process.title)
    ).all()


@bp.post("/raad/gebieden")
@require(reads_council_pages)
def choose_areas():
    allowed = {area.id for area in _choices()}
    wanted = set()
    for value in request.form.getlist("area"):
        if whole_number(value) not in allowed:
            flash(_("Choose areas from the list."), "error")
            return redirect(url_for("summaries.dashboard"))
        wanted.add(whole_number(value))
    db.session.execute(sa.delete(DashboardArea).where(DashboardArea.user_id == current_user.id))
    db.session.add_all(
        DashboardArea(user_id=current_user.id, area_id=area_id) for area_id in wanted
    )
    db.session.commit()
    flash(_("Your dashboard shows the areas you chose."), "success")
    return redirect(url_for("summaries.dashboard"))
