"""Reading and writing Pabulib .pb files: round trips, every wrong line reported, rules."""

from pathlib import Path

import pytest
from participatie.builtin.budgets.pabulib import election_of
from participatie.builtin.budgets.pabulib import parse
from participatie.builtin.budgets.pabulib import PbError
from participatie.builtin.budgets.pabulib import PbFile
from participatie.builtin.budgets.pabulib import rule_of
from participatie.builtin.budgets.pabulib import write

DATA = Path(__file__).parents[2] / "data" / "pabulib"

#: A small valid file; the line numbers in the tests refer to it.
VALID = """\
META
key;value
description;Voorbeeld
num_projects;3
num_votes;3
budget;100
vote_type;approval
min_length;1
max_length;2
max_sum_cost;90
rule;greedy
PROJECTS
project_id;cost;name
10;40;Bankjes
2;50;Bomen
3;30;Speeltuin
VOTES
voter_id;vote
v1;10,2
v2;3
v3;2,3
"""


def lines_of(text: str) -> list[str]:
    return text.splitlines()


def changed(**lines: str) -> str:
    """VALID with line ``_<number>`` replaced (an empty string removes it)."""
    result = lines_of(VALID)
    for name, value in lines.items():
        result[int(name.removeprefix("_")) - 1] = value
    return "\n".join(line for line in result if line) + "\n"


def problems_of(text: str) -> list[tuple[int, str]]:
    with pytest.raises(PbError) as caught:
        parse(text)
    return [(line, str(message)) for line, message in caught.value.problems]


def test_a_valid_file_is_read():
    pb = parse(VALID)
    assert pb.meta["budget"] == "100"
    assert pb.projects[0] == {"project_id": "10", "cost": "40", "name": "Bankjes"}
    assert pb.votes == [("v1", ["10", "2"]), ("v2", ["3"]), ("v3", ["2", "3"])]


def test_the_election_orders_projects_by_numeric_id():
    election = election_of(parse(VALID))
    assert list(election.costs) == ["2", "3", "10"]
    assert election.costs == {"2": 50, "3": 30, "10": 40}
    assert election.budget == 100
    assert election.ballots[0] == frozenset({"10", "2"})


def test_the_election_orders_other_ids_as_text():
    pb = parse(VALID.replace("\n10;", "\nx10;").replace("v1;10,", "v1;x10,"))
    assert list(election_of(pb).costs) == ["2", "3", "x10"]


@pytest.mark.parametrize("name", sorted(path.name for path in DATA.glob("*.pb")))
def test_real_files_survive_a_round_trip(name):
    pb = parse((DATA / name).read_text(encoding="utf-8"))
    assert parse(write(pb)) == pb
    assert write(parse(write(pb))) == write(pb)


def test_a_written_file_keeps_its_content():
    pb = PbFile(
        meta={"budget": "10", "vote_type": "approval"},
        projects=[{"project_id": "1", "cost": "5", "name": "A"}],
        votes=[("a", ["1"]), ("b", [])],
    )
    assert parse(write(pb)) == pb


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (changed(_6="budget;-5"), 6, "budget must be a positive whole number"),
        (changed(_6="budget;100.5"), 6, "budget must be a positive whole number"),
        (changed(_7="vote_type;ordinal"), 7, "not supported"),
        (changed(_8="min_length;one"), 8, "min_length must be a whole number"),
        (changed(_4="num_projects;4"), 4, "num_projects is 4 but the file has 3"),
        (changed(_5="num_votes;2"), 5, "num_votes is 2 but the file has 3"),
        (changed(_14="10;0;Bankjes"), 14, "cost of project 10 must be a positive whole number"),
        (changed(_14="10;veertig;Bankjes"), 14, "positive whole number"),
        (changed(_15="10;50;Bomen"), 15, "project 10 appears twice"),
        (changed(_15="2;50"), 15, "2 fields where the header has 3"),
        (changed(_13="cost;project_id;name"), 13, "header of PROJECTS"),
        (changed(_18="voter_id"), 18, "header of VOTES"),
        (changed(_19="v1;10,7"), 19, "project 7 is not in PROJECTS"),
        (changed(_19="v1;10,10"), 19, "names a project twice"),
        (changed(_20="v1;3"), 20, "voter v1 voted twice"),
        (changed(_20="v2;"), 20, "fewer than the minimum of 1"),
        (changed(_20="v2;3,2,10"), 20, "more than the maximum of 2"),
        (changed(_10="max_sum_cost;89", _21="v3;2,10"), 21, "cost 90 together"),
        (
            changed(_10="max_sum_cost;1000", _11="max_project_cost;45"),
            19,
            "more than the maximum of 45",
        ),
        (changed(_12="VOTES", _17="PROJECTS"), 12, "out of order"),
        (changed(_1=""), 1, "must start with META"),
    ],
)
def test_each_wrong_line_is_reported_with_its_number(text, line, words):
    problems = problems_of(text)
    assert line in [number for number, _ in problems]
    assert any(words in message and number == line for number, message in problems), problems


def test_a_choose_1_vote_names_exactly_one_project():
    text = changed(_7="vote_type;choose-1", _8="", _9="")
    problems = problems_of(text)
    assert [number for number, _ in problems] == [17, 19]
    assert all("exactly one project, not 2" in message for _, message in problems)


def test_every_wrong_line_is_reported_not_only_the_first():
    text = changed(_6="budget;nul", _14="10;-1;Bankjes", _19="v1;10,99", _21="v3;2,99")
    problems = problems_of(text)
    assert [number for number, _ in problems] == [6, 14, 19, 21]
    assert problems[0][1].startswith("Line 6: ")


def test_missing_sections_and_meta_are_reported():
    assert "no VOTES section" in problems_of(VALID.split("VOTES")[0])[0][1]
    problems = problems_of(changed(_6="", _7=""))
    assert {message for _, message in problems} == {"META has no budget.", "META has no vote_type."}


def test_the_error_lists_every_problem_in_its_message():
    with pytest.raises(PbError) as caught:
        parse(changed(_6="budget;nul", _19="v1;10,99"))
    assert str(caught.value).splitlines() == [str(message) for _, message in caught.value.problems]


@pytest.mark.parametrize(
    ("meta", "rule"),
    [
        ({"rule": "greedy"}, ("greedy", False)),
        ({"rule": "equalshares"}, ("equal-shares", False)),
        ({"rule": "equalshares/add1"}, ("equal-shares", False)),
        ({"rule": "greedy-custom"}, ("greedy", False)),
        (
            {
                "rule": "greedy-custom",
                "leftover_budget": "Fund additional projects that fit within leftover budget ordered by score",
            },
            ("greedy", False),
        ),
        (
            {
                "rule": "greedy-custom",
                "leftover_budget": "Partially fund one additional project with highest score",
            },
            ("greedy-stop", True),
        ),
    ],
)
def test_rule_of_maps_pabulib_rules_to_ours(meta, rule):
    assert rule_of(meta) == rule


@pytest.mark.parametrize(
    "meta",
    [
        {},
        {"rule": "sequential-phragmen"},
        {"rule": "greedy-custom", "leftover_budget": "Toss a coin"},
    ],
)
def test_rule_of_refuses_other_rules(meta):
    with pytest.raises(PbError):
        rule_of(meta)
