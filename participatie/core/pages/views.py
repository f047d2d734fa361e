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


@bp.get("/theme.css")
def theme():
    """The municipality's colours as CSS custom properties, from configuration."""
    config = current_app.config
    brand = config["THEME_BRAND_COLOR"] if COLOR.match(config["THEME_BRAND_COLOR"]) else "#154273"
    contrast = (
        config["THEME_BRAND_CONTRAST"] if COLOR.match(config["THEME_BRAND_CONTRAST"]) else "#ffffff"
    )
    css = (
        ":root {\n"
        f"  --participatie-brand: {brand};\n"
        f"  --participatie-brand-contrast: {contrast};\n"
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
    brand = config["THEME_BRAND_COLOR"] if COLOR.match(config["THEME_BRAND_COLOR"]) else "#154273"
    contrast = (
        config["THEME_BRAND_CONTRAST"] if COLOR.match(config["THEME_BRAND_CONTRAST"]) else "#ffffff"
    )
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
