"""Language choice: Dutch by default, English on request, remembered in the session."""

from flask import current_app
from flask import has_request_context
from flask import request
from flask import session
from flask_babel import get_locale
from flask_login import current_user


def select_locale() -> str:
    """The interface language: the one chosen with the switch, else the default.

    Dutch is the default for everyone, whatever the browser says, because the
    platform speaks first to the residents of a Dutch municipality; the switch
    in the header is on every page.
    """
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("language")
    if chosen in languages:
        return chosen
    if current_user and getattr(current_user, "is_authenticated", False):
        if current_user.locale in languages:
            return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app) -> None:
    @app.context_processor
    def language_context():
        context = {"get_locale": get_locale}
        if has_request_context():
            context["request_path"] = request.full_path.rstrip("?")
        return context
