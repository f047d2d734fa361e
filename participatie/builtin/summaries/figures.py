"""The figures of a process summary, computed with SQL aggregates.

What counts (ideas, participants, rates, answer states) is defined in
``counting.py``, shared with the area overview. The number of statements does
not grow with the number of ideas, comments or votes.

``summary`` keeps the figures in the shared cache (``participatie.caching``):
they are the same for every visitor and in every language, plain data without
database objects, renewed by the events ``invalidation.py`` lists and when an
unanswered idea falls due.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa

from participatie.builtin.comments.models import Comment
from participatie.builtin.feedback.models import Answer
from participatie.builtin.feedback.models import Milestone
from participatie.builtin.feedback.models import REASON_KINDS
from participatie.builtin.ideas.models import Idea
from participatie.builtin.ideas.models import STATUSES
from participatie.builtin.summaries.counting import answer_state_counts
from participatie.builtin.summaries.counting import counted
from participatie.builtin.summaries.counting import first_answers
from participatie.builtin.summaries.counting import next_due
from participatie.builtin.summaries.counting import rate
from participatie.builtin.summaries.counting import share
from participatie.builtin.summaries.counting import shown
from participatie.builtin.summaries.verified import participation
from participatie.builtin.votes.models import Vote
from participatie.caching import remember
from participatie.caching import shape
from participatie.core.areas.models import Area
from participatie.core.processes.models import Theme
from participatie.extensions import db
from participatie.extensions import utcnow

#: The area figure keys holding the number of inhabitants per age band
#: (import them with ``flask areas import-indicators``).
AGE_FIGURE_KEYS = {
    "0-14": "age_0_14",
    "15-24": "age_15_24",
    "25-44": "age_25_44",
    "45-64": "age_45_64",
    "65+": "age_65_plus",
}


@dataclass(frozen=True)
class AreaRef:
    """What the summary shows of an area, without the database object (it is cached)."""

    code: str
    display_name: str
    population: int | None

    @classmethod
    def of(cls, area: Area) -> "AreaRef":
        return cls(area.code, area.display_name, area.population)


class MilestoneRow(NamedTuple):
    title: str
    date: date
    done: bool


@dataclass
class Row:
    """One row of the representativeness table."""

    area: AreaRef
    participants: int | None
    population: int | None

    @property
    def per_1000(self) -> float | None:
        return rate(self.participants, self.population)


@dataclass
class AgeRow:
    band: str
    participants: int | None
    inhabitants: int | None
    participants_share: float | None = None
    inhabitants_share: float | None = None


@dataclass
class PhaseRow:
    name: str
    ideas: int = 0
    comments: int = 0
    votes: int = 0


@dataclass
class Summary:
    """Every figure of a process's summary; ``api()`` gives the contract's fields."""

    participants: int
    ideas: int
    ideas_offline: int
    comments: int
    votes: int
    representativeness: list[Row]
    ages: list[AgeRow]
    ages_known: bool
    phases: list[PhaseRow]
    by_status: dict[str, int]
    by_reason: dict[str, int]
    by_fixed_limit: dict[int, int]
    by_theme: list[tuple[str, int]]
    by_buurt: list[tuple[str, int]]
    answers_on_time: int
    answers_late: int
    answers_overdue: int
    answers_open: int
    #: (milestone, idea title) for the milestones of adopted ideas.
    milestones: list[tuple[MilestoneRow, str]] = field(default_factory=list)
    #: Participants and budget voters per way of verification (``verified.py``).
    verified: dict = field(default_factory=dict)
    #: When the first unanswered idea falls due (overdue changes by itself then).
    changes_at: datetime | None = None

    @property
    def answered(self) -> int:
        return self.answers_on_time + self.answers_late

    def api(self) -> dict:
        return {
            "participants": self.participants,
            "ideas": self.ideas,
            "ideas_offline": self.ideas_offline,
            "comments": self.comments,
            "votes": self.votes,
            "representativeness": [
                {
                    "area_code": row.area.code,
                    "participants": row.participants,
                    "population": row.population,
                    "per_1000": row.per_1000,
                }
                for row in self.representativeness
            ],
            "by_status": self.by_status,
            "by_reason": self.by_reason,
            "answers_on_time": self.answers_on_time,
            "answers_late": self.answers_late,
            "answers_overdue": self.answers_overdue,
            "answers_open": self.answers_open,
        }


def empty_api() -> dict:
    """The summary of a process whose summaries plugin is off: zero counts, empty lists."""
    return {
        "participants": 0,
        "ideas": 0,
        "ideas_offline": 0,
        "comments": 0,
        "votes": 0,
        "representativeness": [],
        "by_status": {},
        "by_reason": {},
        "answers_on_time": 0,
        "answers_late": 0,
        "answers_overdue": 0,
        "answers_open": 0,
    }


def representativeness(process, participants: int, per_child: dict[int, int]) -> list[Row]:
    """The process's area (all participants), then each direct child area by stated buurt."""
    area = process.area
    rows = [Row(AreaRef.of(area), shown(participants), area.population)]
    children = db.session.scalars(
        sa.select(Area).where(Area.parent_id == area.id).order_by(Area.code)
    ).all()
    rows += [
        Row(AreaRef.of(child), shown(per_child.get(child.id, 0)), child.population)
        for child in children
    ]
    return rows


def ages(process, stated: dict[str, int]) -> tuple[list[AgeRow], bool]:
    """Participants by stated age band next to the area's inhabitants per band.

    The second value says whether the area's data has the age distribution.
    """
    figures = {figure.key: figure.number for figure in process.area.figures}
    rows = [
        AgeRow(
            band,
            shown(stated.get(band, 0)),
            int(figures[key]) if key in figures else None,
        )
        for band, key in AGE_FIGURE_KEYS.items()
    ]
    known = all(row.inhabitants is not None for row in rows)
    shown_total = sum(row.participants or 0 for row in rows)
    inhabitants_total = sum(row.inhabitants or 0 for row in rows)
    for row in rows:
        row.participants_share = share(row.participants, shown_total)
        row.inhabitants_share = share(row.inhabitants, inhabitants_total) if known else None
    return rows, known


def over_phases(process) -> tuple[list[PhaseRow], dict[str, int]]:
    """Ideas, comments and supports made in each phase (and before or between phases).

    Also gives the totals of each kind: the sum over the phases and outside
    them is every counted idea, comment and support, so the summary needs no
    second pass over the comments and supports to count them.
    """
    phases = list(process.phases)
    rows = [PhaseRow(phase.name) for phase in phases]
    outside = PhaseRow("")

    def bucket(column):
        whens = [
            (sa.and_(column >= phase.starts_at, column < phase.ends_at), index)
            for index, phase in enumerate(phases)
        ]
        return sa.case(*whens, else_=-1) if whens else sa.literal(-1)

    kinds = {
        "ideas": sa.select(bucket(Idea.created_at), sa.func.count()).where(counted(process.id)),
        "comments": sa.select(bucket(Comment.created_at), sa.func.count())
        .join(Idea, Idea.id == Comment.idea_id)
        .where(counted(process.id), Comment.deleted_at.is_(None), Comment.hidden_at.is_(None)),
        "votes": sa.select(bucket(Vote.created_at), sa.func.count()).where(
            Vote.process_id == process.id
        ),
    }
    totals = dict.fromkeys(kinds, 0)
    for kind, query in kinds.items():
        for index, count in db.session.execute(query.group_by(sa.literal_column("1"))).all():
            row = rows[index] if 0 <= index < len(rows) else outside
            setattr(row, kind, getattr(row, kind) + count)
            totals[kind] += count
    if outside.ideas or outside.comments or outside.votes:
        rows.append(outside)
    return rows, totals


def answer_states(process) -> dict:
    """Counted ideas answered on time, late, overdue, or still open (docs/api.md).

    ``changes-at`` is when the first open idea falls due, or None.
    """
    first = first_answers([process.id])
    now = utcnow()
    on_time, late, overdue, total, changes_at = db.session.execute(
        sa.select(
            *answer_state_counts(first.c.answered_at, now), next_due(first.c.answered_at, now)
        )
        .select_from(Idea)
        .outerjoin(first, first.c.idea_id == Idea.id)
        .where(counted(process.id))
    ).one()
    return {
        "on-time": on_time,
        "late": late,
        "overdue": overdue,
        "open": total - on_time - late - overdue,
        "changes-at": changes_at,
    }


#: The cache keys' kind: its name and the shape of what is kept.
KIND = "summary-" + shape(Summary, Row, AreaRef, AgeRow, PhaseRow, MilestoneRow)


def summary(process) -> Summary:
    """Every figure of the summary of ``process``, kept in the shared cache (see the top)."""
    return remember(KIND, [process.id], lambda: compute(process), lambda data: data.changes_at)


def compute(process) -> Summary:
    """Every figure of the summary of ``process``, as the page, the API and the PDF show them."""
    visible = counted(process.id)
    people = participation(process)
    participants, per_child, per_band = people.participants, people.per_child, people.per_band
    ideas, offline = db.session.execute(
        sa.select(sa.func.count(), sa.func.count().filter(Idea.offline.is_(True))).where(visible)
    ).one()
    phases, totals = over_phases(process)
    comments, votes = totals["comments"], totals["votes"]
    by_status = dict.fromkeys(STATUSES, 0)
    by_status.update(
        db.session.execute(
            sa.select(Idea.status, sa.func.count()).where(visible).group_by(Idea.status)
        ).all()
    )
    # The reason of each idea's latest answer: what stands now.
    latest = (
        sa.select(sa.func.max(Answer.id).label("answer_id"))
        .join(Idea, Idea.id == Answer.idea_id)
        .where(visible)
        .group_by(Answer.idea_id)
        .subquery()
    )
    by_reason = dict.fromkeys(REASON_KINDS, 0)
    by_limit: dict[int, int] = {}
    for kind, limit_id, count in db.session.execute(
        sa.select(Answer.reason_kind, Answer.fixed_limit_id, sa.func.count())
        .join(latest, latest.c.answer_id == Answer.id)
        .where(Answer.reason_kind.is_not(None))
        .group_by(Answer.reason_kind, Answer.fixed_limit_id)
    ):
        by_reason[kind] = by_reason.get(kind, 0) + count
        if limit_id is not None:
            by_limit[limit_id] = by_limit.get(limit_id, 0) + count
    by_theme = db.session.execute(
        sa.select(Theme.name, sa.func.count())
        .select_from(Idea)
        .outerjoin(Theme, Theme.id == Idea.theme_id)
        .where(visible)
        .group_by(Theme.name)
        .order_by(sa.func.count().desc(), sa.nulls_last(Theme.name))
    ).all()
    by_buurt = db.session.execute(
        sa.select(Area.name, sa.func.count())
        .select_from(Idea)
        .outerjoin(Area, Area.id == Idea.buurt_id)
        .where(visible)
        .group_by(Area.name)
        .order_by(sa.func.count().desc(), sa.nulls_last(Area.name))
    ).all()
    age_rows, ages_known = ages(process, per_band)
    states = answer_states(process)
    return Summary(
        participants=participants,
        ideas=ideas,
        ideas_offline=offline,
        comments=comments,
        votes=votes,
        representativeness=representativeness(process, participants, per_child),
        ages=age_rows,
        ages_known=ages_known,
        phases=phases,
        by_status=by_status,
        by_reason=by_reason,
        by_fixed_limit=by_limit,
        by_theme=[(name or "", count) for name, count in by_theme],
        by_buurt=[(name or "", count) for name, count in by_buurt],
        answers_on_time=states["on-time"],
        answers_late=states["late"],
        answers_overdue=states["overdue"],
        answers_open=states["open"],
        milestones=milestones(process),
        verified=people.ways,
        changes_at=states["changes-at"],
    )


def milestones(process) -> list[tuple[MilestoneRow, str]]:
    """The milestones of adopted ideas, by date, with the idea's title."""
    return [
        (MilestoneRow(title, when, done), idea_title)
        for title, when, done, idea_title in db.session.execute(
            sa.select(Milestone.title, Milestone.date, Milestone.done, Idea.title)
            .join(Idea, Idea.id == Milestone.idea_id)
            .where(counted(process.id))
            .order_by(Milestone.date, Milestone.id)
        )
    ]


def most_supported(process, limit=5) -> list[Idea]:
    return db.session.scalars(
        sa.select(Idea)
        .where(counted(process.id))
        .order_by(Idea.supports.desc(), Idea.id)
        .limit(limit)
    ).all()


def strongest_arguments(process, stance: str, limit=3):
    """Arguments for or against (``stance``), those on the most supported ideas first."""
    return db.session.execute(
        sa.select(Comment, Idea.title)
        .join(Idea, Idea.id == Comment.idea_id)
        .where(
            counted(process.id),
            Comment.stance == stance,
            Comment.deleted_at.is_(None),
            Comment.hidden_at.is_(None),
        )
        .order_by(Idea.supports.desc(), Comment.created_at, Comment.id)
        .limit(limit)
    ).all()
