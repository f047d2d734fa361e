"""Names of area figures, in the reader's language."""

from flask_babel import lazy_gettext as _l

FIGURE = {
    "population": _l("Inhabitants"),
    "men": _l("Men"),
    "women": _l("Women"),
    "population_density": _l("Population density"),
    "housing_stock": _l("Dwellings"),
    "area_total": _l("Total area"),
    "area_land": _l("Land area"),
    "area_water": _l("Water area"),
}


def figure_label(key: str) -> str:
    return FIGURE.get(key, key.replace("_", " "))
