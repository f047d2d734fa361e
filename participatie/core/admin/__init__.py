"""Administration under /beheer/: accounts and roles, areas, the audit log."""


def init_app(app):
    from participatie.core.admin import owner_requests  # noqa: F401 - its routes
    from participatie.core.admin.views import bp

    app.register_blueprint(bp)
