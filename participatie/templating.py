"""Template helpers shared by every page."""

from wtforms import FieldList
from wtforms import FormField
from wtforms.widgets import ListWidget


def input_attributes(field, classes: str, described_by: list[str]) -> dict:
    """HTML attributes for a form control: its classes, and its errors tied to it."""
    attributes = {"class": classes}
    if described_by:
        attributes["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attributes["aria-invalid"] = "true"
    return attributes


def list_messages(field_list) -> list[str]:
    """The messages about a list of rows as a whole (too few rows, a name used twice).

    Its ``errors`` also hold each row's errors, as lists or dicts; a message may be a
    plain string or a lazy one (``lazy_gettext`` in a validator), which is no ``str``.
    """
    return [str(error) for error in field_list.errors if not isinstance(error, list | dict | tuple)]


def error_links(form) -> list[tuple[str | None, str]]:
    """The field errors of a form in page order, for its error summary: each message with
    the id of the control it is about, or None for a hidden field (nothing to jump to)."""
    links = []
    for field in form:
        links.extend(_field_error_links(field))
    return links


def _field_error_links(field) -> list[tuple[str | None, str]]:
    if isinstance(field, FormField):
        return error_links(field.form)
    if isinstance(field, FieldList):
        links = []
        for entry in field.entries:
            links.extend(_field_error_links(entry))
        # An error about the list as a whole (too few rows) points at its first row.
        target = _first_control_id(field)
        links.extend((target, error) for error in list_messages(field))
        return links
    target = _first_control_id(field)
    return [(target, error) for error in field.errors]


def _first_control_id(field) -> str | None:
    """The id of the first control a field renders: an option list has one per option."""
    if isinstance(field, FieldList):
        return _first_control_id(field.entries[0]) if field.entries else None
    if isinstance(field, FormField):
        return next(filter(None, map(_first_control_id, field.form)), None)
    if getattr(field.widget, "input_type", None) == "hidden":
        return None
    if isinstance(field.widget, ListWidget):
        option = next(iter(field), None)
        return option.id if option is not None else None
    return field.id


def content_lang():
    """` lang="nl"` for what residents and staff wrote, on a page in another language.

    Processes, ideas, comments and answers are written in the municipality's content
    language (CONTENT_LANGUAGE, Dutch by default); on an English page a screen reader
    must read them as Dutch (WCAG 3.1.2). Empty when page and content share a language.
    """
    from flask import current_app
    from flask_babel import get_locale
    from markupsafe import escape
    from markupsafe import Markup

    language = current_app.config["CONTENT_LANGUAGE"]
    locale = get_locale()
    if locale is None or locale.language == language:
        return Markup("")
    return Markup(' lang="%s"') % escape(language)


def content(text):
    """A piece of written content inside a sentence of the interface, marked with its
    language where that differs from the page's (see content_lang)."""
    from markupsafe import Markup

    attribute = content_lang()
    if not attribute or not text:
        return text
    return Markup("<span%s>%s</span>") % (attribute, text)


def web_address(url) -> str:
    """``url`` when it is an http or https address, otherwise "" (no link).

    The forms accept only such addresses; this keeps a ``javascript:`` address
    that reached the database another way (an import, an older row) from
    becoming a link that runs script when clicked.
    """
    text = (url or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else ""


#: URLs a worker keeps for its templates (see ``cached_url_for``): the few dozen links
#: of every page, and the language switch's ``next`` of recently seen paths.
URL_CACHE_SIZE = 4096

#: ``url_for`` arguments that make a URL depend on more than the route and its values.
_UNCACHED_ARGUMENTS = frozenset({"_external", "_scheme", "_method"})


def cached_url_for(app, size: int = URL_CACHE_SIZE):
    """``url_for`` for the templates, remembering the URLs it built.

    A page links the same stylesheets, scripts and pages on every request, and
    building each URL through the routing map is the costliest part of rendering
    a plain page after gettext. A URL depends only on the route map (fixed once
    the app serves), the endpoint with its values, and where the request reached
    the app (script root, host, scheme): all in the key, the values in the order
    given, which is the order of the query string. Not kept: relative
    endpoints (``.name``, which depend on the blueprint), external URLs, values
    that cannot be a key (lists), URLs built outside a request, and the app's
    ``url_defaults`` hooks would make it wrong, so with any of those registered
    it does not keep anything either.
    """
    from functools import lru_cache

    from flask import request

    build = app.url_for

    @lru_cache(maxsize=size)
    def kept(key):
        endpoint, values = key[0], dict(key[-1])
        return build(endpoint, **values)

    def url_for(endpoint: str, **values) -> str:
        if (
            endpoint.startswith(".")
            or not _UNCACHED_ARGUMENTS.isdisjoint(values)
            or any(app.url_default_functions.values())
        ):
            return build(endpoint, **values)
        try:
            environ = request.environ
        except RuntimeError:  # outside a request
            return build(endpoint, **values)
        where = (
            environ.get("SCRIPT_NAME", ""),
            environ.get("HTTP_HOST") or environ.get("SERVER_NAME"),
            environ.get("wsgi.url_scheme"),
        )
        try:
            key = (endpoint, *where, tuple(values.items()))
            hash(key)
        except TypeError:  # a list among the values
            return build(endpoint, **values)
        return kept(key)

    url_for.cache_info = kept.cache_info
    return url_for


def init_app(app) -> None:
    from flask_babel import format_date
    from flask_babel import format_datetime
    from flask_babel import format_decimal
    from flask_babel import format_percent

    app.jinja_env.globals.update(
        url_for=cached_url_for(app),
        input_attributes=input_attributes,
        content_lang=content_lang,
        content=content,
        error_links=error_links,
        list_messages=list_messages,
        format_datetime=format_datetime,
        format_date=format_date,
        format_decimal=format_decimal,
        format_percent=format_percent,
    )
    app.jinja_env.filters["web_address"] = web_address
