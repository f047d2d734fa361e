"""The audit trail of facilitator and administrator actions (a core service).

``record`` adds an event to the current transaction, so an action and its
audit event are committed together or not at all.
"""

from flask import has_request_context
from flask_login import current_user

from participatie.core.audit.models import AuditEvent
from participatie.extensions import db


def record(action: str, obj, label: str = "", actor=None, **details) -> AuditEvent:
    """Record ``action`` (for example ``process.publish``) on ``obj``."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    object_id = getattr(obj, "id", None)
    if object_id is None:
        db.session.flush()
        object_id = getattr(obj, "id", None)
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        actor_email=getattr(actor, "email", "") or "",
        action=action,
        object_type=getattr(obj, "__tablename__", type(obj).__name__.lower()),
        object_id=str(object_id if object_id is not None else getattr(obj, "code", "")),
        object_label=(label or _label(obj))[:200],
        details={key: _plain(value) for key, value in details.items()},
    )
    db.session.add(event)
    return event


def _label(obj) -> str:
    for attribute in ("title", "email", "name", "code"):
        value = getattr(obj, attribute, None)
        if value:
            return str(value)
    return ""


def _plain(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return str(value)
