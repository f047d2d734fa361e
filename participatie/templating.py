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


def init_app(app) -> None:
    from flask_babel import format_date
    from flask_babel import format_datetime
    from flask_babel import format_decimal
    from flask_babel import format_percent

    app.jinja_env.globals.update(
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
