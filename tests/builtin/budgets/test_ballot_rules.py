"""Property: a ballot is refused exactly when it breaks one of its vote's rules."""

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from participatie.builtin.budgets.models import BudgetVote
from participatie.builtin.budgets.service import problems_of


@st.composite
def votes_and_choices(draw):
    kind = draw(st.sampled_from(["approval", "choose-1"]))
    budget = draw(st.integers(min_value=1, max_value=10_000))
    low = draw(st.none() | st.integers(min_value=1, max_value=6))
    high = draw(st.none() | st.integers(min_value=low or 1, max_value=8))
    cap = draw(st.none() | st.integers(min_value=1, max_value=12_000))
    vote = BudgetVote(
        budget=budget,
        ballot_kind=kind,
        min_projects=low,
        max_projects=high,
        max_total_cost=cap,
    )
    costs = draw(st.lists(st.integers(min_value=1, max_value=5_000), max_size=10))
    return vote, costs


def breaks_a_rule(vote, costs) -> bool:
    count, total = len(costs), sum(costs)
    if vote.ballot_kind == "choose-1":
        return count != 1
    limit = vote.max_total_cost if vote.max_total_cost is not None else vote.budget
    return (
        count == 0
        or (vote.min_projects is not None and count < vote.min_projects)
        or (vote.max_projects is not None and count > vote.max_projects)
        or total > limit
    )


@settings(max_examples=400, deadline=None)
@given(votes_and_choices())
def test_a_ballot_is_refused_exactly_when_it_breaks_a_rule(rules_app, case):
    vote, costs = case
    with rules_app.app_context():
        problems = problems_of(vote, len(costs), sum(costs))
        assert bool(problems) == breaks_a_rule(vote, costs)
        assert all(str(problem) for problem in problems)
