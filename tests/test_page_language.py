"""One language per page: an English page says nothing in Dutch except what is marked
lang="nl" (what residents and staff wrote), and a Dutch page nothing in English.

The check looks for short function words that belong to one language and are not
words of the other ("een", "wordt" / "the", "and", "you"): a string left
untranslated, or written content without its lang mark, shows up by them.
"""

import re
from html.parser import HTMLParser

import pytest

from tests.conftest import login

DEMO_PASSWORD = "wijk-en-buurt-samen-2026"

WORDS = {
    "nl": {
        "een", "je", "niet", "voor", "wordt", "zijn", "geen", "nog", "ook", "naar",
        "wat", "bij", "maar", "deze", "jouw", "wij", "ons", "hoe", "wie", "alle", "meer",
        "kunt", "heeft", "worden", "hier", "waar",
    },
    "en": {
        "the", "and", "you", "your", "with", "this", "which", "there", "what", "who",
        "been", "has", "have", "will", "from", "about", "are",
    },
}  # fmt: skip
# Proper names that hold such a word. ("het" is left out of the list: CBS names of
# buurten hold it, as in "het Brunink".)
NAMES = ("Centraal Bureau voor de Statistiek",)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
SKIPPED = {"head", "script", "style", "template", "select", "textarea", "svg"}


class _Unmarked(HTMLParser):
    """The visible text of <body> that is not marked as written in `other`."""

    def __init__(self, other):
        super().__init__()
        self.other = other
        self.stack = []  # (tag, skipped)
        self.text = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        inherited = bool(self.stack and self.stack[-1][1])
        marked = dict(attrs).get("lang") == self.other
        self.stack.append((tag, inherited or marked or tag in SKIPPED))

    def handle_endtag(self, tag):
        if tag in VOID or tag not in (entry[0] for entry in self.stack):
            return
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self.stack and not self.stack[-1][1]:
            self.text.append(data)


def foreign_words(html, language):
    """Words of the other language in the page's unmarked text, with some context."""
    other = "nl" if language == "en" else "en"
    parser = _Unmarked(other)
    parser.feed(html)
    text = " ".join(" ".join(parser.text).split())
    for name in NAMES:
        text = text.replace(name, "")
    pattern = re.compile(r"\b(" + "|".join(sorted(WORDS[other])) + r")\b", re.IGNORECASE)
    return [text[max(0, m.start() - 50) : m.end() + 50] for m in pattern.finditer(text)]


def test_the_check_finds_unmarked_dutch_on_an_english_page():
    page = (
        '<html lang="en"><body><main><h1>Ideas</h1>'
        '<p lang="nl">Een bankje voor de ouderen.</p>'
        "<p>Het college beslist wie er meedoet.</p></main></body></html>"
    )
    [found] = foreign_words(page, "en")
    assert "Het college beslist wie er meedoet." in found
    marked = page.replace("<p>Het", '<p lang="nl">Het')
    assert foreign_words(marked, "en") == []


@pytest.fixture
def demo(app, runner):
    result = runner.invoke(args=["demo", "load"], env={"DEMO_PASSWORD": DEMO_PASSWORD})
    assert result.exit_code == 0, result.output
    return app


def _pages(client):
    home = client.get("/").get_data(as_text=True)
    slugs = sorted(set(re.findall(r'href="/processen/([a-z0-9-]+)"', home)))
    assert len(slugs) >= 3
    pages = ["/", "/gebieden/GM0153", "/in-mijn-buurt", "/huisregels", "/privacy"]
    for slug in slugs:
        pages += [f"/processen/{slug}", f"/processen/{slug}/ideeen"]
        pages += [f"/processen/{slug}/samenvatting", f"/processen/{slug}/begroting"]
    ideas = re.findall(r'href="(/ideeen/\d+)"', client.get(pages[5]).get_data(as_text=True))
    return pages + ideas[:2]


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize(
    "account",
    [
        None,
        "bewoner@example.org",
        "begeleider@example.org",
        "raadslid@example.org",
        "beheer@example.org",
    ],
)
def test_pages_speak_one_language(demo, client, language, account):
    # The language first: what the log-in says ("You are logged in.") is in it.
    client.get(f"/taal/{language}")
    if account:
        login(client, account, DEMO_PASSWORD)
    pages = _pages(client)
    if account:
        pages += ["/mijn-pagina", "/account", "/begeleiding", "/raad", "/beheer"]
    checked = 0
    leaks = {}
    for path in pages:
        response = client.get(path)
        if response.status_code != 200:
            continue
        checked += 1
        html = response.get_data(as_text=True)
        assert f'<html lang="{language}"' in html, path
        found = foreign_words(html, language)
        if found:
            leaks[path] = found[:12]
    assert checked >= 8
    assert not leaks, leaks


def test_every_page_has_its_own_title(demo, client):
    # The edit page is not called like the process page, and each answer page names
    # its idea: in a list of tabs or a screen reader's page list they can be told apart.
    login(client, "begeleider@example.org", DEMO_PASSWORD)
    slug = "voorbeeld-groenere-woonstraat"
    ideas = sorted(
        set(
            re.findall(
                r'href="/ideeen/(\d+)"',
                client.get(f"/processen/{slug}/ideeen").get_data(as_text=True),
            )
        )
    )
    assert len(ideas) >= 3
    pages = [f"/processen/{slug}", f"/processen/{slug}/bewerken", f"/processen/{slug}/ideeen"]
    pages += [f"/processen/{slug}/antwoorden", f"/processen/{slug}/wat-we-deden"]
    pages += [f"/processen/{slug}/samenvatting", f"/processen/{slug}/ideeen/nieuw"]
    for idea in ideas[:3]:
        pages += [f"/ideeen/{idea}", f"/ideeen/{idea}/antwoord", f"/ideeen/{idea}/uitvoering"]
    titles = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        title = re.search(r"<title>(.*?)</title>", response.get_data(as_text=True), re.S).group(1)
        titles.setdefault(" ".join(title.split()), []).append(path)
    shared = {title: paths for title, paths in titles.items() if len(paths) > 1}
    assert not shared, shared


@pytest.mark.parametrize("account", [None, "begeleider@example.org", "beheer@example.org"])
def test_headings_never_skip_a_level(demo, client, account):
    # h1 then h3 (the ideas list did) leaves a screen reader's list of headings with
    # a hole: going down, each heading is at most one level deeper than the last.
    if account:
        login(client, account, DEMO_PASSWORD)
    pages = _pages(client)
    if account:
        pages += ["/mijn-pagina", "/account", "/begeleiding", "/raad"]
    skips = {}
    for path in pages:
        response = client.get(path)
        if response.status_code != 200:
            continue
        levels = [
            int(level) for level in re.findall(r"<h([1-6])\b", response.get_data(as_text=True))
        ]
        for before, after in zip(levels, levels[1:], strict=False):
            if after > before + 1:
                skips[path] = levels
                break
    assert not skips, skips
