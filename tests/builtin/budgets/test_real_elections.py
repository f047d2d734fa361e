"""The counting rules reproduce the official outcomes of four real Dutch elections.

Data: Pabulib (pabulib.org); D. Stolicki, S. Szufa, N. Talmon, "Pabulib: A
Participatory Budgeting Library", arXiv:2012.06539 (2020). See
tests/data/pabulib/README.md.
"""

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from participatie.builtin.budgets.counting import count
from participatie.builtin.budgets.pabulib import election_of
from participatie.builtin.budgets.pabulib import parse
from participatie.builtin.budgets.pabulib import rule_of

DATA = Path(__file__).parents[2] / "data" / "pabulib"
FILES = {
    "Netherlands_Amsterdam_2020_Oud-Zuid.pb": "greedy",
    "Netherlands_Amsterdam_2021_Osdorp.pb": "greedy",
    "Netherlands_Amsterdam_2022_West.pb": "greedy-stop",
    "Netherlands_Assen_2024.pb": "equal-shares",
}


@cache
def load(name):
    pb = parse((DATA / name).read_text(encoding="utf-8"))
    return name, pb, election_of(pb)


@pytest.fixture(params=sorted(FILES))
def real(request):
    return load(request.param)


def test_all_four_files_are_there():
    assert sorted(path.name for path in DATA.glob("*.pb")) == sorted(FILES)


def test_ballots_add_up_to_the_published_approvals(real):
    _, pb, election = real
    approvals = Counter(key for ballot in election.ballots for key in ballot)
    assert {project["project_id"]: int(project["votes"]) for project in pb.projects} == {
        key: approvals[key] for key in election.costs
    }
    assert len(election.ballots) == int(pb.meta["num_votes"])


def test_count_chooses_the_official_projects(real):
    name, pb, election = real
    rule, partial = rule_of(pb.meta)
    assert rule == FILES[name]
    outcome = count(rule, election, partial)
    official = {project["project_id"] for project in pb.projects if project["selected"] != "0"}
    assert set(outcome.funded) == official
    assert outcome.spent <= election.budget
    assert outcome.spent + outcome.leftover == election.budget


def test_west_funds_its_last_project_partly_with_what_was_left():
    _, pb, election = load("Netherlands_Amsterdam_2022_West.pb")
    rule, partial = rule_of(pb.meta)
    outcome = count(rule, election, partial)
    (partly,) = [project["project_id"] for project in pb.projects if project["selected"] == "2"]
    assert outcome.reasons[partly] == "chosen-partly"
    assert 0 < outcome.funded[partly] < election.costs[partly]
    assert list(outcome.funded)[-1] == partly
    assert outcome.funded[partly] == election.budget - sum(
        amount for key, amount in outcome.funded.items() if key != partly
    )
    assert outcome.spent == election.budget
