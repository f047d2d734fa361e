"""The area cycle's pages: staff screens per area, the residents' page, the councillor's page."""

from datetime import date

import sqlalchemy as sa
from flask import abort
from flask import Blueprint
from flask import flash
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from participatie.builtin.agenda import forms
from participatie.builtin.agenda import labels
from participatie.builtin.agenda import progress as progress_data
from participatie.builtin.agenda import service
from participatie.builtin.agenda import transfer
from participatie.builtin.agenda.models import Agenda
from participatie.builtin.agenda.models import AreaPerson
from participatie.builtin.agenda.models import Focuswijk
from participatie.builtin.agenda.models import Indicator
from participatie.builtin.agenda.models import Partner
from participatie.builtin.agenda.models import ProcessPartner
from participatie.builtin.agenda.models import ProcessTask
from participatie.builtin.agenda.models import Task
from participatie.builtin.agenda.models import Work
from participatie.builtin.budgets.models import Project
from participatie.builtin.ideas.models import Idea
from participatie.core import audit
from participatie.core.areas.boundaries import feature_collection
from participatie.core.areas.models import Area
from participatie.core.areas.queries import area_by_code
from participatie.core.areas.queries import descendant_ids
from participatie.core.areas.queries import municipality
from participatie.core.processes import revisions
from participatie.core.processes.models import FixedLimit
from participatie.core.processes.queries import process_by_slug
from participatie.core.roles.guards import require_manage
from participatie.core.roles.permissions import facilitates_area
from participatie.core.roles.permissions import is_admin
from participatie.core.roles.permissions import is_staff
from participatie.core.roles.permissions import reads_council_pages
from participatie.core.roles.permissions import require
from participatie.extensions import db
from participatie.extensions import login_manager
from participatie.extensions import utcnow

bp = Blueprint("agenda", __name__)

#: Levels that have agendas, people and execution plans.
PLAN_LEVELS = ("gemeente", "stadsdeel", "wijk")


# --- Guards ---------------------------------------------------------------------


def _area(code) -> Area:
    """The area, when it lies in the municipality this deployment serves."""
    area = area_by_code(code)
    gemeente = municipality()
    if area is None or gemeente is None or not area.is_within(gemeente):
        abort(404)
    return area


def _managed_area(code) -> Area:
    """The area, if the visitor is its facilitator (or administrator)."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    area = _area(code)
    if not facilitates_area(current_user, area):
        abort(403)
    return area


def _in(obj, area: Area, area_of) -> None:
    if obj is None or not area_of(obj).is_within(area):
        abort(404)


def _may_edit_partner(partner: Partner) -> bool:
    if is_admin(current_user):
        return True
    if not partner.areas:
        return is_staff(current_user)
    return any(facilitates_area(current_user, area) for area in partner.areas)


def _invalid(template, status=400, **context):
    return render_template(template, **context), status


# --- Partners -------------------------------------------------------------------


def _partner_area_choices(partner: Partner | None) -> list[SelectChoice]:
    query = sa.select(Area).where(Area.level.in_(PLAN_LEVELS)).order_by(Area.code)
    areas = [a for a in db.session.scalars(query) if facilitates_area(current_user, a)]
    if partner is not None:
        areas += [a for a in partner.areas if a not in areas]
    return [SelectChoice(a.id, a.display_name) for a in areas]


def _save_partner(form, partner: Partner) -> None:
    allowed = {choice.value for choice in form.areas.choices}
    keep = [a for a in partner.areas if not facilitates_area(current_user, a)]
    wanted = [i for i in form.areas.data or [] if i in allowed]
    chosen = list(db.session.scalars(sa.select(Area).where(Area.id.in_(wanted)))) if wanted else []
    partner.name, partner.kind = form.name.data, form.kind.data
    partner.website, partner.contact = form.website.data or "", form.contact.data or ""
    partner.areas = keep + [a for a in chosen if a not in keep]


@bp.get("/partners")
@require(is_staff)
def partners():
    rows = db.session.scalars(
        sa.select(Partner).options(sa.orm.selectinload(Partner.areas)).order_by(Partner.name)
    ).all()
    return render_template(
        "agenda/partners.html", partners=rows, labels=labels, may_edit=_may_edit_partner
    )


@bp.route("/partners/nieuw", methods=["GET", "POST"])
@require(is_staff)
def new_partner():
    form = forms.PartnerForm()
    form.areas.choices = _partner_area_choices(None)
    if form.validate_on_submit():
        partner = Partner()
        _save_partner(form, partner)
        db.session.add(partner)
        audit.record("agenda.partner_add", partner)
        db.session.commit()
        flash(_("The partner is added."), "success")
        return redirect(url_for("agenda.partners"))
    return render_template("agenda/partner_form.html", form=form, partner=None), (
        400 if form.errors else 200
    )


@bp.route("/partners/<int:partner_id>", methods=["GET", "POST"])
@require(is_staff)
def edit_partner(partner_id):
    partner = db.session.get(Partner, partner_id) or abort(404)
    if not _may_edit_partner(partner):
        abort(403)
    form = forms.PartnerForm(obj=partner if request.method == "GET" else None)
    form.areas.choices = _partner_area_choices(partner)
    if request.method == "GET":
        form.areas.data = [a.id for a in partner.areas]
    if form.validate_on_submit():
        _save_partner(form, partner)
        audit.record("agenda.partner_edit", partner)
        db.session.commit()
        flash(_("The partner is saved."), "success")
        return redirect(url_for("agenda.partners"))
    return render_template("agenda/partner_form.html", form=form, partner=partner), (
        400 if form.errors else 200
    )


@bp.post("/partners/<int:partner_id>/verwijderen")
@require(is_staff)
def delete_partner(partner_id):
    partner = db.session.get(Partner, partner_id) or abort(404)
    if not _may_edit_partner(partner):
        abort(403)
    audit.record("agenda.partner_delete", partner)
    db.session.delete(partner)
    db.session.commit()
    flash(
        _("The partner is removed; its works are now carried out by the municipality."), "success"
    )
    return redirect(url_for("agenda.partners"))


# --- The area's hub, people, agendas and tasks ------------------------------------


@bp.get("/gebieden/<code>/gebiedscyclus")
def area_manage(code):
    area = _managed_area(code)
    people = db.session.scalars(
        sa.select(AreaPerson).where(AreaPerson.area_id == area.id).order_by(AreaPerson.id)
    ).all()
    return render_template(
        "agenda/area_manage.html",
        area=area,
        agendas=service.agendas_of(area),
        people=people,
        labels=labels,
        open_chances=sum(1 for c in service.chances_in(area) if c.decision is None),
    )


def _person(area, person_id):
    person = db.session.get(AreaPerson, person_id)
    if person is None or person.area_id != area.id:
        abort(404)
    return person


@bp.route("/gebieden/<code>/mensen/nieuw", methods=["GET", "POST"])
@bp.route("/gebieden/<code>/mensen/<int:person_id>", methods=["GET", "POST"])
def person_form(code, person_id=None):
    area = _managed_area(code)
    person = _person(area, person_id) if person_id is not None else None
    form = forms.PersonForm(obj=person if request.method == "GET" else None)
    if form.validate_on_submit():
        if person is None:
            person = AreaPerson(area_id=area.id)
            db.session.add(person)
        form.populate_obj(person)
        audit.record("agenda.person_save", person, label=person.name)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("agenda.area_manage", code=area.code))
    return render_template("agenda/person_form.html", form=form, area=area, person=person), (
        400 if form.errors else 200
    )


@bp.post("/gebieden/<code>/mensen/<int:person_id>/verwijderen")
def delete_person(code, person_id):
    area = _managed_area(code)
    person = _person(area, person_id)
    audit.record("agenda.person_delete", person, label=person.name)
    db.session.delete(person)
    db.session.commit()
    flash(_("Removed."), "success")
    return redirect(url_for("agenda.area_manage", code=area.code))


def _focus_choices(area: Area) -> list[SelectChoice]:
    below = db.session.scalars(
        sa.select(Area)
        .where(
            Area.id.in_(descendant_ids(area)), Area.level.in_(("wijk", "buurt")), Area.id != area.id
        )
        .order_by(Area.level.desc(), Area.code)
    )
    return [SelectChoice(a.id, a.display_name) for a in below]


def _agenda(area, agenda_id) -> Agenda:
    agenda = db.session.get(Agenda, agenda_id)
    if agenda is None or agenda.area_id != area.id:
        abort(404)
    return agenda


@bp.route("/gebieden/<code>/agendas/nieuw", methods=["GET", "POST"])
@bp.route("/gebieden/<code>/agendas/<int:agenda_id>", methods=["GET", "POST"])
def agenda_form(code, agenda_id=None):
    area = _managed_area(code)
    agenda = _agenda(area, agenda_id) if agenda_id is not None else None
    form = forms.AgendaForm(obj=agenda if request.method == "GET" else None)
    form.focuswijken.choices = _focus_choices(area)
    if request.method == "GET" and agenda is not None:
        form.focuswijken.data = [f.area_id for f in agenda.focuswijken]
    if form.validate_on_submit():
        if agenda is None:
            agenda = Agenda(area_id=area.id)
            db.session.add(agenda)
        agenda.title = form.title.data
        agenda.period_start, agenda.period_end = form.period_start.data, form.period_end.data
        agenda.adopted_on = form.adopted_on.data
        agenda.decision_reference = form.decision_reference.data or ""
        allowed = {c.value for c in form.focuswijken.choices}
        wanted = {i for i in form.focuswijken.data or [] if i in allowed}
        agenda.focuswijken = [f for f in agenda.focuswijken if f.area_id in wanted] + [
            Focuswijk(area_id=i) for i in sorted(wanted - {f.area_id for f in agenda.focuswijken})
        ]
        audit.record("agenda.agenda_save", agenda)
        db.session.commit()
        flash(_("The agenda is saved."), "success")
        return redirect(url_for("agenda.area_manage", code=area.code))
    return render_template("agenda/agenda_form.html", form=form, area=area, agenda=agenda), (
        400 if form.errors else 200
    )


def _indicator_text(task: Task) -> str:
    def plain(value):
        if value is None:
            return ""
        return str(int(value)) if value == value.to_integral_value() else str(value.normalize())

    return "\n".join(
        f"{i.key}; {plain(i.baseline)}; {plain(i.target)}; {i.year or ''}".rstrip("; ")
        for i in task.indicators
    )


@bp.route("/gebieden/<code>/agendas/<int:agenda_id>/opgaven/nieuw", methods=["GET", "POST"])
@bp.route("/gebieden/<code>/opgaven/<int:task_id>", methods=["GET", "POST"])
def task_form(code, agenda_id=None, task_id=None):
    area = _managed_area(code)
    task = None
    if task_id is not None:
        task = db.session.get(Task, task_id)
        if task is None or task.agenda.area_id != area.id:
            abort(404)
        agenda = task.agenda
    else:
        agenda = _agenda(area, agenda_id)
    form = forms.TaskForm(obj=task if request.method == "GET" else None)
    if request.method == "GET" and task is not None:
        form.indicators.data = _indicator_text(task)
    if form.validate_on_submit():
        if task is None:
            task = Task(agenda=agenda, position=len(agenda.tasks))
            db.session.add(task)
        task.title, task.domain = form.title.data, form.domain.data
        task.change, task.status = form.change.data, form.status.data
        task.indicators = [
            Indicator(key=key, baseline=baseline, target=target, year=year)
            for key, baseline, target, year in form.parsed_indicators
        ]
        audit.record("agenda.task_save", task)
        db.session.commit()
        flash(_("The task is saved."), "success")
        return redirect(url_for("agenda.area_manage", code=area.code))
    return render_template(
        "agenda/task_form.html", form=form, area=area, agenda=agenda, task=task, labels=labels
    ), (400 if form.errors else 200)


# --- Works ------------------------------------------------------------------------


def _year_arg() -> int | None:
    text = request.args.get("jaar", "")
    return int(text) if (text.isascii() and text.isdigit()) and 2000 <= int(text) <= 2100 else None


@bp.get("/gebieden/<code>/uitvoering")
def works(code):
    area = _managed_area(code)
    year = _year_arg()
    ideas, projects = service.candidates(area)
    return render_template(
        "agenda/works.html",
        area=area,
        works=service.works_in(area, year),
        year=year,
        years=sorted(
            set(
                db.session.scalars(
                    sa.select(Work.year).where(Work.area_id.in_(descendant_ids(area)))
                )
            )
        ),
        ideas=ideas,
        projects=projects,
        labels=labels,
        today=utcnow().date(),
        is_late=service.is_late,
        month=service.month_label,
    )


def _work_choices(form, area: Area, work: Work | None) -> None:
    tasks = service.tasks_for(work.area if work else area)
    form.task.choices = [SelectChoice("", _("No task: from the agenda directly"))] + [
        SelectChoice(str(t.id), f"{t.agenda.period} · {t.title}") for t in tasks
    ]
    partners = db.session.scalars(sa.select(Partner).order_by(Partner.name)).all()
    form.owner.choices = [SelectChoice("", _("The municipality"))] + [
        SelectChoice(str(p.id), p.name) for p in partners
    ]
    form.buurten.choices = [
        SelectChoice(b.id, b.name) for b in service.buurten_of(work.area if work else area)
    ]


@bp.route("/gebieden/<code>/uitvoering/nieuw", methods=["GET", "POST"])
@bp.route("/gebieden/<code>/uitvoering/<int:work_id>", methods=["GET", "POST"])
def work_form(code, work_id=None):
    area = _managed_area(code)
    work = None
    if work_id is not None:
        work = db.session.get(Work, work_id)
        _in(work, area, lambda w: w.area)
    form = forms.WorkForm()
    _work_choices(form, area, work)
    if request.method == "GET":
        if work is not None:
            form.process(obj=work)
            form.task.data = str(work.task_id or "")
            form.owner.data = str(work.owner_id or "")
            form.starts.data = service.month_text(work.starts_on)
            form.ends.data = service.month_text(work.ends_on)
            form.buurten.data = [b.id for b in work.buurten]
        else:
            form.year.data = utcnow().year
    if form.validate_on_submit():
        if work is None:
            work = Work(area_id=area.id, status="planned")
            db.session.add(work)
        work.title, work.description, work.year = (
            form.title.data,
            form.description.data,
            form.year.data,
        )
        work.task_id = int(form.task.data) if form.task.data else None
        work.owner_id = int(form.owner.data) if form.owner.data else None
        work.starts_on, work.ends_on = form.starts.month, form.ends.month
        work.contact, work.budget = form.contact.data or "", form.budget.data
        ids = form.buurten.data or []
        work.buurten = (
            list(db.session.scalars(sa.select(Area).where(Area.id.in_(ids)))) if ids else []
        )
        audit.record("agenda.work_save", work)
        db.session.commit()
        flash(_("The work is saved."), "success")
        return redirect(url_for("agenda.works", code=area.code, jaar=work.year))
    return render_template("agenda/work_form.html", form=form, area=area, work=work), (
        400 if form.errors else 200
    )


@bp.route("/gebieden/<code>/uitvoering/<int:work_id>/status", methods=["GET", "POST"])
def work_status(code, work_id):
    area = _managed_area(code)
    work = db.session.get(Work, work_id)
    _in(work, area, lambda w: w.area)
    form = forms.StatusForm()
    if form.validate_on_submit():
        try:
            service.change_status(work, form.status.data, form.explanation.data, current_user)
        except service.Refused as refused:
            form.status.errors = [str(refused)]
        else:
            db.session.commit()
            flash(_("The status is changed; residents read why."), "success")
            return redirect(url_for("agenda.works", code=area.code, jaar=work.year))
    return render_template(
        "agenda/work_status.html", form=form, area=area, work=work, labels=labels
    ), (400 if form.errors else 200)


@bp.post("/gebieden/<code>/uitvoering/van-idee")
def make_work(code):
    """One step: an adopted idea or a chosen budget project becomes a planned work."""
    area = _managed_area(code)
    ideas, projects = service.candidates(area)
    idea_id, project_id = request.form.get("idea", ""), request.form.get("project", "")
    try:
        if (idea_id.isascii() and idea_id.isdigit()) and int(idea_id) in {i.id for i in ideas}:
            work = service.work_from_idea(db.session.get(Idea, int(idea_id)), current_user)
        elif (project_id.isascii() and project_id.isdigit()) and int(project_id) in {
            p.id for p in projects
        }:
            work = service.work_from_project(db.session.get(Project, int(project_id)), current_user)
        else:
            flash(_("Choose an adopted idea or a chosen project of this area."), "error")
            return redirect(url_for("agenda.works", code=area.code))
    except service.Refused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for("agenda.works", code=area.code))
    db.session.commit()
    flash(_("The work is added to the plan; fill in its months, buurten and owner."), "success")
    return redirect(url_for("agenda.work_form", code=work.area.code, work_id=work.id))


@bp.route("/gebieden/<code>/uitvoering/importeren", methods=["GET", "POST"])
def import_plan(code):
    area = _managed_area(code)
    form = forms.ImportForm()
    problems = []
    if request.method == "GET":
        form.year.data = utcnow().year
    elif form.validate_on_submit():
        upload = form.file.data
        raw = upload.read() if upload is not None and getattr(upload, "filename", "") else b""
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
            problems = [(0, _("The file is not UTF-8 text."))]
        if text is not None and not text.strip():
            problems = [(0, _("Choose a CSV file."))]
        elif text is not None:
            try:
                count = transfer.import_plan(area, form.year.data, text, current_user)
            except transfer.ImportRefused as refused:
                db.session.rollback()
                problems = refused.problems
            else:
                db.session.commit()
                flash(_("%(num)d works imported.", num=count), "success")
                return redirect(url_for("agenda.works", code=area.code, jaar=form.year.data))
    status = 400 if (problems or form.errors) else 200
    return render_template(
        "agenda/import.html", form=form, area=area, problems=problems, columns=transfer.COLUMNS
    ), status


# --- Coupling chances ---------------------------------------------------------------


@bp.get("/gebieden/<code>/koppelkansen")
def coupling(code):
    area = _managed_area(code)
    chances = service.chances_in(area)
    return render_template(
        "agenda/coupling.html",
        area=area,
        chances=chances,
        open_count=sum(1 for c in chances if c.decision is None),
        gap=service.gap_months(),
        processes=progress_data.processes_alongside(area),
        labels=labels,
        month=service.month_label,
    )


@bp.route("/gebieden/<code>/koppelkansen/<int:first_id>-<int:second_id>", methods=["GET", "POST"])
def decide(code, first_id, second_id):
    area = _managed_area(code)
    first, second = db.session.get(Work, first_id), db.session.get(Work, second_id)
    _in(first, area, lambda w: w.area)
    _in(second, area, lambda w: w.area)
    if not service.is_chance(first, second, service.gap_months()):
        abort(404)
    form = forms.DecisionForm()
    if form.validate_on_submit():
        try:
            service.decide_chance(first, second, form.decision.data, form.text.data, current_user)
        except service.Refused as refused:
            form.text.errors = [str(refused)]
        else:
            db.session.commit()
            flash(_("The decision is saved."), "success")
            return redirect(url_for("agenda.coupling", code=area.code))
    return render_template(
        "agenda/decide.html",
        form=form,
        area=area,
        first=first,
        second=second,
        labels=labels,
        month=service.month_label,
    ), (400 if form.errors else 200)


# --- A process and its task -----------------------------------------------------------


@bp.route("/processen/<slug>/opgave", methods=["GET", "POST"])
def process_link(slug):
    process = require_manage(process_by_slug(slug), "agenda")
    link = db.session.get(ProcessTask, process.id)
    partner_link = db.session.get(ProcessPartner, process.id)
    tasks = service.tasks_for(process.area)
    form = forms.ProcessLinkForm()
    form.task.choices = [SelectChoice("", _("No task"))] + [
        SelectChoice(str(t.id), f"{t.agenda.title} ({t.agenda.period}) · {t.title}") for t in tasks
    ]
    partners = db.session.scalars(sa.select(Partner).order_by(Partner.name)).all()
    form.partner.choices = [SelectChoice("", _("No partner: as the framing says"))] + [
        SelectChoice(str(p.id), p.name) for p in partners
    ]
    if request.method == "GET":
        form.task.data = str(link.task_id) if link else ""
        form.partner.data = str(partner_link.partner_id) if partner_link else ""
    if form.validate_on_submit():
        if link is not None and not form.task.data:
            db.session.delete(link)
        elif form.task.data:
            if link is None:
                link = ProcessTask(process_id=process.id)
                db.session.add(link)
            link.task_id = int(form.task.data)
        if partner_link is not None and not form.partner.data:
            db.session.delete(partner_link)
        elif form.partner.data:
            if partner_link is None:
                partner_link = ProcessPartner(process_id=process.id)
                db.session.add(partner_link)
            partner_link.partner_id = int(form.partner.data)
        audit.record("agenda.process_link", process, task=form.task.data, partner=form.partner.data)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("agenda.process_link", slug=process.slug))
    task = link.task if link is not None else None
    return render_template(
        "agenda/process_link.html",
        form=form,
        process=process,
        task=task,
        limit_form=forms.LimitForm(formdata=None),
        limit_taken=task is not None and _limit_of(process, task.agenda) is not None,
    ), (400 if form.errors else 200)


def _limit_title(agenda: Agenda) -> str:
    return _("%(title)s %(period)s (council decision)", title=agenda.title, period=agenda.period)


def _limit_of(process, agenda: Agenda):
    title = _limit_title(agenda)
    return next(
        (limit for limit in process.fixed_limits if limit.title == title and limit.in_force), None
    )


@bp.post("/processen/<slug>/opgave/kader")
def take_limit(slug):
    """One step: the agenda's council decision as a fixed limit in the process's framing."""
    process = require_manage(process_by_slug(slug), "agenda")
    link = db.session.get(ProcessTask, process.id)
    form = forms.LimitForm()
    if link is None:
        flash(_("Link the process to a task first."), "error")
        return redirect(url_for("agenda.process_link", slug=process.slug))
    agenda = link.task.agenda
    if agenda.adopted_on is None:
        flash(_("The council has not adopted this agenda yet."), "error")
        return redirect(url_for("agenda.process_link", slug=process.slug))
    if _limit_of(process, agenda) is not None:
        flash(_("The framing already has this council decision."), "error")
        return redirect(url_for("agenda.process_link", slug=process.slug))
    explanation = (form.explanation.data or "").strip() if form.validate() else ""
    if process.status != "draft" and not explanation:
        flash(_("Explain why the framing changes: residents read it in the history."), "error")
        return redirect(url_for("agenda.process_link", slug=process.slug))
    before = revisions.snapshot(process)
    process.fixed_limits.append(
        FixedLimit(
            title=_limit_title(agenda),
            source=_(
                "Council decision %(reference)s of %(day)s",
                reference=agenda.decision_reference,
                day=agenda.adopted_on.strftime("%d-%m-%Y"),
            ),
            description=_(
                "This process serves the task %(task)s of the agenda; what the council decided in the agenda is fixed.",
                task=link.task.title,
            ),
            kind="council-decision",
            position=len(process.fixed_limits),
        )
    )
    db.session.flush()
    if process.status != "draft":
        changes = revisions.differences(before, revisions.snapshot(process))
        revisions.add_revision(process, changes, explanation, current_user)
    audit.record("agenda.take_limit", process, agenda=agenda.id)
    db.session.commit()
    flash(_("The council decision is in the framing as a fixed limit."), "success")
    return redirect(url_for("agenda.process_link", slug=process.slug))


# --- Residents: what happens in my buurt --------------------------------------------------


@bp.get("/in-mijn-buurt")
def choose():
    """Areas with an agenda or works, to choose from (the first click from the home page)."""
    gemeente = municipality()
    if gemeente is None:
        abort(404)
    with_plans = set(db.session.scalars(sa.select(Agenda.area_id))) | set(
        db.session.scalars(sa.select(Work.area_id))
    )
    areas = db.session.scalars(
        sa.select(Area)
        .where(Area.level.in_(PLAN_LEVELS), Area.parent_id.is_not(None))
        .order_by(Area.level, Area.code)
    ).all()
    return render_template(
        "agenda/choose.html",
        gemeente=gemeente,
        planned=[a for a in areas if a.id in with_plans],
        others=[a for a in areas if a.id not in with_plans and a.level != "gemeente"],
    )


@bp.get("/gebieden/<code>/in-mijn-buurt")
def neighbourhood(code):
    area = _area(code)
    buurten = service.buurten_of(area)
    buurt = None
    chosen = request.args.get("buurt", "")
    if chosen:
        buurt = next((b for b in buurten if b.code == chosen), None)
    works = service.works_in_buurt(buurt) if buurt is not None else service.works_in(area)
    works = [w for w in works if w.status != "cancelled"] + [
        w for w in works if w.status == "cancelled"
    ]
    return render_template(
        "agenda/neighbourhood.html",
        area=area,
        buurt=buurt,
        buurten=buurten,
        agendas=service.agendas_for(area),
        works=works,
        by_buurt=progress_data.status_per_buurt(buurten, service.works_in(area)),
        processes=progress_data.open_processes(buurt or area),
        labels=labels,
        month=service.month_label,
        euros=progress_data.euros,
    )


@bp.get("/gebieden/<code>/in-mijn-buurt/kaart.geojson")
def neighbourhood_map(code):
    area = _area(code)
    collection = feature_collection([b.code for b in service.buurten_of(area)])
    response = jsonify(collection)
    response.mimetype = "application/geo+json"
    return response


# --- Councillors: progress on the agenda -----------------------------------------------


@bp.get("/gebieden/<code>/voortgang")
@require(reads_council_pages)
def progress(code):
    area = _area(code)
    return render_template(
        "agenda/progress.html", **progress_data.report(area, date.today()), labels=labels
    )


@bp.get("/gebieden/<code>/voortgang.pdf")
@require(reads_council_pages)
def progress_pdf(code):
    from participatie.builtin.agenda import pdf

    area = _area(code)
    data = progress_data.report(area, date.today())
    return pdf.response(area, data)
