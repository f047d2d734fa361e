"""What the server marks for focus, announcements and in-place errors after htmx updates,
the error summary's list messages, and the page title of a form with errors."""

import re

from flask import render_template_string
from participatie.core.processes.forms import ProcessForm
from werkzeug.datastructures import MultiDict

from tests.conftest import csrf_token
from tests.conftest import login

HTMX = {"HX-Request": "true"}


def test_a_lazy_message_about_a_list_of_rows_is_shown(app):
    # "Two themes have the same code." is a lazy_gettext message, no str: it was dropped.
    with app.test_request_context():
        form = ProcessForm(
            MultiDict(
                {
                    "themes-0-code": "groen",
                    "themes-0-name": "Groen",
                    "themes-1-code": "groen",
                    "themes-1-name": "Meer groen",
                }
            ),
            meta={"csrf": False},
        )
        form.area.choices = []
        form.plugins.choices = []
        form.validate()
        html = render_template_string(
            '{% from "_macros/forms.html" import list_errors, form_errors %}'
            "{{ list_errors(form.themes) }}{{ form_errors(form) }}",
            form=form,
        )
    # Beside the themes, and in the summary.
    assert html.count("Twee thema’s hebben dezelfde code.") == 2
    # In the summary the message links to the list's first row.
    assert re.search(r'href="#themes-0-code">[^<]*dezelfde code', html)


def test_a_failed_idea_form_says_fout_in_the_title_and_links_its_fields(
    client, create_process, create_user
):
    saved = create_process(status="published")
    login(client, create_user().email)
    path = f"/processen/{saved.slug}/ideeen/nieuw"
    page = client.post(path, data={"csrf_token": csrf_token(client, path)}).get_data(as_text=True)
    assert re.search(r"<title>Fout: ", page)
    summary = re.search(r'<div class="notice notice--error error-summary".*?</div>', page, re.S)
    assert 'tabindex="-1"' in summary.group(0) and "autofocus" in summary.group(0)
    targets = re.findall(r'href="#([^"]+)"', summary.group(0))
    assert targets
    for target in targets:
        assert f'id="{target}"' in page
    plain = client.get(path).get_data(as_text=True)
    assert not re.search(r"<title>Fout: ", plain)


def test_an_error_page_for_htmx_is_its_message_to_show_in_place(client):
    page = client.get("/processen/bestaat-niet").get_data(as_text=True)
    fragment = client.get("/processen/bestaat-niet", headers=HTMX)
    assert fragment.status_code == 404
    assert fragment.headers["X-Error-In-Place"] == "1"
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and "data-error-message" in text
    # The same words as the page without JavaScript.
    for words in ("Pagina niet gevonden", "Deze pagina bestaat niet (meer)."):
        assert words in text and words in page


def test_the_page_holds_the_words_for_errors_in_both_languages(client):
    page = client.get("/").get_data(as_text=True)
    assert 'data-msg-retry="Opnieuw proberen"' in page
    assert 'data-msg-network-error="Er is geen verbinding met de website.' in page
    assert '<div id="announcer" class="visually-hidden" role="status" aria-live="polite"' in page
    client.get("/taal/en")
    page = client.get("/").get_data(as_text=True)
    assert 'data-msg-retry="Try again"' in page


def test_the_support_button_fragment_keeps_the_focus_and_says_its_message(
    client, create_process, create_idea, create_user
):
    saved = create_process(status="published")
    idea_id = create_idea(saved, title="Meer bomen")
    login(client, create_user().email)
    token = csrf_token(client, f"/ideeen/{idea_id}")
    fragment = client.post(
        f"/ideeen/{idea_id}/steun", data={"csrf_token": token}, headers=HTMX
    ).get_data(as_text=True)
    assert re.search(r"<button[^>]*data-focus", fragment)
    assert 'data-announce="Je steunt dit idee."' in fragment
    assert 'role="status"' not in fragment


def test_the_idea_list_is_no_live_region_and_says_what_changed(client, create_process, create_idea):
    saved = create_process(status="published")
    for number in range(22):
        create_idea(saved, title=f"Idee {number}")
    path = f"/processen/{saved.slug}/ideeen"
    assert "aria-live" not in re.search(r'<div id="idea-list"[^>]*>', client.get(path).text).group(
        0
    )
    next_page = client.get(path + "?pagina=2", headers=HTMX).get_data(as_text=True)
    assert 'data-announce="Pagina 2: 2 ideeën."' in next_page
    assert next_page.count("data-focus") == 1
    assert re.search(r'<li class="card idea-card" data-focus>', next_page)
    filtered = client.get(
        path + "?q=Idee+1", headers={**HTMX, "HX-Trigger": "idea-filters"}
    ).get_data(as_text=True)
    # Idee 1 and Idee 10 to 19.
    assert 'data-announce="11 ideeën gevonden."' in filtered


def test_more_comments_focus_the_first_new_one_and_say_how_many(
    app, client, create_process, create_idea, create_user
):
    from datetime import timedelta

    from participatie.builtin.comments.models import Comment
    from participatie.extensions import db
    from participatie.extensions import utcnow

    saved = create_process(status="published")
    idea_id = create_idea(saved)
    author = create_user()
    with app.app_context():
        for number in range(21):
            db.session.add(
                Comment(
                    idea_id=idea_id,
                    author_id=author.id,
                    text=f"Reactie {number}",
                    created_at=utcnow() - timedelta(minutes=100 - number),
                )
            )
        db.session.commit()
    fragment = client.get(f"/ideeen/{idea_id}/reacties?pagina=2", headers=HTMX).get_data(
        as_text=True
    )
    assert fragment.count("data-focus") == 1
    assert re.search(
        r'<li class="comment"[^>]*data-focus data-announce="1 reactie erbij geladen.">', fragment
    )
