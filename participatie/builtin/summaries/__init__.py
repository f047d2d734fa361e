"""The summaries plugin: what a process was for, who took part, what was said and done."""

from flask import render_template
from flask_babel import lazy_gettext as _l

from participatie.builtin.summaries import area_views  # noqa: F401 - registers its routes
from participatie.builtin.summaries import invalidation
from participatie.builtin.summaries import personal
from participatie.builtin.summaries.demo import load_demo
from participatie.builtin.summaries.views import api_bp
from participatie.builtin.summaries.views import bp
from participatie.plugins import Plugin


def process_tab(process, **context):
    return render_template("summaries/_process_tab.html", process=process)


def area_section(area, **context):
    from participatie.builtin.summaries.area_views import OVERVIEW_LEVELS

    if area.level not in OVERVIEW_LEVELS:
        return ""
    return render_template("summaries/_area_section.html", area=area)


def my_page(user, **context):
    from participatie.core.roles.permissions import reads_council_pages

    if not reads_council_pages(user):
        return ""
    return render_template("summaries/_my_page.html")


def document(doc: dict) -> None:
    """Add the summary endpoint to the OpenAPI document."""
    from participatie.core.api import openapi

    counts = {"type": "integer", "minimum": 0}
    doc["components"]["schemas"]["Summary"] = {
        "type": "object",
        "required": [
            "participants",
            "ideas",
            "ideas_offline",
            "comments",
            "votes",
            "representativeness",
            "by_status",
            "by_reason",
            "answers_on_time",
            "answers_late",
            "answers_overdue",
            "answers_open",
        ],
        "properties": {
            "participants": counts,
            "ideas": counts,
            "ideas_offline": counts,
            "comments": counts,
            "votes": counts,
            "representativeness": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["area_code", "participants", "population", "per_1000"],
                    "properties": {
                        "area_code": {"type": "string"},
                        "participants": {"type": ["integer", "null"]},
                        "population": {"type": ["integer", "null"]},
                        "per_1000": {"type": ["number", "null"]},
                    },
                },
            },
            "by_status": {"type": "object", "additionalProperties": counts},
            "by_reason": {"type": "object", "additionalProperties": counts},
            "answers_on_time": counts,
            "answers_late": counts,
            "answers_overdue": counts,
            "answers_open": counts,
        },
    }
    doc["paths"]["/processes/{slug}/summary"] = {
        "get": {
            "summary": "The figures of a process's summary",
            "parameters": [
                {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {
                "200": openapi.json_response("Summary", "Summary"),
                "404": openapi.NOT_FOUND,
            },
        }
    }


plugin = Plugin(
    name="summaries",
    label=_l("Summary for the council"),
    blueprints=(bp, api_bp),
    slots={"process_tab": process_tab, "area_section": area_section, "my_page": my_page},
    openapi=document,
    load_demo=load_demo,
    init_app=invalidation.init_app,
    personal_data=personal.personal_data,
    erase_personal_data=personal.erase_personal_data,
)
