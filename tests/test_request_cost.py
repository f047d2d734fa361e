"""What a plain page and a write repeat per request: structure, not speed.

A page looks up its translations once (not once per gettext), the templates'
URLs come from a per-worker cache keyed by where the request reached the app,
and a support, a comment or a ballot runs in one database transaction (no
second one after the commit to read the account again).
"""

import flask_babel
import pytest
from flask import render_template_string
from participatie import i18n
from participatie.extensions import db
from sqlalchemy import event

from tests.builtin.budgets.test_budget_vote import _open_vote
from tests.conftest import csrf_token
from tests.conftest import login


def test_a_page_looks_up_its_translations_once(client, monkeypatch):
    lookups = []

    def counted():
        lookups.append(1)
        return flask_babel.get_translations()

    monkeypatch.setattr(i18n, "get_translations", counted)
    page = client.get("/huisregels").get_data(as_text=True)
    assert "Huisregels" in page and "Naar de inhoud" in page
    assert len(lookups) == 1


def test_template_gettext_follows_a_forced_locale_within_a_request(app):
    template = '{{ _("Skip to content") }}'
    with app.test_request_context("/"):
        assert render_template_string(template) == "Naar de inhoud"
        with flask_babel.force_locale("en"):
            assert render_template_string(template) == "Skip to content"
        assert render_template_string(template) == "Naar de inhoud"
        flask_babel.refresh()
        assert render_template_string(template) == "Naar de inhoud"


def test_gettext_outside_a_request_is_not_translated(app):
    assert i18n.current_translations().ugettext("Skip to content") == "Skip to content"


def test_template_urls_are_kept_per_place_the_app_is_reached(app):
    url_for = app.jinja_env.globals["url_for"]
    template = "{{ url_for('static', filename='css/site.css') }}|{{ url_for('pages.home') }}"
    with app.test_request_context("/"):
        assert render_template_string(template) == "/static/css/site.css|/"
        before = url_for.cache_info().hits
        assert render_template_string(template) == "/static/css/site.css|/"
        assert url_for.cache_info().hits == before + 2
    with app.test_request_context("/", base_url="http://localhost/participatie/"):
        page = render_template_string(template)
        assert page == "/participatie/static/css/site.css|/participatie/"


def test_template_urls_not_kept_stay_right(app):
    template = (
        "{{ url_for('pages.home', _external=True) }}|"
        "{{ url_for('pages.info', slug='privacy', _anchor='a') }}|"
        "{{ url_for('pages.home', x=['1', '2']) }}"
    )
    with app.test_request_context("/"):
        assert render_template_string(template) == ("http://localhost/|/privacy#a|/?x=1&amp;x=2")


class Transactions:
    """Counts the database transactions begun while it listens."""

    def __init__(self, app):
        with app.app_context():
            self.engine = db.engine
        self.count = 0

    def began(self, connection):
        self.count += 1

    def __enter__(self):
        event.listen(self.engine, "begin", self.began)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "begin", self.began)


@pytest.fixture
def taking_part(app, create_process, create_idea, create_user):
    process = create_process(status="published")
    idea = create_idea(process, title="Een bankje bij de vijver")
    user = create_user(email="doet-mee@example.org")
    client = app.test_client()
    login(client, user.email)
    return process, idea, client


def test_a_support_is_one_transaction(app, taking_part):
    _process, idea, client = taking_part
    token = csrf_token(client, f"/ideeen/{idea}")
    with Transactions(app) as transactions:
        answer = client.post(f"/ideeen/{idea}/steun", data={"csrf_token": token})
    assert answer.status_code == 302
    assert transactions.count == 1
    with client.session_transaction() as session:
        assert session["ask_details"] is True


def test_a_comment_is_one_transaction_and_its_mail_one_more(app, taking_part):
    _process, idea, client = taking_part
    token = csrf_token(client, f"/ideeen/{idea}")
    with Transactions(app) as transactions:
        answer = client.post(
            f"/ideeen/{idea}/reacties",
            data={"csrf_token": token, "text": "Goed plan, met schaduw graag.", "stance": ""},
        )
    assert answer.status_code == 302
    # The author of the idea hears of it by mail: sent after the answer, in its own.
    assert transactions.count <= 2
    assert "Je reactie is geplaatst." in client.get(answer.location).get_data(as_text=True)


def test_a_ballot_is_one_transaction(app, create_process, create_user, grant):
    process = create_process(status="published", slug="wijkbudget")
    projects = _open_vote(app, process.slug, min_projects=1)
    user = create_user(email="kiest@example.org")
    client = app.test_client()
    login(client, user.email)
    path = f"/processen/{process.slug}/begroting"
    token = csrf_token(client, path)
    data = {"csrf_token": token, "action": "cast", "project": [str(projects["Bankjes"])]}
    with Transactions(app) as transactions:
        answer = client.post(path, data=data)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    assert transactions.count == 1
    page = client.get(answer.location).get_data(as_text=True)
    assert "Je stem is uitgebracht." in page
