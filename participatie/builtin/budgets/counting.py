"""Counting a participatory budget: which projects a vote funds, by three rules.

Pure functions without Flask or a database, in exact arithmetic (``int`` and
``fractions.Fraction``): no float ever decides which project is funded.

The rules and their tie-breaks:

- ``greedy``: projects by approvals, highest first; each is taken when it still
  fits in what is left of the budget, otherwise skipped. Ties in approvals go
  to the cheaper project, then to the project that comes first in
  ``Election.costs``. Amsterdam's Buurtbudget (Oud-Zuid 2020, Osdorp 2021).
- ``greedy-stop``: the same order, but counting stops at the first project
  that does not fit. With ``partial_funding`` that project gets what is left
  (Amsterdam's West Begroot 2022).
- ``equal-shares``: the Method of Equal Shares for approval ballots with cost
  utilities and the *add1* completion, as equalshares.net describes it (Assen
  2024). Ties go to the cheaper project, then to the one with more approvals,
  then to the one that comes first in ``Election.costs``.

Projects that nobody approved or that cost more than the whole budget are never
funded by any rule, and never stop the ``greedy-stop`` count.
"""

from collections.abc import Hashable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import gcd

RULES = ("greedy", "greedy-stop", "equal-shares")

#: The reason codes of ``Outcome.reasons``; the plugin translates them.
REASONS = (
    "chosen",
    "chosen-partly",
    "does-not-fit",
    "stopped",
    "too-little-support",
    "no-approvals",
    "over-budget",
)


@dataclass(frozen=True)
class Election:
    """A vote to count.

    ``costs`` maps each project's key to its cost in whole euros; its order is
    the project order that breaks the last ties. Each ballot is the set of the
    keys it approves.
    """

    budget: int
    costs: Mapping[Hashable, int]
    ballots: Sequence[frozenset]


@dataclass(frozen=True)
class Outcome:
    """The result of a count; ``reasons`` has a code from ``REASONS`` for every project."""

    rule: str
    funded: dict
    approvals: dict
    reasons: dict
    spent: int
    leftover: int


def count(rule: str, election: Election, partial_funding: bool = False) -> Outcome:
    """Count ``election`` by ``rule`` (one of ``RULES``).

    ``partial_funding`` is only meaningful for ``greedy-stop``: the first
    project that does not fit is then funded with what is left.
    """
    if rule not in RULES:
        raise ValueError(f"Unknown rule {rule!r}; expected one of {RULES}.")
    if partial_funding and rule != "greedy-stop":
        raise ValueError("Partial funding exists only for the greedy-stop rule.")
    _check(election)
    approvals = dict.fromkeys(election.costs, 0)
    for ballot in election.ballots:
        for key in ballot:
            approvals[key] += 1
    eligible = [
        key for key, cost in election.costs.items() if approvals[key] and cost <= election.budget
    ]
    if rule == "equal-shares":
        funded = _equal_shares(election, approvals)
        others = dict.fromkeys(election.costs, "too-little-support")
    else:
        funded, others = _greedy(election, approvals, eligible, rule == "greedy-stop")
        if partial_funding:
            _fund_partly(election, funded, others)
    reasons = {}
    for key, cost in election.costs.items():
        if key in funded:
            reasons[key] = "chosen" if funded[key] == cost else "chosen-partly"
        elif not approvals[key]:
            reasons[key] = "no-approvals"
        elif cost > election.budget:
            reasons[key] = "over-budget"
        else:
            reasons[key] = others[key]
    spent = sum(funded.values())
    return Outcome(rule, funded, approvals, reasons, spent, election.budget - spent)


def _check(election: Election) -> None:
    if not isinstance(election.budget, int) or election.budget <= 0:
        raise ValueError("The budget must be a positive whole number of euros.")
    for key, cost in election.costs.items():
        if not isinstance(cost, int) or cost <= 0:
            raise ValueError(f"The cost of project {key!r} must be a positive whole number.")
    for ballot in election.ballots:
        unknown = set(ballot) - election.costs.keys()
        if unknown:
            raise ValueError(f"A ballot approves unknown projects: {sorted(map(str, unknown))}.")


def _greedy(election: Election, approvals: dict, eligible: list, stop: bool) -> tuple[dict, dict]:
    """Funded projects and the reasons for the others, by approvals (see the module)."""
    position = {key: number for number, key in enumerate(election.costs)}
    order = sorted(eligible, key=lambda key: (-approvals[key], election.costs[key], position[key]))
    funded, others = {}, {}
    left = election.budget
    stopped = False
    for key in order:
        cost = election.costs[key]
        if stopped:
            others[key] = "stopped"
        elif cost <= left:
            funded[key] = cost
            left -= cost
        else:
            others[key] = "does-not-fit"
            stopped = stop
    return funded, others


def _fund_partly(election: Election, funded: dict, others: dict) -> None:
    """Give what is left to the project at which the greedy-stop count stopped."""
    left = election.budget - sum(funded.values())
    first = next((key for key, reason in others.items() if reason == "does-not-fit"), None)
    if first is not None and left > 0:
        funded[first] = left


def _equal_shares(election: Election, approvals: dict) -> dict:
    """The Method of Equal Shares with the add1 completion.

    MES gives each voter an equal share of the budget. The add1 completion
    raises each voter's share by one euro at a time (the total by the number of
    voters) and counts again, as long as the outcome still costs at most the
    real budget and is not exhaustive (some approved project still fits in what
    is left). The last outcome within the real budget is the result (Assen
    2024: 843 raises, from 1,190.48 to 2,033.48 euros a voter).

    No greedy completion follows: Assen's official outcome left 23,300 euros
    unspent while a project of 12,000 went unfunded. Projects that cost more
    than the budget take part in the raised counts, as on equalshares.net; one
    that gets chosen there ends the completion, as the outcome no longer fits.
    """
    voters = len(election.ballots)
    if not voters:
        return {}
    supporters = dict.fromkeys(election.costs, 0)
    for voter, ballot in enumerate(election.ballots):
        bit = 1 << voter
        for key in ballot:
            supporters[key] |= bit
    candidates = [key for key in election.costs if approvals[key]]
    position = {key: number for number, key in enumerate(election.costs)}

    def fixed(total: int) -> list:
        return _equal_shares_fixed(total, voters, candidates, election.costs, supporters, position)

    total = election.budget
    chosen = fixed(total)
    while True:
        left = election.budget - sum(election.costs[key] for key in chosen)
        if all(key in chosen or election.costs[key] > left for key in candidates):
            break
        total += voters
        following = fixed(total)
        if sum(election.costs[key] for key in following) > election.budget:
            break
        chosen = following
    return {key: election.costs[key] for key in chosen}


def _equal_shares_fixed(
    total: int,
    voters: int,
    candidates: list,
    costs: Mapping,
    supporters: dict,
    position: dict,
) -> list:
    """One MES count with ``total`` shared equally among ``voters``; the chosen keys in order.

    A project's *effective vote count* is its cost divided by the most any
    supporter pays for it (supporters who have less pay all they have); the
    highest is chosen. It never rises during a count, so projects are tried in
    order of their last effective vote count and the search stops when that can
    no longer beat the best.

    Two things keep a round cheap. Voters are kept in classes of equal
    remaining money, each a bitmask over the voters, so a project's supporters
    are counted per class with one ``&`` instead of one by one. And money is
    counted in whole units of ``1 / scale`` euro, ``scale`` growing whenever a
    payment would not be whole, so all sums and comparisons are exact integer
    arithmetic; only the effective vote counts are ``Fraction``.
    """
    scale = voters
    classes = {total: (1 << voters) - 1}
    # Key -> an upper bound of its effective vote count: at first its supporters.
    remaining = {key: supporters[key].bit_count() for key in candidates}
    chosen = []
    while remaining:
        by_money = sorted(classes.items())
        alive = 0
        for _, group in by_money:
            alive |= group
        best, best_count, shares = [], 0, {}
        for key in sorted(remaining, key=lambda key: -remaining[key]):
            if remaining[key] < best_count:
                break
            cost, mask = costs[key] * scale, supporters[key] & alive
            paid, payers = 0, mask.bit_count()
            # Poorer supporters pay all they have until the rest can share what is left.
            for money, group in by_money:
                if not payers or cost - paid <= money * payers:
                    break
                size = (group & mask).bit_count()
                paid += money * size
                payers -= size
            if not payers:
                del remaining[key]
                continue
            shares[key] = (cost - paid, payers)
            remaining[key] = effective = Fraction(cost * payers, cost - paid)
            if effective > best_count:
                best, best_count = [key], effective
            elif effective == best_count:
                best.append(key)
        if not best:
            break
        winner = min(
            best, key=lambda key: (costs[key], -supporters[key].bit_count(), position[key])
        )
        del remaining[winner]
        chosen.append(winner)
        # Each payer pays left / payers units; rescale so that this is whole.
        left, payers = shares[winner]
        factor = payers // gcd(left, payers)
        scale *= factor
        classes = _charge(classes, supporters[winner], left * factor // payers, factor)
    return chosen


def _charge(classes: dict, mask: int, payment: int, factor: int) -> dict:
    """The classes, their money times ``factor``, after each voter in ``mask`` paid ``payment``.

    A voter who has less than ``payment`` pays all they have.
    """
    charged = {}
    for money, group in classes.items():
        money *= factor
        for after, part in ((max(money - payment, 0), group & mask), (money, group & ~mask)):
            if part and after:
                charged[after] = charged.get(after, 0) | part
    return charged
