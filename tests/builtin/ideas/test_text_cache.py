"""Idea and comment texts are rendered once per worker, not on every view."""

from participatie.builtin.ideas import text


def test_a_short_text_is_rendered_once_and_gives_the_same_html():
    typed = "Meer bankjes\n- bij de vijver\n- bij de school <script>x</script>"
    first = text.render(typed)
    before = text._rendered.cache_info()
    again = text.render(typed)
    after = text._rendered.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)
    assert again == first == text._render(typed)
    assert "<script>" not in again and "<li>bij de vijver</li>" in again


def test_a_long_text_is_rendered_each_time_and_not_kept():
    typed = "woord " * (text.CACHED_LENGTH // 5)
    before = text._rendered.cache_info()
    assert text.render(typed) == text._render(typed)
    assert text._rendered.cache_info() == before


def test_an_idea_page_renders_each_comment_text_only_on_its_first_view(
    app, create_process, create_user, monkeypatch
):
    from participatie.builtin.comments.models import Comment
    from participatie.builtin.ideas.models import Idea
    from participatie.extensions import db

    saved = create_process(status="published")
    author = create_user()
    with app.app_context():
        idea = Idea(process_id=saved.id, author_id=author.id, title="Veel reacties")
        db.session.add(idea)
        db.session.flush()
        db.session.add_all(
            Comment(idea_id=idea.id, author_id=author.id, text=f"Reactie nummer {n} met uitleg")
            for n in range(30)
        )
        db.session.commit()
        idea_id = idea.id
    calls = []
    original = text._markdown.render
    monkeypatch.setattr(
        text._markdown, "render", lambda source: calls.append(source) or original(source)
    )
    client = app.test_client()
    assert client.get(f"/ideeen/{idea_id}").status_code == 200
    first = len(calls)
    assert first >= 20
    assert client.get(f"/ideeen/{idea_id}").status_code == 200
    assert len(calls) == first
