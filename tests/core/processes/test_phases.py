from datetime import datetime
from datetime import timedelta
from datetime import UTC

import pytest
from participatie.core.processes.models import Phase
from participatie.core.processes.models import Process
from participatie.core.processes.models import ProcessPlugin
from participatie.core.processes.phases import action_open
from participatie.core.processes.phases import answer_deadline
from participatie.core.processes.phases import close_current_phase
from participatie.core.processes.phases import current_phase

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def process():
    return Process(
        status="published",
        answer_within_days=30,
        phases=[
            Phase(name="Ophalen", starts_at=T0, ends_at=T0 + 10 * DAY, allows_submit=True),
            Phase(name="Stemmen", starts_at=T0 + 10 * DAY, ends_at=T0 + 20 * DAY, allows_vote=True),
            Phase(name="Besluiten", starts_at=T0 + 25 * DAY, ends_at=T0 + 30 * DAY),
        ],
    )


def test_a_phase_includes_its_start_and_excludes_its_end(process):
    assert current_phase(process, T0).name == "Ophalen"
    assert current_phase(process, T0 + 10 * DAY - timedelta(seconds=1)).name == "Ophalen"
    assert current_phase(process, T0 + 10 * DAY).name == "Stemmen"


def test_no_phase_is_current_between_or_outside_phases(process):
    assert current_phase(process, T0 - timedelta(seconds=1)) is None
    assert current_phase(process, T0 + 22 * DAY) is None
    assert current_phase(process, T0 + 30 * DAY) is None


def test_actions_follow_the_current_phase(rules, process):
    assert action_open(process, "submit", T0 + DAY)
    assert not action_open(process, "vote", T0 + DAY)
    assert action_open(process, "vote", T0 + 11 * DAY)
    assert not action_open(process, "submit", T0 + 11 * DAY)
    assert not action_open(process, "vote", T0 + 22 * DAY)  # between phases


def test_nothing_is_allowed_in_a_draft_or_closed_process(rules, process):
    for status in ("draft", "closed"):
        process.status = status
        assert not action_open(process, "submit", T0 + DAY)


def test_an_action_is_closed_while_its_plugin_is_off(rules, process):
    process.plugin_settings = [ProcessPlugin(name="votes", enabled=False)]
    assert not action_open(process, "vote", T0 + 11 * DAY)
    assert action_open(process, "submit", T0 + DAY)


def test_closing_the_current_phase_ends_it_now_and_starts_the_next_now(process):
    now = T0 + 3 * DAY
    following = close_current_phase(process, now)
    assert following.name == "Stemmen"
    assert process.phases[0].ends_at == now
    assert process.phases[1].starts_at == now
    assert process.phases[1].ends_at == T0 + 20 * DAY
    assert current_phase(process, now).name == "Stemmen"


def test_closing_the_last_phase_leaves_no_current_phase(process):
    now = T0 + 26 * DAY
    assert close_current_phase(process, now) is None
    assert process.phases[2].ends_at == now
    assert current_phase(process, now) is None


def test_closing_when_no_phase_is_current_changes_nothing(process):
    before = [(p.starts_at, p.ends_at) for p in process.phases]
    assert close_current_phase(process, T0 + 22 * DAY) is None
    assert [(p.starts_at, p.ends_at) for p in process.phases] == before


def test_deadline_counts_from_the_end_of_the_submit_phase(process):
    assert answer_deadline(process, T0 + 2 * DAY) == T0 + 10 * DAY + 30 * DAY


def test_deadline_counts_from_creation_outside_a_submit_phase(process):
    created = T0 + 12 * DAY
    assert answer_deadline(process, created) == created + 30 * DAY


def test_deadline_follows_a_phase_closed_early(process):
    now = T0 + 4 * DAY
    close_current_phase(process, now)
    assert answer_deadline(process, T0 + DAY) == now + 30 * DAY


def test_no_deadline_without_a_promise(process):
    process.answer_within_days = None
    assert answer_deadline(process, T0) is None
