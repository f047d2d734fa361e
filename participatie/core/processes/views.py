"""The process page for everyone, and the facilitator's screens."""

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
from flask_login import login_required
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Length

from participatie import plugins
from participatie.core.accounts.forms import strip
from participatie.core.areas.models import Area
from participatie.core.areas.queries import comparison
from participatie.core.areas.queries import municipality
from participatie.core.mail.sending import send_queued_from_request
from participatie.core.notifications.service import followers
from participatie.core.notifications.views import follow_from_button
from participatie.core.processes import lifecycle
from participatie.core.processes import revisions
from participatie.core.processes import service
from participatie.core.processes.forms import ProcessForm
from participatie.core.processes.framing import check_framing
from participatie.core.processes.labels import AREA_LEVEL
from participatie.core.processes.models import Process
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
from participatie.forms import Form

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
        revision=revisions.latest(process) if process.is_public else None,
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
    follow_from_button(
        "process",
        process.id,
        followed=_(
            "You follow this process: we mail you when a new phase starts and when an idea "
            "gets an answer. On your account page you choose: at once, once a day, or never."
        ),
        stopped=_("You no longer follow this process."),
    )
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
            stored_id = process.id if process is not None else None
            return _render_form(form, process, check_framing(draft, stored_id), status=200)
        saved = lifecycle.save_from_form(
            form, process, area, current_user, publish=action == "publish"
        )
        if saved.refused:
            db.session.rollback()
            return _render_form(form, process, saved.check, status=400, refused=True)
        process, check = saved.process, saved.check
        db.session.commit()
        send_queued_from_request()
        if check is not None and process.status == "draft":
            flash(
                _("Saved as a draft. The process is not published yet: see the check."), "warning"
            )
            return redirect(url_for("processes.edit", slug=process.slug))
        if check is not None:
            flash(_("The process is published."), "success")
            return redirect(url_for("processes.detail", slug=process.slug))
        if saved.revision is not None:
            flash(_("Saved. Residents see that the framing changed, and why."), "success")
        else:
            flash(_("Saved."), "success")
        return redirect(url_for("processes.edit", slug=process.slug))
    if process is not None:
        check = check_framing(process)
    return _render_form(form, process, check, status=200)


def _render_form(form, process, check, status, refused=False):
    return (
        render_template(
            "processes/edit.html", form=form, process=process, check=check, refused=refused
        ),
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


class _LifecycleForm(Form):
    explanation = TextAreaField(
        _l("Explanation for residents"), filters=[strip], validators=[Length(max=2000)]
    )


@bp.route("/processen/<slug>/fase-afsluiten", methods=["GET", "POST"])
def close_phase(slug):
    """Close the current phase, after a page that says what will happen."""
    process = _get_managed(slug)
    now = utcnow()
    phase = current_phase(process, now)
    form = _LifecycleForm()
    if phase is None or process.status != "published":
        flash(_("No phase is running now, so there is nothing to close."), "warning")
        return redirect(url_for("processes.detail", slug=process.slug))
    if form.validate_on_submit():
        closed, started = lifecycle.close_phase(process, now, form.explanation.data, current_user)
        db.session.commit()
        send_queued_from_request()
        if started is not None:
            flash(_("The phase is closed; %(name)s has started.", name=started.name), "success")
        else:
            flash(_("The phase is closed."), "success")
        return redirect(url_for("processes.detail", slug=process.slug))
    phases = list(process.phases)
    position = phases.index(phase)
    following = phases[position + 1] if position + 1 < len(phases) else None
    return render_template(
        "processes/confirm.html",
        process=process,
        form=form,
        kind="close-phase",
        phase=phase,
        following=following,
        stopping=lifecycle.phase_actions_stopping(process, phase),
        starting=plugins.enabled_actions(process, following),
        followers=len(followers("process", process.id)),
    ), (400 if request.method == "POST" else 200)


@bp.route("/processen/<slug>/sluiten", methods=["GET", "POST"])
def close(slug):
    """Close the whole process, after a page that says what will happen."""
    process = _get_managed(slug)
    form = _LifecycleForm()
    if process.status != "published":
        flash(_("Only an open process can be closed."), "warning")
        return redirect(url_for("processes.detail", slug=process.slug))
    if form.validate_on_submit():
        lifecycle.close(process, form.explanation.data, current_user)
        db.session.commit()
        send_queued_from_request()
        flash(_("The process is closed."), "success")
        return redirect(url_for("processes.detail", slug=process.slug))
    phase = current_phase(process, utcnow())
    return render_template(
        "processes/confirm.html",
        process=process,
        form=form,
        kind="close",
        phase=phase,
        stopping=lifecycle.phase_actions_stopping(process, phase),
        followers=len(followers("process", process.id)),
    ), (400 if request.method == "POST" else 200)


class _ReopenForm(Form):
    explanation = TextAreaField(
        _l("Why the process is reopened"),
        description=_l("Residents read this on the process page and in the history of changes."),
        filters=[strip],
        validators=[
            DataRequired(_l("Explain to residents why the process is reopened.")),
            Length(max=2000),
        ],
    )


@bp.route("/processen/<slug>/heropenen", methods=["GET", "POST"])
def reopen(slug):
    """Reopen a closed process, with a public explanation."""
    process = _get_managed(slug)
    if process.status != "closed":
        flash(_("Only a closed process can be reopened."), "warning")
        return redirect(url_for("processes.detail", slug=process.slug))
    form = _ReopenForm()
    if form.validate_on_submit():
        lifecycle.reopen(process, form.explanation.data, current_user)
        db.session.commit()
        send_queued_from_request()
        flash(_("The process is open again."), "success")
        return redirect(url_for("processes.detail", slug=process.slug))
    return render_template(
        "processes/confirm.html",
        process=process,
        form=form,
        kind="reopen",
        followers=len(followers("process", process.id)),
        participants=len(plugins.participant_ids(process)),
    ), (400 if request.method == "POST" else 200)


@bp.get("/processen/<slug>/kaders/geschiedenis")
def history(slug):
    """Every change of the framing after publication, readable without an account."""
    process = _get_readable(slug)
    return render_template(
        "processes/history.html", process=process, revisions=revisions.history(process)
    )
