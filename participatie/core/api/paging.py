"""Paging and parameter errors shared by every list endpoint."""

from flask import jsonify
from flask import request
from flask import url_for
from werkzeug.exceptions import HTTPException

from participatie.core.paging import MAX_NUMBER
from participatie.core.paging import whole_number

PAGE_SIZE = 50


class BadRequest(HTTPException):
    code = 400

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail

    def get_response(self, environ=None, scope=None):
        response = jsonify({"error": "bad_request", "detail": self.detail})
        response.status_code = 400
        return response


def page_number() -> int:
    number = whole_number(request.args.get("page", "1"))
    if number is None:
        raise BadRequest(f"page must be a whole number from 1 to {MAX_NUMBER}")
    return number


def choice(name: str, allowed: tuple[str, ...], default: str | None = None) -> str | None:
    value = request.args.get(name, default)
    if value is not None and value not in allowed:
        raise BadRequest(f"{name} must be one of: {', '.join(allowed)}")
    return value


def paginate(session, query, page: int, endpoint: str, **values):
    """Run ``query`` for ``page``; return (rows, absolute URL of the next page or None)."""
    rows = list(session.scalars(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)))
    next_url = None
    if len(rows) > PAGE_SIZE:
        rows = rows[:PAGE_SIZE]
        arguments = {**request.args.to_dict(), **values, "page": page + 1}
        next_url = url_for(endpoint, _external=True, **arguments)
    return rows, next_url
