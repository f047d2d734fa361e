"""Every string the interface shows is marked and translated into Dutch."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def _not_hidden(path) -> bool:
    """The Makefile's --ignore-dirs: templates/_macros/ is read, hidden folders are not."""
    name = Path(path).name
    return not name.startswith(".") and name != "__pycache__"


def extracted_messages() -> set[str]:
    with open(ROOT / "translations" / "babel.cfg") as file:
        method_map, options_map = parse_mapping_cfg(file)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    found = set()
    for folder in ("participatie", "templates"):
        for _filename, _lineno, message, _comments, _context in extract_from_dir(
            ROOT / folder,
            method_map,
            options_map,
            keywords=keywords,
            directory_filter=_not_hidden,
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_marked_string_has_a_dutch_translation():
    with open(ROOT / "translations" / "nl" / "LC_MESSAGES" / "messages.po", "rb") as file:
        catalog = read_po(file)
    missing = []
    for message_id in sorted(extracted_messages()):
        entry = catalog.get(message_id)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(message_id)
    assert len(extracted_messages()) > 50
    assert missing == [], f"{len(missing)} strings without Dutch translation (run make messages)"


def test_the_form_macros_are_extracted():
    assert "Not everything is filled in correctly. See the messages below." in (
        extracted_messages()
    )
