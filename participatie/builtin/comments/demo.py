"""Example comments, with arguments for and against, on the demo ideas."""

from datetime import timedelta

import sqlalchemy as sa

from participatie.builtin.comments.models import Comment
from participatie.builtin.ideas.demo import residents
from participatie.builtin.ideas.models import Idea
from participatie.extensions import db

COMMENTS = [
    ("for", "Goed idee! Dit maakt de buurt prettiger voor iedereen."),
    ("against", "Ik twijfel: wie gaat dit onderhouden?"),
    (None, "Misschien kunnen we dit combineren met een ander idee?"),
]


def load_demo(processes) -> None:
    people = residents()
    for process in processes:
        ideas = db.session.scalars(
            sa.select(Idea)
            .where(Idea.process_id == process.id, Idea.offline.is_(False))
            .order_by(Idea.id)
        ).all()
        for index, idea in enumerate(ideas[:4]):
            first = None
            for number, (stance, text) in enumerate(COMMENTS[: 3 - index % 2]):
                comment = Comment(
                    idea_id=idea.id,
                    author_id=people[(index + number + 3) % len(people)].id,
                    text=text,
                    stance=stance,
                    created_at=idea.created_at + timedelta(hours=number + 1),
                )
                db.session.add(comment)
                db.session.flush()
                first = first or comment
            db.session.add(
                Comment(
                    idea_id=idea.id,
                    author_id=idea.author_id,
                    parent_id=first.id,
                    text="Dank je, daar heb ik ook over nagedacht.",
                    created_at=idea.created_at + timedelta(hours=6),
                )
            )
    db.session.flush()
