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


# The units the CBS figures are stored with (Dutch, as the API gives them), shown in
# the reader's language. An indicator with another unit shows it as written, marked
# as Dutch on pages in another language.
UNIT = {
    "inwoners": _l("inhabitants"),
    "woningen": _l("dwellings"),
    "inwoners per km²": _l("inhabitants per km²"),
    "ha": "ha",
}


def unit_label(unit: str | None):
    if not unit:
        return ""
    if unit in UNIT:
        return UNIT[unit]
    from participatie.templating import content

    return content(unit)
