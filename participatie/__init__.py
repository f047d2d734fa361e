"""Participatie: a participation platform for Dutch municipalities."""

import os

from flask import Flask

from participatie import config as configuration


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app: configuration, extensions, core blueprints, plugins, errors."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = Flask(
        __name__,
        instance_path=os.environ.get("INSTANCE_PATH") or os.path.join(root, "instance"),
        instance_relative_config=True,
        static_folder=os.path.join(root, "static"),
        template_folder=os.path.join(root, "templates"),
    )
    app.config.update(configuration.STATIC)
    app.config.update(configuration.from_environment(app.instance_path, test_config))
    if test_config:
        app.config.update(test_config)
    _owner_only_folder(app.instance_path)
    _behind_proxies(app)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = os.path.join(root, "translations")
    app.config["MIGRATIONS_DIRECTORY"] = os.path.join(root, "migrations")

    _init_extensions(app)
    _init_core(app)

    from participatie import plugins

    plugins.init_app(app)

    from participatie import errors

    errors.init_app(app)
    return app


def _behind_proxies(app: Flask) -> None:
    """Take the client's address and scheme from the proxies in front (``TRUSTED_PROXY_COUNT``).

    Werkzeug's ProxyFix reads the last that many entries of ``X-Forwarded-For``
    and ``X-Forwarded-Proto``: the ones those proxies added, not what a client
    put there itself.
    """
    count = app.config.get("TRUSTED_PROXY_COUNT") or 0
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def _owner_only_folder(path: str) -> None:
    """Keep the instance folder (secret key, SQLite database, mail) for the app's user only."""
    try:
        if os.stat(path).st_mode & 0o077:
            os.chmod(path, 0o700)
    except OSError:
        pass


def _init_extensions(app: Flask) -> None:
    from participatie import caching
    from participatie import i18n

    # Every model must be imported before the metadata is used (migrations, checks).
    from participatie import models  # noqa: F401
    from participatie import ratelimits
    from participatie.extensions import babel
    from participatie.extensions import cache
    from participatie.extensions import csrf
    from participatie.extensions import db
    from participatie.extensions import login_manager
    from participatie.extensions import migrate
    from participatie.extensions import render_migration_item
    from participatie.security import BoundedIntegerConverter

    # Before any blueprint adds a route: every <int:> is bounded.
    app.url_map.converters["int"] = BoundedIntegerConverter
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=app.config["MIGRATIONS_DIRECTORY"],
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_item,
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    ratelimits.init_app(app)
    cache.init_app(app)
    caching.init_app(app)


def _init_core(app: Flask) -> None:
    from participatie import cli
    from participatie import security
    from participatie import templating
    from participatie.core import accounts
    from participatie.core import admin
    from participatie.core import api
    from participatie.core import areas
    from participatie.core import moderation
    from participatie.core import notifications
    from participatie.core import pages
    from participatie.core import processes
    from participatie.core import roles
    from participatie.core import submissions

    app.before_request(security.refuse_nul_in_url)
    app.after_request(security.set_security_headers)
    templating.init_app(app)
    accounts.init_app(app)
    admin.init_app(app)
    api.init_app(app)
    areas.init_app(app)
    moderation.init_app(app)
    roles.init_app(app)
    processes.init_app(app)
    notifications.init_app(app)
    pages.init_app(app)
    submissions.init_app(app)
    cli.init_app(app)
