"""Import area indicators from a CSV of code, key, value, unit, year, source.

All or nothing, idempotent, every wrong row reported (product rule 8: use the
area's information). A figure is one value per area, key and year:
importing another year of a key adds it beside the earlier years (pages show
the latest; the API and the councillor's indicators show them all), and
importing a year again corrects it.
"""

import re
from decimal import Decimal
from decimal import InvalidOperation

import sqlalchemy as sa

from participatie import csvtext
from participatie.core.areas.importer import ImportReport
from participatie.core.areas.models import Area
from participatie.core.areas.models import AreaFigure
from participatie.extensions import db

COLUMNS = ("code", "key", "value", "unit", "year", "source")
KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def import_indicators(lines) -> ImportReport:
    """Import indicator rows; the caller commits when the report is ok."""
    report = ImportReport()
    reader = csvtext.dict_reader(lines)
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        report.errors.append((1, f"missing columns: {', '.join(missing)}"))
        return report
    areas = {area.code: area for area in db.session.scalars(sa.select(Area))}
    rows, seen = [], set()
    try:
        for row in csvtext.rows(reader):
            line = reader.line_num
            values = {c: (row.get(c) or "").strip() for c in COLUMNS}
            problems = []
            area = areas.get(values["code"])
            if area is None:
                problems.append(f"area {values['code']!r} is unknown")
            if not KEY.match(values["key"]):
                problems.append(f"key {values['key']!r}: use lowercase letters, digits and _")
            try:
                value = Decimal(values["value"].replace(",", "."))
                if not value.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                problems.append(f"value {values['value']!r} is not a number")
                value = None
            if (
                not (values["year"].isascii() and values["year"].isdigit())
                or not 1900 <= int(values["year"]) <= 2100
            ):
                problems.append(f"year {values['year']!r} is not a year")
            if not values["source"]:
                problems.append("source is empty")
            if len(values["unit"]) > 40 or len(values["source"]) > 200:
                problems.append("unit or source is too long")
            if (values["code"], values["key"], values["year"]) in seen:
                problems.append(f"{values['code']} {values['key']} {values['year']} appears twice")
            seen.add((values["code"], values["key"], values["year"]))
            if problems:
                report.errors.append((line, "; ".join(problems)))
            else:
                rows.append(
                    (
                        area,
                        values["key"],
                        value,
                        values["unit"],
                        int(values["year"]),
                        values["source"],
                    )
                )
    except csvtext.CsvBroken as broken:
        report.errors.append((broken.line, broken.message))
        return report
    if report.errors:
        return report
    for area, key, value, unit, year, source in rows:
        figure = next((f for f in area.figures if f.key == key and f.year == year), None)
        if figure is None:
            area.figures.append(
                AreaFigure(key=key, value=value, unit=unit, year=year, source=source)
            )
            report.created += 1
        elif (figure.value, figure.unit, figure.source) != (value, unit, source):
            figure.value, figure.unit, figure.source = value, unit, source
            report.updated += 1
        else:
            report.unchanged += 1
    return report
