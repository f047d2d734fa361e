"""The API contract as an OpenAPI 3.1 document, served at /api/v1/openapi.json.

Plugins add their paths, schemas and fields through ``Plugin.openapi``: the
registry keeps those functions on the app (``app.extensions`` under
``CONTRIBUTORS``), and each receives the document and changes it, in the
order of the registry.
"""

import copy

from flask import current_app

from participatie.core.processes.models import PUBLIC_STATUSES

#: The key in ``app.extensions`` of the functions that add to the document.
CONTRIBUTORS = "participatie.openapi"


def add_fields(doc: dict, schema: str, properties: dict) -> None:
    """Add required ``properties`` to ``schema``: a plugin's fields of another's object."""
    target = doc["components"]["schemas"][schema]
    target.setdefault("properties", {}).update(properties)
    target.setdefault("required", []).extend(properties)


def _nullable(kind: str) -> dict:
    return {"type": [kind, "null"]}


def _list_of(ref: str) -> dict:
    return {
        "type": "object",
        "required": ["items", "next"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": ref}},
            "next": {"type": ["string", "null"], "format": "uri"},
        },
    }


SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string"}, "detail": {"type": "string"}},
    },
    "AreaItem": {
        "type": "object",
        "required": ["code", "name", "level", "parent_code", "population", "url"],
        "properties": {
            "code": {"type": "string"},
            "name": {"type": "string"},
            "level": {"enum": ["gemeente", "stadsdeel", "wijk", "buurt"]},
            "parent_code": _nullable("string"),
            "population": _nullable("integer"),
            "url": {"type": "string", "format": "uri"},
        },
    },
    "Figure": {
        "type": "object",
        "required": ["key", "value", "unit", "year", "source"],
        "properties": {
            "key": {"type": "string"},
            "value": {"type": "number"},
            "unit": {"type": "string"},
            "year": {"type": "integer"},
            "source": {"type": "string"},
        },
    },
    "ProcessItem": {
        "type": "object",
        "required": ["slug", "title", "area_code", "level", "status", "current_phase", "url"],
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "area_code": {"type": "string"},
            "level": {"enum": ["inform", "consult", "advise", "co-create", "co-decide"]},
            "status": {"enum": list(PUBLIC_STATUSES)},
            "current_phase": _nullable("string"),
            "url": {"type": "string", "format": "uri"},
        },
    },
    "Framing": {
        "type": "object",
        "required": [
            "reasons",
            "level",
            "fixed_limits",
            "open_questions",
            "horizontal_limits",
            "decision_maker",
            "integrality",
            "execution_owner",
            "participation_ends",
            "answer_within_days",
            "participation_rules",
        ],
        "properties": {
            "reasons": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["kind", "text"],
                    "properties": {
                        "kind": {"enum": ["support", "interests", "knowledge"]},
                        "text": {"type": "string"},
                    },
                },
            },
            "level": {"enum": ["inform", "consult", "advise", "co-create", "co-decide"]},
            "fixed_limits": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "id",
                        "title",
                        "source",
                        "description",
                        "kind",
                        "amount",
                        "lapsed_on",
                    ],
                    "properties": {
                        "id": {"type": "integer"},
                        "title": {"type": "string"},
                        "source": {"type": "string"},
                        "description": {"type": "string"},
                        "kind": {
                            "enum": [
                                "budget",
                                "council-decision",
                                "policy",
                                "law",
                                "planning",
                                "other",
                            ]
                        },
                        "amount": {"type": ["integer", "null"]},
                        "lapsed_on": {"type": ["string", "null"], "format": "date"},
                    },
                },
            },
            "open_questions": {"type": "array", "items": {"type": "string"}},
            "horizontal_limits": {"type": "string"},
            "decision_maker": {"type": "string"},
            "integrality": {"enum": ["balance", "policy", "execution"]},
            "execution_owner": {"type": "string"},
            "participation_ends": {"enum": ["plan", "execution"]},
            "answer_within_days": {"type": "integer"},
            "participation_rules": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["action", "who", "min_age", "max_age"],
                    "properties": {
                        "action": {"enum": ["submit", "comment", "vote", "budget", None]},
                        "who": {
                            "type": "array",
                            "items": {"enum": ["account", "area-resident", "code", "oidc"]},
                        },
                        "min_age": {"type": ["integer", "null"]},
                        "max_age": {"type": ["integer", "null"]},
                    },
                },
            },
        },
    },
    "Phase": {
        "type": "object",
        "required": ["name", "starts", "ends", "actions"],
        "properties": {
            "name": {"type": "string"},
            "starts": {"type": "string", "format": "date-time"},
            "ends": {"type": "string", "format": "date-time"},
            "actions": {
                "type": "array",
                "items": {"enum": ["submit", "comment", "vote", "budget"]},
            },
        },
    },
}
SCHEMAS["AreaDetail"] = {
    "allOf": [{"$ref": "#/components/schemas/AreaItem"}],
    "type": "object",
    "required": ["figures", "children"],
    "properties": {
        "figures": {"type": "array", "items": {"$ref": "#/components/schemas/Figure"}},
        "children": {"type": "array", "items": {"type": "string"}},
    },
}
SCHEMAS["ProcessDetail"] = {
    "allOf": [{"$ref": "#/components/schemas/ProcessItem"}],
    "type": "object",
    "required": ["summary", "framing", "phases", "framing_revisions"],
    "properties": {
        "summary": {"type": "string"},
        "framing_revisions": {"type": "integer", "minimum": 0},
        "framing": {"$ref": "#/components/schemas/Framing"},
        "phases": {"type": "array", "items": {"$ref": "#/components/schemas/Phase"}},
        "themes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "name"],
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
            },
        },
    },
}
SCHEMAS["FramingRevision"] = {
    "type": "object",
    "required": ["number", "changed_at", "explanation", "changes"],
    "properties": {
        "number": {"type": "integer", "minimum": 0},
        "changed_at": {"type": "string", "format": "date-time"},
        "explanation": {"type": "string"},
        "changes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "old", "new"],
                "properties": {"field": {"type": "string"}, "old": {}, "new": {}},
            },
        },
    },
}
SCHEMAS["FramingHistory"] = {
    "type": "object",
    "required": ["items"],
    "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/FramingRevision"}}
    },
}
SCHEMAS["AreaList"] = _list_of("#/components/schemas/AreaItem")
SCHEMAS["ProcessList"] = _list_of("#/components/schemas/ProcessItem")


def json_response(description: str, schema: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


PAGE = {
    "name": "page",
    "in": "query",
    "required": False,
    "schema": {"type": "integer", "minimum": 1, "default": 1},
    "description": "1-based page number; at most 50 items a page.",
}
NOT_FOUND = json_response("Unknown object", "Error")
BAD_REQUEST = json_response("Bad parameter", "Error")


def _path_parameter(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


PATHS = {
    "/areas": {
        "get": {
            "summary": "Areas of the municipality, by code",
            "parameters": [PAGE],
            "responses": {"200": json_response("Areas", "AreaList"), "400": BAD_REQUEST},
        }
    },
    "/areas/{code}": {
        "get": {
            "summary": "One area with its figures and children",
            "parameters": [_path_parameter("code")],
            "responses": {"200": json_response("Area", "AreaDetail"), "404": NOT_FOUND},
        }
    },
    "/processes": {
        "get": {
            "summary": "Published and closed processes, newest first",
            "parameters": [PAGE],
            "responses": {"200": json_response("Processes", "ProcessList"), "400": BAD_REQUEST},
        }
    },
    "/processes/{slug}": {
        "get": {
            "summary": "One process with its framing and phases",
            "parameters": [_path_parameter("slug")],
            "responses": {"200": json_response("Process", "ProcessDetail"), "404": NOT_FOUND},
        }
    },
    "/processes/{slug}/framing-history": {
        "get": {
            "summary": "Every revision of a process's framing, newest first (0 is its publication)",
            "parameters": [_path_parameter("slug")],
            "responses": {
                "200": json_response("Framing history", "FramingHistory"),
                "404": NOT_FOUND,
            },
        }
    },
}


def document() -> dict:
    """The OpenAPI document, with what plugins add."""
    doc = {
        "openapi": "3.1.0",
        "info": {
            "title": "Participatie open data API",
            "version": "1",
            "description": "Read-only, no login, published data only.",
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "servers": [{"url": "/api/v1"}],
        "paths": copy.deepcopy(PATHS),
        "components": {"schemas": copy.deepcopy(SCHEMAS)},
    }
    for contributor in current_app.extensions.get(CONTRIBUTORS, ()):
        contributor(doc)
    return doc
