"""Plain Dutch for residents: B1 readability measured with Flesch-Douma, and no jargon.

Flesch-Douma (textstat's Dutch Flesch reading ease: 206.835 - 0.93 x words per
sentence - 77 x syllables per word) scores running text. The test takes the visible
text of a page's <main> (or a mail's body), one sentence per block element, and scores
the sentences of four words or more: headings of one or two words, buurt names in a
filter and button labels are not running text, and the word list below checks those.
60 and up is B1 (fairly easy); the test fails under it.
"""

import re
from html.parser import HTMLParser

import pytest
import textstat

from tests.conftest import csrf_token
from tests.conftest import login

DEMO_PASSWORD = "wijk-en-buurt-samen-2026"
B1 = 60

# Words residents stumble over, and what we say instead. The test fails when a Dutch
# text of the catalog, the demo or a page still holds one.
JARGON = {
    r"(?i)steunbetuiging": "steun",
    r"(?i)coproduc": "samen maken",
    r"\b[Uu]w\b": "je / jouw (we zeggen overal je)",
    r"(?<![\w-])[Uu](?![\w-])": "je (we zeggen overal je)",
    r"\bmeedoen stopt\b": "je kunt meedoen tot …",
}

BLOCKS = {
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "label", "button", "legend", "td", "th",
    "dt", "dd", "summary", "div", "section", "figcaption", "caption", "blockquote", "a",
    "span", "br", "strong",
}  # fmt: skip
HIDDEN = {"script", "style", "svg", "template", "select", "textarea"}


class _Sentences(HTMLParser):
    """Visible text inside <main>, one sentence per block element."""

    def __init__(self):
        super().__init__()
        self.in_main = False
        self.hidden = 0
        self.sentences = []
        self._words = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main = True
        if tag in HIDDEN:
            self.hidden += 1
        if tag in BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.hidden -= 1
        if tag in BLOCKS:
            self._flush()
        if tag == "main":
            self._flush()
            self.in_main = False

    def handle_data(self, data):
        if self.in_main and not self.hidden:
            self._words.append(data)

    def _flush(self):
        text = " ".join("".join(self._words).split())
        self._words = []
        if text:
            self.sentences.append(text if text[-1] in ".?!:;" else text + ".")


def page_sentences(html):
    parser = _Sentences()
    parser.feed(html)
    parser.close()
    return parser.sentences


def text_sentences(text):
    """A mail body: one sentence per line (links and greetings are lines of their own)."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return [line if line[-1] in ".?!:;" else line + "." for line in lines if line]


def flesch_douma(sentences):
    textstat.set_lang("nl")
    running = [s for s in sentences if textstat.lexicon_count(s) >= 4]
    text = " ".join(running)
    assert textstat.lexicon_count(text) >= 15, f"too little running text to score: {running}"
    return textstat.flesch_reading_ease(text)


def hardest(sentences, count=5):
    textstat.set_lang("nl")
    running = [s for s in sentences if textstat.lexicon_count(s) >= 4]
    return sorted(running, key=textstat.flesch_reading_ease)[:count]


def test_flesch_douma_tells_plain_from_officialese():
    plain = [
        "Je kunt ideeën geven voor je straat.",
        "De gemeente leest alles en zegt wat ze ermee doet.",
        "Daarna hoor je wat er met je idee gebeurt.",
    ]
    officialese = [
        "Overeenkomstig de geldende verordening wordt de ingediende participatiebijdrage "
        "door het verantwoordelijke bestuursorgaan inhoudelijk beoordeeld en vervolgens "
        "gemotiveerd afgewezen dan wel geaccepteerd.",
        "Belanghebbenden worden uitdrukkelijk verzocht hun zienswijze tijdig kenbaar te maken.",
    ]
    assert flesch_douma(plain) >= 80
    assert flesch_douma(officialese) < 30


@pytest.fixture
def demo(app, runner):
    result = runner.invoke(args=["demo", "load"], env={"DEMO_PASSWORD": DEMO_PASSWORD})
    assert result.exit_code == 0, result.output
    return app


def resident_pages(client):
    """The pages a resident reads, in Dutch, from the demo data."""
    home = client.get("/").get_data(as_text=True)
    slugs = sorted(set(re.findall(r'href="/processen/([a-z0-9-]+)"', home)))
    assert slugs, "no processes on the home page"
    pages = ["/", "/huisregels", "/privacy", "/toegankelijkheid", "/contact", "/in-mijn-buurt"]
    for slug in slugs:
        pages += [f"/processen/{slug}", f"/processen/{slug}/ideeen"]
    process_page = client.get(f"/processen/{slugs[0]}/ideeen").get_data(as_text=True)
    idea = re.search(r'href="(/ideeen/\d+)"', process_page)
    assert idea, "no idea in the demo's first process"
    pages.append(idea.group(1))
    return pages


def _scores(client, pages):
    scores = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        sentences = page_sentences(response.get_data(as_text=True))
        if (
            textstat.lexicon_count(" ".join(s for s in sentences if textstat.lexicon_count(s) >= 4))
            < 15
        ):
            continue  # a list without ideas yet: nothing to read
        scores[path] = (round(flesch_douma(sentences)), hardest(sentences))
    return scores


def test_resident_pages_are_b1(demo, client):
    scores = _scores(client, ["/registreren", "/inloggen", "/wachtwoord-vergeten"])
    login(client, "bewoner@example.org", DEMO_PASSWORD)
    pages = resident_pages(client) + ["/processen/voorbeeld-groenere-woonstraat/ideeen/nieuw"]
    scores.update(_scores(client, pages))
    assert len(scores) >= 10, sorted(scores)
    below = {path: score for path, score in scores.items() if score[0] < B1}
    assert not below, f"Flesch-Douma under {B1}: {below}"


def test_the_mails_residents_get_are_b1(demo, client, mailbox):
    # Registration, a second registration on the same address, a password reset.
    for email in ("nieuw@example.org", "nieuw@example.org"):
        client.post(
            "/registreren",
            data={
                "email": email,
                "display_name": "Nieuwe bewoner",
                "password": "een lange zin als wachtwoord",
                "password_repeat": "een lange zin als wachtwoord",
                "house_rules": "y",
                "csrf_token": csrf_token(client, "/registreren"),
            },
        )
    client.post(
        "/wachtwoord-vergeten",
        data={
            "email": "bewoner@example.org",
            "csrf_token": csrf_token(client, "/wachtwoord-vergeten"),
        },
    )
    assert len(mailbox.messages) >= 3, [m["Subject"] for m in mailbox.messages]
    for message in mailbox.messages:
        body = message.get_body(preferencelist=("plain",)).get_content()
        sentences = text_sentences(body)
        score = flesch_douma(sentences)
        assert score >= B1, (message["Subject"], round(score), hardest(sentences))


def _dutch_catalog_texts():
    from babel.messages.pofile import read_po

    with open("translations/nl/LC_MESSAGES/messages.po", "rb") as catalog:
        for message in read_po(catalog, locale="nl"):
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for string in strings:
                yield message.id, string


@pytest.mark.parametrize("pattern", JARGON)
def test_no_jargon_in_the_dutch_catalog(pattern):
    # Placeholders such as %(num)s are not words.
    found = [
        (msgid, text)
        for msgid, text in _dutch_catalog_texts()
        if re.search(pattern, re.sub(r"%\(\w+\)\w|\{\w+\}", "", text))
    ]
    assert not found, f"say {JARGON[pattern]!r} instead: {found[:10]}"


def test_no_jargon_on_the_demo_pages(demo, client):
    login(client, "bewoner@example.org", DEMO_PASSWORD)
    for path in resident_pages(client):
        text = " ".join(page_sentences(client.get(path).get_data(as_text=True)))
        for pattern, instead in JARGON.items():
            match = re.search(pattern, text)
            assert not match, (
                f"{path}: {match.group(0)!r} in {text[max(0, match.start() - 60) : match.end() + 60]!r}; say {instead!r}"
            )
