"""The shared form macros: the error summary every form gets after a failed submit."""

import re

from participatie.core.processes.forms import ProcessForm
from werkzeug.datastructures import MultiDict

from tests.conftest import csrf_token


def submit_register_empty(client):
    return client.post(
        "/registreren", data={"csrf_token": csrf_token(client, "/registreren")}
    ).get_data(as_text=True)


def error_summary(page: str) -> str:
    match = re.search(r'<div class="notice notice--error error-summary".*?</div>', page, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def test_the_dutch_error_summary_is_in_dutch(client):
    summary = error_summary(submit_register_empty(client))
    assert "Niet alles is goed ingevuld." in summary
    assert "Not everything" not in summary


def test_the_english_error_summary_is_in_english(client):
    client.get("/taal/en")
    summary = error_summary(submit_register_empty(client))
    assert "Not everything is filled in correctly." in summary


def test_a_failed_submit_puts_error_in_the_title_and_focuses_the_summary(client):
    page = submit_register_empty(client)
    assert re.search(r"<title>Fout: Registreren · ", page)
    assert "autofocus" in error_summary(page)
    client.get("/taal/en")
    assert re.search(r"<title>Error: Register · ", submit_register_empty(client))


def test_a_page_without_errors_has_a_plain_title(client):
    page = client.get("/registreren").get_data(as_text=True)
    assert re.search(r"<title>Registreren · ", page)
    assert "error-summary" not in page


def test_every_error_in_the_summary_links_to_its_field(client):
    page = submit_register_empty(client)
    targets = re.findall(r'<a class="utrecht-link" href="#([^"]+)">', error_summary(page))
    assert targets == ["email", "display_name", "password", "house_rules"]
    for target in targets:
        assert f'id="{target}"' in page


def test_error_links_reach_into_rows_and_option_lists(app):
    from participatie.templating import error_links

    with app.test_request_context():
        form = ProcessForm(
            MultiDict({"reasons-0-kind": "nonsense", "level": "nonsense"}), meta={"csrf": False}
        )
        form.area.choices = []
        form.plugins.choices = []
        form.validate()
        targets = {target for target, _message in error_links(form)}
    # A radio group links to its first option; a row's field to the field in that row.
    assert "level-0" in targets
    assert "reasons-0-kind" in targets
    assert None not in targets
