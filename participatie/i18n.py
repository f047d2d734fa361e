"""Language choice: Dutch by default, English on request, remembered in the session."""

from flask import current_app
from flask import g
from flask import has_request_context
from flask import request
from flask import session
from flask_babel import get_locale
from flask_babel import get_translations
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


def current_translations():
    """The translations of the current locale, looked up once per request and locale.

    Flask-Babel's own ``get_translations()`` finds the domain, the locale and its
    catalog again on every call, and a page calls gettext a few dozen times. The
    result is kept beside the locale Flask-Babel keeps for the request
    (``babel_locale``): ``force_locale`` (a mail in its recipient's language) and
    ``refresh`` replace or drop that locale, so the kept translations are used
    only while it is the same object. Outside an app context: Flask-Babel's
    answer (no translations).
    """
    try:
        babel = g._flask_babel
    except (AttributeError, RuntimeError):
        return get_translations()
    locale = getattr(babel, "babel_locale", None)
    kept = getattr(babel, "participatie_translations", None)
    if locale is not None and kept is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    babel.participatie_translations = (getattr(babel, "babel_locale", None), translations)
    return translations


def _install_template_gettext(app) -> None:
    """The templates' ``_``, ``gettext`` and ``ngettext`` through ``current_translations``.

    The same callables Flask-Babel installs (newstyle: autoescaped, ``%`` formatted),
    without its lookup per call.
    """
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: current_translations().ugettext(string),
        ngettext=lambda singular, plural, n: current_translations().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, string: current_translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: current_translations().unpgettext(
            context, singular, plural, n
        ),
    )


def init_app(app) -> None:
    _install_template_gettext(app)

    @app.context_processor
    def language_context():
        context = {"get_locale": get_locale}
        if has_request_context():
            context["request_path"] = request.full_path.rstrip("?")
        return context
