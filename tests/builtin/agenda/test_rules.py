"""The rules of the area cycle as plain functions: coupling chances, status changes, idea → work."""

from datetime import date
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from participatie.builtin.agenda import service
from participatie.builtin.agenda.forms import parse_indicators
from participatie.builtin.agenda.models import Work
from participatie.builtin.budgets.models import BudgetVote
from participatie.builtin.budgets.models import Project
from participatie.builtin.budgets.models import ProjectIdea
from participatie.builtin.ideas.models import Idea
from participatie.core.areas.models import Area
from participatie.extensions import db
from wtforms import ValidationError


def work(start, end, buurten=("BU1",), owner=None, task=None, status="planned", id=1):
    return SimpleNamespace(
        id=id,
        starts_on=date(*start, 1),
        ends_on=date(*end, 1),
        buurt_codes=list(buurten),
        buurten=[SimpleNamespace(code=code) for code in buurten],
        owner_id=owner,
        task_id=task,
        status=status,
    )


def test_months_between_counts_whole_months_and_overlaps_negatively():
    march_may = (date(2026, 3, 1), date(2026, 5, 1))
    assert service.months_between(march_may, (date(2026, 6, 1), date(2026, 7, 1))) == 0
    assert service.months_between(march_may, (date(2026, 9, 1), date(2026, 9, 1))) == 3
    assert service.months_between(march_may, (date(2026, 5, 1), date(2026, 8, 1))) == -1
    assert service.months_between(march_may, (date(2025, 1, 1), date(2026, 12, 1))) == -3
    # The same, the other way round.
    assert service.months_between((date(2026, 9, 1), date(2026, 9, 1)), march_may) == 3


@pytest.mark.parametrize(
    ("later_start", "chance"),
    [
        ((2027, 2), True),  # 12 whole months after March 2026 ends: at the edge, still a chance
        ((2027, 3), False),  # 13 months apart: beyond the gap
        ((2026, 4), True),  # right after
        ((2026, 2), True),  # overlapping
    ],
)
def test_coupling_chance_at_the_edges_of_the_gap(later_start, chance):
    first = work((2026, 1), (2026, 1), owner=None, id=1)
    second = work(later_start, later_start, owner=7, id=2)
    assert service.is_chance(first, second, gap=12) is chance
    assert service.is_chance(second, first, gap=12) is chance


def test_a_configurable_gap():
    first = work((2026, 1), (2026, 1), owner=None)
    second = work((2026, 5), (2026, 6), owner=7)
    assert service.is_chance(first, second, gap=3)
    assert not service.is_chance(first, second, gap=2)


def test_same_owner_and_same_task_is_no_chance_but_a_different_task_is():
    same = work((2026, 1), (2026, 6), owner=3, task=1), work((2026, 2), (2026, 3), owner=3, task=1)
    assert not service.is_chance(*same, gap=12)
    other_task = (
        work((2026, 1), (2026, 6), owner=3, task=1),
        work((2026, 2), (2026, 3), owner=3, task=2),
    )
    assert service.is_chance(*other_task, gap=12)


def test_no_shared_buurt_or_a_cancelled_work_is_no_chance():
    assert not service.is_chance(
        work((2026, 1), (2026, 6), ("BU1",)), work((2026, 1), (2026, 6), ("BU2",), owner=2), 12
    )
    assert not service.is_chance(
        work((2026, 1), (2026, 6)), work((2026, 1), (2026, 6), owner=2, status="cancelled"), 12
    )


def test_coupling_chances_lists_each_pair_once_with_overlap_gap_and_shared_buurten():
    a = work((2026, 3), (2026, 9), ("BU1", "BU2"), owner=None, id=1)
    b = work((2026, 6), (2026, 12), ("BU2", "BU3"), owner=5, id=2)
    c = work((2028, 2), (2028, 3), ("BU2",), owner=6, id=3)
    [chance] = service.coupling_chances([b, c, a], gap=12)
    assert chance.key == (1, 2)
    assert [buurt.code for buurt in chance.buurten] == ["BU2"]
    assert (chance.overlap, chance.gap) == (4, 0)
    assert chance.different_owners and not chance.different_tasks
    [later] = service.coupling_chances([b, c], gap=24)
    assert (later.overlap, later.gap) == (0, 13)


def test_late_is_unfinished_after_its_end_month():
    today = date(2026, 10, 15)
    assert service.is_late(work((2026, 1), (2026, 9), status="in-execution"), today)
    assert not service.is_late(work((2026, 1), (2026, 10), status="planned"), today)
    assert not service.is_late(work((2026, 1), (2026, 9), status="done"), today)
    assert not service.is_late(work((2026, 1), (2026, 9), status="cancelled"), today)
    assert not service.is_late(work((2026, 1), (2026, 9), status="postponed"), today)


def test_parse_month():
    assert service.parse_month("2026-03") == date(2026, 3, 1)
    assert service.parse_month("2026-13") is None
    assert service.parse_month("maart") is None
    assert service.parse_month("2026-3") is None


def test_indicator_lines_are_read_and_checked():
    assert parse_indicators("population; 29000; 30000; 2024\n\nhousing_stock;;14800") == [
        ("population", 29000, 30000, 2024),
        ("housing_stock", None, 14800, None),
    ]
    with pytest.raises(ValidationError):
        parse_indicators("population; veel")
    with pytest.raises(ValidationError):
        parse_indicators("population; 1; 2; 20x4")


@pytest.fixture
def stored_work(app, areas):
    with app.app_context():
        wijk = db.session.scalar(sa.select(Area).where(Area.code == "WK015306"))
        item = Work(
            area=wijk,
            year=2026,
            title="Riool",
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 6, 1),
        )
        db.session.add(item)
        db.session.commit()
        return item.id


def test_a_status_change_needs_an_explanation_and_is_kept(app, stored_work):
    with app.app_context():
        item = db.session.get(Work, stored_work)
        with pytest.raises(service.Refused):
            service.change_status(item, "in-execution", "   ")
        with pytest.raises(service.Refused):
            service.change_status(item, "planned", "Nog steeds gepland")
        with pytest.raises(service.Refused):
            service.change_status(item, "finished", "Klaar")
        service.change_status(item, "in-execution", "De aannemer is begonnen.")
        service.change_status(item, "postponed", "Wacht op de vergunning.")
        db.session.commit()
        item = db.session.get(Work, stored_work)
        assert item.status == "postponed"
        assert item.status_explanation == "Wacht op de vergunning."
        assert [(c.old_status, c.new_status) for c in item.changes] == [
            ("planned", "in-execution"),
            ("in-execution", "postponed"),
        ]


def test_only_an_adopted_idea_becomes_a_work_and_only_once(app, create_process, create_idea):
    process = create_process(status="published")
    idea_id = create_idea(process, title="Bankje bij de school")
    with app.app_context():
        idea = db.session.get(Idea, idea_id)
        with pytest.raises(service.Refused):
            service.work_from_idea(idea)
        idea.status = "adopted"
        idea.buurt = db.session.scalar(sa.select(Area).where(Area.code == "BU01530600"))
        made = service.work_from_idea(idea, today=date(2026, 4, 10))
        db.session.commit()
        assert (made.title, made.status, made.year) == ("Bankje bij de school", "planned", 2026)
        assert (made.starts_on, made.ends_on) == (date(2026, 4, 1), date(2026, 12, 1))
        assert made.buurt_codes == ["BU01530600"]
        assert (made.source_process_id, made.source_idea_id) == (process.id, idea_id)
        assert service.work_of_idea(idea_id).id == made.id
        with pytest.raises(service.Refused):
            service.work_from_idea(idea)


def test_a_chosen_budget_project_becomes_a_work_that_its_ideas_show(
    app, create_process, create_idea
):
    process = create_process(status="published")
    idea_id = create_idea(process, title="Moestuin")
    with app.app_context():
        vote = BudgetVote(process_id=process.id, budget=10_000)
        project = Project(vote=vote, title="Moestuin", cost=4_000, buurt_codes="BU01530600")
        project.sources = [ProjectIdea(idea_id=idea_id)]
        db.session.add_all([vote, project])
        db.session.flush()
        with pytest.raises(service.Refused):
            service.work_from_project(project)
        project.selected, project.funded = True, 4_000
        made = service.work_from_project(project)
        db.session.commit()
        assert (made.budget, made.source_project_id, made.source_idea_id) == (
            4_000,
            project.id,
            idea_id,
        )
        assert made.buurt_codes == ["BU01530600"]
        assert service.work_of_idea(idea_id).id == made.id
        # A project the decision-maker did not carry out despite the vote is no work.
        other = Project(vote=vote, title="Bank", cost=1_000, selected=True, decided=False)
        db.session.add(other)
        db.session.flush()
        with pytest.raises(service.Refused):
            service.work_from_project(other)
