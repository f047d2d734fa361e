"""Every route and every form, sent hostile values: never a 5xx.

The GET walk appends each value of ``CORPUS`` to every query parameter the
app reads; the form walk finds the forms on every page an administrator and
a resident can open and posts each value into every field. Both run on the
database of the suite (SQLite, and PostgreSQL in CI, which refuses NUL bytes).
"""

from html.parser import HTMLParser
from urllib.parse import quote

import pytest

from tests.test_route_matrix import _client
from tests.test_route_matrix import _routes
from tests.test_route_matrix import OVERRIDES
from tests.test_route_matrix import world  # noqa: F401 - the route matrix's fixture

CORPUS = [
    "\x00",
    "a\rb\nc",
    "\x1b[31m\x07",
    "²",
    "٣",
    "9" * 40,
    "-1",
    "1e309",
    "[]",
    "<script>alert(1)</script>",
    "x" * 200_000,
]

MULTIPART_MOST = 40_000

#: Every query parameter the views read.
QUERY_NAMES = (
    "pagina",
    "page",
    "reacties",
    "sort",
    "thema",
    "buurt",
    "status",
    "theme",
    "next",
    "idee",
    "action",
    "kind",
    "id",
    "q",
    "year",
    "jaar",
    "code",
    "email",
)

#: Forms not posted by the walk: they end the session the walk runs in.
SKIPPED_ACTIONS = ("/uitloggen",)


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._current = {
                "action": attrs.get("action") or "",
                "multipart": "multipart" in (attrs.get("enctype") or ""),
                "fields": {},
            }
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "textarea", "select"):
            name = attrs.get("name")
            kind = (attrs.get("type") or tag).lower()
            if name and kind not in ("submit", "file", "button"):
                self._current["fields"].setdefault(name, (kind, attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def _forms(page: str):
    parser = _Forms()
    parser.feed(page)
    return parser.forms


def _get_urls(app, values):
    for rule, method in _routes(app):
        if method != "GET" or rule.endpoint in ("accounts.logout", "static"):
            continue
        arguments = {name: values[name] for name in rule.arguments}
        arguments.update(OVERRIDES.get(rule.endpoint, {}))
        yield rule.build(arguments, append_unknown=False)[1]


@pytest.mark.parametrize("visitor", ["anonymous", "administrator"])
def test_hostile_query_values_never_give_a_server_error(app, world, visitor):  # noqa: F811
    users, values = world
    client, _token = _client(app, users, visitor)
    failures = []
    for url in _get_urls(app, values):
        for value in CORPUS[:-1]:
            query = "&".join(f"{name}={quote(value)}" for name in QUERY_NAMES)
            status = client.get(f"{url}?{query}").status_code
            if status >= 500:
                failures.append(f"GET {url} with {value[:12]!r}: {status}")
        # Invalid UTF-8 in the query string.
        status = client.get(f"{url}?pagina=%ff%fe&sort=%c0").status_code
        if status >= 500:
            failures.append(f"GET {url} with invalid UTF-8: {status}")
    assert failures == []


@pytest.mark.parametrize("visitor", ["resident", "administrator"])
def test_hostile_form_values_never_give_a_server_error(app, world, visitor):  # noqa: F811
    users, values = world
    client, token = _client(app, users, visitor)
    forms = {}
    for url in _get_urls(app, values):
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        for form in _forms(response.get_data(as_text=True)):
            action = form["action"] or url
            if action.startswith("/") and not action.startswith(SKIPPED_ACTIONS):
                forms.setdefault((action, tuple(sorted(form["fields"]))), (url, form))
    assert len(forms) > 10
    failures = []
    for (action, _names), (_url, form) in forms.items():
        for value in CORPUS:
            data = {}
            for name, (kind, default) in form["fields"].items():
                if name == "csrf_token":
                    # One token per session, the same in every form.
                    data[name] = token
                elif kind in ("checkbox", "radio"):
                    data[name] = default or "y"
                elif form["multipart"] and len(value) > MULTIPART_MOST:
                    # The test client spools larger multipart bodies to a file it never closes.
                    data[name] = value[:MULTIPART_MOST]
                else:
                    data[name] = value
            response = client.post(
                action,
                data=data,
                content_type="multipart/form-data" if form["multipart"] else None,
            )
            if response.status_code >= 500:
                failures.append(f"POST {action} with {value[:12]!r}: {response.status_code}")
    assert failures == []
