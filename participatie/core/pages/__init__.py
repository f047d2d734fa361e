"""Home, the fixed information pages, the language switch and the theme stylesheet."""

from participatie.core.areas.queries import municipality_name
from participatie.core.pages.views import bp


def init_app(app):
    app.register_blueprint(bp)

    @app.context_processor
    def site_context():
        return {"site_name": municipality_name}
