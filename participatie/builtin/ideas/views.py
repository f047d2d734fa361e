"""Idea pages: the list of a process, submitting, the idea page, editing, the photo."""

import secrets

import sqlalchemy as sa
from flask import abort
from flask import Blueprint
from flask import flash
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from flask import send_file
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from participatie.builtin.ideas import photos
from participatie.builtin.ideas import service
from participatie.builtin.ideas.forms import FilterForm
from participatie.builtin.ideas.forms import IdeaForm
from participatie.builtin.ideas.forms import UpdateForm
from participatie.builtin.ideas.labels import STATUS_LABELS
from participatie.builtin.ideas.models import Idea
from participatie.builtin.ideas.text import render
from participatie.core.accounts.profile import ask_for_details
from participatie.core.accounts.verification import may_take_part
from participatie.core.areas.models import Area
from participatie.core.areas.queries import descendant_ids
from participatie.core.mail.sending import send_queued_from_request
from participatie.core.notifications.service import followers
from participatie.core.notifications.views import follow_from_button
from participatie.core.paging import page_arg
from participatie.core.processes.phases import action_open
from participatie.core.processes.queries import process_by_slug
from participatie.core.roles.guards import require_read
from participatie.core.roles.permissions import facilitates
from participatie.extensions import db
from participatie.extensions import utcnow
from participatie.ratelimits import limited

bp = Blueprint("ideas", __name__)


def _readable_process(slug):
    return require_read(process_by_slug(slug), "ideas")


def _idea(idea_id, hidden_notice: bool = False) -> Idea:
    """The idea ``idea_id`` as the visitor may see it, or 404.

    A withdrawn idea is gone for everyone; a hidden one is there only for the
    process's moderators (its facilitators and the administrators), also for
    its author, who can no longer change or add to it.
    """
    idea = db.session.get(Idea, idea_id)
    if idea is None or idea.withdrawn_at is not None:
        abort(404)
    require_read(idea.process, "ideas")
    if idea.hidden_at is not None and not facilitates(current_user, idea.process):
        if hidden_notice:
            # Moderation is open about itself: the reason shows, nothing of the idea.
            abort(make_response(render_template("ideas/hidden.html", idea=idea), 410))
        abort(404)
    return idea


def buurten(process) -> list[Area]:
    return db.session.scalars(
        sa.select(Area)
        .where(Area.level == "buurt", Area.id.in_(descendant_ids(process.area)))
        .order_by(Area.name)
    ).all()


def _seed() -> int:
    if "idea_seed" not in session:
        session["idea_seed"] = secrets.randbelow(10_000)
    return session["idea_seed"]


@bp.get("/processen/<slug>/ideeen")
def index(slug):
    process = _readable_process(slug)
    form = FilterForm(request.args)
    form.theme.choices = [SelectChoice("", _("All themes"))] + [
        SelectChoice(t.code, t.name) for t in process.themes
    ]
    area_choices = buurten(process)
    form.buurt.choices = [SelectChoice("", _("All buurten"))] + [
        SelectChoice(b.code, b.name) for b in area_choices
    ]
    form.status.choices = [SelectChoice("", _("All statuses"))] + [
        SelectChoice(code, label) for code, label in STATUS_LABELS.items()
    ]
    sort = form.sort.data if form.sort.data in service.SORTS else "newest"
    page = min(page_arg(), service.MAX_PAGE)
    query = service.search(
        process,
        theme=form.theme.data or None,
        buurt=form.buurt.data or None,
        status=form.status.data or None,
        text=form.q.data or None,
        sort=sort,
        seed=_seed() if sort == "random" else 0,
    )
    rows = list(
        db.session.scalars(query.limit(service.PER_PAGE + 1).offset((page - 1) * service.PER_PAGE))
    )
    ideas = rows[: service.PER_PAGE]
    arguments = {k: v for k, v in request.args.items() if k != "pagina" and v}
    template = "ideas/_list.html" if request.headers.get("HX-Request") else "ideas/index.html"
    return render_template(
        template,
        process=process,
        ideas=ideas,
        form=form,
        page=page,
        has_next=len(rows) > service.PER_PAGE and page < service.MAX_PAGE,
        beyond=len(rows) > service.PER_PAGE and page == service.MAX_PAGE,
        shown_at_most=service.MAX_PAGE * service.PER_PAGE,
        arguments=arguments,
        can_submit=action_open(process, "submit"),
    )


@bp.route("/processen/<slug>/ideeen/nieuw", methods=["GET", "POST"])
@login_required
@limited("idea")
def create(slug):
    process = _readable_process(slug)
    form = IdeaForm()
    form.set_choices(process, buurten(process))
    problem = None
    if not action_open(process, "submit"):
        problem = _("Submitting ideas is not possible in this process right now.")
    else:
        verdict = may_take_part(current_user, process, "submit")
        if verdict.needs == "confirm":
            problem = _("Confirm your email address first; then you can submit ideas.")
        elif not verdict:
            problem = str(verdict.reason)
    if problem is None and _previewing() and form.validate_on_submit():
        return _form_page(process, form, None, 200)
    if problem is None and form.validate_on_submit():
        duplicate = service.recent_duplicate(
            current_user, process, form.title.data, form.text.data or ""
        )
        if duplicate is not None:
            return redirect(url_for("ideas.detail", idea_id=duplicate.id))
        try:
            photo_file, photo_type = form.store_photo() or (None, None)
        except photos.PhotoRefused:
            return _form_page(process, form, None, 400)
        idea = service.submit(
            process,
            current_user,
            title=form.title.data,
            text=form.text.data or "",
            theme_id=form.theme.data,
            buurt_id=form.buurt.data,
            photo_file=photo_file,
            photo_type=photo_type,
            photo_alt=(form.photo_alt.data or "") if photo_file else "",
        )
        db.session.commit()
        send_queued_from_request()
        ask_for_details(current_user)
        flash(_("Thank you! Your idea is published."), "success")
        return redirect(url_for("ideas.detail", idea_id=idea.id))
    status = 400 if (form.errors or (problem and request.method == "POST")) else 200
    return _form_page(process, form, problem, status)


def _previewing() -> bool:
    """The form was sent with its "Preview" button: show the text, save nothing."""
    return request.method == "POST" and "preview" in request.form


def _form_page(process, form, problem, status, idea=None):
    # A browser never re-fills a file field: say so when a photo was chosen and the
    # form comes back (an error, or the preview), instead of dropping it silently.
    chosen = request.files.get("photo")
    return (
        render_template(
            "ideas/form.html",
            process=process,
            form=form,
            problem=problem,
            idea=idea,
            preview=render(form.text.data or "") if _previewing() and not form.errors else None,
            photo_dropped=bool(chosen and chosen.filename),
        ),
        status,
    )


@bp.get("/ideeen/<int:idea_id>")
def detail(idea_id):
    idea = _idea(idea_id, hidden_notice=True)
    return render_template(
        "ideas/detail.html",
        idea=idea,
        process=idea.process,
        may_edit=service.may_edit(current_user, idea),
        is_author=current_user.is_authenticated and idea.author_id == current_user.id,
        update_form=UpdateForm(formdata=None),
        may_manage=facilitates(current_user, idea.process),
        following=current_user.is_authenticated and current_user in followers("idea", idea.id),
    )


@bp.post("/ideeen/<int:idea_id>/volgen")
@login_required
def follow_idea(idea_id):
    idea = _idea(idea_id)
    follow_from_button(
        "idea",
        idea.id,
        followed=_("You follow this idea: we mail you when it gets an answer."),
        stopped=_("You no longer follow this idea."),
    )
    return redirect(url_for("ideas.detail", idea_id=idea.id))


@bp.get("/ideeen/<int:idea_id>/foto")
def photo(idea_id):
    idea = _idea(idea_id)
    path = photos.path_of(idea.photo_file or "")
    if path is None or not idea.is_visible:
        abort(404)
    response = send_file(path, mimetype=idea.photo_type, max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    return response


def _own(idea_id) -> Idea:
    idea = _idea(idea_id)
    if not current_user.is_authenticated or idea.author_id != current_user.id:
        abort(403)
    return idea


@bp.route("/ideeen/<int:idea_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(idea_id):
    idea = _own(idea_id)
    process = idea.process
    form = IdeaForm(obj=None if request.method == "POST" else idea)
    form.set_choices(process, buurten(process))
    if request.method == "GET":
        form.theme.data, form.buurt.data = idea.theme_id, idea.buurt_id
    if not service.may_edit(current_user, idea):
        return _form_page(
            process,
            form,
            _("This idea has supports or comments: you can only add an update now."),
            403,
            idea,
        )
    if _previewing() and form.validate_on_submit():
        return _form_page(process, form, None, 200, idea)
    if form.validate_on_submit():
        try:
            stored = form.store_photo()
        except photos.PhotoRefused:
            return _form_page(process, form, None, 400, idea)
        if stored is not None:
            photos.remove(idea.photo_file)
            idea.photo_file, idea.photo_type = stored
        idea.title, idea.text = form.title.data, form.text.data or ""
        idea.theme_id, idea.buurt_id = form.theme.data, form.buurt.data
        if idea.photo_file:
            idea.photo_alt = form.photo_alt.data or idea.photo_alt
        db.session.commit()
        flash(_("Your idea is saved."), "success")
        return redirect(url_for("ideas.detail", idea_id=idea.id))
    return _form_page(process, form, None, 400 if form.errors else 200, idea)


@bp.post("/ideeen/<int:idea_id>/intrekken")
@login_required
def withdraw(idea_id):
    idea = _own(idea_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not service.may_edit(current_user, idea):
        flash(_("This idea has supports or comments: it can no longer be withdrawn."), "error")
        return redirect(url_for("ideas.detail", idea_id=idea.id))
    service.withdraw(idea)
    db.session.commit()
    flash(_("Your idea is withdrawn."), "success")
    return redirect(url_for("ideas.index", slug=idea.process.slug))


@bp.post("/ideeen/<int:idea_id>/aanvulling")
@login_required
def update(idea_id):
    idea = _own(idea_id)
    form = UpdateForm()
    if not form.validate_on_submit():
        return (
            render_template(
                "ideas/detail.html",
                idea=idea,
                process=idea.process,
                may_edit=False,
                is_author=True,
                update_form=form,
                may_manage=facilitates(current_user, idea.process),
            ),
            400,
        )
    service.add_update(idea, form.text.data)
    idea.updated_at = utcnow()
    db.session.commit()
    flash(_("Your update is added."), "success")
    return redirect(url_for("ideas.detail", idea_id=idea.id))
