"""Support and withdraw (plain forms, and htmx swapping the button), and the maximum."""

from flask import abort
from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import NumberRange
from wtforms.validators import Optional

from participatie.builtin.ideas.models import Idea
from participatie.builtin.votes import service
from participatie.core.accounts.profile import answered_details
from participatie.core.accounts.profile import ask_for_details
from participatie.core.accounts.verification import may_take_part
from participatie.core.accounts.verification import participant
from participatie.core.processes.phases import action_open
from participatie.core.processes.queries import process_by_slug
from participatie.core.roles.guards import require_manage
from participatie.core.roles.guards import require_read
from participatie.dbutil import commit_ending_the_request
from participatie.extensions import db
from participatie.extensions import login_manager
from participatie.forms import Form
from participatie.ratelimits import limited
from participatie.security import safe_next_url

bp = Blueprint("votes", __name__)


class SettingsForm(Form):
    max_supports = IntegerField(
        _l("Maximum number of supports per person"),
        description=_l("Leave empty for no maximum. It cannot change once someone has voted."),
        validators=[
            Optional(),
            NumberRange(min=1, max=1000, message=_l("Fill in a number from 1 to 1000.")),
        ],
    )


def _idea_for_vote(idea_id):
    """The idea and who supports it: the account, or a voting code's holder."""
    idea = db.session.get(Idea, idea_id)
    if idea is None or not idea.is_visible:
        if not current_user.is_authenticated:
            abort(login_manager.unauthorized())
        abort(404)
    person = participant(idea.process)
    if person is None:
        abort(login_manager.unauthorized())
    require_read(idea.process, "votes")
    return idea, person


def _answer(idea, person, message=None, category="success", status=200):
    """The button partial for htmx, else back to where the visitor came from."""
    if request.headers.get("HX-Request"):
        # The button shows the count, which the vote moved in SQL.
        db.session.refresh(idea)
        voted = service.my_votes(person, [idea.id])
        return (
            render_template(
                "votes/_button.html",
                idea=idea,
                voted=idea.id in voted,
                message=message,
                can_vote=action_open(idea.process, "vote"),
                person=person,
            ),
            status,
        )
    if message:
        flash(message, category)
    return redirect(
        safe_next_url(request.form.get("next")) or url_for("ideas.detail", idea_id=idea.id)
    )


@bp.post("/ideeen/<int:idea_id>/steun")
@limited("support")
def support(idea_id):
    idea, person = _idea_for_vote(idea_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not action_open(idea.process, "vote"):
        return _answer(
            idea, person, _("Voting is not possible in this process right now."), "error", 400
        )
    verdict = may_take_part(person, idea.process, "vote")
    if not verdict:
        return _answer(idea, person, str(verdict.reason), "error", 400)
    result = service.support(idea, person.id)
    asking = result.reason != "maximum" and current_user.is_authenticated
    answered = asking and answered_details(current_user)
    commit_ending_the_request()
    if asking:
        ask_for_details(current_user, answered)
    if result.reason == "maximum":
        return _answer(
            idea,
            person,
            _("You have used all your supports. Withdraw one to support this idea."),
            "error",
            400,
        )
    return _answer(idea, person, _("You support this idea.") if result.changed else None)


@bp.post("/ideeen/<int:idea_id>/steun-intrekken")
def withdraw(idea_id):
    idea, person = _idea_for_vote(idea_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not action_open(idea.process, "vote"):
        return _answer(
            idea, person, _("Voting is not possible in this process right now."), "error", 400
        )
    changed = service.withdraw(idea, person.id)
    commit_ending_the_request()
    return _answer(idea, person, _("Your support is withdrawn.") if changed else None)


@bp.route("/processen/<slug>/stemmen", methods=["GET", "POST"])
def settings(slug):
    process = require_manage(process_by_slug(slug), "votes")
    has_votes = service.has_votes(process.id)
    form = SettingsForm(max_supports=service.maximum(process.id))
    if form.validate_on_submit():
        try:
            service.set_maximum(process, form.max_supports.data)
        except service.MaximumFrozen:
            form.max_supports.errors.append(
                _("People have voted already; the maximum can no longer change.")
            )
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("votes.settings", slug=slug))
    status = 400 if form.errors else 200
    return render_template(
        "votes/settings.html", process=process, form=form, has_votes=has_votes
    ), status
