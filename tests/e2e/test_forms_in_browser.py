"""Forms look right in a real browser: checkbox labels read as lines of text, nothing
scrolls sideways on a phone, and a failed submit lands on the error summary."""

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.browser

WIDTHS = [1280, 360]

# Every checkbox's label: its box, and how many lines of text it holds.
CHECKBOX_LABELS = """() => [...document.querySelectorAll('input[type=checkbox]')].map(box => {
    const label = document.querySelector(`label[for="${box.id}"]`);
    const rect = label.getBoundingClientRect();
    const style = getComputedStyle(label);
    const line = parseFloat(style.lineHeight) || 1.2 * parseFloat(style.fontSize);
    return {id: box.id, width: rect.width, lines: rect.height / line,
            chars: label.textContent.trim().length};
})"""

SIDEWAYS_SCROLL = (
    "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
)


@pytest.fixture
def facilitator(create_process, create_user, grant):
    create_process(status="draft")
    user = create_user()
    grant(user, "facilitator", "GM0153")
    return user


def assert_checkbox_labels_read_as_text(page):
    labels = page.evaluate(CHECKBOX_LABELS)
    assert labels, "no checkboxes on the page"
    for label in labels:
        assert label["width"] > 100, label
        # One or two lines, or a long label wrapped into lines of words (not of letters).
        assert label["lines"] <= 2.05 or label["chars"] / label["lines"] >= 15, label


@pytest.mark.parametrize("width", WIDTHS)
def test_register_form_checkbox_labels_are_lines_of_text(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/registreren")
    assert_checkbox_labels_read_as_text(page)
    page.get_by_role("button", name="Account aanmaken").click()
    assert_checkbox_labels_read_as_text(page)
    if width == 360:
        assert page.evaluate(SIDEWAYS_SCROLL) == 0


@pytest.mark.parametrize("width", WIDTHS)
def test_process_form_checkbox_labels_are_lines_of_text(page, facilitator, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, facilitator.email)
    page.goto("/processen/straat/bewerken")
    # The phase actions, every row's "remove" and the plugins: more than a handful.
    assert len(page.evaluate(CHECKBOX_LABELS)) > 10
    assert_checkbox_labels_read_as_text(page)
    if width == 360:
        assert page.evaluate(SIDEWAYS_SCROLL) == 0


@pytest.mark.parametrize(
    ("language", "button", "prefix"),
    [("nl", "Account aanmaken", "Fout: "), ("en", "Create account", "Error: ")],
)
def test_failed_submit_focuses_the_error_summary_that_links_to_the_fields(
    page, language, button, prefix
):
    page.goto(f"/taal/{language}?next=/registreren")
    assert not page.title().startswith(prefix)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    assert page.title().startswith(prefix)
    assert page.evaluate("() => document.activeElement.id") == "form-errors"
    targets = page.evaluate(
        """() => [...document.activeElement.querySelectorAll('a[href^="#"]')]
            .map(link => link.getAttribute('href').slice(1))"""
    )
    assert len(targets) == 4
    for target in targets:
        assert page.evaluate("id => document.getElementById(id) !== null", target), target
