"""``GET /api/v1/processes/<slug>/budget``: the budget vote as fixed in the API contract.

The one endpoint that answers 404 while its plugin is off: a process without
a budget vote has nothing to show, whether the plugin is on or off.
"""

from flask import Blueprint
from flask import jsonify
from flask import url_for

from participatie import plugins
from participatie.builtin.budgets import service
from participatie.builtin.budgets.models import BALLOT_KINDS
from participatie.builtin.budgets.models import RULES
from participatie.builtin.budgets.models import STATUSES
from participatie.core.processes.queries import public_process_by_slug

bp = Blueprint("api_budgets", __name__, url_prefix="/api/v1")


@bp.after_request
def open_to_everyone(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def budget_json(process, vote) -> dict:
    current = service.status(vote, process)
    published = current == "published"
    counts_shown = published or current == "closed" or vote.show_counts
    approvals = service.approvals(vote) if counts_shown and not published else {}
    spent = service.stored_outcome(vote).spent if published else None
    return {
        "budget": vote.budget,
        "rule": vote.rule,
        "partial_funding": vote.partial_funding,
        "status": current,
        "ballot": {
            "kind": vote.ballot_kind,
            "min_projects": vote.min_projects,
            "max_projects": vote.max_projects,
            "max_total_cost": vote.max_total_cost,
            "max_project_cost": vote.max_project_cost,
        },
        "ballots": service.ballot_count(vote),
        "voters": service.voters(vote),
        "spent": spent,
        "leftover": vote.budget - spent if published else None,
        "projects": [
            {
                "id": p.id,
                "title": p.title,
                "cost": p.cost,
                "idea_ids": p.idea_ids,
                "theme": p.theme_code,
                "external_id": p.external_id,
                "approvals": p.approvals
                if published
                else (approvals.get(p.id, 0) if counts_shown else None),
                "selected": p.selected if published else None,
                "funded": p.funded if published else None,
                "decision_deviates": p.deviates,
                "url": url_for("budgets.ballot", slug=process.slug, _external=True)
                + f"#project-{p.id}",
            }
            for p in vote.projects
        ],
    }


@bp.get("/processes/<slug>/budget")
def budget(slug):
    process = public_process_by_slug(slug)
    vote = service.vote_of(process.id) if process is not None else None
    if vote is None:
        return jsonify({"error": "not_found"}), 404
    if not plugins.is_enabled(process, "budgets"):
        return jsonify({"error": "not_found"}), 404
    return jsonify(budget_json(process, vote))


def document(doc: dict) -> None:
    """Add the budget endpoint to the OpenAPI document."""
    from participatie.core.api import openapi

    count = {"type": "integer", "minimum": 0}
    maybe_int = {"type": ["integer", "null"]}
    doc["components"]["schemas"]["Budget"] = {
        "type": "object",
        "required": [
            "budget",
            "rule",
            "partial_funding",
            "status",
            "ballot",
            "ballots",
            "voters",
            "spent",
            "leftover",
            "projects",
        ],
        "properties": {
            "budget": {"type": "integer", "minimum": 1},
            "rule": {"enum": list(RULES)},
            "partial_funding": {"type": "boolean"},
            "status": {"enum": list(STATUSES)},
            "ballot": {
                "type": "object",
                "required": [
                    "kind",
                    "min_projects",
                    "max_projects",
                    "max_total_cost",
                    "max_project_cost",
                ],
                "properties": {
                    "kind": {"enum": list(BALLOT_KINDS)},
                    "min_projects": maybe_int,
                    "max_projects": maybe_int,
                    "max_total_cost": maybe_int,
                    "max_project_cost": maybe_int,
                },
            },
            "ballots": count,
            "voters": count,
            "spent": maybe_int,
            "leftover": maybe_int,
            "projects": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "id",
                        "title",
                        "cost",
                        "idea_ids",
                        "theme",
                        "external_id",
                        "approvals",
                        "selected",
                        "funded",
                        "decision_deviates",
                        "url",
                    ],
                    "properties": {
                        "id": {"type": "integer"},
                        "title": {"type": "string"},
                        "cost": {"type": "integer"},
                        "idea_ids": {"type": "array", "items": {"type": "integer"}},
                        "theme": {"type": ["string", "null"]},
                        "external_id": {"type": ["string", "null"]},
                        "approvals": maybe_int,
                        "selected": {"type": ["boolean", "null"]},
                        "funded": maybe_int,
                        "decision_deviates": {"type": "boolean"},
                        "url": {"type": "string", "format": "uri"},
                    },
                },
            },
        },
    }
    doc["paths"]["/processes/{slug}/budget"] = {
        "get": {
            "summary": "The budget vote of a process: rules, projects and, once published, the outcome",
            "parameters": [
                {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {
                "200": openapi.json_response("Budget vote", "Budget"),
                "404": openapi.NOT_FOUND,
            },
        }
    }
