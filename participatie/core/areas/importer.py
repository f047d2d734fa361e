"""Import areas from a CSV in the layout of the shipped CBS file.

All or nothing: every row is checked first; when any row is wrong, nothing is
imported and every wrong row is reported. Importing the same file again
changes nothing. Rows of other municipalities are skipped and counted.
"""

import re
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from decimal import InvalidOperation
from pathlib import Path

import sqlalchemy as sa

from participatie import csvtext
from participatie.core.areas.models import Area
from participatie.core.areas.models import AreaFigure
from participatie.core.areas.models import LEVELS
from participatie.extensions import db

SHIPPED_FILE = (
    Path(__file__).resolve().parents[2] / "data" / "cbs" / "enschede_hengelo_areas_2024.csv"
)
REQUIRED_COLUMNS = ("code", "name", "level", "parent_code", "gemeente_code")

# CSV column -> (figure key, unit). The key is what the API shows.
FIGURE_COLUMNS = {
    "population": ("population", "inwoners"),
    "men": ("men", "inwoners"),
    "women": ("women", "inwoners"),
    "population_density_per_km2": ("population_density", "inwoners per km²"),
    "housing_stock": ("housing_stock", "woningen"),
    "area_total_ha": ("area_total", "ha"),
    "area_land_ha": ("area_land", "ha"),
    "area_water_ha": ("area_water", "ha"),
}

CODE_PATTERNS = {
    "gemeente": re.compile(r"^GM\d{4}$"),
    "wijk": re.compile(r"^WK\d{6}$"),
    "buurt": re.compile(r"^BU\d{8}$"),
    "stadsdeel": re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,19}$"),
}
PARENT_LEVELS = {
    "gemeente": (),
    "stadsdeel": ("gemeente",),
    "wijk": ("gemeente", "stadsdeel"),
    "buurt": ("wijk",),
}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_other_municipality: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    line: int
    code: str
    name: str
    level: str
    parent_code: str
    figures: dict


def import_areas(lines, municipality: str) -> ImportReport:
    """Import areas of ``municipality`` from CSV text lines; the caller commits."""
    report = ImportReport()
    reader = csvtext.dict_reader(lines)
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        report.errors.append((1, f"missing columns: {', '.join(missing)}"))
        return report
    rows = []
    try:
        for row in csvtext.rows(reader):
            line = reader.line_num
            if (row.get("gemeente_code") or "").strip() != municipality:
                report.skipped_other_municipality += 1
                continue
            parsed = _parse(row, line, report)
            if parsed is not None:
                rows.append(parsed)
    except csvtext.CsvBroken as broken:
        report.errors.append((broken.line, broken.message))
        return report
    if not rows and not report.errors:
        report.errors.append((0, f"no rows for municipality {municipality}"))
        return report

    # The rows that parsed are checked against each other and the database
    # too, so one run reports every wrong row.
    existing = {area.code: area for area in db.session.scalars(sa.select(Area))}
    known = {code: area.level for code, area in existing.items()}
    known.update({row.code: row.level for row in rows})
    seen = set()
    for row in rows:
        if row.code in seen:
            report.errors.append((row.line, f"{row.code}: appears twice"))
        seen.add(row.code)
        if row.level == "gemeente":
            if row.code != municipality:
                report.errors.append((row.line, f"{row.code}: not the municipality {municipality}"))
            continue
        parent_level = known.get(row.parent_code)
        if parent_level is None:
            report.errors.append((row.line, f"{row.code}: parent {row.parent_code!r} is unknown"))
        elif parent_level not in PARENT_LEVELS[row.level]:
            report.errors.append(
                (row.line, f"{row.code}: a {row.level} cannot lie in a {parent_level}")
            )
    if report.errors:
        report.errors.sort()
        return report

    # Parents first, so every parent exists when its children are placed.
    order = {level: index for index, level in enumerate(LEVELS)}
    for row in sorted(rows, key=lambda r: order[r.level]):
        _apply(row, existing, report)
    return report


def _parse(row: dict, line: int, report: ImportReport) -> _Row | None:
    code = (row.get("code") or "").strip()
    name = (row.get("name") or "").strip()
    level = (row.get("level") or "").strip()
    parent_code = (row.get("parent_code") or "").strip()
    problems = []
    if level not in LEVELS:
        problems.append(f"level {level!r} is not one of {', '.join(LEVELS)}")
    elif not CODE_PATTERNS[level].match(code):
        problems.append(f"code {code!r} does not fit level {level}")
    if not name:
        problems.append("name is empty")
    elif len(name) > 120:
        problems.append("name is longer than 120 characters")
    if level != "gemeente" and level in LEVELS and not parent_code:
        problems.append("parent_code is empty")
    figures = {}
    year_text = (row.get("stats_year") or "").strip()
    source = (row.get("stats_source") or "").strip()
    for column, (key, unit) in FIGURE_COLUMNS.items():
        text = (row.get(column) or "").strip()
        if not text:
            continue
        try:
            value = Decimal(text)
        except InvalidOperation:
            problems.append(f"{column} {text!r} is not a number")
            continue
        if not (year_text.isascii() and year_text.isdigit() and len(year_text) == 4) or not source:
            problems.append(f"{column} has a value but stats_year or stats_source is missing")
            continue
        figures[key] = (value, unit, int(year_text), source)
    if problems:
        report.errors.append((line, f"{code or '?'}: " + "; ".join(problems)))
        return None
    return _Row(line, code, name, level, parent_code, figures)


def _apply(row: _Row, existing: dict, report: ImportReport) -> None:
    area = existing.get(row.code)
    parent = existing.get(row.parent_code) if row.parent_code else None
    changed = False
    if area is None:
        area = Area(code=row.code, name=row.name, level=row.level, parent=parent)
        db.session.add(area)
        existing[row.code] = area
        report.created += 1
    else:
        if area.name != row.name or area.level != row.level:
            area.name, area.level = row.name, row.level
            changed = True
        # A wijk the municipality placed in a stadsdeel stays there when the
        # CBS file, which knows no stadsdelen, names the gemeente as parent.
        if parent is not None and area.parent is not parent:
            if not (area.parent is not None and area.parent.is_within(parent)):
                area.parent = parent
                changed = True
    changed |= _apply_figures(area, row.figures)
    if area in db.session.new:
        return
    if changed:
        report.updated += 1
    else:
        report.unchanged += 1


def _apply_figures(area: Area, figures: dict) -> bool:
    """Add or correct each figure of its year; figures of other years stay."""
    current = {(figure.key, figure.year): figure for figure in area.figures}
    changed = False
    for key, (value, unit, year, source) in figures.items():
        figure = current.get((key, year))
        if figure is None:
            area.figures.append(
                AreaFigure(key=key, value=value, unit=unit, year=year, source=source)
            )
            changed = True
        elif (figure.value, figure.unit, figure.year, figure.source) != (value, unit, year, source):
            figure.value, figure.unit, figure.year, figure.source = value, unit, year, source
            changed = True
    return changed


def import_file(path, municipality: str) -> ImportReport:
    with open(path, newline="", encoding="utf-8-sig") as file:
        return import_areas(file, municipality)
