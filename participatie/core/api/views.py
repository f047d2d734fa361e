"""Endpoints for areas and processes; plugins add the endpoints of their objects."""

import sqlalchemy as sa
from flask import Blueprint
from flask import jsonify
from sqlalchemy.orm import selectinload

from participatie import plugins
from participatie.core.api import serialize
from participatie.core.api.openapi import document
from participatie.core.api.paging import page_number
from participatie.core.api.paging import paginate
from participatie.core.areas.models import Area
from participatie.core.processes import revisions
from participatie.core.processes.models import Process
from participatie.core.processes.queries import public_process_by_slug
from participatie.extensions import csrf
from participatie.extensions import db
from participatie.extensions import utcnow

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.after_request
def open_to_everyone(response):
    # Open data: any site may read it from a browser.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def not_found():
    return jsonify({"error": "not_found"}), 404


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())


@bp.get("/areas")
def areas():
    page = page_number()
    query = sa.select(Area).options(selectinload(Area.parent)).order_by(Area.code)
    rows, next_url = paginate(db.session, query, page, "api.areas")
    return jsonify({"items": [serialize.area_item(a) for a in rows], "next": next_url})


@bp.get("/areas/<code>")
def area(code):
    area = db.session.scalar(
        sa.select(Area)
        .where(Area.code == code)
        .options(selectinload(Area.figures), selectinload(Area.children))
    )
    if area is None:
        return not_found()
    return jsonify(serialize.area_detail(area))


@bp.get("/processes")
def processes():
    page = page_number()
    query = (
        sa.select(Process)
        .where(Process.is_public)
        .options(selectinload(Process.phases))
        .order_by(Process.published_at.desc(), Process.slug)
    )
    rows, next_url = paginate(db.session, query, page, "api.processes")
    now = utcnow()
    return jsonify({"items": [serialize.process_item(p, now) for p in rows], "next": next_url})


@bp.get("/processes/<slug>")
def process(slug):
    process = public_process_by_slug(slug, full=True)
    if process is None:
        return not_found()
    count = revisions.counts([process.id]).get(process.id, 0)
    data = serialize.process_detail(process, utcnow(), count)
    # Fields plugins add (the agenda plugin's ``task``), without the core knowing them.
    data.update(plugins.api_fields("process_detail", [process], lambda p: p)[process.id])
    return jsonify(data)


@bp.get("/processes/<slug>/framing-history")
def framing_history(slug):
    process = public_process_by_slug(slug)
    if process is None:
        return not_found()
    return jsonify({"items": [serialize.framing_revision(r) for r in revisions.history(process)]})
