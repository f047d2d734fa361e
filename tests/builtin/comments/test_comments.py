from datetime import timedelta

import pytest
import sqlalchemy as sa
from participatie.builtin.comments.models import Comment
from participatie.core.processes.models import Process
from participatie.extensions import db
from participatie.extensions import utcnow

from tests.conftest import csrf_token
from tests.conftest import login
from tests.querycount import count_statements


@pytest.fixture
def thread(app, create_process, create_idea, create_user):
    saved = create_process(status="published")
    idea_id = create_idea(saved, title="Meer bomen")
    user = create_user(email="kees@example.org", display_name="Kees")
    client = app.test_client()
    login(client, user.email)
    return saved, idea_id, user, client


def comment(client, idea_id, **fields):
    data = {"text": "Goed plan", "stance": "", "parent": ""}
    data.update(fields)
    data["csrf_token"] = csrf_token(client, f"/ideeen/{idea_id}")
    return client.post(f"/ideeen/{idea_id}/reacties", data=data)


def comments(app):
    with app.app_context():
        return db.session.scalars(sa.select(Comment).order_by(Comment.id)).all()


def test_comment_with_an_argument_and_a_reply_one_level_deep(app, thread):
    _saved, idea_id, _user, client = thread
    assert comment(client, idea_id, stance="for").status_code == 302
    first = comments(app)[0]
    comment(client, idea_id, text="Antwoord", parent=str(first.id))
    reply = comments(app)[1]
    comment(client, idea_id, text="Antwoord op antwoord", parent=str(reply.id))
    rows = comments(app)
    assert [(c.stance, c.parent_id) for c in rows] == [
        ("for", None),
        (None, first.id),
        (None, first.id),
    ]
    page = client.get(f"/ideeen/{idea_id}").get_data(as_text=True)
    assert "argument voor" in page and "Antwoord op antwoord" in page


def test_empty_comment_is_refused_and_nothing_is_lost(app, thread):
    _saved, idea_id, _user, client = thread
    response = comment(client, idea_id, text="", stance="against")
    assert response.status_code == 400
    assert 'id="text-error"' in response.get_data(as_text=True)
    assert comments(app) == []


def test_commenting_only_in_a_comment_phase(app, thread):
    saved, idea_id, _user, client = thread
    with app.app_context():
        db.session.get(Process, saved.id).phases[0].allows_comment = False
        db.session.commit()
    response = comment(client, idea_id)
    assert response.status_code == 400
    assert "Reageren is in dit traject nu niet mogelijk" in response.get_data(as_text=True)
    assert comments(app) == []


def test_edit_within_fifteen_minutes_only(app, thread):
    _saved, idea_id, _user, client = thread
    comment(client, idea_id)
    first = comments(app)[0]
    path = f"/reacties/{first.id}/bewerken"
    client.post(path, data={"text": "Beter plan", "csrf_token": csrf_token(client, path)})
    assert comments(app)[0].text == "Beter plan"
    with app.app_context():
        db.session.get(Comment, first.id).created_at = utcnow() - timedelta(minutes=16)
        db.session.commit()
    client.post(
        path, data={"text": "Te laat", "csrf_token": csrf_token(client, f"/ideeen/{idea_id}")}
    )
    assert comments(app)[0].text == "Beter plan"


def test_deleting_keeps_the_thread_readable(app, thread, create_user):
    _saved, idea_id, _user, client = thread
    comment(client, idea_id, text="Eerste")
    first = comments(app)[0]
    other = create_user()
    other_client = app.test_client()
    login(other_client, other.email)
    comment(other_client, idea_id, text="Een antwoord", parent=str(first.id))
    assert (
        other_client.post(
            f"/reacties/{first.id}/verwijderen",
            data={"csrf_token": csrf_token(other_client, "/account")},
        ).status_code
        == 403
    )
    client.post(
        f"/reacties/{first.id}/verwijderen", data={"csrf_token": csrf_token(client, "/account")}
    )
    page = client.get(f"/ideeen/{idea_id}").get_data(as_text=True)
    assert "Reactie verwijderd" in page and "Eerste" not in page
    assert "Een antwoord" in page


def test_comments_lock_the_idea_for_its_author(app, thread, create_user, create_idea):
    saved, _idea_id, user, client = thread
    author = create_user()
    idea_id = create_idea(saved, author=author)
    comment(client, idea_id)
    author_client = app.test_client()
    login(author_client, author.email)
    assert author_client.get(f"/ideeen/{idea_id}/bewerken").status_code == 403


def test_show_more_with_and_without_javascript(app, thread):
    _saved, idea_id, user, client = thread
    with app.app_context():
        db.session.add_all(
            Comment(
                idea_id=idea_id,
                author_id=user.id,
                text=f"Reactie {n:02d}",
                created_at=utcnow() + timedelta(seconds=n),
            )
            for n in range(25)
        )
        db.session.commit()
    page = client.get(f"/ideeen/{idea_id}").get_data(as_text=True)
    assert "Reactie 19" in page and "Reactie 20" not in page
    assert "reacties=2" in page
    assert "Reactie 24" in client.get(f"/ideeen/{idea_id}?reacties=2").get_data(as_text=True)
    partial = client.get(
        f"/ideeen/{idea_id}/reacties?pagina=2", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "Reactie 20" in partial and "<html" not in partial


def test_idea_page_statements_do_not_grow_with_the_comments(
    app, client, create_process, create_idea, create_user
):
    saved = create_process(status="published")
    few = create_idea(saved, title="Weinig")
    many = create_idea(saved, title="Veel")
    user = create_user()
    with app.app_context():
        now = utcnow()
        for idea_id, count in ((few, 5), (many, 500)):
            db.session.add_all(
                Comment(idea_id=idea_id, author_id=user.id, text="x", created_at=now)
                for _ in range(count)
            )
        db.session.commit()
    client.get(f"/ideeen/{few}")
    with count_statements(app) as small:
        client.get(f"/ideeen/{few}")
    with count_statements(app) as large:
        client.get(f"/ideeen/{many}")
    assert large.count == small.count


def test_api_counts_visible_comments(app, api, thread):
    saved, idea_id, user, _client = thread
    with app.app_context():
        db.session.add_all(
            [
                Comment(idea_id=idea_id, author_id=user.id, text="a"),
                Comment(idea_id=idea_id, author_id=user.id, text="b", deleted_at=utcnow()),
                Comment(idea_id=idea_id, author_id=user.id, text="c", hidden_at=utcnow()),
            ]
        )
        db.session.commit()
    assert api(f"/processes/{saved.slug}/ideas")["items"][0]["comments"] == 1
    assert api(f"/ideas/{idea_id}")["comments"] == 1


def test_authors_and_commenters_are_told(app, thread, create_user, create_idea, mailbox):
    saved, _idea_id, user, client = thread
    author = create_user(email="auteur@example.org")
    idea_id = create_idea(saved, title="Idee van de auteur", author=author)
    comment(client, idea_id, text="Mooi idee")
    [mail] = mailbox.to("auteur@example.org")
    assert "Nieuwe reactie op je idee" in mail["Subject"] and "Mooi idee" in mail.get_content()
    first = comments(app)[0]
    author_client = app.test_client()
    login(author_client, author.email)
    comment(author_client, idea_id, text="Dank je", parent=str(first.id))
    [reply] = mailbox.to("kees@example.org")
    assert "reageerde op je reactie" in reply["Subject"]
    assert len(mailbox.to("auteur@example.org")) == 1  # not told of their own reply
