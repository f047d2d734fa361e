"""Log in and out, register, confirm, reset and the account page.

Also the resident's own data: the export, deleting the account and a new
e-mail address, each after the password again (``privacy.confirms_identity``).
"""

import json

import sqlalchemy as sa
from flask import Blueprint
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import Response
from flask import session
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_login import login_required
from flask_login import logout_user
from wtforms.fields.choices import SelectChoice

from participatie.core.accounts import privacy
from participatie.core.accounts import service
from participatie.core.accounts.forms import ChangeEmailForm
from participatie.core.accounts.forms import ChangePasswordForm
from participatie.core.accounts.forms import ConfirmPasswordForm
from participatie.core.accounts.forms import DeleteAccountForm
from participatie.core.accounts.forms import LoginForm
from participatie.core.accounts.forms import ProfileForm
from participatie.core.accounts.forms import RegisterForm
from participatie.core.accounts.forms import ResendConfirmationForm
from participatie.core.accounts.forms import ResetPasswordForm
from participatie.core.accounts.forms import ResetRequestForm
from participatie.core.accounts.participation_views import address_form
from participatie.core.accounts.passwords import hash_password
from participatie.core.accounts.passwords import verify_password
from participatie.core.accounts.profile import ParticipantProfile
from participatie.core.accounts.profile import ProfileDetailsForm
from participatie.core.accounts.sessions import keep_alive
from participatie.core.accounts.sessions import start_session
from participatie.core.areas.models import Area
from participatie.core.areas.queries import descendant_ids
from participatie.core.areas.queries import municipality
from participatie.core.mail.sending import send_queued_from_request
from participatie.extensions import db
from participatie.ratelimits import limited
from participatie.ratelimits import LOGINS_SITE_WIDE
from participatie.ratelimits import mails_to
from participatie.ratelimits import site_wide
from participatie.ratelimits import typed_email
from participatie.security import safe_next_url

bp = Blueprint("accounts", __name__)


@bp.post("/sessie/verlengen")
def stay_logged_in():
    """The time-out warning's "stay logged in": the idle time counts from now (CSRF checked
    by CSRFProtect). Answers how many seconds the session has left; 403 when it ended."""
    if not current_user.is_authenticated:
        return {"remaining": 0}, 403
    return {"remaining": keep_alive()}


@bp.route("/inloggen", methods=["GET", "POST"])
@limited("login", key=typed_email)
@site_wide("login", LOGINS_SITE_WIDE)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next_url(request.args.get("next")) or url_for("accounts.account"))
    form = LoginForm()
    if form.validate_on_submit():
        result = service.authenticate(form.email.data, form.password.data, request.remote_addr)
        db.session.commit()
        if result.user is not None:
            from participatie.core.accounts.twofactor_views import landing

            next_url = safe_next_url(request.args.get("next"))
            if not start_session(result.user, next_url=next_url):
                return redirect(url_for("accounts.two_factor_login"))
            flash(_("You are logged in."), "success")
            return redirect(landing(result.user, next_url))
        if result.locked:
            message = ngettext(
                "Too many failed attempts. Wait %(num)d minute and try again, or reset your "
                "password.",
                "Too many failed attempts. Wait %(num)d minutes and try again, or reset your "
                "password.",
                current_app.config["LOGIN_LOCK_MINUTES"],
            )
            form.form_errors.append(message)
        elif result.blocked:
            form.form_errors.append(
                _("This account is blocked. Contact us if you think this is a mistake.")
            )
        else:
            form.form_errors.append(_("This email address and password do not match."))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/uitloggen")
def logout():
    if current_user.is_authenticated:
        current_user.rotate_session_token()
        db.session.commit()
        logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("pages.home"))


@bp.route("/registreren", methods=["GET", "POST"])
@limited("register")
@mails_to("email")
def register():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = RegisterForm()
    if form.validate_on_submit():
        service.register(
            form.email.data, form.display_name.data, form.password.data, str(get_locale())
        )
        db.session.commit()
        send_queued_from_request()
        return render_template("accounts/check_mail.html", email=form.email.data)
    return render_template("accounts/register.html", form=form), 400 if form.errors else 200


@bp.route("/bevestigen/<token>", methods=["GET", "POST"])
def confirm(token):
    # Confirming takes a POST: mail scanners that open every link in a mail
    # would otherwise use up the token before its owner clicks.
    form = ResendConfirmationForm()
    if form.validate_on_submit():
        user = service.confirm_email(token)
        db.session.commit()
        if user is None:
            flash(_("This link has expired or was already used."), "error")
            return redirect(
                url_for("accounts.account" if current_user.is_authenticated else "accounts.login")
            )
        flash(_("Thank you, your email address is confirmed. You can now take part."), "success")
        return redirect(
            url_for("accounts.account" if current_user.is_authenticated else "accounts.login")
        )
    return render_template("accounts/confirm.html", form=form)


@bp.post("/account/bevestiging-opnieuw")
@login_required
@limited("confirmation")
def resend_confirmation():
    if not current_user.email_confirmed:
        service.send_confirmation(current_user)
        db.session.commit()
        send_queued_from_request()
        flash(_("We sent you a new confirmation link."), "success")
    return redirect(url_for("accounts.account"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limited("password_reset")
@mails_to("email")
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        service.request_password_reset(form.email.data)
        db.session.commit()
        send_queued_from_request()
        return render_template("accounts/check_mail.html", email=form.email.data, reset=True)
    return render_template("accounts/reset_request.html", form=form), 400 if form.errors else 200


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
def reset_password(token):
    if not service.reset_token_is_valid(token):
        return render_template("accounts/reset_invalid.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user = service.reset_password(token, form.password.data)
        if user is not None:
            service.notify_password_changed(user, via_reset=True)
        db.session.commit()
        if user is None:
            return render_template("accounts/reset_invalid.html"), 404
        send_queued_from_request()
        logout_user()
        flash(_("Your password is changed. Log in with your new password."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form), 400 if form.errors else 200


@bp.get("/account")
@login_required
def account():
    return _account_page()


def _account_page(
    profile_form=None,
    password_form=None,
    export_form=None,
    email_form=None,
    recovery_form=None,
    disable_form=None,
    status=200,
):
    from participatie.core.accounts import twofactor

    return (
        render_template(
            "accounts/account.html",
            recovery_form=recovery_form or ConfirmPasswordForm(prefix="recovery", formdata=None),
            disable_form=disable_form or ConfirmPasswordForm(prefix="disable", formdata=None),
            recovery_codes_left=twofactor.recovery_codes_left(current_user),
            two_factor_required=twofactor.is_staff(current_user)
            and current_app.config["REQUIRE_2FA_FOR_STAFF"],
            profile_form=profile_form or ProfileForm(obj=current_user),
            password_form=password_form or ChangePasswordForm(formdata=None),
            export_form=export_form or ConfirmPasswordForm(prefix="export", formdata=None),
            email_form=email_form or ChangeEmailForm(prefix="email", formdata=None),
            resend_form=ResendConfirmationForm(),
            details_form=_details_form(formdata=None),
            address_form=address_form()[0],
            profile=db.session.get(ParticipantProfile, current_user.id),
        ),
        status,
    )


#: The prefix of the details form when asked right after taking part, so its
#: fields never share an id with a form on the page it appears on.
PROMPT_PREFIX = "about"


def _details_form(formdata=..., prefix=""):
    """The voluntary buurt and age band, with the gemeente's buurten to choose from."""
    profile = db.session.get(ParticipantProfile, current_user.id)
    kwargs = {} if formdata is ... else {"formdata": formdata}
    form = ProfileDetailsForm(
        prefix=prefix,
        buurt=profile.buurt_id if profile else None,
        age_band=profile.age_band if profile else None,
        **kwargs,
    )
    gemeente = municipality()
    buurten = (
        db.session.scalars(
            sa.select(Area)
            .where(Area.level == "buurt", Area.id.in_(descendant_ids(gemeente)))
            .order_by(Area.name)
        ).all()
        if gemeente
        else []
    )
    form.buurt.choices = [SelectChoice("", _("I would rather not say"))] + [
        SelectChoice(b.id, b.name) for b in buurten
    ]
    return form


def details_prompt():
    """The form asking for the voluntary details right after someone first took part, or None."""
    if not session.get("ask_details") or not current_user.is_authenticated:
        return None
    if db.session.get(ParticipantProfile, current_user.id) is not None:
        session.pop("ask_details", None)
        return None
    return _details_form(formdata=None, prefix=PROMPT_PREFIX)


@bp.post("/account/over-mij")
@login_required
def update_details():
    back = safe_next_url(request.args.get("next")) or url_for("accounts.account")
    session.pop("ask_details", None)
    asked = f"{PROMPT_PREFIX}-age_band" in request.form
    form = _details_form(prefix=PROMPT_PREFIX if asked else "")
    if not form.validate_on_submit():
        flash(_("Choose a buurt and an age band from the lists."), "error")
        return redirect(back)
    profile = db.session.get(ParticipantProfile, current_user.id)
    if request.form.get("action") == "decline":
        # "No thanks" is an answer too: kept (with nothing in it) so we do not ask again.
        if profile is None:
            db.session.add(ParticipantProfile(user_id=current_user.id))
            db.session.commit()
        return redirect(back)
    if form.buurt.data is None and form.age_band.data is None:
        if profile is not None:
            db.session.delete(profile)
    else:
        if profile is None:
            profile = ParticipantProfile(user_id=current_user.id)
            db.session.add(profile)
        profile.buurt_id, profile.age_band = form.buurt.data, form.age_band.data
    db.session.commit()
    flash(_("Saved. Thank you: this helps show who took part."), "success")
    return redirect(back)


@bp.post("/account/profiel")
@login_required
def update_profile():
    form = ProfileForm()
    if not form.validate_on_submit():
        return _account_page(profile_form=form, status=400)
    current_user.display_name = form.display_name.data
    db.session.commit()
    flash(_("Your display name is saved."), "success")
    return redirect(url_for("accounts.account"))


@bp.post("/account/wachtwoord")
@login_required
@limited("reauthenticate")
def change_password():
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _account_page(password_form=form, status=400)
    stored_hash = current_user.password_hash
    service.end_transaction()
    if not verify_password(stored_hash, form.current_password.data):
        form.current_password.errors.append(_("This is not your current password."))
        return _account_page(password_form=form, status=400)
    new_hash = hash_password(form.password.data)
    user = current_user._get_current_object()
    service.set_password(user, new_hash)
    service.notify_password_changed(user)
    db.session.commit()
    # The new session token ended every session, this one too; start a new one.
    start_session(user, second_factor_done=True)
    send_queued_from_request()
    flash(_("Your password is changed. You are logged out everywhere else."), "success")
    return redirect(url_for("accounts.account"))


@bp.get("/mijn-pagina")
@login_required
def my_page():
    """What I take part in: plugins fill the page through the ``my_page`` slot."""
    from participatie.core.notifications.models import Follow
    from participatie.core.processes.models import Process

    followed = db.session.scalars(
        sa.select(Process)
        .join(Follow, sa.and_(Follow.kind == "process", Follow.object_id == Process.id))
        .where(Follow.user_id == current_user.id, Process.is_public)
        .order_by(Process.title)
    ).all()
    return render_template("accounts/my_page.html", followed=followed)


def _identity_refused(form) -> bool:
    """Add the error to ``form`` when its password does not confirm the account's owner."""
    if privacy.confirms_identity(current_user, form.password.data):
        return False
    if current_user.password_hash:
        form.password.errors.append(_("This is not your password."))
    else:
        form.password.errors.append(
            _("For this, log in again first: your last log-in is too long ago.")
        )
    return True


def export_response(user) -> Response:
    """The JSON export of ``user`` as a download (never cached, never guessed as HTML)."""
    body = json.dumps(privacy.export(user), ensure_ascii=False, indent=2, sort_keys=True)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="account-{user.id}.json"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/account/gegevens")
@login_required
@limited("reauthenticate")
def export_data():
    form = ConfirmPasswordForm(prefix="export")
    if not form.validate_on_submit() or _identity_refused(form):
        return _account_page(export_form=form, status=400)
    return export_response(current_user)


@bp.route("/account/verwijderen", methods=["GET", "POST"])
@login_required
@limited("reauthenticate")
def delete_account():
    form = DeleteAccountForm()
    if request.method == "POST":
        valid = form.validate_on_submit()
        # The password is checked even when the box is not ticked, so both messages show at once.
        refused = "csrf_token" not in form.errors and _identity_refused(form)
        if valid and not refused:
            user = current_user._get_current_object()
            privacy.erase(user)
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Your account is deleted. What you wrote stays, without your name."), "success")
            return redirect(url_for("pages.home"))
        return render_template("accounts/delete.html", form=form), 400
    return render_template("accounts/delete.html", form=form)


@bp.post("/account/e-mailadres")
@login_required
@limited("reauthenticate")
@mails_to("email-email")
def change_email():
    form = ChangeEmailForm(prefix="email")
    if not form.validate_on_submit() or _identity_refused(form):
        return _account_page(email_form=form, status=400)
    service.request_email_change(current_user, form.email.data)
    db.session.commit()
    send_queued_from_request()
    flash(
        _(
            "We sent a link to %(email)s. Your address changes when you open it; "
            "until then it stays as it is.",
            email=service.normalize_email(form.email.data),
        ),
        "success",
    )
    return redirect(url_for("accounts.account"))


@bp.route("/e-mailadres-bevestigen/<token>", methods=["GET", "POST"])
def confirm_email_change(token):
    # A POST, like the confirmation: mail scanners open every link they see.
    if not service.email_change_is_valid(token):
        return render_template("accounts/reset_invalid.html"), 404
    form = ResendConfirmationForm()
    if form.validate_on_submit():
        user = service.confirm_email_change(token)
        db.session.commit()
        if user is None:
            return render_template("accounts/reset_invalid.html"), 404
        # The new session token ended every session; this one starts again when it was theirs.
        if current_user.is_authenticated and current_user.id == user.id:
            start_session(user, second_factor_done=True)
        else:
            logout_user()
        flash(_("Your new email address is saved."), "success")
        return redirect(
            url_for("accounts.account" if current_user.is_authenticated else "accounts.login")
        )
    return render_template("accounts/confirm_email_change.html", form=form)
