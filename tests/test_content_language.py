"""What residents and staff wrote is Dutch content: marked lang="nl" on English pages,
and shown as words, not as Markdown syntax, where only an excerpt fits."""

import re


def test_dutch_content_on_an_english_page_is_marked(client, create_process, create_idea):
    process = create_process(title="Een groenere straat", status="published")
    idea = create_idea(process, title="Bankjes voor ouderen", text="Om de **honderd** meter.")
    client.get("/taal/en")
    page = client.get(f"/processen/{process.slug}").get_data(as_text=True)
    assert re.search(r'<h1 class="utrecht-heading-1" lang="nl">Een groenere straat</h1>', page)
    assert 'lang="nl">Bankjes voor ouderen</a>' in page
    detail = client.get(f"/ideeen/{idea}").get_data(as_text=True)
    assert '<h1 class="utrecht-heading-1" lang="nl">Bankjes voor ouderen</h1>' in detail
    assert '<div class="idea-text" lang="nl">' in detail
    # The page's own words stay English: the document is lang="en".
    assert '<html lang="en"' in detail


def test_dutch_content_on_a_dutch_page_needs_no_mark(client, create_process, create_idea):
    process = create_process(title="Een groenere straat", status="published")
    create_idea(process, title="Bankjes voor ouderen")
    page = client.get(f"/processen/{process.slug}").get_data(as_text=True)
    assert '<html lang="nl"' in page
    assert 'lang="nl">Een groenere straat' not in page
    assert 'lang="nl">Bankjes voor ouderen' not in page


def test_idea_cards_show_words_not_markdown(client, create_process, create_idea):
    process = create_process(status="published")
    create_idea(
        process,
        title="Geveltuinen",
        text="Laat bewoners **zelf** kiezen:\n\n- minder tegels\n- meer [groen](https://example.org)",
    )
    page = client.get(f"/processen/{process.slug}/ideeen").get_data(as_text=True)
    card = re.search(r'<p class="utrecht-paragraph card__text"[^>]*>(.*?)</p>', page, re.S).group(1)
    assert card == "Laat bewoners zelf kiezen: minder tegels meer groen"


def test_plain_text_of_an_idea_keeps_escaping():
    from participatie.builtin.ideas.text import plain

    assert plain("<script>alert(1)</script> **a** _b_\nc") == "<script>alert(1)</script> a b c"


def test_cbs_units_are_shown_in_the_readers_language(client, create_process):
    process = create_process(status="published")
    dutch = client.get(f"/processen/{process.slug}").get_data(as_text=True)
    client.get("/taal/en")
    english = client.get(f"/processen/{process.slug}").get_data(as_text=True)
    if "inwoners" not in dutch:
        raise AssertionError("the test areas have no population figure")
    assert "inhabitants" in english
    assert not re.search(r"\d inwoners\b", english)
