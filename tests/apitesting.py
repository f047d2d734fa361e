"""The ``api`` fixture: GET under /api/v1 and check the answer against the OpenAPI document."""

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing import Resource


@pytest.fixture
def api(client):
    """GET a path under /api/v1 and check the answer against the OpenAPI document.

    The response schema is the one the document gives for the path's operation
    and the status code, so every endpoint is held to the published contract.
    """
    document = client.get("/api/v1/openapi.json").get_json()
    registry = Registry().with_resource(
        "urn:openapi",
        Resource.from_contents(document, default_specification=None)
        if False
        else Resource.opaque(document),
    )

    def get(path, expected_status=200):
        response = client.get("/api/v1" + path)
        assert response.status_code == expected_status, response.get_data(as_text=True)
        template = _match(document, path.split("?")[0])
        assert template is not None, f"{path} is not in the OpenAPI document"
        operation = document["paths"][template]["get"]
        schema = operation["responses"][str(response.status_code)]["content"]["application/json"][
            "schema"
        ]
        validator = Draft202012Validator(
            {"$ref": "urn:openapi#" + schema["$ref"][1:]}, registry=registry
        )
        errors = sorted(validator.iter_errors(response.get_json()), key=str)
        assert errors == [], [e.message for e in errors[:5]]
        return response.get_json()

    get.document = document
    return get


def _match(document, path):
    for template in document["paths"]:
        parts, actual = template.split("/"), path.split("/")
        if len(parts) == len(actual) and all(
            p == a or (p.startswith("{") and p.endswith("}"))
            for p, a in zip(parts, actual, strict=True)
        ):
            return template
    return None
