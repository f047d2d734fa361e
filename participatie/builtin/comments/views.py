"""Commenting on ideas: add, reply, edit within 15 minutes, delete, show more."""

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
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField
from wtforms import RadioField
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import Optional

from participatie.builtin.comments import service
from participatie.builtin.comments.models import Comment
from participatie.builtin.ideas.models import Idea
from participatie.core import submissions
from participatie.core.accounts.forms import strip
from participatie.core.accounts.profile import answered_details
from participatie.core.accounts.profile import ask_for_details
from participatie.core.accounts.verification import may_take_part
from participatie.core.mail.sending import send_queued_from_request
from participatie.core.paging import page_arg
from participatie.core.paging import whole_number
from participatie.core.processes.phases import action_open
from participatie.core.roles.guards import require_read
from participatie.core.submissions import new_key
from participatie.dbutil import commit_ending_the_request
from participatie.extensions import db
from participatie.extensions import login_manager
from participatie.extensions import utcnow
from participatie.forms import Form
from participatie.ratelimits import limited

bp = Blueprint("comments", __name__)


class CommentForm(Form):
    #: One POST per showing of the form (participatie.core.submissions).
    submission_key = HiddenField(default=new_key)
    text = TextAreaField(
        _l("Your comment"),
        filters=[strip],
        validators=[
            DataRequired(_l("Write a comment.")),
            Length(max=5000, message=_l("A comment has at most 5,000 characters.")),
        ],
        render_kw={"rows": 4},
    )
    stance = RadioField(
        _l("Is this an argument?"),
        choices=[
            SelectChoice("", _l("No, a comment")),
            SelectChoice("for", _l("An argument for the idea")),
            SelectChoice("against", _l("An argument against the idea")),
        ],
        default="",
        validators=[Optional()],
    )
    parent = HiddenField()


class EditForm(Form):
    text = CommentForm.text


def _idea(idea_id) -> Idea:
    idea = db.session.get(Idea, idea_id)
    if idea is None or not idea.is_visible:
        abort(404)
    require_read(idea.process, "comments")
    return idea


def _back(idea, anchor=""):
    return redirect(url_for("ideas.detail", idea_id=idea.id) + anchor)


@bp.post("/ideeen/<int:idea_id>/reacties")
@limited("comment")
def create(idea_id):
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    idea = _idea(idea_id)
    form = CommentForm()
    problem = None
    if not action_open(idea.process, "comment"):
        problem = _("Commenting is not possible in this process right now.")
    else:
        verdict = may_take_part(current_user, idea.process, "comment")
        if verdict.needs == "confirm":
            problem = _("Confirm your email address first; then you can comment.")
        elif not verdict:
            problem = str(verdict.reason)
    if problem is None and form.validate_on_submit():
        parent = None
        if form.parent.data:
            number = whole_number(form.parent.data)
            parent = db.session.get(Comment, number) if number else None
            if parent is None or parent.idea_id != idea.id:
                abort(400)
        sent_before = submissions.earlier(current_user, form.submission_key.data)
        if sent_before is not None:
            return redirect(sent_before)
        comment = service.add(idea, current_user, form.text.data, form.stance.data, parent)
        db.session.flush()
        location = url_for("ideas.detail", idea_id=idea.id) + f"#reactie-{comment.id}"
        # Looked up before the key goes in: its flush may fail, which the commit below handles.
        answered = answered_details(current_user)
        submissions.remember(current_user, form.submission_key.data, location)
        try:
            commit_ending_the_request()
        except IntegrityError:
            # The same form sent twice at once: the other request placed the comment.
            db.session.rollback()
            sent_before = submissions.earlier(current_user, form.submission_key.data)
            if sent_before is None:
                raise
            return redirect(sent_before)
        send_queued_from_request()
        ask_for_details(current_user, answered)
        flash(_("Your comment is placed."), "success")
        return _back(idea, f"#reactie-{comment.id}")
    return (
        render_template(
            "comments/form_page.html",
            idea=idea,
            form=form,
            problem=problem,
        ),
        400,
    )


@bp.get("/ideeen/<int:idea_id>/reacties")
def page(idea_id):
    """More comments: the next page as a partial for htmx, or the idea page."""
    idea = _idea(idea_id)
    number = page_arg(default=2)
    if not request.headers.get("HX-Request"):
        return redirect(url_for("ideas.detail", idea_id=idea.id, reacties=number) + "#reacties")
    tops, replies, has_next = service.thread(idea.id, number)
    return render_template(
        "comments/_page.html",
        idea=idea,
        process=idea.process,
        tops=tops,
        replies=replies,
        has_next=has_next,
        number=number,
        can_comment=action_open(idea.process, "comment"),
    )


def _own(comment_id) -> Comment:
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    _idea(comment.idea_id)
    if comment.author_id != current_user.id:
        abort(403)
    return comment


@bp.route("/reacties/<int:comment_id>/bewerken", methods=["GET", "POST"])
def edit(comment_id):
    comment = _own(comment_id)
    idea = db.session.get(Idea, comment.idea_id)
    if not service.may_edit(current_user, comment):
        flash(_("A comment can be changed for 15 minutes after placing it."), "error")
        return _back(idea, f"#reactie-{comment.id}")
    form = EditForm(obj=comment)
    if form.validate_on_submit():
        comment.text = form.text.data
        comment.edited_at = utcnow()
        db.session.commit()
        flash(_("Your comment is changed."), "success")
        return _back(idea, f"#reactie-{comment.id}")
    status = 400 if form.errors else 200
    return render_template("comments/edit.html", idea=idea, comment=comment, form=form), status


@bp.post("/reacties/<int:comment_id>/verwijderen")
def delete(comment_id):
    comment = _own(comment_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if service.may_delete(current_user, comment):
        comment.deleted_at = utcnow()
        db.session.commit()
        flash(_("Your comment is deleted."), "success")
    return _back(db.session.get(Idea, comment.idea_id), "#reacties")
