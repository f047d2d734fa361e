"""Security headers, safe redirects and the HTML sanitiser."""

from urllib.parse import urlsplit

import bleach
from flask import abort
from flask import current_app
from flask import request
from werkzeug.routing import IntegerConverter

# No inline script or style anywhere: everything the pages need is a file
# served by the app itself. htmx is configured (in base.html) to work within this.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


def tile_source(url_template: str) -> str | None:
    """The CSP source of a Leaflet tile URL template, or None when it is not http(s).

    Leaflet's ``{s}`` placeholder stands for a subdomain, so it becomes ``*``.
    """
    parts = urlsplit(url_template.replace("{s}", "*"))
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def origin(url: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) URL, or None."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(config) -> str:
    """The CSP; it allows images from the map tile server when one is configured.

    Tiles are the only thing the site may load from another host, and only
    when the operator chose a tile server (``MAP_TILE_URL``). Forms may also
    lead to the configured OpenID Connect providers: the log-in button is a
    POST that the app answers with a redirect to the provider.
    """
    policy = CONTENT_SECURITY_POLICY
    source = tile_source(config.get("MAP_TILE_URL") or "")
    if source is not None:
        policy = policy.replace("img-src 'self'", f"img-src 'self' {source}")
    providers = (config.get("OIDC_PROVIDERS") or {}).values()
    forms = sorted({origin(provider.issuer) for provider in providers} - {None})
    if forms:
        policy = policy.replace("form-action 'self'", "form-action 'self' " + " ".join(forms))
    return policy


def set_security_headers(response):
    """after_request: the same security headers on every response."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(current_app.config))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault(
        "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    )
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def safe_next_url(target: str | None) -> str | None:
    """Return ``target`` when it is a path on this site, else None (no open redirect)."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 for char in target):
        return None
    return target


ALLOWED_TAGS = frozenset({"p", "br", "ul", "ol", "li", "strong", "em", "a"})
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    # Only a link's target survives; event handlers (on*), htmx attributes
    # (hx-*, data-hx-*) and styles are dropped with everything else.
    return tag == "a" and name in {"href", "title"}


def _link_rel(attrs, new=False):
    attrs[(None, "rel")] = "nofollow ugc"
    return attrs


def clean_html(html: str) -> str:
    """Sanitise HTML made from user input: a small allowlist, links nofollow ugc.

    Links with a scheme outside http, https and mailto (javascript:, data:,
    vbscript:) lose their href.
    """
    cleaned = bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    return bleach.linkify(
        cleaned, callbacks=[_link_rel], skip_tags={"pre", "code"}, parse_email=False
    )


class BoundedIntegerConverter(IntegerConverter):
    """``<int:...>`` in every route, limited to ids a database column can hold.

    Werkzeug's own converter accepts any number of digits; an id past the
    column's range then made the database raise (2**63 on SQLite, 2**31 on
    PostgreSQL). Past ``MAX_ID`` the route does not match: 404.
    """

    MAX_ID = 2**31 - 1

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(map, fixed_digits, min, self.MAX_ID if max is None else max, signed)


def refuse_nul_in_url():
    """Refuse a NUL byte in the path or the query (PostgreSQL cannot take one): 400."""
    if "\x00" in request.path or any(
        "\x00" in key or "\x00" in value for key, values in request.args.lists() for value in values
    ):
        abort(400)
