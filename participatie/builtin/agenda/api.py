"""``/api/v1/areas/<code>/agenda``, ``/api/v1/areas/<code>/works`` and ``/api/v1/partners``.

Shapes as fixed in the API contract. Works of an area include those of the
areas below it. A work's owner is a partner, or the municipality.
"""

import sqlalchemy as sa
from flask import Blueprint
from flask import jsonify
from flask import request
from flask import url_for
from sqlalchemy.orm import selectinload

from participatie.builtin.agenda import service
from participatie.builtin.agenda.models import Agenda
from participatie.builtin.agenda.models import DOMAINS
from participatie.builtin.agenda.models import Partner
from participatie.builtin.agenda.models import PARTNER_KINDS
from participatie.builtin.agenda.models import ProcessTask
from participatie.builtin.agenda.models import Task
from participatie.builtin.agenda.models import TASK_STATUSES
from participatie.builtin.agenda.models import Work
from participatie.builtin.agenda.models import WORK_STATUSES
from participatie.core.api.paging import BadRequest
from participatie.core.api.paging import choice
from participatie.core.api.paging import page_number
from participatie.core.api.paging import paginate
from participatie.core.api.serialize import day
from participatie.core.areas.queries import area_by_code
from participatie.core.areas.queries import municipality
from participatie.core.paging import whole_number
from participatie.core.processes.models import Process
from participatie.extensions import csrf
from participatie.extensions import db

bp = Blueprint("api_agenda", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.after_request
def open_to_everyone(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _not_found():
    return jsonify({"error": "not_found"}), 404


def _number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def owner_json(work) -> dict:
    if work.owner is not None:
        return {"name": work.owner.name, "kind": work.owner.kind}
    gemeente = municipality()
    return {"name": gemeente.name if gemeente else "", "kind": "municipality"}


def work_json(work) -> dict:
    source = None
    if work.source_process is not None and work.source_process.is_public:
        source = {"process_slug": work.source_process.slug, "idea_id": work.source_idea_id}
    return {
        "id": work.id,
        "title": work.title,
        "task_id": work.task_id,
        "buurt_codes": work.buurt_codes,
        "starts": service.month_text(work.starts_on),
        "ends": service.month_text(work.ends_on),
        "owner": owner_json(work),
        "status": work.status,
        "source": source,
        "url": url_for("agenda.neighbourhood", code=work.area.code, _external=True)
        + f"#work-{work.id}",
    }


@bp.get("/areas/<code>/agenda")
def area_agenda(code):
    area = area_by_code(code)
    if area is None:
        return _not_found()
    page = page_number()
    query = (
        sa.select(Agenda)
        .where(Agenda.area_id == area.id)
        .options(selectinload(Agenda.tasks).selectinload(Task.indicators))
        .order_by(Agenda.period_start.desc(), Agenda.id)
    )
    rows, next_url = paginate(db.session, query, page, "api_agenda.area_agenda", code=code)
    task_ids = [t.id for agenda in rows for t in agenda.tasks]
    slugs: dict[int, list[str]] = {}
    if task_ids:
        for task_id, slug in db.session.execute(
            sa.select(ProcessTask.task_id, Process.slug)
            .join(Process, Process.id == ProcessTask.process_id)
            .where(ProcessTask.task_id.in_(task_ids), Process.is_public)
            .order_by(Process.slug)
        ):
            slugs.setdefault(task_id, []).append(slug)
    items = [
        {
            "id": agenda.id,
            "title": agenda.title,
            "period_start": agenda.period_start,
            "period_end": agenda.period_end,
            "adopted_on": day(agenda.adopted_on),
            "decision_reference": agenda.decision_reference,
            "tasks": [
                {
                    "id": task.id,
                    "title": task.title,
                    "domain": task.domain,
                    "status": task.status,
                    "indicators": [
                        {
                            "key": i.key,
                            "baseline": _number(i.baseline),
                            "target": _number(i.target),
                            "year": i.year,
                        }
                        for i in task.indicators
                    ],
                    "processes": slugs.get(task.id, []),
                }
                for task in agenda.tasks
            ],
        }
        for agenda in rows
    ]
    return jsonify({"items": items, "next": next_url})


@bp.get("/areas/<code>/works")
def area_works(code):
    area = area_by_code(code)
    if area is None:
        return _not_found()
    page = page_number()
    status = choice("status", WORK_STATUSES)
    year_text = request.args.get("year")
    year = None
    if year_text is not None:
        year = whole_number(year_text, 9999)
        if year is None:
            raise BadRequest("year must be a whole number from 1 to 9999")
    query = service.works_query(area, year, status).options(selectinload(Work.source_process))
    rows, next_url = paginate(db.session, query, page, "api_agenda.area_works", code=code)
    return jsonify({"items": [work_json(w) for w in rows], "next": next_url})


@bp.get("/partners")
def partners():
    page = page_number()
    query = (
        sa.select(Partner).options(selectinload(Partner.areas)).order_by(Partner.name, Partner.id)
    )
    rows, next_url = paginate(db.session, query, page, "api_agenda.partners")
    items = [
        {
            "id": p.id,
            "name": p.name,
            "kind": p.kind,
            "website": p.website,
            "area_codes": [a.code for a in p.areas],
        }
        for p in rows
    ]
    return jsonify({"items": items, "next": next_url})


def document(doc: dict) -> None:
    """Add the area cycle's endpoints to the OpenAPI document, and the process's task."""
    from participatie.core.api import openapi

    maybe_number = {"type": ["number", "null"]}
    schemas = doc["components"]["schemas"]
    schemas["Agenda"] = {
        "type": "object",
        "required": [
            "id",
            "title",
            "period_start",
            "period_end",
            "adopted_on",
            "decision_reference",
            "tasks",
        ],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "period_start": {"type": "integer"},
            "period_end": {"type": "integer"},
            "adopted_on": {"type": ["string", "null"], "format": "date"},
            "decision_reference": {"type": "string"},
            "tasks": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "title", "domain", "status", "indicators", "processes"],
                    "properties": {
                        "id": {"type": "integer"},
                        "title": {"type": "string"},
                        "domain": {"enum": list(DOMAINS)},
                        "status": {"enum": list(TASK_STATUSES)},
                        "indicators": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["key", "baseline", "target", "year"],
                                "properties": {
                                    "key": {"type": "string"},
                                    "baseline": maybe_number,
                                    "target": maybe_number,
                                    "year": {"type": ["integer", "null"]},
                                },
                            },
                        },
                        "processes": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
        },
    }
    schemas["Work"] = {
        "type": "object",
        "required": [
            "id",
            "title",
            "task_id",
            "buurt_codes",
            "starts",
            "ends",
            "owner",
            "status",
            "source",
            "url",
        ],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "task_id": {"type": ["integer", "null"]},
            "buurt_codes": {"type": "array", "items": {"type": "string"}},
            "starts": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
            "ends": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
            "owner": {
                "type": "object",
                "required": ["name", "kind"],
                "properties": {"name": {"type": "string"}, "kind": {"enum": list(PARTNER_KINDS)}},
            },
            "status": {"enum": list(WORK_STATUSES)},
            "source": {
                "type": ["object", "null"],
                "required": ["process_slug", "idea_id"],
                "properties": {
                    "process_slug": {"type": "string"},
                    "idea_id": {"type": ["integer", "null"]},
                },
            },
            "url": {"type": "string", "format": "uri"},
        },
    }
    schemas["Partner"] = {
        "type": "object",
        "required": ["id", "name", "kind", "website", "area_codes"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "kind": {"enum": list(PARTNER_KINDS)},
            "website": {"type": "string"},
            "area_codes": {"type": "array", "items": {"type": "string"}},
        },
    }
    for name in ("Agenda", "Work", "Partner"):
        schemas[f"{name}List"] = openapi._list_of(f"#/components/schemas/{name}")
    openapi.add_fields(
        doc,
        "ProcessDetail",
        {
            "task": {
                "type": ["object", "null"],
                "required": ["agenda_id", "task_id", "title", "area_code"],
                "properties": {
                    "agenda_id": {"type": "integer"},
                    "task_id": {"type": "integer"},
                    "title": {"type": "string"},
                    "area_code": {"type": "string"},
                },
            }
        },
    )
    code = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
    page = openapi.PAGE
    doc["paths"]["/areas/{code}/agenda"] = {
        "get": {
            "summary": "The area's agendas, newest period first, with their tasks",
            "parameters": [code, page],
            "responses": {
                "200": openapi.json_response("Agendas", "AgendaList"),
                "400": openapi.BAD_REQUEST,
                "404": openapi.NOT_FOUND,
            },
        }
    }
    doc["paths"]["/areas/{code}/works"] = {
        "get": {
            "summary": "The works of the area and the areas below it, by start month",
            "parameters": [
                code,
                page,
                {"name": "year", "in": "query", "schema": {"type": "integer"}},
                {"name": "status", "in": "query", "schema": {"enum": list(WORK_STATUSES)}},
            ],
            "responses": {
                "200": openapi.json_response("Works", "WorkList"),
                "400": openapi.BAD_REQUEST,
                "404": openapi.NOT_FOUND,
            },
        }
    }
    doc["paths"]["/partners"] = {
        "get": {
            "summary": "The partners that work in the areas",
            "parameters": [page],
            "responses": {
                "200": openapi.json_response("Partners", "PartnerList"),
                "400": openapi.BAD_REQUEST,
            },
        }
    }
