"""The counting rules on small elections with known answers, and their properties."""

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from participatie.builtin.budgets.counting import count
from participatie.builtin.budgets.counting import Election
from participatie.builtin.budgets.counting import REASONS
from participatie.builtin.budgets.counting import RULES


def ballots(*groups: tuple[int, set]) -> list[frozenset]:
    """``(how many, projects)`` pairs as a list of ballots."""
    return [frozenset(projects) for number, projects in groups for _ in range(number)]


#: a has most approvals, b does not fit after it, c still does.
SKIP = Election(
    budget=10,
    costs={"a": 6, "b": 5, "c": 4},
    ballots=ballots((3, {"a"}), (2, {"b"}), (1, {"c"})),
)


def test_greedy_skips_what_does_not_fit_and_takes_what_still_fits():
    outcome = count("greedy", SKIP)
    assert outcome.funded == {"a": 6, "c": 4}
    assert outcome.reasons == {"a": "chosen", "b": "does-not-fit", "c": "chosen"}
    assert outcome.approvals == {"a": 3, "b": 2, "c": 1}
    assert (outcome.spent, outcome.leftover) == (10, 0)


def test_greedy_stop_stops_at_the_first_project_that_does_not_fit():
    outcome = count("greedy-stop", SKIP)
    assert outcome.funded == {"a": 6}
    assert outcome.reasons == {"a": "chosen", "b": "does-not-fit", "c": "stopped"}
    assert (outcome.spent, outcome.leftover) == (6, 4)


def test_greedy_stop_funds_the_project_it_stopped_at_partly():
    outcome = count("greedy-stop", SKIP, partial_funding=True)
    assert outcome.funded == {"a": 6, "b": 4}
    assert outcome.reasons == {"a": "chosen", "b": "chosen-partly", "c": "stopped"}
    assert (outcome.spent, outcome.leftover) == (10, 0)


def test_partial_funding_is_refused_for_the_other_rules():
    for rule in ("greedy", "equal-shares"):
        with pytest.raises(ValueError):
            count(rule, SKIP, partial_funding=True)


def test_an_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        count("lottery", SKIP)


def test_a_ballot_with_an_unknown_project_is_refused():
    with pytest.raises(ValueError):
        count("greedy", Election(10, {"a": 5}, [frozenset({"a", "z"})]))


def test_greedy_ties_go_to_the_cheaper_project_then_the_project_order():
    # All three have one approval; c is cheapest, b comes before a in the costs.
    election = Election(5, {"b": 3, "a": 3, "c": 2}, ballots((1, {"a", "b", "c"})))
    for rule in ("greedy", "greedy-stop"):
        outcome = count(rule, election)
        assert list(outcome.funded) == ["c", "b"]
        assert outcome.reasons["a"] == "does-not-fit"


def test_a_project_above_the_budget_is_never_funded_and_never_stops_the_count():
    election = Election(10, {"big": 11, "a": 4}, ballots((5, {"big", "a"}), (1, {"big"})))
    for rule in RULES:
        outcome = count(rule, election)
        assert outcome.funded == {"a": 4}
        assert outcome.reasons["big"] == "over-budget"


def test_a_project_nobody_approved_is_never_funded():
    election = Election(10, {"a": 4, "nobody": 1}, ballots((2, {"a"})))
    for rule in RULES:
        outcome = count(rule, election)
        assert outcome.funded == {"a": 4}
        assert outcome.approvals["nobody"] == 0
        assert outcome.reasons["nobody"] == "no-approvals"


def test_an_election_without_ballots_funds_nothing():
    for rule in RULES:
        outcome = count(rule, Election(10, {"a": 4}, []))
        assert outcome.funded == {}
        assert outcome.reasons == {"a": "no-approvals"}
        assert outcome.leftover == 10


#: Six voters want the red projects, four the blue ones; all cost half the budget.
RED_AND_BLUE = Election(
    budget=100,
    costs={"red1": 50, "red2": 50, "blue1": 50, "blue2": 50},
    ballots=ballots((6, {"red1", "red2"}), (4, {"blue1", "blue2"})),
)


def test_equal_shares_gives_the_minority_its_share():
    outcome = count("equal-shares", RED_AND_BLUE)
    assert outcome.funded == {"red1": 50, "blue1": 50}
    assert outcome.reasons == {
        "red1": "chosen",
        "red2": "too-little-support",
        "blue1": "chosen",
        "blue2": "too-little-support",
    }
    # The majority takes everything under greedy.
    assert count("greedy", RED_AND_BLUE).funded == {"red1": 50, "red2": 50}


def test_equal_shares_completes_by_raising_the_shares():
    # With 10 each the blue voters cannot pay 50 together; the add1 completion
    # raises the shares to 13, when they can and the outcome still costs 100.
    # Without it only red1 would be funded.
    assert set(count("equal-shares", RED_AND_BLUE).funded) == {"red1", "blue1"}


def test_equal_shares_raises_the_shares_one_euro_at_a_time():
    # With 10 each neither voter can pay alone. At 19 each, a is affordable
    # and costs 19 of the real 20; at 20 each both would be, 39 in all. Steps
    # of two euros would jump from 18 to 20 and fund nothing.
    election = Election(20, {"a": 19, "b": 20}, [frozenset({"a"}), frozenset({"b"})])
    outcome = count("equal-shares", election)
    assert outcome.funded == {"a": 19}
    assert outcome.reasons["b"] == "too-little-support"


def test_equal_shares_ties_go_to_the_cheaper_project():
    election = Election(10, {"a": 6, "b": 4}, ballots((2, {"a", "b"})))
    assert list(count("equal-shares", election).funded) == ["b", "a"]


def test_equal_shares_ties_in_cost_go_to_the_project_order():
    election = Election(10, {"b": 4, "a": 4}, ballots((2, {"a", "b"})))
    assert list(count("equal-shares", election).funded) == ["b", "a"]


def test_equal_shares_lets_poorer_supporters_pay_what_they_have():
    # Four voters with 10 each. A takes 9 from voters 1 to 3. Voter 3 can then
    # pay only 1 towards B, so voter 4 pays the other 9. The outcome (37) is
    # exhaustive (C costs 4, voter 1 has 1), so no completion follows. Were
    # every supporter to pay the same, B would not be affordable and C would
    # win after the completion.
    election = Election(
        40,
        {"A": 27, "B": 10, "C": 4},
        [frozenset({"A", "C"}), frozenset({"A"}), frozenset({"A", "B"}), frozenset({"B"})],
    )
    outcome = count("equal-shares", election)
    assert outcome.funded == {"A": 27, "B": 10}
    assert outcome.reasons["C"] == "too-little-support"


@st.composite
def elections(draw):
    budget = draw(st.integers(1, 60))
    size = draw(st.integers(1, 6))
    keys = [f"p{number}" for number in range(size)]
    costs = {key: draw(st.integers(1, 70)) for key in keys}
    ballot = st.frozensets(st.sampled_from(keys), max_size=size)
    return Election(budget, costs, draw(st.lists(ballot, max_size=8)))


@settings(max_examples=150, deadline=None)
@given(elections(), st.sampled_from(RULES), st.booleans())
def test_every_rule_stays_within_the_budget(election, rule, partial):
    outcome = count(rule, election, partial and rule == "greedy-stop")
    assert outcome.spent + outcome.leftover == election.budget
    assert 0 <= outcome.spent <= election.budget
    assert outcome.spent == sum(outcome.funded.values())
    assert set(outcome.reasons) == set(outcome.approvals) == set(election.costs)
    for key, amount in outcome.funded.items():
        assert type(amount) is int
        assert 0 < amount <= election.costs[key]
        assert outcome.approvals[key] > 0
    for key, reason in outcome.reasons.items():
        assert reason in REASONS
        assert (reason in ("chosen", "chosen-partly")) == (key in outcome.funded)


@settings(max_examples=150, deadline=None)
@given(elections())
def test_greedy_never_skips_a_project_that_fits_when_its_turn_comes(election):
    outcome = count("greedy", election)
    position = list(election.costs)
    order = sorted(
        election.costs,
        key=lambda key: (-outcome.approvals[key], election.costs[key], position.index(key)),
    )
    left = election.budget
    for key in order:
        if outcome.approvals[key] and election.costs[key] <= left:
            assert key in outcome.funded
            left -= election.costs[key]
        else:
            assert key not in outcome.funded
    assert list(outcome.funded) == [key for key in order if key in outcome.funded]


@settings(max_examples=100, deadline=None)
@given(elections(), st.randoms(use_true_random=False))
def test_equal_shares_does_not_depend_on_the_order_of_the_ballots(election, random):
    shuffled = list(election.ballots)
    random.shuffle(shuffled)
    again = Election(election.budget, election.costs, shuffled)
    assert count("equal-shares", again).funded == count("equal-shares", election).funded
