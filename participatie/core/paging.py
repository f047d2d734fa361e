"""Page numbers of the pages' lists, read from the query string the same way everywhere.

The API answers a bad page number with 400 (``core/api/paging.py``); a page
for people shows the first page instead.
"""

from flask import request


def page_arg(name: str = "pagina", default: int = 1, most: int | None = None) -> int:
    """The page number in query argument ``name``.

    ``default`` when the argument is absent; 1 when it is not a whole number
    from 1 (up to ``most``, when given).
    """
    text = request.args.get(name)
    if text is None:
        return default
    number = int(text) if text.isascii() and text.isdigit() else 0
    return number if number >= 1 and (most is None or number <= most) else 1
