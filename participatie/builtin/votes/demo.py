"""Example supports on the demo ideas, counted exactly as real votes are."""

import sqlalchemy as sa

from participatie.builtin.ideas.demo import IDEAS
from participatie.builtin.ideas.demo import residents
from participatie.builtin.ideas.models import Idea
from participatie.builtin.votes import service
from participatie.core.accounts.models import User
from participatie.extensions import db


def load_demo(processes) -> None:
    people = residents()
    resident = db.session.scalar(sa.select(User).where(User.email == "bewoner@example.org"))
    for process in processes:
        weights = {title: weight for title, _text, _theme, weight in IDEAS.get(process.slug, [])}
        ideas = db.session.scalars(sa.select(Idea).where(Idea.process_id == process.id)).all()
        for idea in ideas:
            for person in people[: weights.get(idea.title, 2)]:
                service.support(idea, person.id, bypass_maximum=True)
        if resident is not None and ideas:
            service.support(ideas[0], resident.id, bypass_maximum=True)
    db.session.flush()
