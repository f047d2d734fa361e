"""Area pages: children, processes, and figures compared with the gemeente."""

from flask import abort
from flask import Blueprint
from flask import render_template
from flask import request

from participatie.core.areas.queries import area_by_code
from participatie.core.areas.queries import comparison
from participatie.core.areas.queries import municipality
from participatie.core.processes.queries import processes_in

bp = Blueprint("areas", __name__)


@bp.get("/gebieden/<code>")
def detail(code):
    area = area_by_code(code)
    if area is None:
        abort(404)
    gemeente = municipality()
    if gemeente is None or not area.is_within(gemeente):
        abort(404)
    text = request.args.get("pagina", "1")
    page = int(text) if text.isdigit() and int(text) > 0 else 1
    processes, has_next = processes_in(area, page)
    return render_template(
        "areas/detail.html",
        area=area,
        gemeente=gemeente,
        figures=comparison(area, gemeente),
        processes=processes,
        page=page,
        has_next=has_next,
    )
