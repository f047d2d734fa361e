"""The routes of the log-in through OpenID Connect (see ``oidc``).

Starting the flow is a POST with the CSRF token: started by a logged-in
person it links the provider to their account, so no other site may start it
for them. The provider sends the person back to ``/inloggen/oidc/<key>/terug``
(the redirect URI registered at the provider).
"""

import time

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError
from authlib.integrations.base_client import OAuthError
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required
from joserfc.errors import JoseError
from sqlalchemy.exc import IntegrityError

from participatie.core.accounts import oidc
from participatie.core.accounts.forms import RegisterForm
from participatie.core.accounts.identities import OidcIdentity
from participatie.core.accounts.sessions import start_session
from participatie.core.accounts.twofactor_views import landing
from participatie.core.accounts.views import bp
from participatie.extensions import db
from participatie.forms import Form
from participatie.security import origin
from participatie.security import safe_next_url

#: The flow started here: provider, log in or link, for whom, where to go after.
FLOW = "oidc_flow"
#: Claims of a first log-in, until the person has chosen a display name.
PENDING = "oidc_pending"
PENDING_SECONDS = 15 * 60


class OidcAccountForm(Form):
    display_name = RegisterForm.display_name
    house_rules = RegisterForm.house_rules


class StartForm(Form):
    """An empty form: only its CSRF token matters."""


def _problem(message: str, status: int = 400, provider=None):
    return (
        render_template("accounts/oidc_problem.html", message=message, provider=provider),
        status,
    )


def _unknown(key: str):
    return _problem(_("There is no log-in service called “%(key)s” here.", key=key[:40]))


@bp.post("/inloggen/oidc/<key>")
def oidc_start(key):
    config = oidc.provider(key)
    if config is None:
        return _unknown(key)
    if not StartForm().validate_on_submit():
        return _problem(_("The form was open too long or was sent twice. Go back and try again."))
    linking = current_user.is_authenticated
    session[FLOW] = {
        "provider": key,
        "link_user": current_user.id if linking else None,
        "next": safe_next_url(request.form.get("next")),
    }
    client = oidc.client(key)
    try:
        metadata = client.load_server_metadata()
        if not _same_issuer(metadata, config):
            return _unreachable(config)
        response = client.authorize_redirect(redirect_uri(key))
    except (requests.RequestException, ValueError, AuthlibBaseError):
        return _unreachable(config)
    target = response.headers["Location"]
    if origin(target) != origin(config.issuer):
        # The page's CSP lets forms lead to the issuer's host only; a link leads anywhere.
        return render_template("accounts/oidc_continue.html", provider=config, url=target)
    return response


def redirect_uri(key: str) -> str:
    """``<PUBLIC_URL>/inloggen/oidc/<key>/terug``: the address registered at the provider.

    Built from ``PUBLIC_URL``, not from the request, so that it is the same
    behind a proxy that ends TLS as in the README's instructions.
    """
    return current_app.config["PUBLIC_URL"] + url_for("accounts.oidc_callback", key=key)


def _same_issuer(metadata: dict, config) -> bool:
    # OpenID Connect Discovery: the document's issuer is the one asked for.
    return str(metadata.get("issuer", "")).rstrip("/") == config.issuer.rstrip("/")


def _unreachable(config):
    return _problem(
        _(
            "The log-in service %(provider)s cannot be reached now. Try again later, "
            "or log in with your email address.",
            provider=config.label,
        ),
        503,
        config,
    )


@bp.get("/inloggen/oidc/<key>/terug")
def oidc_callback(key):
    config = oidc.provider(key)
    if config is None:
        return _unknown(key)
    flow = session.pop(FLOW, None)
    if request.args.get("error"):
        _forget_state(key)
        if request.args.get("error") == "access_denied":
            message = _("You stopped the log-in at %(provider)s.", provider=config.label)
        else:
            message = _(
                "%(provider)s answered with an error (%(error)s). Try again later.",
                provider=config.label,
                error=request.args.get("error")[:60],
            )
        return _problem(message, 400, config)
    if flow is None or flow.get("provider") != key:
        _forget_state(key)
        return _not_ours(config)
    client = oidc.client(key)
    try:
        metadata = client.load_server_metadata()
        if not _same_issuer(metadata, config):
            return _unreachable(config)
        token = client.authorize_access_token(claims_options=_id_token_rules(metadata))
        claims = token.get("userinfo")
        if not claims:
            # No ID token, or none checked against a nonce: not a log-in.
            return _not_ours(config)
        claims = dict(claims)
        if metadata.get("userinfo_endpoint"):
            more = dict(client.userinfo(token=token))
            if more.get("sub") != claims["sub"]:
                return _not_ours(config)
            claims = {**more, **claims}
    except MismatchingStateError:
        return _not_ours(config)
    except JoseError:
        return _problem(
            _(
                "The answer of %(provider)s could not be checked (its ID token is not valid "
                "for this log-in). Start the log-in again.",
                provider=config.label,
            ),
            400,
            config,
        )
    except OAuthError:
        return _problem(
            _(
                "%(provider)s did not accept the log-in (it may have been used already). "
                "Start the log-in again.",
                provider=config.label,
            ),
            400,
            config,
        )
    except (requests.RequestException, ValueError):
        return _unreachable(config)
    return _finish(config, flow, oidc.Claims.map(config, claims))


def _id_token_rules(metadata: dict) -> dict:
    return {
        "iss": {"essential": True, "values": [metadata["issuer"]]},
        "sub": {"essential": True},
        "aud": {"essential": True},
        "exp": {"essential": True},
        "iat": {"essential": True},
        "nonce": {"essential": True},
    }


def _forget_state(key: str) -> None:
    """Drop Authlib's state of ``key``'s unfinished log-ins from the session."""
    for name in [name for name in session if name.startswith(f"_state_{key}_")]:
        session.pop(name)


def _not_ours(config):
    return _problem(
        _(
            "This answer from %(provider)s does not belong to a log-in started in this "
            "browser, or it was used already. Start the log-in again.",
            provider=config.label,
        ),
        400,
        config,
    )


def _finish(config, flow, claims):
    identity = oidc.find_identity(config.key, claims.subject)
    if flow.get("link_user") is not None:
        return _finish_link(config, flow, claims, identity)
    if identity is None:
        session[PENDING] = {
            "provider": config.key,
            "claims": claims.to_session(),
            "next": flow.get("next"),
            "at": int(time.time()),
        }
        return redirect(url_for("accounts.oidc_new_account", key=config.key))
    user = db.session.get(oidc.User, identity.user_id)
    if user.blocked_at is not None:
        return _problem(
            _("This account is blocked. Contact us if you think this is a mistake."), 403, config
        )
    oidc.log_in(identity, claims)
    db.session.commit()
    if not start_session(user, next_url=flow.get("next")):
        return redirect(url_for("accounts.two_factor_login"))
    flash(_("You are logged in with %(provider)s.", provider=config.label), "success")
    return redirect(landing(user, flow.get("next")))


def _finish_link(config, flow, claims, identity):
    if not current_user.is_authenticated or current_user.id != flow["link_user"]:
        return _not_ours(config)
    user = current_user._get_current_object()
    if identity is not None and identity.user_id == user.id:
        oidc.log_in(identity, claims)
        db.session.commit()
        flash(_("Your account was already linked to %(provider)s.", provider=config.label), "info")
    elif identity is not None:
        flash(
            _(
                "This %(provider)s log-in is linked to another account. Log in with it to "
                "unlink it there first.",
                provider=config.label,
            ),
            "error",
        )
    elif oidc.identity_of(user, config.key) is not None:
        flash(
            _(
                "Your account is linked to another %(provider)s log-in. Unlink it first.",
                provider=config.label,
            ),
            "error",
        )
    else:
        try:
            oidc.link(user, config.key, claims)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            return _problem(_("This log-in was linked at the same moment. Try again."), 409)
        flash(_("Your account is linked to %(provider)s.", provider=config.label), "success")
    return redirect(url_for("accounts.account"))


@bp.route("/inloggen/oidc/<key>/account", methods=["GET", "POST"])
def oidc_new_account(key):
    config = oidc.provider(key)
    if config is None:
        return _unknown(key)
    pending = session.get(PENDING)
    fresh = pending and time.time() - pending.get("at", 0) < PENDING_SECONDS
    if not fresh or pending.get("provider") != key:
        session.pop(PENDING, None)
        return _problem(
            _("This step of the log-in has expired. Start the log-in again."), 400, config
        )
    claims = oidc.Claims.from_session(pending["claims"])
    form = OidcAccountForm(display_name=claims.name)
    if form.validate_on_submit():
        user = None
        if oidc.find_identity(key, claims.subject) is None:
            try:
                user = oidc.create_account(key, claims, form.display_name.data, str(get_locale()))
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
        if user is None:
            # Made a moment ago (the form sent twice): log in to it as usual.
            identity = oidc.find_identity(key, claims.subject)
            if identity is None:
                return _problem(_("This log-in was linked at the same moment. Try again."), 409)
            user = oidc.log_in(identity, claims)
            db.session.commit()
        if not start_session(user, next_url=pending.get("next")):
            # Made a moment ago in another tab, where two-step verification was set up since.
            return redirect(url_for("accounts.two_factor_login"))
        flash(
            _("Your account is made. You are logged in with %(provider)s.", provider=config.label),
            "success",
        )
        return redirect(pending.get("next") or url_for("accounts.account"))
    return (
        render_template("accounts/oidc_new_account.html", form=form, provider=config),
        400 if form.errors else 200,
    )


@bp.post("/account/oidc/<key>/ontkoppelen")
@login_required
def oidc_unlink(key):
    config = oidc.provider(key)
    if config is None:
        return _unknown(key)
    if not StartForm().validate_on_submit():
        return _problem(_("The form was open too long or was sent twice. Go back and try again."))
    user = current_user._get_current_object()
    identity = oidc.identity_of(user, key)
    if identity is None:
        flash(_("Your account is not linked to %(provider)s.", provider=config.label), "info")
    elif not oidc.can_unlink(user, identity):
        flash(
            _(
                "You log in only with %(provider)s: without it you could not log in any more.",
                provider=config.label,
            ),
            "error",
        )
    else:
        oidc.unlink(user, identity)
        db.session.commit()
        flash(
            _("Your account is no longer linked to %(provider)s.", provider=config.label),
            "success",
        )
    return redirect(url_for("accounts.account"))


def linked_providers(user) -> list[tuple]:
    """(provider, identity or None) for every configured provider, for the account page."""
    identities: dict[str, OidcIdentity] = {i.provider: i for i in user.oidc_identities}
    return [(config, identities.get(key)) for key, config in oidc.providers().items()]
