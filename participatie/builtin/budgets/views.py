"""The budget vote's pages: the ballot for residents, and its management for facilitators."""

import sqlalchemy as sa
from flask import abort
from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import Response
from flask import send_file
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from participatie.builtin.budgets import forms
from participatie.builtin.budgets import labels
from participatie.builtin.budgets import service
from participatie.builtin.budgets import transfer
from participatie.builtin.budgets.models import BudgetVote
from participatie.builtin.budgets.models import Project
from participatie.builtin.budgets.models import ProjectIdea
from participatie.builtin.ideas import photos
from participatie.builtin.ideas.models import Idea
from participatie.core import audit
from participatie.core.accounts.sessions import KEPT_PREFIX
from participatie.core.accounts.verification import may_take_part
from participatie.core.accounts.verification import participant
from participatie.core.accounts.verification import takes_codes
from participatie.core.areas.models import Area
from participatie.core.areas.queries import descendant_ids
from participatie.core.paging import whole_number
from participatie.core.processes.framing import check_framing
from participatie.core.processes.queries import process_by_slug
from participatie.core.roles.guards import require_manage
from participatie.core.roles.guards import require_read
from participatie.core.roles.permissions import facilitates
from participatie.dbutil import commit_ending_the_request
from participatie.extensions import db
from participatie.forms import NUL_MESSAGE
from participatie.ratelimits import limited

bp = Blueprint("budgets", __name__)


def _vote_or_404(process):
    vote = service.vote_of(process.id)
    if vote is None:
        abort(404)
    return vote


def _buurten(process) -> list[Area]:
    return list(
        db.session.scalars(
            sa.select(Area)
            .where(Area.level == "buurt", Area.id.in_(descendant_ids(process.area)))
            .order_by(Area.name)
        )
    )


def _ideas_of(projects) -> dict[int, Idea]:
    ids = {i for project in projects for i in project.idea_ids}
    if not ids:
        return {}
    return {idea.id: idea for idea in db.session.scalars(sa.select(Idea).where(Idea.id.in_(ids)))}


def _merged_into(idea_ids) -> dict[int, list[Idea]]:
    """Ideas merged into each of ``idea_ids`` ("also from idea …")."""
    found: dict[int, list[Idea]] = {}
    if idea_ids:
        rows = db.session.scalars(
            sa.select(Idea).where(Idea.merged_into_id.in_(idea_ids)).order_by(Idea.id)
        )
        for idea in rows:
            found.setdefault(idea.merged_into_id, []).append(idea)
    return found


def _filtered(process, projects):
    theme = request.values.get("thema") or ""
    buurt = request.values.get("buurt") or ""
    shown = [
        p
        for p in projects
        if (not theme or p.theme_code == theme) and (not buurt or buurt in p.buurten)
    ]
    return shown, theme, buurt


def _ballot_context(process, vote, chosen_ids, problems_shown=False, message=None):
    projects = list(vote.projects)
    shown, theme, buurt = _filtered(process, projects)
    current = service.status(vote, process)
    person = participant(process)
    ballot = service.ballot_of(vote, person.id) if person is not None else None
    counts = service.approvals(vote) if vote.show_counts or current == "published" else None
    return dict(
        process=process,
        vote=vote,
        status=current,
        projects=shown,
        all_projects=projects,
        totals=service.totals(vote, projects, chosen_ids),
        chosen=set(int(i) for i in chosen_ids),
        ballot=ballot,
        counts=counts,
        ideas=_ideas_of(projects),
        merged=_merged_into([i for p in projects for i in p.idea_ids]),
        themes=process.themes,
        theme=theme,
        buurt=buurt,
        buurten=_buurten(process),
        problems_shown=problems_shown,
        message=message,
        labels=labels,
        euros=service.euros,
        person=person,
        takes_codes=takes_codes(process),
    )


def _chosen_from_form() -> list[int]:
    chosen = []
    for value in request.form.getlist("project"):
        if whole_number(value):
            chosen.append(whole_number(value))
    return chosen


def _session_key(vote) -> str:
    return f"{KEPT_PREFIX}budget-choice-{vote.id}"


def _adopt_choice_made_before_login(vote, process) -> None:
    """A choice made before logging in becomes the voter's draft, unless they have one."""
    key = _session_key(vote)
    if not current_user.is_authenticated or key not in session:
        return
    chosen = session.pop(key)
    if (
        may_take_part(current_user, process, "budget")
        and service.status(vote, process) == "open"
        and not service.working_choice(vote, current_user)
    ):
        service.save_draft(vote, current_user.id, chosen)
        db.session.commit()


@bp.route("/processen/<slug>/begroting", methods=["GET", "POST"])
@limited("ballot")
def ballot(slug):
    """The ballot: choose projects, see the totals, check, cast; with and without JavaScript."""
    # A POST shows the framing only when it answers with the ballot page again (a problem,
    # a draft): those parts are then loaded as the page uses them.
    process = require_read(process_by_slug(slug, full=request.method == "GET"), "budgets")
    vote = _vote_or_404(process)
    if request.method == "GET":
        _adopt_choice_made_before_login(vote, process)
        person = participant(process)
        chosen = service.working_choice(vote, person) if person is not None else []
        if person is None:
            chosen = session.get(_session_key(vote), [])
        return render_template("budgets/ballot.html", **_ballot_context(process, vote, chosen))
    if not FlaskForm().validate_on_submit():
        abort(400)
    chosen = _chosen_from_form()
    person = participant(process)
    if person is None:
        # The choice is kept in the session and becomes the draft after log-in.
        session[_session_key(vote)] = chosen
        return redirect(url_for("accounts.login", next=url_for("budgets.ballot", slug=slug)))
    action = request.form.get("action", "check")
    if service.status(vote, process) != "open":
        context = _ballot_context(process, vote, chosen, message=_("The vote is not open."))
        return render_template("budgets/ballot.html", **context), 400
    verdict = may_take_part(person, process, "budget")
    if not verdict:
        message = (
            _("Confirm your email address first; then you can vote.")
            if verdict.needs == "confirm"
            else str(verdict.reason)
        )
        context = _ballot_context(process, vote, chosen, message=message)
        return render_template("budgets/ballot.html", **context), 400
    if action == "cast":
        try:
            service.cast(vote, process, person.id, chosen)
        except service.BallotRefused:
            db.session.rollback()
            context = _ballot_context(process, vote, chosen, problems_shown=True)
            return render_template("budgets/ballot.html", **context), 400
        commit_ending_the_request()
        flash(_("Your vote is cast. You can change it until the vote closes."), "success")
        return redirect(url_for("budgets.ballot", slug=slug) + "#keuze")
    service.save_draft(vote, person.id, chosen)
    db.session.commit()
    context = _ballot_context(process, vote, chosen, problems_shown=True)
    return render_template("budgets/ballot.html", **context)


@bp.post("/processen/<slug>/begroting/totaal")
def totals(slug):
    """The running totals for htmx; also keeps the choice as a draft on the server."""
    process = require_read(process_by_slug(slug), "budgets")
    vote = _vote_or_404(process)
    if not FlaskForm().validate_on_submit():
        abort(400)
    chosen = _chosen_from_form()
    person = participant(process)
    if person is None:
        session[_session_key(vote)] = chosen
    elif may_take_part(person, process, "budget") and service.status(vote, process) == "open":
        service.save_draft(vote, person.id, chosen)
        db.session.commit()
    context = _ballot_context(process, vote, chosen, problems_shown=True)
    return render_template("budgets/_totals.html", **context)


@bp.get("/processen/<slug>/begroting/uitslag")
def results(slug):
    process = require_read(process_by_slug(slug), "budgets")
    vote = _vote_or_404(process)
    current = service.status(vote, process)
    manager = current_user.is_authenticated and facilitates(current_user, process)
    if current != "published" and not (manager and current == "closed"):
        abort(404)
    # The published outcome as stored, or the one the ballots give now (a preview).
    result = service.stored_outcome(vote) if current == "published" else service.outcome(vote)
    rows = [
        {
            "project": p,
            "approvals": result.approvals.get(p.id, 0),
            "selected": p.id in result.funded,
            "funded": result.funded.get(p.id),
            "reason": result.reasons.get(p.id),
        }
        for p in vote.projects
    ]
    spent = result.spent
    rows.sort(key=lambda row: (not row["selected"], -(row["approvals"] or 0), row["project"].id))
    return render_template(
        "budgets/results.html",
        process=process,
        vote=vote,
        status=current,
        rows=rows,
        spent=spent,
        leftover=vote.budget - spent,
        ballots=service.ballot_count(vote),
        manager=manager,
        labels=labels,
        euros=service.euros,
        deviation_form=forms.DeviationForm(),
    )


# --- Facilitators ----------------------------------------------------------------


def _framing_blocks(process) -> list:
    return check_framing(process).blocking


@bp.route("/processen/<slug>/begroting/beheer", methods=["GET", "POST"])
def manage(slug):
    process = require_manage(process_by_slug(slug), "budgets")
    vote = service.vote_of(process.id)
    form = forms.SettingsForm(obj=vote) if request.method == "GET" else forms.SettingsForm()
    frozen = vote is not None and service.frozen(vote, process)
    findings = []
    if request.method == "POST" and form.validate_on_submit():
        if frozen:
            abort(409)
        created = vote is None
        if created:
            vote = BudgetVote(process_id=process.id, budget=form.budget.data)
            db.session.add(vote)
        for name in ("budget", "rule", "partial_funding", "ballot_kind", "show_counts"):
            setattr(vote, name, getattr(form, name).data)
        for name in ("min_projects", "max_projects", "max_total_cost"):
            setattr(vote, name, getattr(form, name).data)
        db.session.flush()
        # A published process must stay within the framing check: the ballot's
        # budget must equal the framing's budget limit.
        findings = [f for f in _framing_blocks(process) if f.code.startswith("budget-")]
        if process.status != "draft" and findings:
            db.session.rollback()
            vote = service.vote_of(process.id)
        else:
            audit.record(
                "budgets.settings", process, budget=vote.budget, rule=vote.rule, created=created
            )
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("budgets.manage", slug=slug))
    status_code = 400 if form.errors or findings else 200
    projects = list(vote.projects) if vote is not None else []
    return render_template(
        "budgets/manage.html",
        process=process,
        vote=vote,
        form=form,
        frozen=frozen,
        findings=findings,
        status=service.status(vote, process) if vote is not None else None,
        projects=projects,
        ideas=_ideas_of(projects),
        labels=labels,
        euros=service.euros,
        ballots=service.ballot_count(vote) if vote is not None else 0,
    ), status_code


def _project_form(process, vote, project=None):
    form = forms.ProjectForm(obj=project) if request.method == "GET" else forms.ProjectForm()
    form.theme.choices = [SelectChoice("", _("(no theme)"))] + [
        SelectChoice(t.code, t.name) for t in process.themes
    ]
    form.buurten.choices = [SelectChoice(b.code, b.name) for b in _buurten(process)]
    ideas = db.session.scalars(
        sa.select(Idea).where(Idea.process_id == process.id, Idea.is_visible).order_by(Idea.id)
    ).all()
    form.ideas.choices = [SelectChoice(idea.id, f"{idea.title} (#{idea.id})") for idea in ideas]
    if request.method == "GET":
        if project is not None:
            form.theme.data = project.theme_code or ""
            form.buurten.data = project.buurten
            form.ideas.data = project.idea_ids
        elif whole_number(request.args.get("idee")):
            chosen = db.session.get(Idea, whole_number(request.args["idee"]))
            if chosen is not None and chosen.process_id == process.id:
                form.ideas.data = [chosen.id]
                form.title.data = chosen.title
                form.description.data = chosen.text[:2000]
                form.theme.data = chosen.theme.code if chosen.theme else ""
                form.buurten.data = [chosen.buurt.code] if chosen.buurt else []
    return form


def _store_project_form(form, process, project):
    valid_ideas = {choice.value for choice in form.ideas.choices}
    idea_ids = [i for i in form.ideas.data or [] if i in valid_ideas]
    themes = {t.code for t in process.themes}
    buurten = {choice.value for choice in form.buurten.choices}
    project.title = form.title.data
    project.description = form.description.data or ""
    project.cost = form.cost.data
    project.theme_code = form.theme.data if form.theme.data in themes else None
    project.buurt_codes = " ".join(code for code in form.buurten.data or [] if code in buurten)
    project.direct_reason = "" if idea_ids else form.direct_reason.data
    upload = form.photo.data
    if upload is not None and getattr(upload, "filename", ""):
        project.photo_file, project.photo_type = photos.store(upload.read())
        project.photo_alt = form.photo_alt.data
    elif not project.photo_file and idea_ids:
        first = db.session.get(Idea, idea_ids[0])
        if first is not None and first.photo_file:
            project.photo_file, project.photo_type = first.photo_file, first.photo_type
            project.photo_alt = first.photo_alt
    project.sources = [ProjectIdea(idea_id=i) for i in sorted(set(idea_ids))]


@bp.route("/processen/<slug>/begroting/projecten/nieuw", methods=["GET", "POST"])
def new_project(slug):
    process = require_manage(process_by_slug(slug), "budgets")
    vote = _vote_or_404(process)
    if service.frozen(vote, process):
        flash(_("The vote has opened: projects and costs are frozen."), "error")
        return redirect(url_for("budgets.manage", slug=slug))
    form = _project_form(process, vote)
    if request.method == "POST" and form.validate_on_submit():
        project = Project(vote_id=vote.id)
        try:
            _store_project_form(form, process, project)
        except photos.PhotoRefused as refused:
            form.photo.errors = [str(refused)]
        else:
            db.session.add(project)
            db.session.flush()
            audit.record("budgets.project", process, project=project.id)
            db.session.commit()
            flash(_("The project is on the ballot."), "success")
            return redirect(url_for("budgets.manage", slug=slug) + "#projecten")
    status_code = 400 if form.errors else 200
    return render_template(
        "budgets/project_form.html", process=process, form=form, project=None
    ), status_code


def _project(project_id) -> Project:
    project = db.session.get(Project, project_id)
    if project is None:
        abort(404)
    return project


@bp.route("/begroting/projecten/<int:project_id>/bewerken", methods=["GET", "POST"])
def edit_project(project_id):
    project = _project(project_id)
    process = require_manage(project.vote.process, "budgets")
    if service.frozen(project.vote, process):
        flash(_("The vote has opened: projects and costs are frozen."), "error")
        return redirect(url_for("budgets.manage", slug=process.slug))
    form = _project_form(process, project.vote, project)
    if request.method == "POST" and form.validate_on_submit():
        try:
            _store_project_form(form, process, project)
        except photos.PhotoRefused as refused:
            form.photo.errors = [str(refused)]
        else:
            audit.record("budgets.project", process, project=project.id)
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("budgets.manage", slug=process.slug) + "#projecten")
    status_code = 400 if form.errors else 200
    return render_template(
        "budgets/project_form.html", process=process, form=form, project=project
    ), status_code


@bp.post("/begroting/projecten/<int:project_id>/verwijderen")
def delete_project(project_id):
    project = _project(project_id)
    process = require_manage(project.vote.process, "budgets")
    if not FlaskForm().validate_on_submit():
        abort(400)
    if service.frozen(project.vote, process):
        flash(_("The vote has opened: projects and costs are frozen."), "error")
        return redirect(url_for("budgets.manage", slug=process.slug))
    audit.record("budgets.project-removed", process, project=project.id)
    db.session.delete(project)
    db.session.commit()
    flash(_("The project is removed from the ballot."), "success")
    return redirect(url_for("budgets.manage", slug=process.slug) + "#projecten")


@bp.get("/begroting/projecten/<int:project_id>/foto")
def photo(project_id):
    project = _project(project_id)
    require_read(project.vote.process, "budgets")
    path = photos.path_of(project.photo_file or "")
    if path is None:
        abort(404)
    response = send_file(path, mimetype=project.photo_type, max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/processen/<slug>/begroting/publiceren")
def publish(slug):
    process = require_manage(process_by_slug(slug), "budgets")
    vote = _vote_or_404(process)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        service.publish(vote, process, current_user._get_current_object())
    except service.PublishRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("budgets.manage", slug=slug))
    db.session.commit()
    flash(_("The outcome is published."), "success")
    return redirect(url_for("budgets.results", slug=slug))


@bp.post("/begroting/projecten/<int:project_id>/besluit")
def deviation(project_id):
    project = _project(project_id)
    process = require_manage(project.vote.process, "budgets")
    form = forms.DeviationForm()
    if not form.validate_on_submit():
        flash(_("Choose what was decided."), "error")
        return redirect(url_for("budgets.results", slug=process.slug))
    try:
        service.record_deviation(project, form.decided.data == "1", form.explanation.data, process)
    except service.DeviationRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("budgets.results", slug=process.slug) + f"#project-{project.id}")
    db.session.commit()
    flash(_("The decision is recorded beside the outcome."), "success")
    return redirect(url_for("budgets.results", slug=process.slug) + f"#project-{project.id}")


@bp.route("/processen/<slug>/begroting/import", methods=["GET", "POST"])
def import_pb(slug):
    """Upload a Pabulib file: a preview first, then the import, all or nothing."""
    process = require_manage(process_by_slug(slug), "budgets")
    form = forms.ImportForm()
    preview, problems = None, []
    if request.method == "POST" and form.validate_on_submit():
        upload = form.file.data
        text = ""
        if upload is not None and getattr(upload, "filename", ""):
            raw = upload.read(20 * 1024 * 1024 + 1)
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                problems = [(0, _("The file is not UTF-8 text."))]
        elif request.form.get("text"):
            text = request.form["text"]
        else:
            problems = [(0, _("Choose a .pb file."))]
        if text and "\x00" in text:
            problems = [(0, NUL_MESSAGE)]
        if text and not problems:
            try:
                preview = transfer.preview(process, text)
            except transfer.ImportRefused as refused:
                problems = refused.problems
            else:
                if request.form.get("action") == "import":
                    report = transfer.import_text(process, text)
                    db.session.commit()
                    flash(
                        _(
                            "Imported: %(projects)d projects, %(ballots)d ballots.",
                            projects=report.projects,
                            ballots=report.ballots,
                        ),
                        "success",
                    )
                    return redirect(url_for("budgets.manage", slug=slug))
                form_text = text
                return render_template(
                    "budgets/import.html",
                    process=process,
                    form=form,
                    preview=preview,
                    problems=[],
                    text=form_text,
                    euros=service.euros,
                    labels=labels,
                )
    status_code = 400 if problems else 200
    return render_template(
        "budgets/import.html",
        process=process,
        form=form,
        preview=None,
        problems=problems,
        text="",
        euros=service.euros,
        labels=labels,
    ), status_code


@bp.get("/processen/<slug>/begroting/export.pb")
@login_required
def export_pb(slug):
    process = require_manage(process_by_slug(slug), "budgets")
    vote = _vote_or_404(process)
    if service.status(vote, process) not in ("closed", "published"):
        abort(404)
    text = transfer.export_text(process, vote)
    return Response(
        text,
        mimetype="text/plain",
        headers={"Content-Disposition": f'attachment; filename="{process.slug}.pb"'},
    )
