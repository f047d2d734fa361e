"""Home, the fixed information pages, the language switch and the theme stylesheet."""

from participatie.core.areas.queries import municipality
from participatie.core.pages.views import bp


def init_app(app):
    app.register_blueprint(bp)

    @app.context_processor
    def site_context():
        def site_name():
            if app.config["MUNICIPALITY_NAME"]:
                return app.config["MUNICIPALITY_NAME"]
            gemeente = municipality()
            return gemeente.name if gemeente else "Participatie"

        return {"site_name": site_name}
