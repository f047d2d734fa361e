"""Who may do what. Every check here is made on the server, for the object at hand."""

from functools import wraps

from flask import abort
from flask_login import current_user

from participatie.core.areas.models import Area
from participatie.core.roles.models import RoleAssignment


def _roles(user) -> list[RoleAssignment]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(user.roles)


def is_admin(user) -> bool:
    return any(role.role == "administrator" for role in _roles(user))


def facilitates_area(user, area: Area) -> bool:
    """Facilitator of ``area`` or of an area it lies in (or administrator)."""
    if is_admin(user):
        return True
    return any(
        role.role == "facilitator" and role.area_id is not None and area.is_within(role.area)
        for role in _roles(user)
    )


def facilitates(user, process) -> bool:
    """Whether ``user`` may edit, publish, close, moderate and answer in ``process``."""
    if is_admin(user):
        return True
    for role in _roles(user):
        if role.role != "facilitator":
            continue
        if role.process_id is not None and role.process_id == process.id:
            return True
        if role.area_id is not None and process.area.is_within(role.area):
            return True
    return False


def councils(user, process) -> bool:
    """Councillor for the area of ``process`` or an area it lies in."""
    return any(
        role.role == "councillor" and process.area.is_within(role.area) for role in _roles(user)
    )


def reads_drafts(user, process) -> bool:
    """Facilitator of ``process`` or councillor of its area: reads its draft decision text."""
    return facilitates(user, process) or councils(user, process)


def council_areas(user) -> list[Area]:
    """The areas ``user`` is councillor for."""
    return [role.area for role in _roles(user) if role.role == "councillor" and role.area]


def reads_council_pages(user) -> bool:
    """Councillor, facilitator or administrator: may open the council dashboard."""
    return any(role.role in ("councillor", "facilitator", "administrator") for role in _roles(user))


def is_staff(user) -> bool:
    """Facilitator anywhere, or administrator: may open the facilitator screens."""
    return any(role.role in ("facilitator", "administrator") for role in _roles(user))


def can_read(user, process) -> bool:
    """Published and closed processes are public; drafts only for their facilitators.

    Councillors see the draft summaries of their areas (the summaries plugin),
    not draft processes.
    """
    return process.is_public or facilitates(user, process)


def require(check):
    """Decorator for views: ``check(current_user, **view_args)`` must be true, else 403.

    Anonymous visitors are sent to the log-in page instead.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            from participatie.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not check(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
