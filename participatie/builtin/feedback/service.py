"""Answering ideas, alone or many at once, in one transaction; deadlines and what is overdue."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask import has_request_context
from flask_login import current_user

from participatie.builtin.feedback.models import Answer
from participatie.builtin.feedback.rules import ANSWERS
from participatie.builtin.feedback.rules import check_answer
from participatie.builtin.feedback.rules import NEEDS_REASON
from participatie.builtin.ideas.models import Idea
from participatie.caching import remember
from participatie.caching import shape
from participatie.caching import track
from participatie.core import audit
from participatie.core.mail.sending import external_url
from participatie.core.notifications.service import followers
from participatie.core.notifications.service import notify
from participatie.extensions import db
from participatie.extensions import utcnow


class AnswerRefused(Exception):
    """Raised with the problems of every idea when any answer of a batch is wrong."""

    def __init__(self, problems: dict):
        super().__init__("answers refused")
        self.problems = problems


@dataclass
class AnswerInput:
    idea: Idea
    status: str
    explanation: str
    reason_kind: str | None = None
    fixed_limit_id: int | None = None
    reason_text: str = ""


def answer(inputs: list[AnswerInput], by=None) -> list[Answer]:
    """Answer every idea in ``inputs``, or none: all are checked before any is written.

    Adds the answers, moves each idea's status, records the audit events, and
    notifies authors and followers, all in the current transaction. The caller
    commits.
    """
    if by is None and has_request_context() and current_user.is_authenticated:
        by = current_user._get_current_object()
    problems = {}
    for item in inputs:
        limits = {limit.id for limit in item.idea.process.fixed_limits}
        found = check_answer(
            item.idea.status,
            item.status,
            item.explanation,
            item.reason_kind,
            item.fixed_limit_id,
            item.reason_text,
            limits,
        )
        if found:
            problems[item.idea.id] = found
    if problems:
        raise AnswerRefused(problems)
    answers = []
    for item in inputs:
        reasoned = item.status in NEEDS_REASON
        row = Answer(
            idea_id=item.idea.id,
            status=item.status,
            explanation=item.explanation.strip(),
            reason_kind=item.reason_kind if reasoned else None,
            fixed_limit_id=item.fixed_limit_id
            if reasoned and item.reason_kind == "fixed-limit"
            else None,
            reason_text=(item.reason_text or "").strip()
            if reasoned and item.reason_kind == "other"
            else "",
            answered_by_id=getattr(by, "id", None),
            answered_at=utcnow(),
        )
        db.session.add(row)
        item.idea.status = item.status
        answers.append(row)
        audit.record(
            "idea.answer",
            item.idea,
            actor=by,
            status=item.status,
            reason=row.reason_kind,
            fixed_limit=row.fixed_limit_id,
        )
        _notify(item.idea, row)
    return answers


def _notify(idea: Idea, row: Answer) -> None:
    """The author hears of the answer; followers too while the idea is shown.

    The author's own mail may quote their idea whatever happened to it (they
    read it on their own page); a follower's is withheld should the idea be
    hidden, withdrawn or merged before it goes out (``mail.about``).
    """
    url = external_url("ideas.detail", idea_id=idea.id) if _has_idea_page() else ""
    recipients = [idea.author] if idea.author is not None else []
    if idea.is_visible:
        recipients += followers("idea", idea.id) + followers("process", idea.process_id)
    told = set()
    for user in recipients:
        if user.id in told:
            continue
        told.add(user.id)
        own = user.id == idea.author_id
        notify(
            user,
            "feedback/mail/idea_answered",
            about=None if own else f"idea:{idea.id}",
            idea=idea,
            answer=row,
            url=url,
            own=own,
        )


def _has_idea_page() -> bool:
    return "ideas.detail" in current_app.view_functions


def first_answers(idea_ids: list[int]) -> dict[int, datetime]:
    """When each idea was first answered (adopted, partly, not, already planned), in one query."""
    if not idea_ids:
        return {}
    rows = db.session.execute(
        sa.select(Answer.idea_id, sa.func.min(Answer.answered_at))
        .where(Answer.idea_id.in_(idea_ids), Answer.status.in_(ANSWERS))
        .group_by(Answer.idea_id)
    )
    return {idea_id: moment for idea_id, moment in rows}


@dataclass
class Deadline:
    idea: Idea
    due: datetime | None
    answered_at: datetime | None

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    def state(self, now: datetime) -> str:
        """on-time, late, overdue or open, as the API contract defines them."""
        if self.answered:
            return "on-time" if self.due is None or self.answered_at <= self.due else "late"
        if self.due is not None and now > self.due:
            return "overdue"
        return "open"


def deadlines(process) -> list[Deadline]:
    """Every counted idea of ``process`` with its deadline and first answer.

    Hidden, withdrawn and merged ideas are left out, as in the API's counts.
    """
    ideas = db.session.scalars(
        sa.select(Idea).where(
            Idea.process_id == process.id,
            Idea.is_visible,
        )
    ).all()
    return deadlines_for(list(ideas), process)


def deadlines_for(ideas: list[Idea], process) -> list[Deadline]:
    answered = first_answers([idea.id for idea in ideas])
    return [Deadline(idea, idea.answer_due_at, answered.get(idea.id)) for idea in ideas]


@dataclass
class TabCounts:
    total: int
    answered: int
    last_due: datetime | None


def tab_counts(process) -> TabCounts:
    """The counted ideas, how many are answered, and the last deadline still waiting.

    Kept in the shared cache per process (``caching.remember``): counting
    20,000 ideas in SQL is most of the process page's cost. Ideas and answers
    renew it (``track_counted``).
    """
    return remember(f"tab-counts:{shape(TabCounts)}", [process.id], lambda: _count_tab(process.id))


def track_counted() -> None:
    """Renew the kept counts when an idea or an answer of the process changes."""
    track(Idea, lambda idea, session: idea.process_id)
    track(Answer, _process_of_answer)


def _process_of_answer(answer, session):
    idea = session.get(Idea, answer.idea_id) if answer.idea_id else getattr(answer, "idea", None)
    return idea.process_id if idea is not None else None


def _count_tab(process_id: int) -> TabCounts:
    """The counts of ``tab_counts`` in SQL, one row whatever the number of ideas."""
    answered = (
        sa.exists().where(Answer.idea_id == Idea.id, Answer.status.in_(ANSWERS)).correlate(Idea)
    )
    # Whether each idea is answered, asked once per idea (not once per aggregate).
    ideas = (
        sa.select(Idea.answer_due_at.label("due"), answered.label("answered"))
        .where(Idea.process_id == process_id, Idea.is_visible)
        .subquery()
    )
    done_ = ideas.c.answered == sa.true()
    total, done, last_due = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count().filter(done_),
            sa.func.max(sa.case((~done_, ideas.c.due))),
        )
    ).one()
    if last_due is not None and last_due.tzinfo is None:
        last_due = last_due.replace(tzinfo=utcnow().tzinfo)
    return TabCounts(total or 0, done or 0, last_due)


def waiting_per_process(process_ids) -> dict[int, tuple[int, int]]:
    """process id -> (ideas without an answer, of which past their deadline), in one query."""
    if not process_ids:
        return {}
    answered = (
        sa.exists().where(Answer.idea_id == Idea.id, Answer.status.in_(ANSWERS)).correlate(Idea)
    )
    rows = db.session.execute(
        sa.select(
            Idea.process_id,
            sa.func.count(Idea.id).filter(~answered),
            sa.func.count(Idea.id).filter(~answered, Idea.answer_due_at < utcnow()),
        )
        .where(Idea.process_id.in_(list(process_ids)), Idea.is_visible)
        .group_by(Idea.process_id)
    )
    return {process_id: (waiting, overdue) for process_id, waiting, overdue in rows}


def unanswered_most_overdue_first(process) -> list[Deadline]:
    """The facilitator's to-do list: ideas without an answer, the most overdue first."""
    far = datetime.max.replace(tzinfo=utcnow().tzinfo)
    waiting = [d for d in deadlines(process) if not d.answered]
    return sorted(waiting, key=lambda d: (d.due or far, d.idea.id))
