"""The supports of a Polis conversation export, imported with its ideas.

Votes come from ``participants-votes.csv`` where present (a row per
participant, a column per comment: 1 agree, -1 disagree, 0 pass), else from
``votes.csv`` (timestamped events; a voter's last vote on a comment counts).
Each idea's supports are the agree votes counted that way, not the ``agrees``
column of ``comments.csv``, which Polis computes differently. Participants
become pseudonymous accounts that cannot log in; their supports bypass the
per-person maximum. Importing the same folder again changes nothing.

The ideas plugin's ``ideas import-polis`` command makes the ideas and sends
``polis_imported``; ``import_supports`` receives it.
"""

import csv
from pathlib import Path

import sqlalchemy as sa

from participatie.builtin.ideas.models import Idea
from participatie.builtin.votes.models import Vote
from participatie.caching import stale
from participatie.core.accounts.imported import imported_participants
from participatie.dbutil import upsert_insert
from participatie.extensions import db
from participatie.extensions import utcnow

CHUNK = 5000


def import_supports(sender, process, folder: Path, ideas: dict[str, int], **extra) -> dict:
    """The agree votes of ``folder`` as supports of ``ideas`` (Polis comment id -> idea id).

    Returns the counts the command reports: ``participants`` and ``votes_created``.
    """
    name = folder.name
    agrees = _agrees(folder)
    voters = sorted(
        {voter for group in agrees.values() for voter in group},
        key=lambda v: int(v) if v.isascii() and v.isdigit() else v,
    )
    users = _participants(name, voters)
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
    created = 0
    table = Vote.__table__
    stale(process.id)
    for start in range(0, len(rows), CHUNK):
        result = db.session.execute(
            upsert_insert(table)
            .on_conflict_do_nothing(index_elements=["idea_id", "user_id"])
            .returning(table.c.id),
            rows[start : start + CHUNK],
        )
        created += len(result.all())
    counts = sa.select(sa.func.count(Vote.id)).where(Vote.idea_id == Idea.id).scalar_subquery()
    db.session.execute(
        sa.update(Idea)
        .where(Idea.id.in_(list(ideas.values())))
        .values(supports=counts)
        .execution_options(synchronize_session=False)
    )
    return {"participants": len(users), "votes_created": created}


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


def _participants(name: str, voters: list[str]) -> dict[str, int]:
    """Pseudonymous accounts for the conversation's voters, made once."""
    people = {
        voter: (f"polis-{name}-{voter}@imported.invalid".lower(), f"Polis-deelnemer {voter}")
        for voter in voters
    }
    return imported_participants(f"polis:{name}", people)
