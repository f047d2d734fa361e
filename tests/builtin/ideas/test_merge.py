"""A facilitator merges a duplicate idea into another idea of the same process."""

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from participatie.builtin.ideas.models import Idea
from participatie.core.audit.models import AuditEvent
from participatie.core.mail.models import OutboxMessage
from participatie.extensions import db
from participatie.extensions import utcnow
from participatie.signals import ideas_merged

from tests.conftest import csrf_token
from tests.conftest import login
from tests.core.moderation import fixtures
from tests.core.moderation.fixtures import rows

# The moderation tests' fixture.
people = fixtures.people


@pytest.fixture
def pair(app, people, create_process, create_idea, create_user):
    process = create_process(status="published")
    english = create_user(email="kept@example.org", display_name="Kim", locale="en")
    duplicate = create_idea(process, people["author"], title="Bomen in de Hoofdstraat")
    kept = create_idea(process, english, title="Meer groen in de Hoofdstraat")
    return process, duplicate, kept


def _as(app, email):
    client = app.test_client()
    login(client, email)
    return client


def _merge(client, duplicate, kept, confirm=True):
    token = csrf_token(client, f"/ideeen/{duplicate}/samenvoegen")
    data = {"csrf_token": token, "kept": kept}
    if confirm:
        data["confirm"] = "y"
    return client.post(f"/ideeen/{duplicate}/samenvoegen", data=data)


def _merged_into(app, idea_id):
    return rows(app, Idea, Idea.id == idea_id)[0].merged_into_id


def test_facilitator_merges_and_both_authors_are_told_in_their_language(app, people, pair, mailbox):
    _, duplicate, kept = pair
    client = _as(app, people["facilitator"].email)

    response = _merge(client, duplicate, kept)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideeen/{kept}"
    assert _merged_into(app, duplicate) == kept
    [event] = rows(app, AuditEvent, AuditEvent.action == "idea.merge")
    assert event.object_id == str(duplicate) and event.details["kept_id"] == kept
    [to_author] = mailbox.to("author@example.org")
    [to_kept] = mailbox.to("kept@example.org")
    assert "Bomen in de Hoofdstraat" in to_author.get_content()
    assert to_kept["Subject"] == "A similar idea was merged into yours"
    assert f"/ideeen/{kept}" in to_kept.get_content()


def test_the_form_offers_only_other_visible_ideas_of_the_process(
    app, people, pair, create_idea, create_process
):
    process, duplicate, kept = pair
    create_idea(process, people["author"], title="Verborgen idee", hidden_at=utcnow())
    create_idea(process, people["author"], title="Ingetrokken idee", withdrawn_at=utcnow())
    elsewhere = create_process(status="published", slug="elders")
    create_idea(elsewhere, people["author"], title="Idee elders")
    client = _as(app, people["facilitator"].email)

    html = client.get(f"/ideeen/{duplicate}/samenvoegen").get_data(as_text=True)

    assert f'<option value="{kept}">Meer groen in de Hoofdstraat</option>' in html
    for title in ("Verborgen idee", "Ingetrokken idee", "Idee elders"):
        assert title not in html
    assert f'<option value="{duplicate}"' not in html
    assert 'name="confirm"' in html


def test_merging_needs_a_confirmation(app, people, pair):
    _, duplicate, kept = pair
    client = _as(app, people["facilitator"].email)

    response = _merge(client, duplicate, kept, confirm=False)

    assert response.status_code == 400
    assert _merged_into(app, duplicate) is None


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("itself", "An idea cannot be merged into itself."),
        ("merged", "The chosen idea was merged itself"),
        ("hidden", "The chosen idea is hidden by a moderator."),
        ("withdrawn", "The chosen idea was withdrawn by its author."),
        ("elsewhere", "You can only merge ideas of the same process."),
        ("missing", "Choose the idea to keep."),
    ],
)
def test_merges_that_make_no_sense_are_refused_with_a_clear_message(
    app, people, pair, create_idea, create_process, target, message
):
    process, duplicate, kept = pair
    now = utcnow()
    targets = {
        "itself": duplicate,
        "merged": create_idea(process, None, title="Samengevoegd", merged_into_id=kept),
        "hidden": create_idea(process, None, title="Verborgen", hidden_at=now),
        "withdrawn": create_idea(process, None, title="Ingetrokken", withdrawn_at=now),
        "elsewhere": create_idea(create_process(status="published", slug="elders"), None),
        "missing": 999_999,
    }
    client = _as(app, people["facilitator"].email)
    with client.session_transaction() as session:
        session["language"] = "en"

    response = _merge(client, duplicate, targets[target])

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert _merged_into(app, duplicate) is None
    assert rows(app, AuditEvent) == []


def test_refusal_messages_in_the_service(app, people, pair):
    from participatie.builtin.ideas.merge import check_merge
    from participatie.builtin.ideas.merge import MergeRefused

    _, duplicate, kept = pair
    with app.test_request_context(), force_locale("en"):
        dup = db.session.get(Idea, duplicate)
        with pytest.raises(MergeRefused, match="into itself"):
            check_merge(dup, dup)
        dup.merged_into_id = kept
        with pytest.raises(MergeRefused, match="already merged"):
            check_merge(dup, db.session.get(Idea, kept))


@pytest.mark.parametrize("who", ["resident", "author", "other_facilitator"])
def test_only_facilitators_of_the_process_may_merge(app, people, pair, who):
    _, duplicate, kept = pair
    client = _as(app, people[who].email)
    token = csrf_token(client, "/account")

    assert client.get(f"/ideeen/{duplicate}/samenvoegen").status_code == 403
    post = client.post(
        f"/ideeen/{duplicate}/samenvoegen",
        data={"csrf_token": token, "kept": kept, "confirm": "y"},
    )
    assert post.status_code == 403
    assert _merged_into(app, duplicate) is None


def test_anonymous_visitors_are_sent_to_log_in(app, pair):
    _, duplicate, _ = pair
    response = app.test_client().get(f"/ideeen/{duplicate}/samenvoegen")
    assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen")


def test_an_offline_idea_has_no_author_to_tell(app, people, pair, create_idea, mailbox):
    process, _, kept = pair
    offline = create_idea(process, None, title="Van de bewonersavond", offline=True)
    client = _as(app, people["facilitator"].email)

    assert _merge(client, offline, kept).status_code == 302

    assert _merged_into(app, offline) == kept
    assert len(mailbox.to("kept@example.org")) == 1
    assert len(mailbox.messages) == 1


def test_the_signal_is_sent_inside_the_transaction(app, people, pair):
    """A receiver's row is committed with the merge, or rolled back with it."""
    _, duplicate, kept = pair
    seen, fail = [], [True]

    def receiver(sender, duplicate, kept):
        seen.append((duplicate.id, kept.id, duplicate.merged_into_id))
        db.session.add(
            AuditEvent(action="test.moved_supports", object_type="idea", object_id=str(kept.id))
        )
        if fail[0]:
            raise RuntimeError("forced failure before the commit")

    client = _as(app, people["facilitator"].email)
    with ideas_merged.connected_to(receiver):
        with pytest.raises(RuntimeError):
            _merge(client, duplicate, kept)
    assert seen == [(duplicate, kept, kept)]
    assert _merged_into(app, duplicate) is None
    assert rows(app, AuditEvent) == []
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0

    fail[0] = False
    with ideas_merged.connected_to(receiver):
        assert _merge(client, duplicate, kept).status_code == 302
    assert _merged_into(app, duplicate) == kept
    assert len(rows(app, AuditEvent, AuditEvent.action == "test.moved_supports")) == 1
