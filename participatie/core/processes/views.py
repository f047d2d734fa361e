"""The process page for everyone, and the facilitator's screens."""

from flask import abort
from flask import Blueprint
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from participatie import plugins
from participatie.core import audit
from participatie.core.areas.models import Area
from participatie.core.areas.queries import comparison
from participatie.core.areas.queries import municipality
from participatie.core.mail.sending import send_queued_from_request
from participatie.core.notifications.service import follow
from participatie.core.notifications.service import followers
from participatie.core.notifications.service import notify
from participatie.core.notifications.service import unfollow
from participatie.core.processes import service
from participatie.core.processes.forms import ProcessForm
from participatie.core.processes.framing import check_framing
from participatie.core.processes.labels import AREA_LEVEL
from participatie.core.processes.models import Process
from participatie.core.processes.phases import close_current_phase
from participatie.core.processes.phases import current_phase
from participatie.core.processes.queries import facilitated_processes
from participatie.core.processes.queries import manageable_areas
from participatie.core.processes.queries import process_by_slug
from participatie.core.roles.guards import require_manage
from participatie.core.roles.guards import require_read
from participatie.core.roles.permissions import facilitates
from participatie.core.roles.permissions import facilitates_area
from participatie.core.roles.permissions import is_staff
from participatie.extensions import db
from participatie.extensions import utcnow
from participatie.signals import phase_changed

bp = Blueprint("processes", __name__)


def _get_readable(slug: str) -> Process:
    return require_read(process_by_slug(slug))


def _get_managed(slug: str) -> Process:
    return require_manage(process_by_slug(slug))


@bp.get("/processen/<slug>")
def detail(slug):
    process = _get_readable(slug)
    now = utcnow()
    gemeente = municipality()
    return render_template(
        "processes/detail.html",
        process=process,
        now=now,
        phase=current_phase(process, now),
        may_manage=facilitates(current_user, process),
        following=current_user.is_authenticated
        and current_user in followers("process", process.id),
        gemeente=gemeente,
        area_figures=comparison(process.area, gemeente),
    )


@bp.post("/processen/<slug>/volgen")
@login_required
def follow_process(slug):
    process = _get_readable(slug)
    if _empty_form().validate_on_submit():
        if request.form.get("stop"):
            unfollow(current_user, "process", process.id)
            flash(_("You no longer follow this process."), "success")
        else:
            follow(current_user, "process", process.id)
            flash(_("You follow this process: we mail you when a new phase starts."), "success")
        db.session.commit()
    return redirect(url_for("processes.detail", slug=process.slug))


@bp.get("/begeleiding")
@login_required
def manage():
    if not is_staff(current_user):
        abort(403)
    return render_template(
        "processes/manage.html",
        processes=facilitated_processes(current_user),
        now=utcnow(),
        can_create=bool(manageable_areas(current_user)),
    )


def _area_choices(form: ProcessForm, process: Process | None) -> None:
    if process is not None and not facilitates_area(current_user, process.area):
        # A facilitator of this one process cannot move it to another area.
        areas = [process.area]
    else:
        areas = manageable_areas(current_user)
    form.area.choices = [SelectChoice(area.id, _area_label(area)) for area in areas]


def _plugin_choices(form: ProcessForm) -> None:
    form.plugins.choices = [
        SelectChoice(plugin.name, plugin.label) for plugin in plugins.registered().values()
    ]


def _area_label(area: Area) -> str:
    return f"{AREA_LEVEL[area.level]}: {area.display_name}"


def _chosen_area(form: ProcessForm) -> Area:
    area = db.session.get(Area, form.area.data)
    if area is None or area.id not in {choice.value for choice in form.area.choices}:
        abort(403)
    return area


@bp.route("/processen/nieuw", methods=["GET", "POST"])
@login_required
def create():
    form = ProcessForm()
    _area_choices(form, None)
    _plugin_choices(form)
    if not form.area.choices:
        abort(403)
    if request.method == "GET":
        draft = service.new_process(None)
        service.fill_form(form, draft)
        form.area.data = form.area.choices[0].value
    return _handle_form(form, None)


@bp.route("/processen/<slug>/bewerken", methods=["GET", "POST"])
def edit(slug):
    process = _get_managed(slug)
    form = ProcessForm()
    _area_choices(form, process)
    _plugin_choices(form)
    if request.method == "GET":
        service.fill_form(form, process)
    return _handle_form(form, process)


def _handle_form(form: ProcessForm, process: Process | None):
    """Save, check, add a row or publish, from the same form."""
    action = request.form.get("action", "save")
    check = None
    if request.method == "POST":
        for name in ProcessForm.LISTS:
            if action == f"add-{name}":
                getattr(form, name).append_entry()
                return _render_form(form, process, None, status=200)
        if not form.validate_on_submit():
            return _render_form(form, process, None, status=400)
        area = _chosen_area(form)
        if action == "check":
            draft = Process(status="draft")
            service.apply_form(form, draft, area)
            return _render_form(form, process, check_framing(draft), status=200)
        created = process is None
        if created:
            process = service.new_process(area, current_user)
        service.apply_form(form, process, area)
        service.save(process)
        audit.record("process.create" if created else "process.update", process)
        if action == "publish" and process.status == "draft":
            check = service.publish(process)
            if check.ok:
                audit.record("process.publish", process)
            else:
                audit.record(
                    "process.publish_refused",
                    process,
                    problems=sorted(f.code for f in check.blocking),
                )
        db.session.commit()
        if check is not None and not check.ok:
            flash(
                _("Saved as a draft. The process is not published yet: see the check."), "warning"
            )
            return redirect(url_for("processes.edit", slug=process.slug))
        if check is not None:
            flash(_("The process is published."), "success")
            return redirect(url_for("processes.detail", slug=process.slug))
        flash(_("Saved."), "success")
        return redirect(url_for("processes.edit", slug=process.slug))
    if process is not None:
        check = check_framing(process)
    return _render_form(form, process, check, status=200)


def _render_form(form, process, check, status):
    return (
        render_template("processes/edit.html", form=form, process=process, check=check),
        status,
    )


@bp.post("/processen/nieuw/controle")
@login_required
def check_new():
    return _check_partial(None)


@bp.post("/processen/<slug>/controle")
def check(slug):
    return _check_partial(_get_managed(slug))


def _check_partial(process: Process | None):
    """The framing check of what is in the form now, without saving (htmx)."""
    form = ProcessForm()
    _area_choices(form, process)
    _plugin_choices(form)
    if not form.area.choices:
        abort(403)
    draft = Process(status="draft")
    if form.validate_on_submit():
        service.apply_form(form, draft, _chosen_area(form))
        result = check_framing(draft)
    else:
        result = None
    return render_template("processes/_framing_check.html", check=result, form=form)


@bp.post("/processen/<slug>/fase-afsluiten")
def close_phase(slug):
    process = _get_managed(slug)
    form = _empty_form()
    if form.validate_on_submit():
        now = utcnow()
        closed = current_phase(process, now)
        following = close_current_phase(process, now)
        if closed is not None:
            audit.record(
                "process.close_phase",
                process,
                phase=closed.name,
                next_phase=following.name if following else None,
            )
            phase_changed.send(current_app._get_current_object(), process=process, phase=following)
            url = url_for("processes.detail", slug=process.slug, _external=True)
            for follower in followers("process", process.id):
                notify(follower, "phase_started", process=process, phase=following, url=url)
        db.session.commit()
        send_queued_from_request()
        if following is not None:
            flash(_("The phase is closed; %(name)s has started.", name=following.name), "success")
        else:
            flash(_("The phase is closed."), "success")
    return redirect(url_for("processes.detail", slug=process.slug))


@bp.post("/processen/<slug>/sluiten")
def close(slug):
    process = _get_managed(slug)
    form = _empty_form()
    if form.validate_on_submit():
        if process.status == "published":
            service.close(process)
            audit.record("process.close", process)
            db.session.commit()
        flash(_("The process is closed."), "success")
    return redirect(url_for("processes.detail", slug=process.slug))


def _empty_form():
    from flask_wtf import FlaskForm

    return FlaskForm()
