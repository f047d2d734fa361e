"""Page numbers of the pages' lists, read from the query string the same way everywhere.

The API answers a bad page number with 400 (``core/api/paging.py``); a page
for people shows the first page instead.
"""

from flask import request

#: The largest id or number a request may name: PostgreSQL's ``integer``, the
#: narrowest whole-number column of both databases. Anything larger names no row.
MAX_NUMBER = 2**31 - 1


def whole_number(text, most: int = MAX_NUMBER) -> int | None:
    """``text`` as a whole number from 1 to ``most``, or None.

    Only ASCII digits count: ``str.isdigit`` also accepts "²" and other digits
    that ``int`` refuses, and a thousand digits would overflow every column.
    """
    if not isinstance(text, str) or not text or len(text) > 10:
        return None
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= most else None


def page_arg(name: str = "pagina", default: int = 1, most: int | None = None) -> int:
    """The page number in query argument ``name``.

    ``default`` when the argument is absent; 1 when it is not a whole number
    from 1 (up to ``most``, when given).
    """
    text = request.args.get(name)
    if text is None:
        return default
    return whole_number(text, MAX_NUMBER if most is None else most) or 1
