"""Pabulib files in and out: a finished election imported into a process, a closed vote exported.

An import is all or nothing and idempotent: the file is checked whole before
anything is written, and importing the same file again changes nothing. Into
a process without a budget vote it creates a closed vote from the file's
META, outside the phases and without the framing check (a finished election,
as paper ballots counted at a meeting are); it changes nothing else of the
process. Voters become pseudonymous imported participants, as with Polis.
"""

import hashlib
from dataclasses import dataclass
from dataclasses import field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from participatie.builtin.budgets import pabulib
from participatie.builtin.budgets import service
from participatie.builtin.budgets.models import Ballot
from participatie.builtin.budgets.models import BallotChoice
from participatie.builtin.budgets.models import BudgetVote
from participatie.builtin.budgets.models import Project
from participatie.caching import stale
from participatie.core import audit
from participatie.core.accounts.imported import imported_participants
from participatie.extensions import db
from participatie.extensions import utcnow

CHUNK = 1000

#: Our rules as Pabulib names them, with the ``leftover_budget`` entry Amsterdam used.
PB_RULE = {
    "greedy": ("greedy", None),
    "greedy-stop": ("greedy-custom", None),
    "equal-shares": ("equalshares/add1", None),
}
PARTIAL = "Partially fund one additional project with highest score"
STOP = "Stop at the first project that does not fit within leftover budget"


class ImportRefused(Exception):
    def __init__(self, problems: list):
        super().__init__("import refused")
        self.problems = problems


@dataclass
class Preview:
    budget: int
    rule: str
    partial_funding: bool
    ballot_kind: str
    min_projects: int | None
    max_projects: int | None
    max_total_cost: int | None
    projects: list = field(default_factory=list)  # (external id, name, cost, approvals)
    ballots: int = 0
    unchanged: bool = False


@dataclass
class Report:
    projects: int = 0
    ballots: int = 0
    unchanged: bool = False


def _int(meta: dict, key: str) -> int | None:
    value = (meta.get(key) or "").strip()
    return int(value) if value else None


def _parse(process, text: str):
    try:
        pb = pabulib.parse(text)
        rule, partial = pabulib.rule_of(pb.meta)
    except pabulib.PbError as error:
        raise ImportRefused(error.problems) from error
    existing = service.vote_of(process.id)
    if existing is not None and not existing.imported:
        raise ImportRefused([(0, _l("This process has a budget vote of its own already."))])
    return pb, rule, partial, existing


def preview(process, text: str) -> Preview:
    """What importing ``text`` into ``process`` would do; raises ``ImportRefused``."""
    pb, rule, partial, existing = _parse(process, text)
    meta = pb.meta
    counts: dict[str, int] = {}
    for _voter, approved in pb.votes:
        for project_id in approved:
            counts[project_id] = counts.get(project_id, 0) + 1
    result = Preview(
        budget=int(meta["budget"]),
        rule=rule,
        partial_funding=partial,
        ballot_kind="choose-1" if meta.get("vote_type") == "choose-1" else "approval",
        min_projects=_int(meta, "min_length"),
        max_projects=_int(meta, "max_length"),
        max_total_cost=_int(meta, "max_sum_cost"),
        projects=[
            (
                row["project_id"],
                row.get("name") or row["project_id"],
                int(row["cost"]),
                counts.get(row["project_id"], 0),
            )
            for row in pb.projects
        ],
        ballots=len(pb.votes),
    )
    if existing is not None:
        if _same(existing, pb):
            result.unchanged = True
        else:
            raise ImportRefused(
                [(0, _l("A different election was imported into this process already."))]
            )
    return result


def _same(vote: BudgetVote, pb) -> bool:
    stored = {(p.external_id, p.cost) for p in vote.projects}
    incoming = {(row["project_id"], int(row["cost"])) for row in pb.projects}
    return stored == incoming and service.ballot_count(vote) == len(pb.votes)


def import_text(process, text: str) -> Report:
    """Import ``text`` into ``process`` in the current transaction; the caller commits."""
    pb, rule, partial, existing = _parse(process, text)
    if existing is not None:
        if _same(existing, pb):
            return Report(len(existing.projects), service.ballot_count(existing), True)
        raise ImportRefused(
            [(0, _l("A different election was imported into this process already."))]
        )
    meta = pb.meta
    themes = {theme.code for theme in process.themes}
    vote = BudgetVote(
        process_id=process.id,
        budget=int(meta["budget"]),
        rule=rule,
        partial_funding=partial,
        ballot_kind="choose-1" if meta.get("vote_type") == "choose-1" else "approval",
        min_projects=_int(meta, "min_length"),
        max_projects=_int(meta, "max_length"),
        max_total_cost=_int(meta, "max_sum_cost"),
        max_project_cost=_int(meta, "max_project_cost"),
        imported=True,
        source_meta="\n".join(f"{key};{value}" for key, value in meta.items()),
    )
    db.session.add(vote)
    db.session.flush()
    ids = {}
    for row in pb.projects:
        category = (row.get("category") or "").strip()
        project = Project(
            vote_id=vote.id,
            title=(row.get("name") or "").strip()[:160] or f"Project {row['project_id']}",
            description=(row.get("description") or "").strip()[:2000],
            cost=int(row["cost"]),
            theme_code=category if category in themes else None,
            external_id=row["project_id"],
        )
        db.session.add(project)
        db.session.flush()
        ids[row["project_id"]] = project.id
    voters = _participants(process, [voter for voter, _approved in pb.votes])
    now = utcnow()
    rows = [
        {
            "vote_id": vote.id,
            "user_id": voters[voter],
            "cast_at": now,
            "draft": "",
            "updated_at": now,
        }
        for voter, _approved in pb.votes
    ]
    stale(process.id)
    for start in range(0, len(rows), CHUNK):
        db.session.execute(sa.insert(Ballot.__table__), rows[start : start + CHUNK])
    ballot_ids = dict(
        db.session.execute(
            sa.select(Ballot.user_id, Ballot.id).where(Ballot.vote_id == vote.id)
        ).all()
    )
    choices = [
        {"ballot_id": ballot_ids[voters[voter]], "project_id": ids[project_id]}
        for voter, approved in pb.votes
        for project_id in dict.fromkeys(approved)
    ]
    for start in range(0, len(choices), CHUNK * 5):
        db.session.execute(sa.insert(BallotChoice.__table__), choices[start : start + CHUNK * 5])
    audit.record(
        "budgets.import",
        process,
        projects=len(ids),
        ballots=len(rows),
        rule=rule,
        budget=vote.budget,
    )
    db.session.expire(vote)
    return Report(len(ids), len(rows))


def _participants(process, voter_ids: list[str]) -> dict[str, int]:
    """Pseudonymous accounts for the file's voters, made once per process."""
    people = {
        voter: (
            f"pabulib-{process.id}-{hashlib.sha256(voter.encode()).hexdigest()[:20]}"
            "@imported.invalid",
            f"Stemmer {voter}",
        )
        for voter in voter_ids
    }
    return imported_participants(f"pabulib:{process.slug}"[:120], people)


def export_text(process, vote: BudgetVote) -> str:
    """The closed vote as a Pabulib file: pseudonymous voter numbers, no personal data."""
    election = service.election(vote)
    counts = service.approvals(vote)
    published = vote.published_at is not None
    pb_rule, _unused = PB_RULE[vote.rule]
    meta = {
        "description": _clean(process.title),
        "country": "Netherlands",
        "unit": _clean(process.area.name) if process.area else "",
        "instance": str((vote.published_at or vote.created_at).year),
        "num_projects": str(len(vote.projects)),
        "num_votes": str(len(election.ballots)),
        "budget": str(vote.budget),
        "vote_type": vote.ballot_kind,
        "rule": pb_rule,
    }
    if vote.rule == "greedy-stop":
        meta["leftover_budget"] = PARTIAL if vote.partial_funding else STOP
    for key, value in (
        ("min_length", vote.min_projects),
        ("max_length", vote.max_projects),
        ("max_sum_cost", vote.max_total_cost),
        ("max_project_cost", vote.max_project_cost),
    ):
        if value is not None:
            meta[key] = str(value)
    meta.update({"language": "nl", "currency": "EUR"})
    key_of = {p.id: p.external_id or str(p.id) for p in vote.projects}
    projects = []
    for p in vote.projects:
        row = {
            "project_id": key_of[p.id],
            "cost": str(p.cost),
            "votes": str(counts.get(p.id, 0)),
            "name": _clean(p.title),
            "category": p.theme_code or "",
        }
        if published:
            row["selected"] = (
                "2" if p.selected and (p.funded or 0) < p.cost else str(int(bool(p.selected)))
            )
        projects.append(row)
    votes = [
        (str(number), [key_of[i] for i in sorted(ballot)])
        for number, ballot in enumerate(election.ballots, start=1)
    ]
    return pabulib.write(pabulib.PbFile(meta=meta, projects=projects, votes=votes))


def _clean(text: str) -> str:
    """Pabulib has no quoting: no separators or line breaks inside a value."""
    return " ".join((text or "").replace(";", ",").split())
