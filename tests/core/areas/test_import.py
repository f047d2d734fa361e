import io

import sqlalchemy as sa
from participatie.core.areas.importer import import_areas
from participatie.core.areas.importer import import_file
from participatie.core.areas.importer import SHIPPED_FILE
from participatie.core.areas.models import Area
from participatie.core.areas.models import AreaFigure
from participatie.extensions import db

HEADER = "code,name,level,parent_code,gemeente_code,population,stats_year,stats_source\n"


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_shipped_file_imports_the_real_enschede_areas(app_ctx):
    report = import_file(SHIPPED_FILE, "GM0153")
    db.session.commit()
    assert report.ok
    assert (report.created, report.skipped_other_municipality) == (81, 73)
    gemeente = db.session.scalar(sa.select(Area).where(Area.code == "GM0153"))
    assert gemeente.population == 161738
    assert len(gemeente.children) == 10
    zuid = db.session.scalar(sa.select(Area).where(Area.code == "WK015306"))
    assert (zuid.population, zuid.parent.code, zuid.display_name) == (
        33685,
        "GM0153",
        "Enschede-Zuid",
    )
    figure = next(f for f in zuid.figures if f.key == "population")
    assert (figure.year, figure.source, figure.unit) == (2024, "CBS 85984NED", "inwoners")
    buurt = db.session.scalar(sa.select(Area).where(Area.code == "BU01530000"))
    assert buurt.population is None


def test_import_is_idempotent(app_ctx):
    import_file(SHIPPED_FILE, "GM0153")
    db.session.commit()
    areas, figures = count(Area), count(AreaFigure)
    again = import_file(SHIPPED_FILE, "GM0153")
    db.session.commit()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 81)
    assert (count(Area), count(AreaFigure)) == (areas, figures)


def test_wrong_rows_are_all_reported_and_nothing_is_imported(app_ctx):
    text = HEADER + (
        "GM0153,Enschede,gemeente,,GM0153,100,2024,CBS\n"
        "WK015300,Centrum,wijk,GM0153,GM0153,veel,2024,CBS\n"
        "BU01530000,City,buurt,WK999999,GM0153,,,\n"
        "XX,Nergens,dorp,GM0153,GM0153,,,\n"
    )
    report = import_areas(io.StringIO(text), "GM0153")
    assert not report.ok
    lines = [line for line, _message in report.errors]
    assert lines == [3, 4, 5]
    assert count(Area) == 0


def test_stadsdelen_come_from_the_municipality_and_survive_a_cbs_reimport(app_ctx):
    import_file(SHIPPED_FILE, "GM0153")
    stadsdelen = (
        "code,name,level,parent_code,gemeente_code\n"
        "SD-ZUID,Stadsdeel Zuid,stadsdeel,GM0153,GM0153\n"
        "WK015306,Wijk 06 Enschede-Zuid,wijk,SD-ZUID,GM0153\n"
    )
    report = import_areas(io.StringIO(stadsdelen), "GM0153")
    assert report.ok
    assert (report.created, report.updated) == (1, 1)
    import_file(SHIPPED_FILE, "GM0153")
    db.session.commit()
    zuid = db.session.scalar(sa.select(Area).where(Area.code == "WK015306"))
    assert zuid.parent.code == "SD-ZUID"
    assert zuid.parent.parent.code == "GM0153"


def test_a_buurt_cannot_hang_under_a_gemeente(app_ctx):
    text = HEADER + "GM0153,Enschede,gemeente,,GM0153,,,\nBU01530000,City,buurt,GM0153,GM0153,,,\n"
    report = import_areas(io.StringIO(text), "GM0153")
    assert not report.ok
    assert "cannot lie in" in report.errors[0][1]


def test_cli_import_reports_errors_per_row(runner, app, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "WK015300,Centrum,wijk,GM0153,GM0153,veel,2024,CBS\n")
    result = runner.invoke(args=["areas", "import", str(bad)])
    assert result.exit_code != 0
    assert "line 2" in result.output
    result = runner.invoke(args=["areas", "import"])
    assert result.exit_code == 0, result.output
    assert "81 created" in result.output
