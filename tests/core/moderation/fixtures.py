"""Fixtures for moderation and merge tests (imported by their conftest and test modules).

Ideas come from the ``create_idea`` factory of ``tests/conftest.py``.
"""

import pytest
import sqlalchemy as sa
from participatie.extensions import db


@pytest.fixture
def people(areas, create_user, grant):
    """A resident, an author, a facilitator of the wijk, one of another wijk, an administrator."""
    names = ("resident", "author", "facilitator", "other_facilitator", "administrator")
    users = {
        name: create_user(email=f"{name}@example.org", display_name=name.title()) for name in names
    }
    grant(users["facilitator"], "facilitator", "WK015306")
    grant(users["other_facilitator"], "facilitator", "WK015300")
    grant(users["administrator"], "administrator")
    return users


@pytest.fixture
def create_comment(app):
    """Factory: ``create_comment(idea_id, author, text=...)`` -> comment id."""
    from participatie.builtin.comments.models import Comment

    def create(idea_id, author, text="Dit is een onaardige reactie.", **fields):
        with app.app_context():
            comment = Comment(idea_id=idea_id, author_id=author.id, text=text, **fields)
            db.session.add(comment)
            db.session.commit()
            return comment.id

    return create


def rows(app, model, *conditions):
    with app.app_context():
        found = list(db.session.scalars(sa.select(model).where(*conditions)))
        for row in found:
            db.session.expunge(row)
        return found
