"""Areas: the gemeente, its stadsdelen, wijken and buurten, with their figures."""


def init_app(app):
    from participatie.core.areas.cli import areas_cli
    from participatie.core.areas.labels import figure_label
    from participatie.core.areas.labels import unit_label
    from participatie.core.areas.views import bp

    app.register_blueprint(bp)
    app.jinja_env.globals["figure_label"] = figure_label
    app.jinja_env.globals["unit_label"] = unit_label
    app.cli.add_command(areas_cli)
