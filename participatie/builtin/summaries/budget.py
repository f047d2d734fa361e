"""The budget vote in a process's summary: who voted, what was spent, what was chosen and why.

For councillors the summary also shows what the other counting rule would
have chosen from the same ballots, marked as a comparison: it is never the
outcome.
"""

from dataclasses import dataclass
from dataclasses import field

import sqlalchemy as sa

from participatie import plugins
from participatie.builtin.budgets import labels
from participatie.builtin.budgets import service
from participatie.builtin.summaries.counting import per_child
from participatie.builtin.summaries.counting import rate
from participatie.builtin.summaries.counting import shown
from participatie.core.areas.models import Area
from participatie.extensions import db


@dataclass
class BudgetSummary:
    status: str
    budget: int
    rule: str
    ballots: int
    voters: int
    per_area: list = field(default_factory=list)  # (area, voters or None, population, per 1,000)
    projects: list = field(default_factory=list)  # (project, approvals, funded, reason)
    spent: int | None = None
    leftover: int | None = None
    other_rule: str | None = None
    other_chosen: list = field(default_factory=list)  # titles

    @property
    def rule_label(self):
        return labels.RULE_SHORT[self.rule]

    @property
    def other_label(self):
        return labels.RULE_SHORT[self.other_rule] if self.other_rule else ""


def budget_summary(process) -> BudgetSummary | None:
    """The summary's budget section, or None without a budget vote (or with the plugin off)."""
    vote = service.vote_of(process.id)
    if vote is None or not plugins.is_enabled(process, "budgets"):
        return None
    status = service.status(vote, process)
    voters = service.voters(vote)
    result = BudgetSummary(status, vote.budget, vote.rule, service.ballot_count(vote), voters)
    result.per_area = _per_area(process, voters)
    if status == "published":
        result.projects = [
            (p, p.approvals, p.funded, labels.REASON.get(p.reason, "")) for p in vote.projects
        ]
        result.projects.sort(key=lambda row: (row[2] is None, -(row[1] or 0)))
        stored = service.stored_outcome(vote)
        result.spent, result.leftover = stored.spent, stored.leftover
        # Computed once at publication: counting again on every view would be slow.
        result.other_rule = vote.comparison_rule
        titles = {p.id: p.title for p in vote.projects}
        result.other_chosen = [titles[int(i)] for i in vote.comparison.split() if int(i) in titles]
    return result


def _per_area(process, voters: int) -> list:
    area = process.area
    rows = [(area, shown(voters), area.population, rate(shown(voters), area.population))]
    children = db.session.scalars(
        sa.select(Area).where(Area.parent_id == area.id).order_by(Area.code)
    ).all()
    if not children:
        return rows
    counts = per_child(area, service.participants(process).subquery())
    for child in children:
        count = shown(counts.get(child.id, 0))
        rows.append((child, count, child.population, rate(count, child.population)))
    return rows
