import pytest
from participatie.builtin.feedback.rules import ANSWERS
from participatie.builtin.feedback.rules import check_answer
from participatie.builtin.feedback.rules import NEXT


def fields(problems):
    return {problem.field for problem in problems}


def check(
    current, status, explanation="Uitleg", kind=None, limit=None, text="", limits=frozenset({7})
):
    return fields(check_answer(current, status, explanation, kind, limit, text, set(limits)))


@pytest.mark.parametrize("status", ["under-consideration", *ANSWERS])
def test_a_submitted_idea_can_be_considered_or_answered(app_ctx, status):
    kind = "other-interests" if status in ("not-adopted", "partly-adopted") else None
    assert check("submitted", status, kind=kind) == set()


@pytest.mark.parametrize(
    ("current", "status"),
    [
        ("submitted", "in-execution"),
        ("submitted", "done"),
        ("under-consideration", "done"),
        ("not-adopted", "in-execution"),
        ("in-execution", "adopted"),
        ("done", "submitted"),
    ],
)
def test_steps_out_of_order_are_refused(app_ctx, current, status):
    assert "status" in check(current, status)


def test_execution_follows_an_answer_and_done_closes_the_loop(app_ctx):
    assert check("adopted", "in-execution") == set()
    assert check("in-execution", "done") == set()
    assert NEXT["done"] == ("in-execution",)


def test_every_change_needs_a_public_explanation(app_ctx):
    assert check("submitted", "under-consideration", explanation="  ") == {"explanation"}


@pytest.mark.parametrize("status", ["not-adopted", "partly-adopted"])
def test_not_or_partly_adopted_needs_a_reason(app_ctx, status):
    assert check("submitted", status) == {"reason_kind"}
    assert check("submitted", status, kind="fixed-limit", limit=None) == {"fixed_limit"}
    assert check("submitted", status, kind="fixed-limit", limit=99) == {"fixed_limit"}
    assert check("submitted", status, kind="fixed-limit", limit=7) == set()
    assert check("submitted", status, kind="other") == {"reason_text"}
    assert check("submitted", status, kind="other", text="Te duur onderhoud") == set()
    assert check("submitted", status, kind="other-interests") == set()


def test_adopted_needs_no_reason(app_ctx):
    assert check("submitted", "adopted") == set()
