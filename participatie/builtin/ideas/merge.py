"""Merging a duplicate idea into another idea of the same process (facilitators).

The duplicate stays in the database with ``merged_into_id`` set. The
``ideas_merged`` signal is sent inside the transaction, so the plugins that
keep rows per idea (votes) move theirs in the same commit. The route is the
ideas blueprint's (``ideas.merge``).
"""

import sqlalchemy as sa
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField
from wtforms import SelectField
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired

from participatie.builtin.ideas.models import Idea
from participatie.builtin.ideas.views import bp
from participatie.core import audit
from participatie.core.accounts.service import external_url
from participatie.core.mail.sending import queue_mail
from participatie.core.mail.sending import send_queued_from_request
from participatie.core.roles.guards import require_manage
from participatie.extensions import db
from participatie.forms import Form
from participatie.signals import ideas_merged


class MergeRefused(Exception):
    """The merge is not allowed; ``str(error)`` says why, for the facilitator."""


def check_merge(duplicate: Idea, kept: Idea | None) -> None:
    """Raise ``MergeRefused`` with a clear message when ``duplicate`` cannot go into ``kept``."""
    if kept is None:
        raise MergeRefused(_("Choose the idea to keep."))
    if kept.id == duplicate.id:
        raise MergeRefused(_("An idea cannot be merged into itself."))
    if kept.process_id != duplicate.process_id:
        raise MergeRefused(_("You can only merge ideas of the same process."))
    if duplicate.merged_into_id is not None:
        raise MergeRefused(_("This idea was already merged into another idea."))
    if kept.merged_into_id is not None:
        raise MergeRefused(_("The chosen idea was merged itself; choose the idea it went into."))
    if kept.hidden_at is not None:
        raise MergeRefused(_("The chosen idea is hidden by a moderator."))
    if kept.withdrawn_at is not None:
        raise MergeRefused(_("The chosen idea was withdrawn by its author."))


def merge(duplicate: Idea, kept: Idea, actor=None) -> None:
    """Merge ``duplicate`` into ``kept`` in the current transaction (no commit).

    Both ideas are locked first, in the order of their ids, and read again:
    two opposite merges at the same moment (A into B, B into A) then run one
    after the other, and the second finds its idea merged and is refused,
    instead of both succeeding or deadlocking. (On SQLite every write
    transaction already runs alone.)
    """
    if kept is not None:
        db.session.scalars(
            sa.select(Idea)
            .where(Idea.id.in_(sorted({duplicate.id, kept.id})))
            .order_by(Idea.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).all()
    check_merge(duplicate, kept)
    duplicate.merged_into_id = kept.id
    duplicate.merged_into = kept
    db.session.flush()
    ideas_merged.send(current_app._get_current_object(), duplicate=duplicate, kept=kept)
    audit.record("idea.merge", duplicate, actor=actor, kept_id=kept.id, kept_title=kept.title)
    authors = {idea.author for idea in (duplicate, kept) if idea.author is not None}
    for author in sorted(authors, key=lambda user: user.id):
        if not author.is_active:
            continue
        queue_mail(
            author.email,
            "ideas/mail/idea_merged",
            author.locale,
            user=author,
            duplicate=duplicate,
            kept=kept,
            yours_was_merged=author.id == duplicate.author_id,
            url=external_url("ideas.detail", idea_id=kept.id),
        )


def merge_targets(duplicate: Idea) -> list[Idea]:
    """The other visible ideas of the duplicate's process, by title."""
    return list(
        db.session.scalars(
            sa.select(Idea)
            .where(
                Idea.process_id == duplicate.process_id,
                Idea.id != duplicate.id,
                Idea.is_visible,
            )
            .order_by(Idea.title, Idea.id)
        )
    )


class MergeForm(Form):
    kept = SelectField(
        _l("Merge into this idea"),
        coerce=int,
        validators=[InputRequired(_l("Choose the idea to keep."))],
        validate_choice=False,
    )
    confirm = BooleanField(
        _l("Yes: the supports move to the chosen idea and both authors get an email."),
        validators=[DataRequired(_l("Confirm that you want to merge these ideas."))],
    )


@bp.route("/ideeen/<int:idea_id>/samenvoegen", methods=["GET", "POST"], endpoint="merge")
def merge_view(idea_id):
    duplicate = db.session.get(Idea, idea_id)
    require_manage(duplicate.process if duplicate is not None else None, "ideas")
    form = MergeForm()
    targets = merge_targets(duplicate)
    form.kept.choices = [(idea.id, idea.title) for idea in targets]
    if request.method == "POST":
        if form.validate_on_submit():
            kept = db.session.get(Idea, form.kept.data)
            try:
                merge(duplicate, kept, current_user)
            except MergeRefused as refusal:
                db.session.rollback()
                form.form_errors.append(str(refusal))
            else:
                db.session.commit()
                send_queued_from_request()
                flash(_("The ideas are merged."), "success")
                return redirect(url_for("ideas.detail", idea_id=kept.id))
        status = 400
    else:
        status = 200
    return (
        render_template("ideas/merge.html", form=form, duplicate=duplicate, targets=targets),
        status,
    )
