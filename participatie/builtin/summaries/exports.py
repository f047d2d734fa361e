"""The CSV and JSON exports of a process's ideas: every counted idea, no personal data."""

import csv
import io

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from participatie import plugins
from participatie.builtin.feedback.models import Answer
from participatie.builtin.ideas.api import item as api_item
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


def csv_text(process) -> str:
    """The export as CSV, one row per idea, under a header of ``FIELDS``."""
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=FIELDS, extrasaction="ignore")
    writer.writeheader()
    for row in rows(process):
        writer.writerow({key: _safe_cell(value) for key, value in row.items()})
    return output.getvalue()
