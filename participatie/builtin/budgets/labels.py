"""What the codes of a budget vote say to residents, in their language."""

from flask_babel import lazy_gettext as _l

RULE = {
    "greedy": _l("most votes first: the projects with the most votes, as long as each fits"),
    "greedy-stop": _l(
        "most votes first: the projects with the most votes, until the first that no longer fits"
    ),
    "equal-shares": _l(
        "the Method of Equal Shares: every voter has an equal share of the budget, spent on the"
        " projects they chose"
    ),
}

RULE_SHORT = {
    "greedy": _l("Most votes first"),
    "greedy-stop": _l("Most votes first, stopping at the first that does not fit"),
    "equal-shares": _l("Method of Equal Shares"),
}

STATUS = {
    "preparing": _l("In preparation"),
    "open": _l("Voting is open"),
    "closed": _l("Voting has closed"),
    "published": _l("Outcome published"),
}

#: Why a project was or was not chosen (``counting`` reason codes).
REASON = {
    "chosen": _l("Chosen"),
    "chosen-partly": _l("Chosen, funded partly with what was left of the budget"),
    "does-not-fit": _l("No longer fits in the budget"),
    "stopped": _l("Not reached: counting stopped at the first project that did not fit"),
    "too-little-support": _l("Too little support: its voters' share of the budget ran out"),
    "no-approvals": _l("Nobody voted for it"),
    "over-budget": _l("Costs more than the whole budget"),
}
