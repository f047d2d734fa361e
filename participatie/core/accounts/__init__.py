"""Accounts: registration, log-in, confirmation, password reset, the account page.

Also who may take part (``verification``): voting codes, the address register
and the year of birth.
"""

from participatie.core.accounts import kept
from participatie.core.accounts import oidc
from participatie.core.accounts import oidc_views
from participatie.core.accounts import sessions
from participatie.core.accounts import twofactor_views
from participatie.core.accounts.views import bp
from participatie.core.accounts.views import details_prompt


def init_app(app):
    oidc.init_app(app)
    from participatie.core.accounts import cli
    from participatie.core.accounts import verification
    from participatie.core.accounts.participation_views import bp as participation_bp

    app.register_blueprint(bp)
    app.register_blueprint(participation_bp)
    app.before_request(sessions.enforce_timeouts)
    app.before_request(twofactor_views.enforce_staff_setup)
    app.before_request(kept.restore)
    app.after_request(sessions.remaining_header)
    app.jinja_env.globals["details_prompt"] = details_prompt
    app.jinja_env.globals["session_remaining_seconds"] = sessions.remaining_seconds
    app.jinja_env.globals["oidc_providers"] = oidc.providers
    app.jinja_env.globals["oidc_linked"] = oidc_views.linked_providers
    app.jinja_env.globals["participation_sentences"] = verification.described
    app.jinja_env.globals["process_takes_codes"] = verification.takes_codes
    app.jinja_env.globals["holds_code"] = verification.holds_code
    app.cli.add_command(cli.codes_cli)
    app.cli.add_command(cli.accounts_cli)
    from participatie.core.accounts.retention import RECENT_LOGIN_MINUTES

    app.jinja_env.globals["recent_login_minutes"] = RECENT_LOGIN_MINUTES
