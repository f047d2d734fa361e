"""Accounts: registration, log-in, confirmation, password reset, the account page."""

from participatie.core.accounts import oidc
from participatie.core.accounts import oidc_views
from participatie.core.accounts import sessions
from participatie.core.accounts.views import bp
from participatie.core.accounts.views import details_prompt


def init_app(app):
    oidc.init_app(app)
    app.register_blueprint(bp)
    app.before_request(sessions.enforce_timeouts)
    app.jinja_env.globals["details_prompt"] = details_prompt
    app.jinja_env.globals["oidc_providers"] = oidc.providers
    app.jinja_env.globals["oidc_linked"] = oidc_views.linked_providers
