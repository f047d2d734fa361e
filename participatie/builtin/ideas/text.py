"""Idea texts: a small Markdown subset, rendered without raw HTML and then cleaned.

Residents type plain text, as in an e-mail: a line break stays a line break, an
empty line starts a paragraph and lines starting with a dash make a list (bold,
italic and links in Markdown work too, but the form does not ask for them).
markdown-it renders it with HTML input switched off (typed tags come out as
text), and ``clean_html`` then keeps only the allowlist; links get
``rel="nofollow ugc"``.
"""

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

from participatie.security import clean_html

_markdown = MarkdownIt(
    "commonmark", {"html": False, "linkify": False, "typographer": False, "breaks": True}
).disable(
    [
        "image",
        "heading",
        "lheading",
        "code",
        "fence",
        "blockquote",
        "hr",
        "html_block",
        "html_inline",
        "backticks",
        "reference",
    ]
)


#: Texts up to this length are rendered once per worker and kept (``_rendered``):
#: an idea page shows up to 50 comments, and cleaning each with bleach cost more
#: than the rest of the page. Longer texts are rare and rendered every time.
CACHED_LENGTH = 2_000


def render(text: str) -> Markup:
    """The HTML of an idea text, safe to put in a page."""
    text = text or ""
    html = _rendered(text) if len(text) <= CACHED_LENGTH else _render(text)
    # Safe: markdown-it renders with HTML switched off, and bleach keeps only ALLOWED_TAGS.
    return Markup(html)  # noqa: S704  # nosec B704


def _render(text: str) -> str:
    return clean_html(_markdown.render(text))


# The HTML is a pure function of the text, so a worker may keep it (at most
# 2,048 texts of 2,000 characters: a few MB).
_rendered = lru_cache(maxsize=2048)(_render)


def plain(text: str) -> str:
    """The words of an idea text without its Markdown, for excerpts on cards and lists.

    ``**vet**`` becomes ``vet``, a list item its words and a link its label; blocks
    are separated by a space. The result is plain text, escaped like any other.
    """
    words = []
    for token in _markdown.parse(text or ""):
        if token.type != "inline":
            continue
        line = "".join(
            " " if child.type in ("softbreak", "hardbreak") else child.content
            for child in token.children or ()
        )
        if line.strip():
            words.append(line.strip())
    return " ".join(words)
