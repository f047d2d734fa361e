"""Import a Polis conversation export: comments become ideas, agree votes supports.

Votes come from ``participants-votes.csv`` where present (a row per
participant, a column per comment: 1 agree, -1 disagree, 0 pass), else from
``votes.csv`` (timestamped events; a voter's last vote on a comment counts).
Each idea's supports are the agree votes counted that way, not the ``agrees``
column of ``comments.csv``, which Polis computes differently. Participants
become pseudonymous accounts that cannot log in; their supports bypass the
per-person maximum. Importing the same folder again changes nothing.
"""

import csv
import secrets
from dataclasses import dataclass
from datetime import datetime
from datetime import UTC
from pathlib import Path

import sqlalchemy as sa

from participatie.builtin.ideas.models import Idea
from participatie.builtin.votes.models import Vote
from participatie.core.accounts.models import User
from participatie.dbutil import upsert_insert
from participatie.extensions import db
from participatie.extensions import utcnow

CREDIT = (
    "Data gathered using the Polis software (compdemocracy.org/polis), sub-licensed under "
    "CC BY 4.0 with attribution to The Computational Democracy Project."
)
CHUNK = 5000


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


def _agrees(folder: Path) -> dict[str, set[str]]:
    """comment id -> the voter ids whose (last) vote on it is agree."""
    agrees: dict[str, set[str]] = {}
    wide = folder / "participants-votes.csv"
    if wide.exists():
        with open(wide, newline="", encoding="utf-8") as file:
            reader = csv.reader(file)
            header = next(reader)
            first = header.index("n-disagree") + 1
            columns = header[first:]
            for row in reader:
                voter = row[0]
                for comment_id, cell in zip(columns, row[first:], strict=False):
                    if cell.strip() in ("1", "1.0"):
                        agrees.setdefault(comment_id, set()).add(voter)
        return agrees
    with open(folder / "votes.csv", newline="", encoding="utf-8") as file:
        events = list(csv.DictReader(file))
    # A voter's last vote on a comment counts: replay the events in time order
    # (file order breaks ties), each overwriting the one before.
    events.sort(key=lambda row: int(row["timestamp"]))
    last: dict[tuple[str, str], int] = {}
    for row in events:
        last[(row["comment-id"], row["voter-id"])] = int(float(row["vote"]))
    for (comment_id, voter), vote in last.items():
        if vote == 1:
            agrees.setdefault(comment_id, set()).add(voter)
    return agrees


def import_folder(process, folder) -> PolisReport:
    """Import ``folder`` into ``process`` in the current transaction; the caller commits."""
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
    agrees = _agrees(folder)
    voters = sorted(
        {voter for group in agrees.values() for voter in group},
        key=lambda v: int(v) if v.isdigit() else v,
    )
    users = _participants(name, voters)
    report.participants = len(users)
    rows = [
        {
            "idea_id": ideas[comment_id],
            "user_id": users[voter],
            "process_id": process.id,
            "created_at": utcnow(),
        }
        for comment_id, group in agrees.items()
        if comment_id in ideas
        for voter in group
    ]
    table = Vote.__table__
    for start in range(0, len(rows), CHUNK):
        result = db.session.execute(
            upsert_insert(table)
            .on_conflict_do_nothing(index_elements=["idea_id", "user_id"])
            .returning(table.c.id),
            rows[start : start + CHUNK],
        )
        report.votes_created += len(result.all())
    counts = sa.select(sa.func.count(Vote.id)).where(Vote.idea_id == Idea.id).scalar_subquery()
    db.session.execute(
        sa.update(Idea)
        .where(Idea.id.in_(list(ideas.values())))
        .values(supports=counts)
        .execution_options(synchronize_session=False)
    )
    return report


def _participants(name: str, voters: list[str]) -> dict[str, int]:
    """Pseudonymous accounts for the conversation's voters, made once."""
    source = f"polis:{name}"
    emails = {voter: f"polis-{name}-{voter}@imported.invalid".lower() for voter in voters}
    known = dict(
        db.session.execute(sa.select(User.email, User.id).where(User.imported_from == source)).all()
    )
    missing = [
        {
            "email": email,
            "display_name": f"Polis-deelnemer {voter}",
            "session_token": secrets.token_urlsafe(32),
            "locale": "nl",
            "imported_from": source,
            "notify_mode": "never",
            "created_at": utcnow(),
        }
        for voter, email in emails.items()
        if email not in known
    ]
    for start in range(0, len(missing), CHUNK):
        db.session.execute(sa.insert(User.__table__), missing[start : start + CHUNK])
    if missing:
        known = dict(
            db.session.execute(
                sa.select(User.email, User.id).where(User.imported_from == source)
            ).all()
        )
    return {voter: known[email] for voter, email in emails.items()}


def has_polis_ideas(process) -> bool:
    return bool(
        db.session.scalar(
            sa.select(Idea.id)
            .where(Idea.process_id == process.id, Idea.external_ref.like("polis:%"))
            .limit(1)
        )
    )
