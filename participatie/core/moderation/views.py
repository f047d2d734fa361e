"""Report content (any account), and the facilitator's list of open reports."""

from flask import abort
from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required
from flask_wtf import FlaskForm

from participatie.core.mail.sending import send_queued_from_request
from participatie.core.moderation import service
from participatie.core.moderation.forms import HideForm
from participatie.core.moderation.forms import ReportForm
from participatie.core.paging import page_arg
from participatie.core.processes.queries import process_by_slug
from participatie.core.roles.guards import require_manage
from participatie.extensions import db
from participatie.ratelimits import limited

bp = Blueprint("moderation", __name__)


@bp.get("/melden")
@login_required
def report_form():
    """The report form for one piece of content (the flow without JavaScript)."""
    try:
        target = service.find_reportable(
            current_user, request.args.get("kind"), request.args.get("id")
        )
    except service.NotReportable:
        abort(404)
    form = ReportForm(kind=target.kind.name, object_id=target.obj.id)
    done = service.has_open_report(current_user, target.kind.name, target.obj.id)
    return _render_form(form, target, done, 200)


@bp.post("/melden")
@login_required
@limited("report")
def report():
    form = ReportForm()
    try:
        target = service.find_reportable(current_user, form.kind.data, form.object_id.data)
    except service.NotReportable:
        target = None
    if target is None:
        if not form.validate_on_submit():
            abort(400)
        abort(404)
    if not form.validate_on_submit():
        return _render_form(form, target, False, 400)
    try:
        service.report(current_user, target.kind.name, target.obj.id, form.reason.data)
    except service.AlreadyReported:
        db.session.rollback()
        flash(_("You already reported this. A moderator will look at it."), "info")
        return redirect(target.kind.url(target.obj))
    db.session.commit()
    send_queued_from_request()
    flash(_("Thank you. A moderator will look at your report."), "success")
    return redirect(target.kind.url(target.obj))


def _render_form(form, target, done, status):
    return (
        render_template(
            "moderation/report.html",
            form=form,
            kind=target.kind,
            obj=target.obj,
            content=target.kind.describe(target.obj),
            content_url=target.kind.url(target.obj),
            done=done,
        ),
        status,
    )


def _managed_process(slug):
    return require_manage(process_by_slug(slug))


@bp.get("/processen/<slug>/meldingen")
def reports(slug):
    process = _managed_process(slug)
    return _render_reports(process, hide_forms={}, status=200)


def _render_reports(process, hide_forms, status):
    page = page_arg("page")
    items, has_next = service.open_reports(process, page)
    forms = {
        item.report.id: hide_forms.get(item.report.id) or _hide_form(item.report.id)
        for item in items
    }
    template = "moderation/_reports.html" if request.headers.get("HX-Request") else None
    return (
        render_template(
            template or "moderation/reports.html",
            process=process,
            items=items,
            forms=forms,
            dismiss_form=FlaskForm(),
            page=page,
            has_next=has_next,
        ),
        status,
    )


@bp.post("/processen/<slug>/meldingen/<int:report_id>/verbergen")
def hide(slug, report_id):
    process = _managed_process(slug)
    row = service.open_report(process, report_id)
    if row is None:
        flash(_("Someone already handled this report."), "info")
        return redirect(url_for("moderation.reports", slug=process.slug))
    form = _hide_form(row.id)
    if not form.validate_on_submit():
        return _render_reports(process, {row.id: form}, 400)
    if service.hide(row, form.public_reason.data, current_user):
        flash(_("The content is hidden and its reports are closed."), "success")
    db.session.commit()
    return redirect(url_for("moderation.reports", slug=process.slug))


def _hide_form(report_id):
    # A prefix per report keeps the ids of the fields on the page unique.
    return HideForm(prefix=f"report-{report_id}")


@bp.post("/processen/<slug>/meldingen/<int:report_id>/afwijzen")
def dismiss(slug, report_id):
    process = _managed_process(slug)
    row = service.open_report(process, report_id)
    if row is not None and FlaskForm().validate_on_submit():
        service.dismiss(row, current_user)
        db.session.commit()
        flash(_("The report is dismissed; the content stays as it is."), "success")
    return redirect(url_for("moderation.reports", slug=process.slug))
