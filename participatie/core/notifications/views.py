"""Unsubscribing (also one-click, RFC 8058) and the notification settings."""

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from participatie.core.notifications.service import follow
from participatie.core.notifications.service import unfollow
from participatie.core.notifications.service import user_for_token
from participatie.extensions import csrf
from participatie.extensions import db
from participatie.forms import Form

bp = Blueprint("notifications", __name__)

MODE_CHOICES = [
    SelectChoice("immediate", _l("Right away, one mail per message")),
    SelectChoice("daily", _l("Once a day, all messages in one mail")),
    SelectChoice("never", _l("Never")),
]


class NotificationForm(Form):
    notify_mode = RadioField(
        _l("Mail me about answers, replies and new phases"),
        choices=MODE_CHOICES,
        validators=[InputRequired(_l("Choose how often we may mail you."))],
    )


def follow_from_button(kind: str, object_id: int, *, followed: str, stopped: str) -> None:
    """Follow an object, or stop following it, as the posted follow button asks.

    The button's form carries ``stop`` when the account already follows. The
    process page and the idea page each keep their own address and message;
    the rule of the button is this one. An invalid form changes nothing (the
    site-wide CSRF check refuses a missing token before the view runs).
    """
    if not FlaskForm().validate_on_submit():
        return
    if request.form.get("stop"):
        unfollow(current_user, kind, object_id)
        flash(stopped, "success")
    else:
        follow(current_user, kind, object_id)
        flash(followed, "success")
    db.session.commit()


@bp.route("/afmelden/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token):
    """Stop all notification mail for the account the signed token names.

    GET shows a button, so that a mail scanner opening the link changes
    nothing. POST does it: that is also the one-click request mail programs
    send (RFC 8058), which carries no CSRF token; the signed token in the
    address authenticates it instead. This is the only CSRF exemption of the
    site's forms.
    """
    user = user_for_token(token)
    if user is None:
        return render_template("notifications/unsubscribe.html", invalid=True), 404
    if request.method == "POST":
        user.notify_mode = "never"
        db.session.commit()
        return render_template("notifications/unsubscribe.html", done=True)
    return render_template("notifications/unsubscribe.html", user=user)


@bp.post("/account/meldingen")
@login_required
def settings():
    form = NotificationForm()
    if form.validate_on_submit():
        current_user.notify_mode = form.notify_mode.data
        db.session.commit()
        flash(_("Your mail settings are saved."), "success")
        return redirect(url_for("accounts.account"))
    flash(_("Choose how often we may mail you."), "error")
    return redirect(url_for("accounts.account"))
