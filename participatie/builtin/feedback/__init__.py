"""The feedback plugin: an answer to every idea, kept as a public history (product rule 7)."""

import sqlalchemy as sa
from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from participatie import plugins
from participatie.builtin.feedback import service
from participatie.builtin.feedback.models import Answer
from participatie.builtin.feedback.models import Execution
from participatie.builtin.feedback.models import Milestone
from participatie.builtin.feedback.rules import REASON_LABELS
from participatie.builtin.feedback.rules import STATUS_LABELS
from participatie.builtin.feedback.views import bp
from participatie.core.api.serialize import day
from participatie.core.api.serialize import moment
from participatie.core.roles.permissions import facilitates
from participatie.extensions import db
from participatie.extensions import utcnow
from participatie.plugins import Plugin


def idea_section(process, idea, **context):
    answers = db.session.scalars(
        sa.select(Answer).where(Answer.idea_id == idea.id).order_by(Answer.answered_at, Answer.id)
    ).all()
    milestones = db.session.scalars(
        sa.select(Milestone).where(Milestone.idea_id == idea.id).order_by(Milestone.date)
    ).all()
    deadline = next((d for d in service.deadlines_for([idea], process)), None)
    return render_template(
        "feedback/_idea_section.html",
        process=process,
        idea=idea,
        answers=answers,
        milestones=milestones,
        execution=db.session.get(Execution, idea.id),
        deadline=deadline,
        now=utcnow(),
        may_manage=facilitates(current_user, process),
    )


def process_tab(process, **context):
    counts = service.tab_counts(process)
    return render_template(
        "feedback/_process_tab.html",
        process=process,
        total=counts.total,
        answered=counts.answered,
        last_due=counts.last_due,
        may_manage=facilitates(current_user, process),
    )


def staff_overview(user, **context):
    """On the facilitator's overview: the ideas waiting for an answer, per process, with a link."""
    from participatie.core.processes.queries import facilitated_processes

    processes = [
        p
        for p in facilitated_processes(user)
        if p.status != "draft" and plugins.is_enabled(p, "feedback")
    ]
    counts = service.waiting_per_process([p.id for p in processes])
    rows = [(p, *counts[p.id]) for p in processes if counts.get(p.id, (0, 0))[0]]
    return render_template("feedback/_staff_overview.html", rows=rows)


def facilitator_menu(process, **context):
    return render_template("feedback/_facilitator_menu.html", process=process)


def api_answers(ideas) -> dict:
    """``answers`` and ``milestones`` of each idea, in two queries."""
    ids = [idea.id for idea in ideas]
    result = {idea_id: {"answers": [], "milestones": []} for idea_id in ids}
    for row in db.session.scalars(
        sa.select(Answer).where(Answer.idea_id.in_(ids)).order_by(Answer.answered_at, Answer.id)
    ):
        result[row.idea_id]["answers"].append(
            {
                "status": row.status,
                "explanation": row.explanation,
                "reason_kind": row.reason_kind,
                "fixed_limit": row.fixed_limit_id,
                "answered_at": moment(row.answered_at),
            }
        )
    for row in db.session.scalars(
        sa.select(Milestone)
        .where(Milestone.idea_id.in_(ids))
        .order_by(Milestone.date, Milestone.id)
    ):
        result[row.idea_id]["milestones"].append(
            {"title": row.title, "date": day(row.date), "done": row.done}
        )
    return result


def openapi(doc: dict) -> None:
    """The ``answers`` and ``milestones`` of an idea in the API."""
    from participatie.builtin.ideas.models import STATUSES
    from participatie.core.api.openapi import add_fields

    answer = {
        "type": "object",
        "required": ["status", "explanation", "reason_kind", "fixed_limit", "answered_at"],
        "properties": {
            "status": {"enum": list(STATUSES)},
            "explanation": {"type": "string"},
            "reason_kind": {"enum": ["fixed-limit", "other-interests", "other", None]},
            "fixed_limit": {"type": ["integer", "null"]},
            "answered_at": {"type": "string", "format": "date-time"},
        },
    }
    milestone = {
        "type": "object",
        "required": ["title", "date", "done"],
        "properties": {
            "title": {"type": "string"},
            "date": {"type": "string", "format": "date"},
            "done": {"type": "boolean"},
        },
    }
    add_fields(
        doc,
        "IdeaDetail",
        {
            "answers": {"type": "array", "items": answer},
            "milestones": {"type": "array", "items": milestone},
        },
    )


def init_app(app) -> None:
    service.track_counted()
    app.jinja_env.globals.update(
        answer_status_label=lambda code: STATUS_LABELS.get(code, code),
        answer_reason_label=lambda code: REASON_LABELS.get(code, ""),
    )


def load_demo(processes) -> None:
    from participatie.builtin.feedback import demo

    demo.load_demo(processes)


def my_page(user, **context):
    from participatie.builtin.ideas.models import Idea

    rows = db.session.execute(
        sa.select(Answer, Idea)
        .join(Idea, Idea.id == Answer.idea_id)
        .where(Idea.author_id == user.id)
        .order_by(Answer.answered_at.desc())
        .limit(20)
    ).all()
    return render_template("feedback/_my_page.html", rows=rows)


plugin = Plugin(
    name="feedback",
    label=_l("Answers to ideas"),
    blueprints=(bp,),
    slots={
        "idea_section": idea_section,
        "process_tab": process_tab,
        "staff_overview": staff_overview,
        "facilitator_menu": facilitator_menu,
        "my_page": my_page,
    },
    api_fields={"idea_detail": api_answers},
    api_defaults={"idea_detail": {"answers": [], "milestones": []}},
    openapi=openapi,
    init_app=init_app,
    load_demo=load_demo,
)
