"""The kinds of content that can be reported, registered by the plugins that own them.

The core imports no plugin: a plugin tells the moderation service how to find,
place, show and hide its content by calling ``register_kind`` from its
``init_app``. The registry lives on ``app.extensions`` so that each app (and
each test) has its own.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app

EXTENSION = "participatie.moderation.kinds"


@dataclass(frozen=True)
class Kind:
    """How the moderation service handles one kind of content.

    - ``load(id)``: the object, or None when it does not exist;
    - ``process_of(obj)``: the process the object belongs to;
    - ``visible(obj)``: whether the public sees it now (only visible content
      can be reported);
    - ``hide(obj, reason)``: set the plugin's own hidden flag and public reason;
      the row stays in the database;
    - ``describe(obj)``: a short plain text of the content, for the facilitator;
    - ``url(obj)``: where the public sees the content;
    - ``label``: what the kind is called in the interface ("idea").
    """

    name: str
    load: Callable
    process_of: Callable
    visible: Callable
    hide: Callable
    describe: Callable
    url: Callable
    label: object = ""


def register_kind(app, name: str, **functions) -> Kind:
    """Register (or replace) the kind ``name`` for ``app``."""
    kind = Kind(name=name, **functions)
    app.extensions.setdefault(EXTENSION, {})[name] = kind
    return kind


def kinds() -> dict[str, Kind]:
    return current_app.extensions.get(EXTENSION, {})


def get_kind(name: str) -> Kind | None:
    return kinds().get(name)
