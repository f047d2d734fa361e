"""Answering ideas (one or many), templates, execution, and "you said, we did"."""

import sqlalchemy as sa
from flask import abort
from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from participatie.builtin.feedback import execution
from participatie.builtin.feedback import service
from participatie.builtin.feedback.forms import AnswerForm
from participatie.builtin.feedback.forms import BulkStartForm
from participatie.builtin.feedback.forms import ExecutionForm
from participatie.builtin.feedback.forms import MilestoneForm
from participatie.builtin.feedback.forms import SummaryForm
from participatie.builtin.feedback.forms import TemplateForm
from participatie.builtin.feedback.models import Answer
from participatie.builtin.feedback.models import AnswerTemplate
from participatie.builtin.feedback.models import DecisionSummary
from participatie.builtin.feedback.models import Execution
from participatie.builtin.feedback.models import Milestone
from participatie.builtin.feedback.rules import NEXT
from participatie.builtin.ideas.models import Idea
from participatie.core import audit
from participatie.core.mail.sending import send_queued_from_request
from participatie.core.paging import whole_number
from participatie.core.processes.queries import process_by_slug
from participatie.core.roles.guards import require_manage
from participatie.core.roles.guards import require_read
from participatie.core.roles.permissions import facilitates
from participatie.core.roles.permissions import reads_drafts
from participatie.extensions import db
from participatie.extensions import utcnow

bp = Blueprint("feedback", __name__)


def _managed_process(slug):
    return require_manage(process_by_slug(slug), "feedback")


def _managed_idea(idea_id):
    idea = db.session.get(Idea, idea_id)
    answerable = idea is not None and idea.merged_into_id is None and idea.withdrawn_at is None
    require_manage(idea.process if answerable else None, "feedback")
    return idea


def _templates(process):
    return db.session.scalars(
        sa.select(AnswerTemplate)
        .where(AnswerTemplate.process_id == process.id)
        .order_by(AnswerTemplate.title)
    ).all()


@bp.route("/ideeen/<int:idea_id>/antwoord", methods=["GET", "POST"])
def answer(idea_id):
    idea = _managed_idea(idea_id)
    templates = _templates(idea.process)
    form = AnswerForm()
    form.set_choices(idea, templates, NEXT[idea.status])
    if request.method == "POST" and request.form.get("action") == "use-template":
        chosen = next((t for t in templates if t.id == form.template.data), None)
        if chosen is not None:
            form.explanation.data = chosen.text
        return render_template("feedback/answer.html", idea=idea, form=form)
    if form.validate_on_submit():
        try:
            service.answer(
                [
                    service.AnswerInput(
                        idea,
                        form.status.data,
                        form.explanation.data or "",
                        form.reason_kind.data,
                        form.fixed_limit.data,
                        form.reason_text.data or "",
                    )
                ]
            )
        except service.AnswerRefused as refused:
            for problem in refused.problems[idea.id]:
                getattr(form, problem.field).errors.append(problem.message)
            return render_template("feedback/answer.html", idea=idea, form=form), 400
        db.session.commit()
        send_queued_from_request()
        flash(_("The answer is published."), "success")
        return redirect(url_for("feedback.overview", slug=idea.process.slug))
    status = 400 if form.errors else 200
    return render_template("feedback/answer.html", idea=idea, form=form), status


@bp.get("/processen/<slug>/antwoorden")
def overview(slug):
    process = _managed_process(slug)
    form = BulkStartForm(formdata=None)
    form.template.choices = _template_choices(process)
    return render_template(
        "feedback/overview.html",
        process=process,
        waiting=service.unanswered_most_overdue_first(process),
        now=utcnow(),
        form=form,
    )


def _template_choices(process):
    from wtforms.fields.choices import SelectChoice

    return [SelectChoice("", _("(no template)"))] + [
        SelectChoice(t.id, t.title) for t in _templates(process)
    ]


def _typed(name: str) -> str:
    """A text of the bulk form, read without WTForms: NUL bytes (never text) left out."""
    return request.form.get(name, "").replace("\x00", "")


@bp.post("/processen/<slug>/antwoorden/samen")
def bulk(slug):
    """Answer several ideas at once: choose, then adjust each explanation, then save all."""
    process = _managed_process(slug)
    form = BulkStartForm()
    form.template.choices = _template_choices(process)
    ids = [n for n in map(whole_number, request.form.getlist("idea")) if n]
    ideas = db.session.scalars(
        sa.select(Idea).where(Idea.id.in_(ids), Idea.process_id == process.id).order_by(Idea.id)
    ).all()
    if not form.validate_on_submit() or not ideas:
        flash(_("Choose one or more ideas and a status."), "error")
        return redirect(url_for("feedback.overview", slug=slug))
    template = next((t for t in _templates(process) if t.id == form.template.data), None)
    status = form.status.data
    if request.form.get("action") != "save":
        texts = {idea.id: template.text if template else "" for idea in ideas}
        return render_template(
            "feedback/bulk.html",
            process=process,
            ideas=ideas,
            status=status,
            texts=texts,
            values={},
            problems={},
            form=form,
        )
    inputs = [
        service.AnswerInput(
            idea,
            status,
            _typed(f"explanation-{idea.id}"),
            _typed(f"reason_kind-{idea.id}") or None,
            whole_number(request.form.get(f"fixed_limit-{idea.id}")),
            _typed(f"reason_text-{idea.id}"),
        )
        for idea in ideas
    ]
    try:
        service.answer(inputs)
    except service.AnswerRefused as refused:
        db.session.rollback()
        values = {item.idea.id: item for item in inputs}
        texts = {item.idea.id: item.explanation for item in inputs}
        return (
            render_template(
                "feedback/bulk.html",
                process=process,
                ideas=ideas,
                status=status,
                texts=texts,
                values=values,
                problems=refused.problems,
                form=form,
            ),
            400,
        )
    db.session.commit()
    send_queued_from_request()
    flash(_("%(count)d answers are published.", count=len(inputs)), "success")
    return redirect(url_for("feedback.overview", slug=slug))


@bp.route("/processen/<slug>/antwoordsjablonen", methods=["GET", "POST"])
def templates(slug):
    process = _managed_process(slug)
    form = TemplateForm()
    if form.validate_on_submit():
        template = AnswerTemplate(process_id=process.id, title=form.title.data, text=form.text.data)
        db.session.add(template)
        audit.record("answer_template.create", process, template=form.title.data)
        db.session.commit()
        flash(_("The template is saved."), "success")
        return redirect(url_for("feedback.templates", slug=slug))
    status = 400 if form.errors else 200
    return (
        render_template(
            "feedback/templates.html",
            process=process,
            form=form,
            templates=_templates(process),
            delete_form=FlaskForm(),
        ),
        status,
    )


@bp.post("/processen/<slug>/antwoordsjablonen/<int:template_id>/verwijderen")
def delete_template(slug, template_id):
    process = _managed_process(slug)
    template = db.session.get(AnswerTemplate, template_id)
    if template is None or template.process_id != process.id:
        abort(404)
    if FlaskForm().validate_on_submit():
        audit.record("answer_template.delete", process, template=template.title)
        db.session.delete(template)
        db.session.commit()
    return redirect(url_for("feedback.templates", slug=slug))


@bp.route("/ideeen/<int:idea_id>/uitvoering", methods=["GET", "POST"], endpoint="execution")
def execution_view(idea_id):
    idea = _managed_idea(idea_id)
    owner_form = ExecutionForm(prefix="owner")
    milestone_form = MilestoneForm(prefix="milestone")
    current = db.session.get(Execution, idea.id)
    if request.method == "POST":
        action = request.form.get("action")
        if action == "owner" and owner_form.validate_on_submit():
            execution.set_owner(idea, owner_form.owner.data)
        elif action == "milestone" and milestone_form.validate_on_submit():
            execution.add_milestone(
                idea,
                milestone_form.title.data,
                milestone_form.date.data,
                milestone_form.done.data,
            )
        elif action and action.startswith("done-"):
            number = whole_number(action[5:]) or 0
            milestone = execution.milestone_of(idea, number)
            if milestone is None or not FlaskForm().validate_on_submit():
                abort(400)
            execution.toggle_done(idea, milestone)
        else:
            return _execution_page(idea, owner_form, milestone_form, current, 400)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("feedback.execution", idea_id=idea.id))
    if current is not None:
        owner_form.owner.data = current.owner
    return _execution_page(idea, owner_form, milestone_form, current, 200)


def _execution_page(idea, owner_form, milestone_form, current, status):
    milestones = execution.milestones(idea)
    return (
        render_template(
            "feedback/execution.html",
            idea=idea,
            owner_form=owner_form,
            milestone_form=milestone_form,
            execution=current,
            milestones=milestones,
        ),
        status,
    )


@bp.get("/processen/<slug>/wat-we-deden")
def report(slug):
    """You said, we did: the decision, every idea by status with its answer, the milestones."""
    process = require_read(process_by_slug(slug), "feedback")
    summary = db.session.get(DecisionSummary, process.id)
    may_manage = facilitates(current_user, process)
    reads_draft = reads_drafts(current_user, process)
    ideas = db.session.scalars(
        sa.select(Idea)
        .where(
            Idea.process_id == process.id,
            Idea.is_visible,
        )
        .order_by(Idea.title)
    ).all()
    ids = [idea.id for idea in ideas]
    latest = {}
    for row in db.session.scalars(
        sa.select(Answer).where(Answer.idea_id.in_(ids)).order_by(Answer.answered_at, Answer.id)
    ):
        latest[row.idea_id] = row
    milestones = db.session.scalars(
        sa.select(Milestone).where(Milestone.idea_id.in_(ids)).order_by(Milestone.date)
    ).all()
    form = SummaryForm(
        formdata=None,
        text=summary.text if summary else "",
        publish=bool(summary and summary.published_at),
    )
    return render_template(
        "feedback/report.html",
        process=process,
        summary=summary,
        ideas=ideas,
        latest=latest,
        milestones=milestones,
        may_manage=may_manage,
        reads_draft=reads_draft,
        form=form,
    )


@bp.post("/processen/<slug>/wat-we-deden/samenvatting")
def save_summary(slug):
    process = _managed_process(slug)
    form = SummaryForm()
    if form.validate_on_submit():
        summary = db.session.get(DecisionSummary, process.id) or DecisionSummary(
            process_id=process.id
        )
        summary.text = form.text.data or ""
        summary.published_at = (summary.published_at or utcnow()) if form.publish.data else None
        db.session.add(summary)
        audit.record("decision_summary.save", process, published=bool(summary.published_at))
        db.session.commit()
        flash(_("Saved."), "success")
    else:
        flash(_("The summary is too long."), "error")
    return redirect(url_for("feedback.report", slug=slug))
