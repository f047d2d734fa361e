"""Wiring for tests, until the ideas and comments plugins call these from their ``init_app``.

``ideas.detail`` is the idea page's fixed endpoint; while the ideas plugin is
not in this app a stand-in answers there so that links can be built.
"""

from flask import Blueprint


def wire_moderation(app) -> None:
    from participatie.builtin.comments import moderation as comments_moderation
    from participatie.builtin.ideas import merge
    from participatie.builtin.ideas import moderation as ideas_moderation

    if "ideas" not in app.blueprints:
        stand_in = Blueprint("ideas", __name__)
        stand_in.add_url_rule("/ideeen/<int:idea_id>", "detail", lambda idea_id: f"idea {idea_id}")
        app.register_blueprint(stand_in)
    ideas_moderation.init_app(app)
    comments_moderation.init_app(app)
    merge.init_app(app)
