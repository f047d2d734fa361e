"""Hidden stays hidden in mail too: nothing quotes content that is no longer shown.

Mail is queued in the transaction of the event and sent by the worker a
little later; a daily digest waits up to a day. Content hidden, withdrawn or
merged in between must not go out to anyone but its author (who reads it on
their own page). Through a real SMTP server (aiosmtpd on loopback).
"""

import pytest
import sqlalchemy as sa
from participatie.builtin.comments import service as comments
from participatie.builtin.feedback import service as feedback
from participatie.builtin.ideas.models import Idea
from participatie.core.accounts.models import User
from participatie.core.mail.about import WITHHELD
from participatie.core.mail.models import OutboxMessage
from participatie.core.mail.sending import deliver
from participatie.core.notifications.service import follow
from participatie.core.notifications.service import send_digests
from participatie.extensions import db
from participatie.extensions import utcnow

TITLE = "Geheim plan voor het plein"


@pytest.fixture
def idea(app, create_process, create_user):
    """A published process with an idea of its author, followed by a resident and a
    resident on the daily digest; the ideas of the same process as ``other``."""
    saved = create_process(status="published")
    author = create_user(email="auteur@example.org")
    follower = create_user(email="volger@example.org")
    daily = create_user(email="dagelijks@example.org", notify_mode="daily")
    with app.app_context():
        made = Idea(process_id=saved.id, author_id=author.id, title=TITLE, text="Alleen voor ons")
        kept = Idea(process_id=saved.id, author_id=author.id, title="Het andere idee")
        db.session.add_all([made, kept])
        db.session.flush()
        for user in (follower, daily):
            follow(db.session.get(User, user.id), "process", saved.id)
            follow(db.session.get(User, user.id), "idea", made.id)
        db.session.commit()
        return made.id, kept.id


def _make_invisible(how, idea_id, kept_id):
    idea = db.session.get(Idea, idea_id)
    if how == "hidden":
        idea.hidden_at = utcnow()
    elif how == "withdrawn":
        idea.withdrawn_at = utcnow()
    else:
        idea.merged_into_id = kept_id


def _answer(idea_id):
    feedback.answer(
        [feedback.AnswerInput(db.session.get(Idea, idea_id), "adopted", "Dit gaan we doen.")]
    )


def _quoting(mailbox):
    return [m for m in mailbox.messages if TITLE in m.get_content() or TITLE in m["Subject"]]


@pytest.mark.parametrize("how", ["hidden", "withdrawn", "merged"])
def test_an_answer_to_an_idea_no_longer_shown_is_mailed_to_its_author_only(app, idea, mailbox, how):
    idea_id, kept_id = idea
    with app.app_context():
        _make_invisible(how, idea_id, kept_id)
        _answer(idea_id)
        db.session.commit()
        deliver()
        assert send_digests() == 0
        db.session.commit()
        deliver()
    assert [m["To"] for m in _quoting(mailbox)] == ["auteur@example.org"]


@pytest.mark.parametrize("how", ["hidden", "withdrawn", "merged"])
def test_mail_queued_before_the_idea_was_no_longer_shown_is_withheld_with_the_reason(
    app, idea, mailbox, how
):
    """Before: the worker sent what was queued, and the digest quoted it a day later."""
    idea_id, kept_id = idea
    with app.app_context():
        _answer(idea_id)
        db.session.commit()
        _make_invisible(how, idea_id, kept_id)
        db.session.commit()
        assert deliver() == (1, 0)
        assert send_digests() == 0
        db.session.commit()
        deliver()
        withheld = db.session.scalars(
            sa.select(OutboxMessage.recipient).where(OutboxMessage.last_error == WITHHELD)
        ).all()
        assert withheld == ["volger@example.org"]
    assert [m["To"] for m in _quoting(mailbox)] == ["auteur@example.org"]


def test_a_shown_idea_is_still_mailed_to_followers_and_in_the_digest(app, idea, mailbox):
    idea_id, _kept_id = idea
    with app.app_context():
        _answer(idea_id)
        db.session.commit()
        deliver()
        assert send_digests() == 1
        db.session.commit()
        deliver()
    assert sorted(m["To"] for m in _quoting(mailbox)) == [
        "auteur@example.org",
        "dagelijks@example.org",
        "volger@example.org",
    ]


@pytest.mark.parametrize("how", ["comment hidden", "comment deleted", "idea hidden"])
def test_a_comment_mail_is_withheld_once_the_comment_or_its_idea_is_no_longer_shown(
    app, idea, create_user, mailbox, how
):
    idea_id, _kept_id = idea
    commenter = create_user(email="reageerder@example.org")
    with app.app_context():
        made = db.session.get(Idea, idea_id)
        comment = comments.add(made, db.session.get(User, commenter.id), "Ik doe mee", None, None)
        db.session.commit()
        if how == "comment hidden":
            comment.hidden_at = utcnow()
        elif how == "comment deleted":
            comment.deleted_at = utcnow()
        else:
            made.hidden_at = utcnow()
        db.session.commit()
        assert deliver() == (0, 0)
        assert db.session.scalar(sa.select(OutboxMessage.last_error)) == WITHHELD
    assert "Ik doe mee" not in "".join(m.get_content() for m in mailbox.messages)


def test_the_outbox_page_shows_a_withheld_mail_with_its_reason(
    app, idea, create_user, grant, mailbox
):
    from tests.conftest import login

    idea_id, kept_id = idea
    with app.app_context():
        _answer(idea_id)
        db.session.commit()
        _make_invisible("hidden", idea_id, kept_id)
        db.session.commit()
        deliver()
    admin = create_user(email="beheer@example.org")
    grant(admin, "administrator")
    client = app.test_client()
    login(client, admin.email)
    page = client.get("/beheer/mail").get_data(as_text=True)
    assert "1 bericht tegengehouden" in page and "tegengehouden, niet verstuurd" in page
    assert "Daarom wordt het niet verstuurd." in page
    # Trying the given-up messages again leaves a withheld one alone.
    with app.app_context():
        from participatie.core.mail.sending import retry_failed

        assert retry_failed() == 0
