"""The rules of a budget vote: its status, the ballot's rules, casting, counting, publishing.

Casting keeps the rules in the database's transaction: the account's row is
locked first (PostgreSQL; SQLite takes its write lock at BEGIN), the ballot
is one row per voter per vote (UNIQUE), and the choice is checked against the
costs as stored in the same transaction, so parallel requests of one voter
store one ballot and no stored ballot breaks its rules.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from participatie.builtin.budgets import counting
from participatie.builtin.budgets.models import Ballot
from participatie.builtin.budgets.models import BallotChoice
from participatie.builtin.budgets.models import BudgetVote
from participatie.builtin.budgets.models import Project
from participatie.builtin.budgets.models import ProjectIdea
from participatie.builtin.feedback import execution
from participatie.builtin.feedback.models import Execution
from participatie.builtin.ideas.models import Idea
from participatie.caching import stale
from participatie.core import audit
from participatie.core.accounts.models import User
from participatie.core.processes.phases import action_open
from participatie.dbutil import upsert_insert
from participatie.extensions import db
from participatie.extensions import utcnow


def vote_of(process_id: int | None) -> BudgetVote | None:
    if process_id is None:
        return None
    return db.session.scalar(sa.select(BudgetVote).where(BudgetVote.process_id == process_id))


def status(vote: BudgetVote, process, now: datetime | None = None) -> str:
    """``preparing``, ``open``, ``closed`` or ``published`` (the API's codes)."""
    if vote.published_at is not None:
        return "published"
    if vote.imported:
        return "closed"
    now = utcnow() if now is None else now
    if action_open(process, "budget", now):
        return "open"
    budget_phases = [phase for phase in process.phases if phase.allows_budget]
    if process.status == "closed" and budget_phases:
        return "closed"
    if budget_phases and all(phase.ends_at <= now for phase in budget_phases):
        return "closed"
    return "preparing"


def frozen(vote: BudgetVote, process) -> bool:
    """Projects and ballot rules are frozen from the moment the vote opens."""
    return status(vote, process) != "preparing"


# --- The ballot's rules --------------------------------------------------------


@dataclass
class Totals:
    chosen: list  # the chosen projects, in ballot order
    count: int
    total: int
    limit: int  # the most the chosen projects may cost together
    left: int
    problems: list  # messages of the rules the choice does not meet

    @property
    def ok(self) -> bool:
        return not self.problems


def spending_limit(vote: BudgetVote) -> int:
    return vote.max_total_cost if vote.max_total_cost is not None else vote.budget


def totals(vote: BudgetVote, projects: list[Project], chosen_ids) -> Totals:
    """What a choice costs, what is left, and every ballot rule it does not meet."""
    wanted = {int(i) for i in chosen_ids}
    chosen = [project for project in projects if project.id in wanted]
    unknown = wanted - {project.id for project in projects}
    total = sum(project.cost for project in chosen)
    limit = spending_limit(vote)
    problems = problems_of(vote, len(chosen), total, bool(unknown))
    return Totals(chosen, len(chosen), total, limit, limit - total, problems)


def problems_of(vote: BudgetVote, count: int, total: int, unknown: bool = False) -> list:
    """The messages of the ballot rules that ``count`` projects costing ``total`` break."""
    problems = []
    if unknown:
        problems.append(_l("Choose only projects that are on the ballot."))
    if vote.ballot_kind == "choose-1":
        if count != 1:
            problems.append(_l("Choose exactly one project."))
        return problems
    if count == 0:
        problems.append(_l("Choose at least one project."))
    elif vote.min_projects is not None and count < vote.min_projects:
        problems.append(
            _l(
                "Choose at least %(n)d projects; you have chosen %(count)d.",
                n=vote.min_projects,
                count=count,
            )
        )
    if vote.max_projects is not None and count > vote.max_projects:
        problems.append(
            _l(
                "Choose at most %(n)d projects; you have chosen %(count)d.",
                n=vote.max_projects,
                count=count,
            )
        )
    limit = spending_limit(vote)
    if total > limit:
        problems.append(
            _l(
                "Your projects cost %(total)s together, more than %(limit)s. Leave one out.",
                total=euros(total),
                limit=euros(limit),
            )
        )
    return problems


def euros(amount: int | None) -> str:
    """``€ 12.500``: whole euros, grouped as the user's language does (``€ 12,500`` in English)."""
    if amount is None:
        return ""
    return "€\u00a0" + format_decimal(amount)


# --- Drafts and ballots --------------------------------------------------------


class BallotRefused(Exception):
    def __init__(self, problems: list):
        super().__init__("ballot refused")
        self.problems = problems


def ballot_of(vote: BudgetVote, user_id: int) -> Ballot | None:
    return db.session.scalar(
        sa.select(Ballot).where(Ballot.vote_id == vote.id, Ballot.user_id == user_id)
    )


def working_choice(vote: BudgetVote, user) -> list[int]:
    """The voter's choice as last saved: the draft, else the cast ballot, else none."""
    # A voting code's holder is no log-in (``is_authenticated`` is false) but has ballots.
    if user is None or user.is_anonymous:
        return []
    ballot = ballot_of(vote, user.id)
    if ballot is None:
        return []
    if ballot.draft:
        return [int(i) for i in ballot.draft.split()]
    return [choice.project_id for choice in ballot.choices]


def _lock_account(user_id: int) -> None:
    # As the votes plugin does: PostgreSQL runs transactions side by side, so
    # one voter's requests take turns on the account's row. SQLite takes the
    # write lock at BEGIN and ignores FOR UPDATE.
    db.session.execute(sa.select(User.id).where(User.id == user_id).with_for_update())


def _ballot_row(vote: BudgetVote, user_id: int) -> int:
    """The id of the voter's ballot row, made when missing (``ON CONFLICT DO NOTHING``)."""
    table = Ballot.__table__
    db.session.execute(
        upsert_insert(table)
        .values(vote_id=vote.id, user_id=user_id, draft="", updated_at=utcnow())
        .on_conflict_do_nothing(index_elements=["vote_id", "user_id"])
    )
    return db.session.scalar(
        sa.select(table.c.id).where(table.c.vote_id == vote.id, table.c.user_id == user_id)
    )


def save_draft(vote: BudgetVote, user_id: int, chosen_ids) -> None:
    """Keep the voter's choice on the server, not cast; the caller commits."""
    _lock_account(user_id)
    ballot_id = _ballot_row(vote, user_id)
    known = set(_stored_costs(vote))
    draft = " ".join(str(i) for i in sorted({int(i) for i in chosen_ids} & known))
    db.session.execute(
        sa.update(Ballot).where(Ballot.id == ballot_id).values(draft=draft, updated_at=utcnow())
    )


def _stored_costs(vote: BudgetVote) -> dict[int, int]:
    query = sa.select(Project.id, Project.cost).where(Project.vote_id == vote.id)
    return {project_id: cost for project_id, cost in db.session.execute(query)}


def cast(vote: BudgetVote, process, user_id: int, chosen_ids) -> Ballot:
    """Cast (or replace) the voter's ballot; raises ``BallotRefused``. The caller commits.

    The choice is checked against the costs as stored, inside this
    transaction, after the account's lock: no stored ballot breaks a rule.
    """
    if status(vote, process) != "open":
        raise BallotRefused([_l("Voting on the budget is not possible right now.")])
    _lock_account(user_id)
    costs = _stored_costs(vote)
    wanted = {int(i) for i in chosen_ids}
    unknown = bool(wanted - set(costs))
    problems = problems_of(vote, len(wanted), sum(costs.get(i, 0) for i in wanted), unknown)
    if problems:
        raise BallotRefused(problems)
    ballot = write_ballot(vote, user_id, wanted)
    audit.record("budgets.cast", process, projects=len(wanted))
    return ballot


def write_ballot(vote: BudgetVote, user_id: int, wanted: set[int]) -> Ballot:
    """Store the choice as the voter's cast ballot; ``cast`` has checked it (the demo too)."""
    ballot_id = _ballot_row(vote, user_id)
    # A cast ballot makes its voter a participant of the summary's ways of verification.
    stale(vote.process_id)
    db.session.execute(sa.delete(BallotChoice).where(BallotChoice.ballot_id == ballot_id))
    db.session.execute(
        sa.insert(BallotChoice), [{"ballot_id": ballot_id, "project_id": i} for i in wanted]
    )
    now = utcnow()
    db.session.execute(
        sa.update(Ballot)
        .where(Ballot.id == ballot_id)
        .values(cast_at=now, updated_at=now, draft=" ".join(str(i) for i in sorted(wanted)))
    )
    ballot = db.session.get(Ballot, ballot_id)
    db.session.refresh(ballot)
    return ballot


# --- Counting ------------------------------------------------------------------


def approvals(vote: BudgetVote) -> dict[int, int]:
    """Approvals per project from the cast ballots, every project included."""
    rows = db.session.execute(
        sa.select(BallotChoice.project_id, sa.func.count())
        .join(Ballot, Ballot.id == BallotChoice.ballot_id)
        .where(Ballot.vote_id == vote.id, Ballot.cast_at.is_not(None))
        .group_by(BallotChoice.project_id)
    )
    counts = dict(rows.all())
    return {project.id: counts.get(project.id, 0) for project in vote.projects}


def ballot_count(vote: BudgetVote) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Ballot)
        .where(Ballot.vote_id == vote.id, Ballot.cast_at.is_not(None))
    )


def election(vote: BudgetVote) -> counting.Election:
    """The vote as the counting rules see it: costs in project order and the cast ballots."""
    costs = dict(
        db.session.execute(
            sa.select(Project.id, Project.cost)
            .where(Project.vote_id == vote.id)
            .order_by(Project.id)
        ).all()
    )
    choices: dict[int, set[int]] = {}
    rows = db.session.execute(
        sa.select(Ballot.id, BallotChoice.project_id)
        .join(BallotChoice, BallotChoice.ballot_id == Ballot.id)
        .where(Ballot.vote_id == vote.id, Ballot.cast_at.is_not(None))
        .order_by(Ballot.id)
    )
    for ballot_id, project_id in rows:
        choices.setdefault(ballot_id, set()).add(project_id)
    return counting.Election(
        budget=vote.budget, costs=costs, ballots=[frozenset(c) for c in choices.values()]
    )


def outcome(vote: BudgetVote, rule: str | None = None) -> counting.Outcome:
    """The outcome ``rule`` (default: the vote's own) gives for the stored ballots."""
    rule = rule or vote.rule
    partial = vote.partial_funding if rule == "greedy-stop" else False
    return counting.count(rule, election(vote), partial_funding=partial)


def stored_outcome(vote: BudgetVote) -> counting.Outcome:
    """The published outcome, as stored on the projects at publication."""
    funded = {p.id: p.funded for p in vote.projects if p.selected}
    spent = sum(funded.values())
    return counting.Outcome(
        rule=vote.rule,
        funded=funded,
        approvals={p.id: p.approvals or 0 for p in vote.projects},
        reasons={p.id: p.reason for p in vote.projects},
        spent=spent,
        leftover=vote.budget - spent,
    )


def other_rule(rule: str) -> str:
    """The rule the summary compares the outcome with."""
    return "greedy" if rule == "equal-shares" else "equal-shares"


class PublishRefused(Exception):
    pass


def publish(vote: BudgetVote, process, actor) -> counting.Outcome:
    """Store the computed outcome on the projects and publish it; the caller commits."""
    if status(vote, process) != "closed":
        raise PublishRefused(_l("The outcome can be published once the vote has closed."))
    result = outcome(vote)
    for project in vote.projects:
        project.approvals = result.approvals.get(project.id, 0)
        project.selected = project.id in result.funded
        project.funded = result.funded.get(project.id)
        project.reason = result.reasons.get(project.id)
    vote.published_at = utcnow()
    vote.published_by_id = actor.id if actor is not None else None
    vote.comparison_rule = other_rule(vote.rule)
    vote.comparison = " ".join(str(i) for i in outcome(vote, vote.comparison_rule).funded)
    _to_execution(vote, process)
    audit.record(
        "budgets.publish",
        process,
        rule=vote.rule,
        chosen=[pid for pid in result.funded],
        spent=result.spent,
    )
    return result


def _to_execution(vote: BudgetVote, process) -> None:
    """The ideas behind the chosen projects become execution items (feedback's milestones)."""
    chosen = {i for p in vote.projects if p.selected for i in p.idea_ids}
    if not chosen:
        return
    have = set(
        db.session.scalars(sa.select(Execution.idea_id).where(Execution.idea_id.in_(chosen)))
    )
    owner = process.execution_owner or process.decision_maker or ""
    for idea in db.session.scalars(sa.select(Idea).where(Idea.id.in_(chosen - have))):
        execution.set_owner(idea, owner[:200])


class DeviationRefused(Exception):
    pass


def record_deviation(project: Project, decided: bool, explanation: str, process) -> None:
    """The decision-maker's choice for ``project`` where it differs from the outcome."""
    if project.vote.published_at is None:
        raise DeviationRefused(_l("Publish the outcome first."))
    explanation = (explanation or "").strip()
    if decided != project.selected and not explanation:
        raise DeviationRefused(_l("Explain why the decision differs from the outcome."))
    if decided == project.selected:
        project.decided, project.deviation_explanation, project.deviation_at = None, "", None
    else:
        project.decided = decided
        project.deviation_explanation = explanation
        project.deviation_at = utcnow()
    audit.record(
        "budgets.deviation", process, project=project.id, decided=decided, explanation=explanation
    )


# --- Projects ------------------------------------------------------------------


class ProjectsFrozen(Exception):
    pass


def add_project(vote: BudgetVote, process, idea_ids=(), **fields) -> Project:
    if frozen(vote, process):
        raise ProjectsFrozen
    project = Project(vote=vote, **fields)
    project.sources = [ProjectIdea(idea_id=int(i)) for i in sorted(set(idea_ids))]
    db.session.add(project)
    db.session.flush()
    audit.record("budgets.project", process, project=project.id, title=project.title)
    return project


def voters(vote: BudgetVote) -> int:
    """Persons with a cast ballot (one ballot each)."""
    return ballot_count(vote)


def participants(process):
    """Accounts that cast a ballot in ``process`` (for notices of framing changes)."""
    return (
        sa.select(Ballot.user_id)
        .join(BudgetVote, BudgetVote.id == Ballot.vote_id)
        .where(BudgetVote.process_id == process.id, Ballot.cast_at.is_not(None))
    )
