"""Helpers for the data export: rows as plain, JSON-ready values."""

from datetime import date
from datetime import datetime


def plain(value):
    """A stored value as JSON can hold it: dates as ISO 8601 text."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def row(obj, *names: str) -> dict:
    """The named attributes of ``obj`` as a plain dict."""
    return {name: plain(getattr(obj, name)) for name in names}
