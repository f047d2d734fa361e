"""What a mail is about, so that it is not sent once that is no longer shown.

A notification that quotes content (an idea's title, a comment) is queued
with ``about="idea:12"``. Should a moderator hide that content, or its author
withdraw it, before the mail has gone out, the mail is withheld: the outbox
marks it with the reason, the daily digest leaves the item out. The plugins
that own the content say what is still shown (``register``); the core knows
no plugin.
"""

from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable

from flask import current_app

#: Why a withheld mail was not sent, as administrators see it in the outbox.
WITHHELD = "Withheld: what it is about is no longer shown (hidden, withdrawn or merged)."


def about(kind: str, object_id: int) -> str:
    return f"{kind}:{object_id}"


def register(app, kind: str, still_shown: Callable[[set[int]], set[int]]) -> None:
    """Let ``still_shown(ids)`` tell which of ``ids`` of ``kind`` may still be mailed about."""
    app.extensions.setdefault("mail_about", {})[kind] = still_shown


def not_shown(values: Iterable[str | None]) -> set[str]:
    """Those of ``values`` (``kind:id``) whose content is no longer shown."""
    wanted = defaultdict(set)
    for value in values:
        kind, _sep, number = (value or "").partition(":")
        if kind and number.isdigit():
            wanted[kind].add(int(number))
    resolvers = current_app.extensions.get("mail_about", {})
    gone = set()
    for kind, ids in wanted.items():
        still_shown = resolvers.get(kind)
        # A kind no plugin answers for (its plugin is off) is no longer shown either.
        shown = still_shown(ids) if still_shown is not None else set()
        gone |= {about(kind, number) for number in ids - shown}
    return gone
