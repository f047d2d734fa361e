"""The base of every form: text that cannot be stored safely is refused with a message.

A control character in a single-line field (a title, a name) would end up in a
mail header, a file name or a PDF, where it breaks what it is put in; a NUL
byte anywhere is refused by PostgreSQL. Both are refused here, field by field,
with the rest of the form kept, before any view sees the data.
"""

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from wtforms import FieldList
from wtforms import FormField
from wtforms import TextAreaField

#: What a multi-line text may hold of the control characters.
LINE_BREAKS = frozenset("\t\n\r")

NUL_MESSAGE = _l("This text holds a character that cannot be stored (a NUL byte). Remove it.")
NUMBER_MESSAGE = _l("This number is too large.")
#: The largest whole number a form may give: what both databases' integer columns hold.
MAX_NUMBER = 2**31 - 1
CONTROL_MESSAGE = _l(
    "This field takes one line of text: remove the line break or other control character."
)


def control_characters(text: str, multiline: bool) -> bool:
    """Whether ``text`` holds a control character that does not belong in it."""
    return any(
        unicodedata.category(char) in {"Cc", "Zl", "Zp"} and not (multiline and char in LINE_BREAKS)
        for char in text
    )


def text_problem(text: str, multiline: bool):
    """The message for ``text`` when it cannot be stored as it is, else None."""
    if "\x00" in text:
        return NUL_MESSAGE
    if control_characters(text, multiline):
        return CONTROL_MESSAGE
    return None


def _fields(form):
    for field in form:
        if isinstance(field, FormField):
            yield from _fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                if isinstance(entry, FormField):
                    yield from _fields(entry.form)
                else:
                    yield entry
        else:
            yield field


def _take_kept(field_names):
    """The fields of a form kept across an ended session (``g.kept_form``, set by
    ``participatie.core.accounts.kept``) for the first form shown that has one of them."""
    from flask import g

    kept = g.get("kept_form")
    # The form that was sent has every field that was kept (a page may show several).
    if kept is None or not set(kept.keys()) - {"next"} <= set(field_names):
        return None
    g.kept_form = None
    return kept


def _submitted() -> bool:
    from flask import has_request_context
    from flask import request

    return not has_request_context() or request.method in {"POST", "PUT", "PATCH", "DELETE"}


class Form(FlaskForm):
    """FlaskForm that refuses NUL bytes everywhere, control characters in single lines,
    and whole numbers larger than a database column holds.

    Shown (not sent) on the page of a form that was sent after its session ended, it
    is filled in with what was typed then (``participatie.core.accounts.kept``)."""

    def __init__(self, formdata=_Auto, **kwargs):
        if (formdata is _Auto or formdata is None) and not _submitted():
            kept = _take_kept(name for name, _field in self._unbound_fields or ())
            if kept is not None:
                formdata = kept
        super().__init__(formdata, **kwargs)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in _fields(self):
            values = field.data if isinstance(field.data, list) else [field.data]
            for value in values:
                if isinstance(value, int) and not isinstance(value, bool):
                    problem = None if abs(value) <= MAX_NUMBER else NUMBER_MESSAGE
                elif isinstance(value, str):
                    problem = text_problem(value, isinstance(field, TextAreaField))
                else:
                    continue
                if problem is not None:
                    field.errors = [*field.errors, problem]
                    valid = False
                    break
        return valid
