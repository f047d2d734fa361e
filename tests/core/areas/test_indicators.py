import sqlalchemy as sa
from participatie.core.areas.models import Area
from participatie.extensions import db

HEADER = "code,key,value,unit,year,source\n"


def figures(app, code):
    with app.app_context():
        area = db.session.scalar(sa.select(Area).where(Area.code == code))
        return {f.key: (f.number, f.unit, f.year, f.source) for f in area.figures}


def test_indicators_are_imported_idempotently(app, areas, runner, tmp_path):
    path = tmp_path / "indicators.csv"
    path.write_text(
        HEADER
        + 'WK015306,income_per_inhabitant,"27,4",k€,2021,CBS 85984NED\n'
        + "BU01530600,population,1234,inwoners,2024,Gemeente Enschede (voorbeeld)\n"
    )
    result = runner.invoke(args=["areas", "import-indicators", str(path)])
    assert "2 created" in result.output, result.output
    assert figures(app, "WK015306")["income_per_inhabitant"] == (27.4, "k€", 2021, "CBS 85984NED")
    assert figures(app, "BU01530600")["population"][0] == 1234
    again = runner.invoke(args=["areas", "import-indicators", str(path)])
    assert "0 created, 0 updated, 2 unchanged" in again.output


def test_wrong_rows_are_reported_and_nothing_is_imported(app, areas, runner, tmp_path):
    path = tmp_path / "indicators.csv"
    path.write_text(
        HEADER
        + "WK015306,ok_figure,1,x,2024,CBS\n"
        + "WK999999,income,1,k€,2021,CBS\n"
        + "WK015306,Income!,veel,k€,twintig,\n"
    )
    result = runner.invoke(args=["areas", "import-indicators", str(path)])
    assert result.exit_code != 0
    assert "line 3" in result.output and "line 4" in result.output
    assert "ok_figure" not in figures(app, "WK015306")


def test_imported_buurt_population_appears_on_its_page(app, client, areas, runner, tmp_path):
    path = tmp_path / "indicators.csv"
    path.write_text(HEADER + "BU01530600,population,1234,inwoners,2024,Gemeente Enschede\n")
    runner.invoke(args=["areas", "import-indicators", str(path)])
    page = client.get("/gebieden/WK015306").get_data(as_text=True)
    assert "1.234" in page


def test_a_key_holds_several_years_and_pages_show_the_latest(app, client, areas, runner, tmp_path):
    path = tmp_path / "indicators.csv"
    path.write_text(
        HEADER
        + "BU01530600,population,1300,inwoners,2025,Gemeente Enschede\n"
        + "BU01530600,population,1234,inwoners,2023,Gemeente Enschede\n"
    )
    result = runner.invoke(args=["areas", "import-indicators", str(path)])
    assert "2 created" in result.output, result.output
    with app.app_context():
        area = db.session.scalar(sa.select(Area).where(Area.code == "BU01530600"))
        assert [(f.year, f.number) for f in area.figures if f.key == "population"] == [
            (2023, 1234),
            (2025, 1300),
        ]
        assert area.population == 1300
        assert [(f.key, f.year) for f in area.latest_figures] == [("population", 2025)]
    page = client.get("/gebieden/WK015306").get_data(as_text=True)
    assert "1.300" in page and "1.234" not in page
    api = client.get("/api/v1/areas/BU01530600").get_json()
    assert [(f["year"], f["value"]) for f in api["figures"] if f["key"] == "population"] == [
        (2023, 1234),
        (2025, 1300),
    ]
    twice = tmp_path / "twice.csv"
    twice.write_text(
        HEADER
        + "BU01530600,population,1300,inwoners,2025,Gemeente Enschede\n"
        + "BU01530600,population,1301,inwoners,2025,Gemeente Enschede\n"
    )
    result = runner.invoke(args=["areas", "import-indicators", str(twice)])
    assert result.exit_code != 0 and "appears twice" in result.output
