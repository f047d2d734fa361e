"""One test per rule of the framing check."""

from datetime import timedelta

import pytest
from participatie.core.areas.models import Area
from participatie.core.processes.framing import check_framing
from participatie.core.processes.models import FixedLimit
from participatie.core.processes.models import OpenQuestion
from participatie.core.processes.models import Phase
from participatie.core.processes.models import Reason
from participatie.extensions import utcnow

from tests.conftest import complete_process


@pytest.fixture
def process(rules):
    return complete_process(Area(code="WK015306", name="Wijk 06 Enschede-Zuid", level="wijk"))


def blocking(process):
    return {finding.code for finding in check_framing(process).blocking}


def advice(process):
    return {finding.code for finding in check_framing(process).advice}


def test_complete_framing_passes(process):
    result = check_framing(process)
    assert result.ok
    assert result.blocking == []


def test_findings_have_code_message_and_field(process):
    process.decision_maker = ""
    [finding] = check_framing(process).blocking
    assert finding.code == "no-decision-maker"
    assert finding.field == "decision_maker"
    assert str(finding.message) == "Noem wie het laatste besluit neemt."


def test_no_reason_blocks(process):
    process.reasons = []
    assert blocking(process) == {"no-reason"}


def test_reason_without_sentence_blocks(process):
    process.reasons = [Reason(kind="support", text="   ")]
    assert "reason-without-text" in blocking(process)


def test_no_level_blocks(process):
    process.level = None
    assert "no-level" in blocking(process)


def test_no_decision_maker_blocks(process):
    process.decision_maker = " "
    assert blocking(process) == {"no-decision-maker"}


def test_no_horizontal_limits_blocks(process):
    process.horizontal_limits = ""
    assert blocking(process) == {"no-horizontal-limits"}


def test_no_integrality_blocks(process):
    process.integrality = None
    assert blocking(process) == {"no-integrality"}


def test_no_execution_owner_blocks(process):
    process.execution_owner = ""
    assert blocking(process) == {"no-execution-owner"}


def test_no_participation_end_blocks(process):
    process.participation_ends = None
    assert blocking(process) == {"no-participation-end"}


def test_no_answer_promise_blocks(process):
    process.answer_within_days = None
    assert blocking(process) == {"no-answer-promise"}


def test_answer_promise_over_ninety_days_blocks(process):
    process.answer_within_days = 91
    assert blocking(process) == {"answer-promise-too-long"}
    process.answer_within_days = 90
    assert blocking(process) == set()


def test_no_fixed_limit_blocks(process):
    process.fixed_limits = []
    assert blocking(process) == {"no-fixed-limit"}


def test_no_open_question_blocks_except_for_inform(process):
    process.open_questions = []
    assert blocking(process) == {"no-open-question"}
    process.level = "inform"
    process.phases[0].allows_vote = False
    assert blocking(process) == set()


@pytest.mark.parametrize("level", ["co-create", "co-decide"])
def test_high_rungs_need_two_open_questions(process, level):
    process.level = level
    process.open_questions = [OpenQuestion(text="Alleen deze vraag")]
    assert "too-few-open-questions" in blocking(process)


def test_vote_phase_in_inform_process_blocks(process):
    process.level = "inform"
    assert "vote-in-inform" in blocking(process)


def test_non_inform_process_needs_a_submit_or_comment_phase(process):
    for phase in process.phases:
        phase.allows_submit = phase.allows_comment = False
    assert "no-input-phase" in blocking(process)


def test_phase_ending_before_it_starts_blocks(process):
    first = process.phases[0]
    first.ends_at = first.starts_at - timedelta(hours=1)
    assert "phase-order" in blocking(process)


def test_overlapping_phases_block(process):
    process.phases[1].starts_at = process.phases[0].ends_at - timedelta(hours=1)
    assert "phase-overlap" in blocking(process)


def test_phases_out_of_order_block(process):
    process.phases = list(reversed(process.phases))
    assert "phase-overlap" in blocking(process)


def test_more_limits_than_questions_at_high_rung_advises_consult(process):
    process.level = "co-create"
    process.fixed_limits = [FixedLimit(title=f"Kader {n}", source="Raadsbesluit") for n in range(3)]
    assert "consider-consult" in advice(process)
    assert check_framing(process).ok


def test_support_alone_at_high_rung_is_advised_against(process):
    process.level = "co-decide"
    process.reasons = [Reason(kind="support", text="Draagvlak voor het plan.")]
    assert "support-alone-at-high-rung" in advice(process)


def test_knowledge_alone_at_co_decide_is_advised_against(process):
    process.level = "co-decide"
    process.reasons = [Reason(kind="knowledge", text="Kennis ophalen.")]
    assert "knowledge-alone-at-co-decide" in advice(process)
    process.level = "co-create"
    assert "knowledge-alone-at-co-decide" not in advice(process)


def test_policy_integrality_reminds_of_execution_and_names_who_executes(process):
    process.integrality = "policy"
    [finding] = [f for f in check_framing(process).advice if f.code == "policy-integrality"]
    assert "Team Openbare Ruimte" in str(finding.message)


def test_answer_promise_over_sixty_days_is_advised_against(process):
    process.answer_within_days = 61
    assert "answer-promise-long" in advice(process)
    assert check_framing(process).ok
    process.answer_within_days = 60
    assert "answer-promise-long" not in advice(process)


def test_an_empty_draft_lists_every_missing_part(rules):
    from participatie.core.processes.models import Process

    draft = Process(area=Area(code="GM0153", name="Enschede", level="gemeente"))
    draft.reasons, draft.fixed_limits, draft.open_questions, draft.phases = [], [], [], []
    codes = blocking(draft)
    assert {
        "no-reason",
        "no-level",
        "no-decision-maker",
        "no-horizontal-limits",
        "no-integrality",
        "no-execution-owner",
        "no-participation-end",
        "no-answer-promise",
        "no-fixed-limit",
    } <= codes


def test_phases_touching_end_to_start_are_fine(process):
    now = utcnow()
    process.phases = [
        Phase(name="A", starts_at=now, ends_at=now + timedelta(days=1), allows_submit=True),
        Phase(name="B", starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=2)),
    ]
    assert check_framing(process).ok
