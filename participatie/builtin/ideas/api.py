"""API endpoints for ideas, exactly as docs/api.md describes them."""

import sqlalchemy as sa
from flask import Blueprint
from flask import jsonify
from flask import request
from flask import url_for
from sqlalchemy.orm import selectinload

from participatie import plugins
from participatie.builtin.ideas.models import Idea
from participatie.builtin.ideas.models import STATUSES
from participatie.builtin.ideas.service import search
from participatie.core.api import openapi
from participatie.core.api.paging import BadRequest
from participatie.core.api.paging import choice
from participatie.core.api.paging import page_number
from participatie.core.api.paging import paginate
from participatie.core.api.serialize import moment
from participatie.core.processes.models import Process
from participatie.core.processes.queries import public_process_by_slug
from participatie.extensions import csrf
from participatie.extensions import db

bp = Blueprint("api_ideas", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.after_request
def open_to_everyone(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def item(idea, extra) -> dict:
    """The API fields of ``idea``, with ``extra``: those the other plugins add."""
    return {
        "id": idea.id,
        "title": idea.title,
        "theme": idea.theme.code if idea.theme else None,
        "buurt_code": idea.buurt.code if idea.buurt else None,
        "status": idea.status,
        "offline": idea.offline,
        "created_at": moment(idea.created_at),
        "url": url_for("ideas.detail", idea_id=idea.id, _external=True),
        **extra,
    }


@bp.get("/processes/<slug>/ideas")
def index(slug):
    page = page_number()
    sort = choice("sort", ("newest", "supports"), "newest")
    status = choice("status", STATUSES)
    process = public_process_by_slug(slug)
    if process is None:
        return jsonify({"error": "not_found"}), 404
    if not plugins.is_enabled(process, "ideas"):
        return jsonify({"items": [], "next": None})
    query = search(
        process,
        theme=request.args.get("theme"),
        buurt=request.args.get("buurt"),
        status=status,
        sort=sort,
    )
    rows, next_url = paginate(db.session, query, page, "api_ideas.index", slug=slug)
    extra = plugins.api_fields("idea", rows, lambda idea: process)
    return jsonify({"items": [item(idea, extra[idea.id]) for idea in rows], "next": next_url})


@bp.get("/ideas/<int:idea_id>")
def detail(idea_id):
    idea = db.session.scalar(
        sa.select(Idea)
        .join(Process, Process.id == Idea.process_id)
        .where(
            Idea.id == idea_id,
            Idea.hidden_at.is_(None),
            Idea.withdrawn_at.is_(None),
            Process.is_public,
        )
        .options(selectinload(Idea.theme), selectinload(Idea.buurt))
    )
    if idea is None or not plugins.is_enabled(idea.process, "ideas"):
        return jsonify({"error": "not_found"}), 404
    extra = plugins.api_fields("idea", [idea], lambda i: i.process)[idea.id]
    extra.update(plugins.api_fields("idea_detail", [idea], lambda i: i.process)[idea.id])
    data = item(idea, extra)
    data["text"] = idea.text
    data["merged_into"] = idea.merged_into_id
    return jsonify(data)


def document(doc: dict) -> None:
    """Add the idea endpoints and schemas to the OpenAPI document."""
    schemas = doc["components"]["schemas"]
    schemas["IdeaItem"] = {
        "type": "object",
        "required": [
            "id",
            "title",
            "theme",
            "buurt_code",
            "status",
            "offline",
            "created_at",
            "url",
        ],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "theme": {"type": ["string", "null"]},
            "buurt_code": {"type": ["string", "null"]},
            "status": {"enum": list(STATUSES)},
            "offline": {"type": "boolean"},
            "created_at": {"type": "string", "format": "date-time"},
            "url": {"type": "string", "format": "uri"},
        },
    }
    schemas["IdeaList"] = {
        "type": "object",
        "required": ["items", "next"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/IdeaItem"}},
            "next": {"type": ["string", "null"], "format": "uri"},
        },
    }
    schemas["IdeaDetail"] = {
        "allOf": [{"$ref": "#/components/schemas/IdeaItem"}],
        "type": "object",
        "required": ["text", "merged_into"],
        "properties": {
            "text": {"type": "string"},
            "merged_into": {"type": ["integer", "null"]},
        },
    }
    parameters = [
        {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}},
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        {"name": "sort", "in": "query", "schema": {"enum": ["newest", "supports"]}},
        {"name": "theme", "in": "query", "schema": {"type": "string"}},
        {"name": "buurt", "in": "query", "schema": {"type": "string"}},
        {"name": "status", "in": "query", "schema": {"enum": list(STATUSES)}},
    ]
    doc["paths"]["/processes/{slug}/ideas"] = {
        "get": {
            "summary": "Visible ideas of a process, newest first",
            "parameters": parameters,
            "responses": {
                "200": openapi.json_response("Ideas", "IdeaList"),
                "400": openapi.BAD_REQUEST,
                "404": openapi.NOT_FOUND,
            },
        }
    }
    doc["paths"]["/ideas/{id}"] = {
        "get": {
            "summary": "One idea with its text, answers and milestones",
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "responses": {
                "200": openapi.json_response("Idea", "IdeaDetail"),
                "404": openapi.NOT_FOUND,
            },
        }
    }


__all__ = ["bp", "document", "BadRequest"]
