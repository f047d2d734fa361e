"""What the codes of the area cycle say, in the user's language."""

from flask_babel import lazy_gettext as _l

PARTNER_KIND = {
    "wijkraad": _l("Wijkraad (residents' council)"),
    "housing-corporation": _l("Housing corporation"),
    "welfare": _l("Welfare organisation"),
    "police": _l("Police"),
    "school": _l("School"),
    "business-association": _l("Business association"),
    "municipality": _l("Municipality (or one of its departments)"),
    "other": _l("Other organisation"),
}

PERSON_ROLE = {
    "wijkwethouder": _l("Wijkwethouder (alderman for the area)"),
    "stadsdeelregisseur": _l("Stadsdeelregisseur (district coordinator)"),
    "gebiedsregisseur": _l("Gebiedsregisseur (area coordinator)"),
    "wijkagent": _l("Wijkagent (community police officer)"),
    "other": _l("Other"),
}

DOMAIN = {
    "sociaal": _l("Social"),
    "fysiek": _l("Physical"),
    "veiligheid": _l("Safety"),
}

TASK_STATUS = {
    "active": _l("Being worked on"),
    "achieved": _l("Achieved"),
    "stopped": _l("Stopped"),
}

WORK_STATUS = {
    "planned": _l("Planned"),
    "in-execution": _l("In execution"),
    "done": _l("Done"),
    "postponed": _l("Postponed"),
    "cancelled": _l("Cancelled"),
}

DECISION = {
    "coordinated": _l("Coordinated"),
    "not-applicable": _l("Not applicable"),
}

#: Figure keys of the area data (``core.areas.importer``), for indicators.
FIGURE = {
    "population": _l("Inhabitants"),
    "men": _l("Men"),
    "women": _l("Women"),
    "population_density": _l("Inhabitants per km²"),
    "housing_stock": _l("Homes"),
    "area_total": _l("Area in hectares"),
    "area_land": _l("Land in hectares"),
    "area_water": _l("Water in hectares"),
}
