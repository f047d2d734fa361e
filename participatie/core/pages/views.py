"""Pages every visitor can read without an account."""

import re
from pathlib import Path

from flask import abort
from flask import Blueprint
from flask import current_app
from flask import redirect
from flask import render_template
from flask import request
from flask import Response
from flask import send_file
from flask import session
from flask import url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import escape

from participatie.core.areas.queries import municipality
from participatie.core.processes.queries import processes_in
from participatie.extensions import db
from participatie.security import safe_next_url

bp = Blueprint("pages", __name__)

# Long texts (house rules, privacy, accessibility) are written per language as
# whole templates: prose reads better that way than as dozens of msgids.
INFO_PAGES = {
    "huisregels": "house_rules",
    "privacy": "privacy",
    "toegankelijkheid": "accessibility",
    "contact": "contact",
}

COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


@bp.get("/")
def home():
    gemeente = municipality()
    open_processes, more_open = (
        processes_in(gemeente, status="published") if gemeente else ([], False)
    )
    closed, _more = processes_in(gemeente, per_page=6, status="closed") if gemeente else ([], False)
    return render_template(
        "pages/home.html",
        gemeente=gemeente,
        open_processes=open_processes,
        more_open=more_open,
        closed_processes=closed,
    )


@bp.get("/<any(huisregels, privacy, toegankelijkheid, contact):slug>")
def info(slug):
    name = INFO_PAGES[slug]
    context = {}
    if name == "privacy":
        from participatie.core.accounts import retention

        context = {
            "retention_kinds": retention.kinds(),
            "retention_months": retention.inactive_months(),
        }
    return render_template(f"pages/{get_locale().language}/{name}.html", page=name, **context)


@bp.get("/taal/<code>")
def language(code):
    """Switch the interface language and go back to the page the visitor was on."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["language"] = code
    if current_user.is_authenticated and current_user.locale != code:
        current_user.locale = code
        db.session.commit()
    return redirect(safe_next_url(request.args.get("next")) or url_for("pages.home"))


def _luminance(color):
    """The relative luminance of a #rrggbb colour, as WCAG 2.1 defines it."""
    channels = []
    for i in (1, 3, 5):
        c = int(color[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first, second):
    """The WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_on_white(color):
    """The colour itself when text in it is readable on white (4.5:1), else darkened until it is."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    for step in range(11):
        keep = 1 - step / 10
        candidate = f"#{int(red * keep):02x}{int(green * keep):02x}{int(blue * keep):02x}"
        if contrast_ratio(candidate, "#ffffff") >= 4.5:
            return candidate
    return "#000000"


def theme_colors():
    """The configured brand colour and its contrast colour, each a valid #rrggbb."""
    config = current_app.config
    brand = config["THEME_BRAND_COLOR"] if COLOR.match(config["THEME_BRAND_COLOR"]) else "#154273"
    contrast = (
        config["THEME_BRAND_CONTRAST"] if COLOR.match(config["THEME_BRAND_CONTRAST"]) else "#ffffff"
    )
    return brand, contrast


@bp.get("/theme.css")
def theme():
    """The municipality's colours as CSS custom properties, from configuration.

    Buttons, links in the header and accents use them (static/css/site.css); text in
    the brand colour on white uses a darkened variant where the colour is too light.
    """
    brand, contrast = theme_colors()
    css = (
        ":root {\n"
        f"  --participatie-brand: {brand};\n"
        f"  --participatie-brand-contrast: {contrast};\n"
        f"  --participatie-brand-text: {readable_on_white(brand.lower())};\n"
        "}\n"
    )
    response = Response(css, mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


@bp.get("/favicon.svg")
def favicon():
    """A favicon in the municipality's colours: its initial on the brand colour."""
    config = current_app.config
    brand, contrast = theme_colors()
    name = config["MUNICIPALITY_NAME"] or getattr(municipality(), "name", "") or "Participatie"
    initial = escape(name[:1].upper())
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
        f'<rect width="32" height="32" rx="6" fill="{brand}"/>'
        f'<text x="16" y="23" font-family="sans-serif" font-size="20" font-weight="700" '
        f'text-anchor="middle" fill="{contrast}">{initial}</text></svg>'
    )
    response = Response(svg, mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@bp.get("/favicon.ico")
def favicon_ico():
    """Browsers ask for /favicon.ico by themselves; it is the SVG one."""
    return redirect(url_for("pages.favicon"), 301)


@bp.get("/logo")
def logo():
    """The municipality's logo file, when one is configured (LOGO_PATH)."""
    path = current_app.config["LOGO_PATH"]
    if not path or not Path(path).is_file() or Path(path).suffix.lower() not in {".svg", ".png"}:
        abort(404)
    return send_file(path, max_age=3600)
