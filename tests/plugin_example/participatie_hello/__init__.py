"""An external plugin: a greeting tab on every process, and a page of its own."""

from flask import Blueprint
from markupsafe import escape
from markupsafe import Markup
from participatie.core.processes.queries import process_by_slug
from participatie.plugins import Plugin
from participatie.plugins import require_enabled

bp = Blueprint("hello", __name__)


@bp.get("/hallo/<slug>")
def page(slug):
    process = process_by_slug(slug)
    if process is None or not process.is_public:
        return "not found", 404
    require_enabled(process, "hello")
    return f"Hallo van {escape(process.title)}"


def process_tab(process):
    return Markup('<section class="hello-tab"><p>Hallo, {}!</p></section>').format(process.title)


plugin = Plugin(
    name="hello",
    label="Hallo",
    blueprints=(bp,),
    slots={"process_tab": process_tab},
)
