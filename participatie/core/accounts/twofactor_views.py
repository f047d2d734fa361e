"""The routes of two-step verification (see ``twofactor``): setting it up, the log-in's
second step, new recovery codes, turning it off, and the set-up that staff cannot skip.
"""

from flask import current_app
from flask import flash
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_login import login_required

from participatie.core.accounts import twofactor
from participatie.core.accounts.forms import ConfirmPasswordForm
from participatie.core.accounts.forms import TwoFactorLoginForm
from participatie.core.accounts.forms import TwoFactorSetupForm
from participatie.core.accounts.sessions import PENDING_KEY
from participatie.core.accounts.sessions import pending_login
from participatie.core.accounts.sessions import start_session
from participatie.core.accounts.views import _account_page
from participatie.core.accounts.views import _identity_refused
from participatie.core.accounts.views import bp
from participatie.core.mail.sending import send_queued_from_request
from participatie.extensions import db
from participatie.ratelimits import limited

#: The secret being set up, until a code made with it is typed (never in the database).
SETUP_KEY = "two_factor_setup"

#: What staff who must set up two-step verification may still reach.
OPEN_WHILE_SETTING_UP = frozenset(
    {
        "static",
        "accounts.logout",
        "accounts.two_factor_setup",
        "pages.language",
        "pages.theme",
        "pages.logo",
        "pages.favicon",
        "pages.favicon_ico",
    }
)


def landing(user, next_url: str | None) -> str:
    """Where a log-in ends: the set-up when ``user`` must set it up, else ``next_url`` or home."""
    if twofactor.must_set_up(user):
        return url_for("accounts.two_factor_setup")
    return next_url or url_for("pages.home")


def enforce_staff_setup():
    """With ``REQUIRE_2FA_FOR_STAFF``: staff without two-step verification reach only its set-up
    (and log-out, the language switch, static files) until it is on (before_request)."""
    if request.endpoint in OPEN_WHILE_SETTING_UP or request.endpoint is None:
        return None
    if not twofactor.must_set_up(current_user):
        return None
    # The set-up page says why (no flash: it would say the same twice).
    return redirect(url_for("accounts.two_factor_setup"))


def _pending_account() -> str:
    """The rate-limit key of the second step: the account whose log-in waits."""
    pending = session.get(PENDING_KEY)
    return f"second-step:{pending.get('user') if isinstance(pending, dict) else ''}"


@bp.route("/inloggen/code", methods=["GET", "POST"])
@limited("two_factor", key=_pending_account)
def two_factor_login():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    user, pending = pending_login()
    if user is None:
        flash(_("This step of the log-in has expired. Log in again."), "info")
        return redirect(url_for("accounts.login"))
    form = TwoFactorLoginForm()
    if form.validate_on_submit():
        if twofactor.second_step_locked(user):
            db.session.commit()
            session.pop(PENDING_KEY, None)
            flash(locked_message(), "error")
            return redirect(url_for("accounts.login"))
        result = twofactor.check_code(user, form.code.data)
        if result == twofactor.UNREADABLE:
            # Our fault, not the person's: no wrong code counted, the log-in stays waiting.
            db.session.commit()
            flash(
                _(
                    "Your code cannot be checked right now, because of a fault on our side. "
                    "We have told the administrators. Try again later."
                ),
                "error",
            )
            page = render_template("accounts/two_factor_login.html", form=form)
            return page, 503
        if result in (twofactor.ACCEPTED, twofactor.RECOVERY):
            twofactor.clear_wrong_codes(user)
            left = twofactor.recovery_codes_left(user)
            db.session.commit()
            start_session(user, second_factor_done=True)
            send_queued_from_request()
            flash(_("You are logged in."), "success")
            if result == twofactor.RECOVERY:
                flash(
                    _(
                        "You logged in with a recovery code; it cannot be used again. "
                        "%(left)d are left. Make new ones on your account page when few are left.",
                        left=left,
                    ),
                    "info",
                )
            return redirect(landing(user, pending.get("next")))
        locked = twofactor.count_wrong_code(user)
        db.session.commit()
        send_queued_from_request()
        if locked:
            session.pop(PENDING_KEY, None)
            flash(locked_message(), "error")
            return redirect(url_for("accounts.login"))
        if result == twofactor.REUSED:
            form.code.errors.append(
                _("This code was used already. Wait for the next code in your app and type that.")
            )
        else:
            form.code.errors.append(
                _(
                    "This code is not right. Type the 6 digits your app shows now, "
                    "or one of your recovery codes."
                )
            )
    status = 400 if form.errors else 200
    return render_template("accounts/two_factor_login.html", form=form), status


@bp.route("/account/tweestapsverificatie", methods=["GET", "POST"])
@login_required
def two_factor_setup():
    user = current_user._get_current_object()
    if user.has_two_factor:
        flash(_("Two-step verification is already on."), "info")
        return redirect(url_for("accounts.account") + "#two-factor-heading")
    secret = session.get(SETUP_KEY)
    if not isinstance(secret, str) or len(secret) != 32:
        # Kept while the page is reloaded, so that a code already scanned keeps working.
        secret = session[SETUP_KEY] = twofactor.new_secret()
    form = TwoFactorSetupForm()
    if form.validate_on_submit():
        step = twofactor.matching_step(secret, form.code.data)
        if step is None:
            form.code.errors.append(
                _(
                    "This code is not right. Type the 6 digits your app shows now; if it "
                    "still fails, check that the time on your phone is set automatically."
                )
            )
        else:
            codes = twofactor.enable(user, secret, step)
            db.session.commit()
            # Its new session token ended every session; this one starts again.
            start_session(user, second_factor_done=True)
            send_queued_from_request()
            return _show_recovery_codes(codes, first=True)
    uri = twofactor.provisioning_uri(secret, user)
    page = render_template(
        "accounts/two_factor_setup.html",
        form=form,
        qr=twofactor.qr_svg(uri, _("QR code to scan with your authenticator app")),
        secret=twofactor.grouped(secret),
        required=twofactor.is_staff(user),
    )
    response = make_response(page, 400 if form.errors else 200)
    response.headers["Cache-Control"] = "no-store"
    return response


def _show_recovery_codes(codes: list[str], first: bool):
    response = make_response(
        render_template("accounts/recovery_codes.html", codes=codes, first=first)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/account/tweestapsverificatie/herstelcodes")
@login_required
@limited("reauthenticate")
def two_factor_recovery_codes():
    user = current_user._get_current_object()
    if not user.has_two_factor:
        flash(_("Two-step verification is off: there are no recovery codes."), "info")
        return redirect(url_for("accounts.account"))
    form = ConfirmPasswordForm(prefix="recovery")
    if not form.validate_on_submit() or _identity_refused(form):
        return _account_page(recovery_form=form, status=400)
    codes = twofactor.replace_recovery_codes(user)
    db.session.commit()
    return _show_recovery_codes(codes, first=False)


@bp.post("/account/tweestapsverificatie/uitzetten")
@login_required
@limited("reauthenticate")
def two_factor_disable():
    user = current_user._get_current_object()
    if not user.has_two_factor:
        flash(_("Two-step verification is already off."), "info")
        return redirect(url_for("accounts.account"))
    form = ConfirmPasswordForm(prefix="disable")
    if not form.validate_on_submit() or _identity_refused(form):
        return _account_page(disable_form=form, status=400)
    twofactor.disable(user)
    db.session.commit()
    send_queued_from_request()
    if twofactor.must_set_up(user):
        flash(
            _("Two-step verification is off. For your role it is required: set it up again now."),
            "info",
        )
        return redirect(url_for("accounts.two_factor_setup"))
    flash(_("Two-step verification is off. Logging in now needs only your password."), "success")
    return redirect(url_for("accounts.account"))


def locked_message() -> str:
    return ngettext(
        "Too many wrong codes. Wait %(num)d minute and log in again.",
        "Too many wrong codes. Wait %(num)d minutes and log in again.",
        current_app.config["LOGIN_LOCK_MINUTES"],
    )
