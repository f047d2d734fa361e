"""The summary page, its PDF, its API endpoint and the exports for the council."""

from flask import Blueprint
from flask import jsonify
from flask import render_template
from flask import Response
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import escape
from markupsafe import Markup

from participatie import plugins
from participatie.builtin.budgets import service as budget_service
from participatie.builtin.budgets.api import budget_json
from participatie.builtin.budgets.service import euros
from participatie.builtin.feedback.models import DecisionSummary
from participatie.builtin.feedback.rules import REASON_LABELS
from participatie.builtin.ideas.labels import STATUS_LABELS
from participatie.builtin.summaries import exports
from participatie.builtin.summaries import figures
from participatie.builtin.summaries import pdf
from participatie.builtin.summaries.budget import budget_summary
from participatie.core.accounts.profile import AGE_BANDS
from participatie.core.accounts.verification import described
from participatie.core.processes.phases import current_phase
from participatie.core.processes.queries import process_by_slug
from participatie.core.processes.queries import public_process_by_slug
from participatie.core.roles.guards import require_read
from participatie.core.roles.permissions import reads_drafts
from participatie.extensions import csrf
from participatie.extensions import db
from participatie.extensions import utcnow
from participatie.templating import content

bp = Blueprint("summaries", __name__)
api_bp = Blueprint("api_summaries", __name__, url_prefix="/api/v1")
csrf.exempt(api_bp)


def _process(slug):
    return require_read(process_by_slug(slug), "summaries")


def _decision(process):
    """The decision-maker's text as this visitor may read it, and whether it is a draft.

    A draft is read only by the process's facilitators and the councillors of
    its area; everyone reads a published text.
    """
    decision = db.session.get(DecisionSummary, process.id)
    if decision is None or not decision.text:
        return None, False
    if decision.published_at is not None:
        return decision, False
    if reads_drafts(current_user, process):
        return decision, True
    return None, False


def table_rows(process, data: figures.Summary) -> dict[str, list[tuple]]:
    """The rows of the page's tables and charts: a label, then the figures."""
    few, missing = _("fewer than 5"), _("figure missing")
    representativeness = data.representativeness
    return {
        "representativeness": [
            (
                row.area.display_name,
                few if row.participants is None else row.participants,
                missing if row.population is None else row.population,
                row.per_1000,
            )
            for row in representativeness
        ],
        "per_1000": [(row.area.display_name, row.per_1000) for row in representativeness],
        "children": [(row.area.display_name, row.participants) for row in representativeness[1:]],
        "ages": [
            (
                str(AGE_BANDS[row.band]),
                few if row.participants is None else row.participants,
                row.participants_share,
                row.inhabitants_share,
            )
            for row in data.ages
        ],
        "age_shares": [
            (str(AGE_BANDS[row.band]), row.participants_share, row.inhabitants_share)
            for row in data.ages
        ],
        "phases": [
            (content(row.name) or _("Outside the phases"), row.ideas, row.comments, row.votes)
            for row in data.phases
        ],
        "phase_ideas": [(row.name or _("Outside the phases"), row.ideas) for row in data.phases],
        "themes": [(name or _("(no theme)"), count) for name, count in data.by_theme],
        "buurten": [(name or _("(no buurt)"), count) for name, count in data.by_buurt]
        if any(name for name, _count in data.by_buurt)
        else [],
        "status": [(str(STATUS_LABELS[code]), count) for code, count in data.by_status.items()],
        "timing": [
            (_("Answered on time"), data.answers_on_time),
            (_("Answered late"), data.answers_late),
            (_("Overdue: not answered, past the promised date"), data.answers_overdue),
            (_("Not answered, not yet due"), data.answers_open),
        ],
        "reasons": [(str(REASON_LABELS[code]), count) for code, count in data.by_reason.items()]
        + [
            (
                # Safe: the translation is escaped here, the title by ``content``.
                Markup(escape(_("Fixed limit: %(title)s")))  # noqa: S704  # nosec B704
                % {"title": content(limit.title)},
                data.by_fixed_limit.get(limit.id, 0),
            )
            for limit in process.fixed_limits
        ],
    }


def _context(process) -> dict:
    decision, draft = _decision(process)
    data = figures.summary(process)
    return {
        "process": process,
        "data": data,
        "rows": table_rows(process, data),
        "feedback_on": plugins.is_enabled(process, "feedback"),
        "made_at": utcnow(),
        "decision": decision,
        "draft": draft,
        "most_supported": figures.most_supported(process),
        "arguments_for": figures.strongest_arguments(process, "for"),
        "arguments_against": figures.strongest_arguments(process, "against"),
        "phase": current_phase(process, utcnow()),
        "budget": budget_summary(process),
        "euros": euros,
        "verified": data.verified,
        "rules": described(process),
    }


@bp.get("/processen/<slug>/samenvatting")
def page(slug):
    process = _process(slug)
    return render_template("summaries/page.html", **_context(process))


@bp.get("/processen/<slug>/samenvatting.pdf")
def summary_pdf(slug):
    process = _process(slug)
    context = _context(process)
    document = pdf.render(
        process,
        context["data"],
        context["decision"].text if context["decision"] else None,
        context["most_supported"],
        [
            (_("Arguments for"), context["arguments_for"]),
            (_("Arguments against"), context["arguments_against"]),
        ],
        context["budget"],
        verified=(context["rules"], context["verified"]),
    )
    response = Response(document, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{process.slug}-samenvatting.pdf"'
    )
    return response


@bp.get("/processen/<slug>/export.csv")
def export_csv(slug):
    process = _process(slug)
    response = Response(exports.csv_text(process), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{process.slug}-ideeen.csv"'
    return response


@bp.get("/processen/<slug>/export.json")
def export_json(slug):
    process = _process(slug)
    data = {"process": process.slug, "ideas": exports.rows(process)}
    vote = budget_service.vote_of(process.id)
    if vote is not None and plugins.is_enabled(process, "budgets"):
        data["budget"] = budget_json(process, vote)
    response = jsonify(data)
    response.headers["Content-Disposition"] = f'attachment; filename="{process.slug}-ideeen.json"'
    return response


@api_bp.after_request
def open_to_everyone(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@api_bp.get("/processes/<slug>/summary")
def api_summary(slug):
    process = public_process_by_slug(slug)
    if process is None:
        return jsonify({"error": "not_found"}), 404
    if not plugins.is_enabled(process, "summaries"):
        return jsonify(figures.empty_api())
    return jsonify(figures.summary(process).api())
