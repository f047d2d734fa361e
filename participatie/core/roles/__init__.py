"""Roles and the permission checks every view uses."""


def init_app(app):
    from flask_babel import lazy_gettext as _l

    from participatie.core.roles.permissions import is_admin
    from participatie.core.roles.permissions import is_staff

    labels = {
        "facilitator": _l("Facilitator"),
        "councillor": _l("Councillor"),
        "administrator": _l("Administrator"),
    }
    app.jinja_env.globals.update(
        is_admin=is_admin, is_staff=is_staff, role_label=lambda code: labels.get(code, code)
    )
