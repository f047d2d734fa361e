"""Import a Polis conversation export: its comments become ideas.

The agree votes become supports in the votes plugin (``votes/polis.py``),
which receives the ``polis_imported`` signal this import sends, so the ideas
plugin knows nothing of votes. Importing the same folder again changes nothing.
"""

import csv
from dataclasses import dataclass
from datetime import datetime
from datetime import UTC
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from participatie.builtin.ideas.models import Idea
from participatie.extensions import db
from participatie.signals import polis_imported

CREDIT = (
    "Data gathered using the Polis software (compdemocracy.org/polis), sub-licensed under "
    "CC BY 4.0 with attribution to The Computational Democracy Project."
)


@dataclass
class PolisReport:
    ideas_created: int = 0
    ideas_unchanged: int = 0
    hidden: int = 0
    participants: int = 0
    votes_created: int = 0


def title_of(text: str, limit: int = 160) -> str:
    """The start of a comment, cut at a word boundary, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(",.;:") + "…"


def import_folder(process, folder) -> PolisReport:
    """Import ``folder`` into ``process`` in the current transaction; the caller commits.

    The ideas are made here; the plugins that keep rows per idea add theirs
    through the ``polis_imported`` signal (the votes plugin: the supports).
    """
    folder = Path(folder)
    name = folder.name
    report = PolisReport()
    source = f"polis:{name}"
    with open(folder / "comments.csv", newline="", encoding="utf-8") as file:
        comments = list(csv.DictReader(file))
    existing = {
        ref: idea_id
        for ref, idea_id in db.session.execute(
            sa.select(Idea.external_ref, Idea.id).where(
                Idea.process_id == process.id, Idea.external_ref.like(f"{source}:%")
            )
        )
    }
    ideas = {}
    for row in comments:
        ref = f"{source}:{row['comment-id']}"
        if ref in existing:
            ideas[row["comment-id"]] = existing[ref]
            report.ideas_unchanged += 1
            continue
        moment = datetime.fromtimestamp(int(row["timestamp"]) / 1000, tz=UTC)
        hidden = row["moderated"].strip() == "-1"
        idea = Idea(
            process_id=process.id,
            title=title_of(row["comment-body"]),
            text=row["comment-body"],
            created_at=moment,
            external_ref=ref,
            hidden_at=moment if hidden else None,
            hidden_reason="Afgewezen door de moderator in Polis" if hidden else "",
        )
        db.session.add(idea)
        db.session.flush()
        ideas[row["comment-id"]] = idea.id
        report.ideas_created += 1
        report.hidden += hidden
    sender = current_app._get_current_object()
    for _receiver, counts in polis_imported.send(
        sender, process=process, folder=folder, ideas=ideas
    ):
        report.participants += counts.get("participants", 0)
        report.votes_created += counts.get("votes_created", 0)
    return report


def has_polis_ideas(process) -> bool:
    return bool(
        db.session.scalar(
            sa.select(Idea.id)
            # A range, not LIKE: SQLite's LIKE ignores case and so cannot use the
            # (process_id, external_ref) index; "polis;" is the next string after "polis:".
            .where(
                Idea.process_id == process.id,
                Idea.external_ref >= "polis:",
                Idea.external_ref < "polis;",
            )
            .limit(1)
        )
    )
