"""The plugin registry: the built-in plugins, and external ones found by entry point.

This docstring is the whole plugin contract (the README's plugin section says
the same; ``tests/plugin_example/`` uses every part of it). A plugin is a
package that exposes ``plugin = Plugin(...)``, built once with everything in it:

- ``name``: one name for the package, its blueprint, its template folder and
  its endpoint prefix (``ideas.detail``);
- ``label``: its name for facilitators, in the process form;
- ``blueprints``: its routes, a tuple of blueprints (optional), registered by
  the registry; one blueprint named for the plugin (``ideas``, endpoints
  ``ideas.detail``), and one for its API if it has one (``api_ideas``). Every view that reaches a process, or an idea of one,
  passes it through ``core.roles.guards.require_read`` or ``require_manage``
  with the plugin's name: 404 while the plugin is off for that process;
- ``actions``: the phase actions it provides (``submit``, ``comment``, ``vote``);
  an action is open only while its plugin is on for the process, which
  ``core.processes.phases.action_open(process, action)`` decides for every one;
- ``slots``: functions that fill named template slots (see ``SLOTS``); each is
  called with exactly the slot's documented context as keyword arguments and
  returns HTML (``markupsafe.Markup``, usually from ``render_template``) or
  ``""``; it is called only while the plugin is on for the process (if any);
- ``api_fields``: per API object kind (``"idea"``, ``"idea_detail"``), a function
  that takes a list of objects and returns ``{object id: {field: value}}`` in a
  fixed number of queries; when the plugin is off for the object's process,
  the fields take their ``api_defaults`` (zero or empty);
- ``openapi``: optional, a function that takes the OpenAPI document and adds
  the plugin's paths and schemas, or its fields of another plugin's schema
  (``core.api.openapi.add_fields``), in the order of the registry;
- ``reactions``: optional, a function that takes an idea and tells whether it
  has reactions of this plugin (comments), whether the plugin is on or not;
  from the first reaction on, the idea's author may only add updates;
- ``init_app(app)``: optional, to connect signals (see ``participatie.signals``)
  or register commands;
- ``framing(process, process_id)``: optional, the plugin's part of the framing
  check: a list of ``(core.processes.framing.Finding, blocking)`` for
  ``process`` (which may be an unsaved copy of the stored process
  ``process_id``, or new with ``process_id`` None); called only while the
  plugin is on for the process;
- ``participants(process)``: optional, a ``SELECT`` of the ids of the accounts
  that took part in ``process`` through this plugin (they hear of major
  changes to its framing);
- ``personal_data(user)``: optional, what the plugin stores about the account
  ``user``, as a JSON-ready dict (lists of rows with plain values), for the
  account's data export (``core/accounts/privacy``); called whether or not the
  plugin is on anywhere;
- ``erase_personal_data(user)``: optional, called inside the transaction that
  erases the account ``user``: remove what is personal and not a contribution
  (contributions stay, under "voormalig deelnemer"); must not commit;
- ``load_demo(processes)``: optional, called by ``flask demo load`` with the demo
  processes it created, in the order of the registry, to add example content;
- ``on_by_default``: whether the plugin is on for a process that has not
  chosen (default True).

Built-in plugins live in ``participatie/builtin/`` (a folder named
``plugins/`` would clash with this module) and keep their models in the one
migration history. An external plugin (a pip-installed package with an entry
point in the group ``participatie.plugins``) may use all of the above but adds
no tables. Dependencies run one way (``[tool.importlinter]`` in
``pyproject.toml``, checked by ``make test``): the core imports no plugin, and a
plugin imports only the core, the kernel modules and the plugins below it;
it shows itself elsewhere through the slots, the API fields and the signals.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from importlib import import_module
from importlib.metadata import entry_points

from flask import Blueprint
from flask import current_app
from markupsafe import Markup

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "participatie.plugins"

#: The built-in plugins, in the order their slots are filled.
BUILTIN: tuple[str, ...] = (
    "ideas",
    "comments",
    "votes",
    "feedback",
    "budgets",
    "agenda",
    "summaries",
)

#: Template slots and the context each is called with, as keyword arguments:
#:
#: - ``process_tab`` (``process``): a section on the process page;
#: - ``idea_card_footer`` (``process``, ``idea``, ``ideas``): the foot of an idea's
#:   card in a list; ``ideas`` are all the cards of the page (or None), so a
#:   filler can load what it shows for all of them in one query;
#: - ``idea_section`` (``process``, ``idea``): a section on the idea page;
#: - ``facilitator_menu`` (``process``): links in the facilitator's menu of the
#:   process page (the filler checks the visitor's role);
#: - ``my_page`` (``user``): a section of the visitor's own page;
#: - ``area_section`` (``area``): a section on an area's page;
#: - ``framing_panel`` (``process``): a part of the framing panel residents read
#:   before taking part (``h3`` headings), for what a plugin adds to the framing;
#: - ``home_section`` (no context): a section of the home page;
#: - ``staff_overview`` (``user``): a section of the facilitator's overview
#:   (``/begeleiding``), for what waits for them outside one process.
SLOTS = {
    "process_tab": ("process",),
    "idea_card_footer": ("process", "idea", "ideas"),
    "idea_section": ("process", "idea"),
    "facilitator_menu": ("process",),
    "my_page": ("user",),
    "area_section": ("area",),
    "framing_panel": ("process",),
    "home_section": (),
    "staff_overview": ("user",),
}


@dataclass(frozen=True)
class Plugin:
    name: str
    label: str
    blueprints: tuple[Blueprint, ...] = ()
    actions: tuple[str, ...] = ()
    slots: dict[str, Callable] = field(default_factory=dict)
    api_fields: dict[str, Callable] = field(default_factory=dict)
    api_defaults: dict[str, dict] = field(default_factory=dict)
    openapi: Callable | None = None
    reactions: Callable | None = None
    init_app: Callable | None = None
    participants: Callable | None = None
    framing: Callable | None = None
    load_demo: Callable | None = None
    personal_data: Callable | None = None
    erase_personal_data: Callable | None = None
    on_by_default: bool = True


def discover() -> list[Plugin]:
    """The built-in plugins, then the external ones, each name once."""
    plugins, seen = [], set()
    for module in BUILTIN:
        plugins.append(import_module(f"participatie.builtin.{module}").plugin)
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry.load()
        except Exception:  # noqa: BLE001 - a broken plugin must not stop the site
            log.exception("Plugin %s could not be loaded", entry.name)
            continue
        plugins.append(getattr(loaded, "plugin", loaded))
    unique = []
    for plugin in plugins:
        if not isinstance(plugin, Plugin) or plugin.name in seen:
            log.warning("Plugin %r skipped: not a Plugin, or its name is taken", plugin)
            continue
        seen.add(plugin.name)
        unique.append(plugin)
    return unique


def init_app(app) -> None:
    """Register every plugin's blueprint and hooks, and the slot helpers."""
    plugins = discover()
    app.extensions["participatie.plugins"] = {plugin.name: plugin for plugin in plugins}
    app.extensions["participatie.openapi"] = [p.openapi for p in plugins if p.openapi]
    for plugin in plugins:
        for blueprint in plugin.blueprints:
            app.register_blueprint(blueprint)
        if plugin.init_app is not None:
            plugin.init_app(app)
    app.jinja_env.globals["slot"] = render_slot
    app.jinja_env.globals["plugin_actions"] = enabled_actions


def registered() -> dict[str, Plugin]:
    return current_app.extensions["participatie.plugins"]


def enabled_names(process) -> set[str]:
    """Names of the plugins switched on for ``process``."""
    settings = {setting.name: setting.enabled for setting in process.plugin_settings}
    return {
        name for name, plugin in registered().items() if settings.get(name, plugin.on_by_default)
    }


def is_enabled(process, name: str) -> bool:
    return name in enabled_names(process)


def action_providers() -> dict[str, str]:
    return {action: plugin.name for plugin in registered().values() for action in plugin.actions}


def enabled_actions(process, phase) -> list[str]:
    """The phase's actions whose plugin is on for the process.

    An action no installed plugin provides stays as configured, so a phase
    keeps meaning what the facilitator set while a plugin is being installed.
    """
    if phase is None:
        return []
    providers, enabled = action_providers(), enabled_names(process)
    return [a for a in phase.actions if providers.get(a) is None or providers[a] in enabled]


def render_slot(name: str, **context) -> Markup:
    """Fill template slot ``name`` with what the plugins that are on give."""
    if name not in SLOTS:
        raise KeyError(f"unknown template slot {name!r}")
    if set(context) != set(SLOTS[name]):
        raise TypeError(
            f"slot {name!r} is called with {', '.join(SLOTS[name])}, not {', '.join(context)}"
        )
    process = context.get("process")
    enabled = enabled_names(process) if process is not None else set(registered())
    parts = []
    for plugin in registered().values():
        filler = plugin.slots.get(name)
        if filler is not None and plugin.name in enabled:
            # A filler returns a rendered Jinja template (autoescaped), not raw user text.
            parts.append(Markup(filler(**context)))  # noqa: S704  # nosec B704
    return Markup("").join(parts)


def participant_ids(process) -> set[int]:
    """Accounts that took part in ``process`` through any plugin, on or off now."""
    from participatie.extensions import db

    ids: set[int] = set()
    for plugin in registered().values():
        if plugin.participants is not None:
            ids.update(db.session.scalars(plugin.participants(process)))
    ids.discard(None)
    return ids


def api_fields(kind: str, objects: list, process_of: Callable) -> dict:
    """Fields plugins add to API objects of ``kind``: ``{object id: {field: value}}``."""
    result = {obj.id: {} for obj in objects}
    for plugin in registered().values():
        provider = plugin.api_fields.get(kind)
        defaults = plugin.api_defaults.get(kind, {})
        on = [obj for obj in objects if is_enabled(process_of(obj), plugin.name)]
        values = provider(on) if provider is not None and on else {}
        for obj in objects:
            result[obj.id].update(defaults)
            if obj in on:
                result[obj.id].update(values.get(obj.id, {}))
    return result


def framing_findings(process, process_id: int | None) -> list:
    """The plugins' findings on ``process`` (see ``Plugin.framing``)."""
    found = []
    enabled = enabled_names(process)
    for plugin in registered().values():
        if plugin.framing is not None and plugin.name in enabled:
            found.extend(plugin.framing(process, process_id))
    return found


def personal_data(user) -> dict:
    """Every plugin's part of the data export of ``user``: ``{plugin name: dict}``."""
    return {
        plugin.name: plugin.personal_data(user)
        for plugin in registered().values()
        if plugin.personal_data is not None
    }


def erase_personal_data(user) -> None:
    """Let every plugin erase its personal data of ``user`` (see ``Plugin.erase_personal_data``)."""
    for plugin in registered().values():
        if plugin.erase_personal_data is not None:
            plugin.erase_personal_data(user)


def has_reactions(idea) -> bool:
    """Whether any plugin has reactions to ``idea`` (see ``Plugin.reactions``)."""
    return any(plugin.reactions(idea) for plugin in registered().values() if plugin.reactions)


def require_enabled(process, name: str) -> None:
    """In a plugin's view: 404 when the plugin is off for ``process``."""
    from flask import abort

    if not is_enabled(process, name):
        abort(404)
