"""The CSV and JSON exports of a process's ideas: every counted idea, no personal data."""

import csv
import io
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from participatie import plugins
from participatie.builtin.feedback.models import Answer
from participatie.builtin.feedback.rules import REASON_LABELS
from participatie.builtin.ideas.api import item as api_item
from participatie.builtin.ideas.labels import STATUS_LABELS
from participatie.builtin.ideas.models import Idea
from participatie.builtin.summaries.counting import counted
from participatie.core.api.serialize import moment
from participatie.extensions import db

#: The columns of the CSV export, in order.
FIELDS = (
    "id",
    "title",
    "theme",
    "buurt_code",
    "status",
    "offline",
    "supports",
    "comments",
    "created_at",
    "answer",
    "reason_kind",
    "fixed_limit",
    "answered_at",
    "url",
)


def rows(process) -> list[dict]:
    """Every counted idea with its status, counts and latest answer; no personal data."""
    ideas = db.session.scalars(
        sa.select(Idea)
        .where(counted(process.id))
        .options(selectinload(Idea.theme), selectinload(Idea.buurt))
        .order_by(Idea.id)
    ).all()
    extra = plugins.api_fields("idea", ideas, lambda idea: process)
    latest = {}
    for answer in db.session.scalars(
        sa.select(Answer)
        .where(Answer.idea_id.in_([i.id for i in ideas]))
        .options(selectinload(Answer.fixed_limit))
        .order_by(Answer.id)
    ):
        latest[answer.idea_id] = answer
    found = []
    for idea in ideas:
        answer = latest.get(idea.id)
        found.append(
            {
                **api_item(idea, extra[idea.id]),
                "answer": answer.explanation if answer else None,
                "reason_kind": answer.reason_kind if answer else None,
                "fixed_limit": answer.fixed_limit.title if answer and answer.fixed_limit else None,
                "answered_at": moment(answer.answered_at) if answer else None,
            }
        )
    return found


def _safe_cell(value):
    """A CSV cell that a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


#: The CSV's columns for people: a header in the reader's language, and how each cell reads.
SHEET_COLUMNS = (
    ("id", _l("Number")),
    ("title", _l("Title")),
    ("theme_name", _l("Theme")),
    ("buurt_name", _l("Buurt")),
    ("buurt_code", _l("Buurt code (CBS)")),
    ("status_label", _l("Status")),
    ("offline_label", _l("Gathered offline")),
    ("supports", _l("Supports")),
    ("comments", _l("Comments")),
    ("created_on", _l("Submitted on")),
    ("answer", _l("Answer")),
    ("reason_label", _l("Reason")),
    ("fixed_limit", _l("Fixed limit")),
    ("answered_on", _l("Answered on")),
    ("url", _l("Address")),
)


def csv_text(process) -> str:
    """The export as a spreadsheet opens it: one row per idea, in the reader's language.

    Dutch Excel reads a CSV as Windows-1252 with ``;`` between cells unless the
    file starts with a byte-order mark; with one, € and ë survive. Statuses,
    reasons and yes/no are words, dates are local dates, the buurt has its
    name beside its CBS code. The JSON export keeps the API's codes.
    """
    from flask_babel import format_date
    from flask_babel import gettext as _

    ideas = {
        idea.id: idea
        for idea in db.session.scalars(
            sa.select(Idea)
            .where(counted(process.id))
            .options(selectinload(Idea.theme), selectinload(Idea.buurt))
        )
    }
    output = io.StringIO()
    output.write("\ufeff")
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(label) for _key, label in SHEET_COLUMNS])
    for row in rows(process):
        idea = ideas[row["id"]]
        answer_moment = row.get("answered_at")
        cells = {
            **row,
            "theme_name": idea.theme.name if idea.theme else "",
            "buurt_name": idea.buurt.name if idea.buurt else "",
            "status_label": str(STATUS_LABELS.get(idea.status, idea.status)),
            "offline_label": _("yes") if idea.offline else _("no"),
            "created_on": format_date(idea.created_at, "d-M-yyyy"),
            "reason_label": str(REASON_LABELS.get(row["reason_kind"], ""))
            if row["reason_kind"]
            else "",
            "answered_on": (
                format_date(datetime.fromisoformat(answer_moment), "d-M-yyyy")
                if answer_moment
                else ""
            ),
        }
        writer.writerow(
            [
                _safe_cell("" if cells.get(key) is None else cells.get(key))
                for key, _l_ in SHEET_COLUMNS
            ]
        )
    return output.getvalue()
