"""The plugin contract, proved with a tiny external plugin installed by pip."""

import re
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
import sqlalchemy as sa
from participatie import create_app
from participatie.core.processes.models import Process
from participatie.core.processes.service import set_enabled
from participatie.extensions import db
from participatie.plugins import SLOTS

from tests.conftest import login
from tests.core.processes.test_facilitator_screens import form_data

EXAMPLE = Path(__file__).parent / "plugin_example"


@pytest.fixture(scope="module")
def installed_plugin(tmp_path_factory):
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(EXAMPLE),
        ],
        check=True,
    )
    sys.path.insert(0, str(target))
    yield target
    sys.path.remove(str(target))
    sys.modules.pop("participatie_hello", None)


@pytest.fixture
def plugin_app(installed_plugin, app):
    """A second app on the same database, made after the plugin was installed."""
    with_plugin = create_app(dict(app.config))
    yield with_plugin
    with with_plugin.app_context():
        db.session.remove()
        db.engine.dispose()


def test_external_plugin_is_found_through_its_entry_point(plugin_app):
    registry = plugin_app.extensions["participatie.plugins"]
    assert "hello" in registry
    assert "hello.page" in {rule.endpoint for rule in plugin_app.url_map.iter_rules()}


def test_plugin_fills_the_process_tab_slot(plugin_app, create_process):
    saved = create_process(status="published", title="Straat & plein")
    client = plugin_app.test_client()
    page = client.get(f"/processen/{saved.slug}").get_data(as_text=True)
    assert '<section class="hello-tab"><p>Hallo, Straat &amp; plein!</p></section>' in page
    assert '<p class="hello-framing">Hallo bij de kaders van Straat &amp; plein!</p>' in page
    assert client.get(f"/hallo/{saved.slug}").status_code == 200


def test_plugin_can_be_switched_off_per_process(plugin_app, create_process, create_user, grant):
    saved = create_process(status="published")
    other = create_process(status="published", slug="ander-traject")
    user = create_user()
    grant(user, "facilitator", "GM0153")
    client = plugin_app.test_client()
    login(client, user.email)
    path = f"/processen/{saved.slug}/bewerken"
    page = client.get(path).get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="hello"', page)  # on by default
    others = [name for name in plugin_app.extensions["participatie.plugins"] if name != "hello"]
    data = form_data(client, path, action="save", plugins=others)
    client.post(path, data=data)
    with plugin_app.app_context():
        process = db.session.get(Process, saved.id)
        settings = {s.name: s.enabled for s in process.plugin_settings}
        assert settings["hello"] is False
        assert all(settings[name] for name in others)
    assert "hello-tab" not in client.get(f"/processen/{saved.slug}").get_data(as_text=True)
    assert client.get(f"/hallo/{saved.slug}").status_code == 404
    # Only that process: the other one keeps the plugin.
    assert "hello-tab" in client.get(f"/processen/{other.slug}").get_data(as_text=True)
    data = form_data(client, path, plugins=[*others, "hello"], action="save")
    client.post(path, data=data)
    assert "hello-tab" in client.get(f"/processen/{saved.slug}").get_data(as_text=True)


def test_installing_a_plugin_never_changes_the_schema(plugin_app):
    # The test database was made from the models before the plugin was
    # installed; with the plugin loaded, the models must still match it.
    with plugin_app.app_context():
        inspector = sa.inspect(db.engine)
        made = {
            name: {column["name"] for column in inspector.get_columns(name)}
            for name in inspector.get_table_names()
        }
    known = {name: set(table.columns.keys()) for name, table in db.metadata.tables.items()}
    assert known == made


def test_plugin_slots_are_called_with_their_documented_context(
    plugin_app, create_process, create_idea
):
    saved = create_process(status="published")
    idea_id = create_idea(saved, title="Bankje")
    client = plugin_app.test_client()
    page = client.get(f"/ideeen/{idea_id}").get_data(as_text=True)
    assert '<p class="hello-idea">Hallo, Bankje!</p>' in page
    cards = client.get(f"/processen/{saved.slug}/ideeen").get_data(as_text=True)
    assert '<span class="hello-card">1 van 1</span>' in cards


def test_plugin_adds_an_api_field_and_its_schema(plugin_app, create_process, create_idea):
    saved = create_process(status="published")
    create_idea(saved, title="Bankje")
    client = plugin_app.test_client()
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert schema["IdeaItem"]["properties"]["greeting"] == {"type": "string"}
    assert "greeting" in schema["IdeaItem"]["required"]
    path = f"/api/v1/processes/{saved.slug}/ideas"
    assert client.get(path).get_json()["items"][0]["greeting"] == "Hallo, Bankje!"
    with plugin_app.app_context():
        set_enabled(db.session.get(Process, saved.id), "hello", False)
        db.session.commit()
    assert client.get(path).get_json()["items"][0]["greeting"] == ""


def test_plugin_adds_a_command_and_demo_content(plugin_app):
    import participatie_hello

    runner = plugin_app.test_cli_runner()
    assert runner.invoke(args=["hello", "Enschede"]).output == "Hallo, Enschede!\n"
    participatie_hello.DEMO.clear()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert len(participatie_hello.DEMO) == 4


def test_the_documented_slots_exist(app):
    assert set(SLOTS) == {
        "process_tab",
        "idea_card_footer",
        "idea_section",
        "facilitator_menu",
        "my_page",
        "area_section",
        "framing_panel",
        "home_section",
        "staff_overview",
    }
    with app.test_request_context():
        render = app.jinja_env.globals["slot"]
        with pytest.raises(KeyError):
            render("no_such_slot")
        with pytest.raises(TypeError, match="process, idea, ideas"):
            render("idea_card_footer", process=None, idea=None)


def test_the_core_imports_no_plugin():
    # Every import counts, also those inside functions; make test checks the
    # whole order with import-linter ([tool.importlinter] in pyproject.toml).
    graph = grimp.build_graph("participatie", cache_dir=None)
    chain = graph.find_shortest_chain("participatie.core", "participatie.builtin", as_packages=True)
    assert chain is None


def test_a_plugin_adds_its_findings_to_the_framing_check(plugin_app, create_process):
    from participatie.core.processes.framing import check_framing
    from participatie.core.processes.models import Process
    from participatie.extensions import db

    saved = create_process(status="published")
    with plugin_app.app_context():
        result = check_framing(db.session.get(Process, saved.id))
        assert "hello-greeting" in {finding.code for finding in result.advice}
        assert result.ok  # advice never blocks


def test_a_plugin_adds_its_part_to_the_data_export(plugin_app, create_user):
    from participatie.core.accounts import privacy
    from participatie.core.accounts.models import User

    user = create_user(display_name="Hanna")
    with plugin_app.test_request_context():
        exported = privacy.export(db.session.get(User, user.id))
    assert exported["hello"] == {"greeted_as": "Hanna"}
    assert exported["account"]["id"] == user.id
