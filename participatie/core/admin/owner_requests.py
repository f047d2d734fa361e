"""What an administrator does for an account on its owner's request (asked outside the site):
download its data, erase it, turn its two-step verification off. Each asks for the
administrator's own password again and is written in the audit log with their name.
"""

from flask import current_app
from flask import flash
from flask import redirect
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from participatie.core import audit
from participatie.core.accounts import privacy
from participatie.core.accounts import twofactor
from participatie.core.accounts.forms import ConfirmPasswordForm
from participatie.core.accounts.forms import DeleteAccountForm

# The administrator's own password again (or, without one, a recent log-in).
from participatie.core.accounts.views import _identity_refused as identity_refused
from participatie.core.accounts.views import export_response
from participatie.core.admin.forms import TurnOffTwoStepForm
from participatie.core.admin.views import _account
from participatie.core.admin.views import _account_page
from participatie.core.admin.views import _role_form
from participatie.core.admin.views import bp
from participatie.core.mail.sending import send_queued_from_request
from participatie.extensions import db
from participatie.ratelimits import limited


def owner_request_forms(export_form=None, erase_form=None, two_step_form=None) -> dict:
    """The forms of these requests on the account's administration page."""
    return {
        "export_form": export_form or ConfirmPasswordForm(prefix="export", formdata=None),
        "erase_form": erase_form or DeleteAccountForm(prefix="erase", formdata=None),
        "two_step_form": two_step_form or TurnOffTwoStepForm(prefix="two-step", formdata=None),
        "two_step_required": current_app.config["REQUIRE_2FA_FOR_STAFF"],
    }


@bp.post("/accounts/<int:user_id>/gegevens")
@limited("reauthenticate")
def export_account(user_id):
    """The data export of an account, for a request made to the municipality."""
    user = _account(user_id)
    form = ConfirmPasswordForm(prefix="export")
    if not form.validate_on_submit() or identity_refused(form):
        return _account_page(user, _role_form(), 400, **owner_request_forms(export_form=form))
    audit.record("account.export", user, label=f"#{user.id}")
    db.session.commit()
    return export_response(user)


@bp.post("/accounts/<int:user_id>/wissen")
@limited("reauthenticate")
def erase_account(user_id):
    """Erase an account's personal data on its owner's request (its contributions stay)."""
    user = _account(user_id)
    form = DeleteAccountForm(prefix="erase")
    if user.id == current_user.id:
        flash(_("Delete your own account on your account page."), "error")
        return redirect(url_for("admin.account", user_id=user.id))
    if user.is_erased:
        flash(_("This account is already erased."), "info")
        return redirect(url_for("admin.account", user_id=user.id))
    if not form.validate_on_submit() or identity_refused(form):
        return _account_page(user, _role_form(), 400, **owner_request_forms(erase_form=form))
    privacy.erase(user, actor=current_user._get_current_object(), reason="request")
    db.session.commit()
    flash(_("The account's personal data is erased."), "success")
    return redirect(url_for("admin.account", user_id=user.id))


@bp.post("/accounts/<int:user_id>/tweestapsverificatie/uitzetten")
@limited("reauthenticate")
def turn_off_two_step(user_id):
    """Two-step verification off for an owner who lost both app and recovery codes.

    The same as ``flask accounts turn-off-two-step``: the owner is mailed and the
    audit log names the administrator. Not for one's own account, which has its
    own way off on the account page (with that account's password, and mailed).
    """
    user = _account(user_id)
    here = url_for("admin.account", user_id=user.id) + "#two-step-heading"
    if user.id == current_user.id:
        flash(_("Turn off your own two-step verification on your account page."), "error")
        return redirect(here)
    if not user.has_two_factor:
        flash(_("Two-step verification is already off for this account."), "info")
        return redirect(here)
    form = TurnOffTwoStepForm(prefix="two-step")
    if not form.validate_on_submit() or identity_refused(form):
        return _account_page(user, _role_form(), 400, **owner_request_forms(two_step_form=form))
    twofactor.disable(user, by_administrator=True)
    db.session.commit()
    send_queued_from_request()
    flash(
        _("Two-step verification is off for this account. The owner gets a mail about it."),
        "success",
    )
    return redirect(here)
