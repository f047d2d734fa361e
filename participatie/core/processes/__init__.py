"""Processes: their framing, the framing check, phases and the answer promise."""


def init_app(app):
    from participatie.core.processes import labels
    from participatie.core.processes.views import bp

    app.register_blueprint(bp)
    labels.init_app(app)
