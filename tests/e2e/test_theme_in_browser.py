"""Buttons and accents follow the municipality's brand colour, not the example theme's violet."""

import pytest

pytestmark = pytest.mark.browser

BUTTON_COLOURS = """() => Object.fromEntries(['primary-action', 'secondary-action'].map(kind => {
    const button = document.querySelector(`.utrecht-button--${kind}`);
    const style = getComputedStyle(button);
    return [kind, {background: style.backgroundColor, color: style.color,
                   border: style.borderTopColor}];
}))"""


def test_buttons_take_the_brand_colour(app, page):
    app.config["THEME_BRAND_COLOR"] = "#c8102e"
    page.goto("/registreren")
    page.evaluate(
        "() => document.querySelector('form').insertAdjacentHTML('beforeend',"
        " '<button class=\"utrecht-button utrecht-button--secondary-action\">x</button>')"
    )
    colours = page.evaluate(BUTTON_COLOURS)
    red = "rgb(200, 16, 46)"
    assert colours["primary-action"]["background"] == red
    assert colours["primary-action"]["color"] == "rgb(255, 255, 255)"
    assert colours["secondary-action"]["color"] == red
    assert colours["secondary-action"]["border"] == red


def test_a_light_brand_colour_is_darkened_for_text_on_white(app, page):
    # Yellow text on white is unreadable: the secondary button's text and border use a
    # darker shade, while the primary button keeps the brand colour as its background.
    app.config["THEME_BRAND_COLOR"] = "#ffcc00"
    app.config["THEME_BRAND_CONTRAST"] = "#000000"
    page.goto("/registreren")
    page.evaluate(
        "() => document.querySelector('form').insertAdjacentHTML('beforeend',"
        " '<button class=\"utrecht-button utrecht-button--secondary-action\">x</button>')"
    )
    colours = page.evaluate(BUTTON_COLOURS)
    assert colours["primary-action"]["background"] == "rgb(255, 204, 0)"
    assert colours["secondary-action"]["color"] not in ("rgb(255, 204, 0)", "rgb(81, 21, 239)")
