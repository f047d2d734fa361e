import pytest
from participatie import create_app


def test_area_page_shows_children_processes_and_figures_against_the_gemeente(
    client, create_process
):
    create_process(area_code="WK015306", status="published", title="Straat in Zuid")
    page = client.get("/gebieden/WK015306").get_data(as_text=True)
    assert "Enschede-Zuid" in page
    assert "Straat in Zuid" in page
    assert "33.685" in page  # the wijk's inhabitants, Dutch number format
    assert "161.738" in page  # next to the gemeente's
    assert "Bron: CBS 85984NED" in page
    assert 'href="/gebieden/BU01530600"' in page


def test_processes_of_areas_below_show_on_the_gemeente_page(client, create_process):
    create_process(area_code="WK015306", status="published", title="Straat in Zuid")
    create_process(area_code="WK015300", status="draft", title="Geheim concept", slug="concept")
    page = client.get("/gebieden/GM0153").get_data(as_text=True)
    assert "Straat in Zuid" in page
    assert "Geheim concept" not in page


def test_home_lists_the_open_processes(client, create_process):
    create_process(status="published", title="Open traject")
    create_process(status="draft", title="Concept traject", slug="concept")
    page = client.get("/").get_data(as_text=True)
    assert "Open traject" in page
    assert "Concept traject" not in page
    assert "Doe mee in Enschede" in page


def test_unknown_area_is_404(client, areas):
    assert client.get("/gebieden/WK999999").status_code == 404


@pytest.fixture
def hengelo(schema, smtp_server):
    from tests.conftest import _delete_all_rows

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": schema,
            "MUNICIPALITY": "GM0164",
        }
    )
    yield app
    from participatie.extensions import db

    with app.app_context():
        db.session.remove()
        _delete_all_rows()
        db.engine.dispose()


def test_the_app_can_serve_hengelo(hengelo):
    runner = hengelo.test_cli_runner()
    result = runner.invoke(args=["areas", "import"])
    assert "73 created" in result.output, result.output
    client = hengelo.test_client()
    home = client.get("/").get_data(as_text=True)
    assert "Hengelo (O.)" in home
    assert "Enschede" not in home
    assert client.get("/gebieden/GM0153").status_code == 404
    assert client.get("/gebieden/GM0164").status_code == 200


def test_area_page_pages_through_its_processes(client, create_process):
    for number in range(21):
        create_process(
            slug=f"traject-{number:02d}", title=f"Traject {number:02d}", status="published"
        )
    first = client.get("/gebieden/WK015306").get_data(as_text=True)
    assert first.count('class="card"') == 20
    assert "?pagina=2" in first
    second = client.get("/gebieden/WK015306?pagina=2").get_data(as_text=True)
    assert second.count('class="card"') == 1


def test_area_page_statements_do_not_grow_with_its_processes(app, client, create_process):
    from tests.querycount import count_statements

    for number in range(3):
        create_process(slug=f"a-{number}", status="published")
    with count_statements(app) as few:
        client.get("/gebieden/GM0153")
    for number in range(3, 40):
        create_process(slug=f"a-{number}", status="published")
    with count_statements(app) as many:
        client.get("/gebieden/GM0153")
    assert many.count == few.count


def test_home_statements_do_not_grow_with_the_processes(app, client, create_process):
    from tests.querycount import count_statements

    for number in range(2):
        create_process(slug=f"h-{number}", status="published")
    with count_statements(app) as few:
        client.get("/")
    for number in range(2, 40):
        create_process(slug=f"h-{number}", status="published")
    with count_statements(app) as many:
        client.get("/")
    assert many.count == few.count
