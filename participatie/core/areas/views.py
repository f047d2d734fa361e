"""Area pages: children, processes, and figures compared with the gemeente."""

from flask import abort
from flask import Blueprint
from flask import jsonify
from flask import render_template

from participatie.core.areas.boundaries import feature_collection
from participatie.core.areas.boundaries import has_boundary
from participatie.core.areas.queries import area_by_code
from participatie.core.areas.queries import child_figures
from participatie.core.areas.queries import comparison
from participatie.core.areas.queries import municipality
from participatie.core.paging import page_arg
from participatie.core.processes.queries import processes_in

bp = Blueprint("areas", __name__)


def _area_or_404(code):
    """The area, when it lies in the municipality this deployment serves."""
    area = area_by_code(code)
    if area is None:
        abort(404)
    gemeente = municipality()
    if gemeente is None or not area.is_within(gemeente):
        abort(404)
    return area, gemeente


@bp.get("/gebieden/<code>")
def detail(code):
    area, gemeente = _area_or_404(code)
    page = page_arg()
    processes, has_next = processes_in(area, page)
    return render_template(
        "areas/detail.html",
        area=area,
        gemeente=gemeente,
        figures=comparison(area, gemeente),
        densities=child_figures(area, "population_density"),
        processes=processes,
        page=page,
        has_next=has_next,
    )


@bp.get("/gebieden/<code>/kaart.geojson")
def map_geojson(code):
    """The boundaries of the area's children (or of the area itself), for its map.

    A stadsdeel, which has no CBS boundary, is drawn as the shapes of its wijken.
    """
    area, _ = _area_or_404(code)
    shown = area.children or [area]
    parts = {
        child.code: [part.code for part in child.children]
        for child in shown
        if not has_boundary(child.code)
    }
    response = jsonify(feature_collection([child.code for child in shown], parts))
    response.mimetype = "application/geo+json"
    return response
