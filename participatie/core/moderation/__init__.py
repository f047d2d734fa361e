"""Moderation, a core service: reports of content, and hiding it with a public reason.

Plugins register the kinds of content they own (``registry.register_kind``);
hiding sets the plugin's own flag on the content, which stays in the database.
"""


def init_app(app):
    from participatie.core.moderation import service
    from participatie.core.moderation.views import bp

    app.register_blueprint(bp)
    app.jinja_env.globals["open_report_counts"] = service.open_report_counts
