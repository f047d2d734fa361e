"""The two guards of every route that reaches a process: reading it and managing it.

Every view of the core and the plugins that works on a process, or on an idea
of a process, passes it through one of these, naming its plugin, so that a
route cannot forget the role check or the plugin switch (a copy of this check
in the merge route once did, and answered while the ideas plugin was off).
"""

from flask import abort
from flask_login import current_user

from participatie import plugins
from participatie.core.roles.permissions import can_read
from participatie.core.roles.permissions import facilitates
from participatie.extensions import login_manager


def require_read(process, plugin: str | None = None):
    """``process``, if the visitor may read it and ``plugin`` (when named) is on for it.

    Answers 404 otherwise: for no process (pass None for an object that is not
    there), for a draft the visitor may not see, and for a plugin that is off.
    """
    if process is None or not can_read(current_user, process):
        abort(404)
    if plugin is not None:
        plugins.require_enabled(process, plugin)
    return process


def require_manage(process, plugin: str | None = None):
    """``process``, if the visitor facilitates it and ``plugin`` (when named) is on for it.

    Anonymous visitors are sent to the log-in page; then 404 for no process
    (pass None for an object that is not there), 403 for a visitor who does not
    facilitate it, and 404 for a plugin that is off.
    """
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if process is None:
        abort(404)
    if not facilitates(current_user, process):
        abort(403)
    if plugin is not None:
        plugins.require_enabled(process, plugin)
    return process
