"""Error pages in the site's style; a 500 shows a correlation id and nothing internal."""

import logging
import uuid

from flask import make_response
from flask import render_template
from flask import request
from flask import Response
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError

from participatie.extensions import db

log = logging.getLogger(__name__)

PAGES = {400, 403, 404, 405, 413, 429}
#: The header that tells static/js/htmx-errors.js to show an error page's words in place.
IN_PLACE = "X-Error-In-Place"


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(400, csrf=True)

    @app.errorhandler(HTTPException)
    def http_error(error):
        if request.path.startswith("/api/") and hasattr(error, "detail"):
            return error.get_response()
        if error.code not in PAGES:
            return error
        if error.code == 429:
            return _too_many()
        return _render(error.code)

    @app.errorhandler(InternalServerError)
    def server_error(error):
        original = getattr(error, "original_exception", None) or error
        correlation_id = uuid.uuid4().hex[:12]
        log.error(
            "Internal error %s on %s %s",
            correlation_id,
            request.method,
            request.path,
            exc_info=original,
        )
        db.session.rollback()
        return _render(500, correlation_id=correlation_id)


def _too_many():
    """429: when to try again, as a page, or as a message in place for htmx."""
    import math

    from participatie.ratelimits import retry_after_seconds

    seconds = retry_after_seconds() or 60
    minutes = max(1, math.ceil(seconds / 60))
    if request.headers.get("HX-Request"):
        response = Response(
            render_template("errors/_too_many.html", minutes=minutes), 429, mimetype="text/html"
        )
        response.headers[IN_PLACE] = "1"
    else:
        response = make_response(_render(429, minutes=minutes))
    response.headers["Retry-After"] = str(seconds)
    return response


def _render(code: int, **context):
    if request_ctx.url_adapter is None:
        # A host outside TRUSTED_HOSTS: no URL can be built, so no page either.
        return Response("Bad request: unknown host\n", 400, mimetype="text/plain")
    if request.path.startswith("/api/"):
        from flask import jsonify

        names = {404: "not_found", 400: "bad_request", 405: "method_not_allowed"}
        return jsonify({"error": names.get(code, "error")}), code
    if request.headers.get("HX-Request"):
        # htmx shows the message beside the control instead of swapping it away.
        response = Response(
            render_template("errors/_in_place.html", code=code, **_defaults(context)),
            code,
            mimetype="text/html",
        )
        response.headers[IN_PLACE] = "1"
        return response
    return render_template("errors/error.html", code=code, **_defaults(context)), code


def _defaults(context: dict) -> dict:
    return {"csrf": False, "minutes": None, "correlation_id": None, **context}
