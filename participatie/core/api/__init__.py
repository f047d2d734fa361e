"""The open data API v1: read-only JSON, published data only (see docs/api.md)."""


def init_app(app):
    from participatie.core.api.views import bp

    app.register_blueprint(bp)
