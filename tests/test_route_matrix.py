"""Every route, tried as every kind of visitor.

What a visitor may not do gets 403 or the log-in page, never data. The test
fails when a route is added without a line in ``ACCESS``. With a plugin
switched off for the process, every route of that plugin that reaches the
process answers 404 (or still refuses the visitor): that is what the guards of
``participatie.core.roles.guards`` do, so a route without them fails here.
"""

import pytest
import sqlalchemy as sa
from participatie import plugins
from participatie.builtin.ideas.models import Idea
from participatie.builtin.summaries.figures import empty_api
from participatie.core.moderation.models import Report
from participatie.core.processes.models import Process
from participatie.core.processes.service import set_enabled
from participatie.core.roles.models import RoleAssignment
from participatie.extensions import db

from tests.conftest import csrf_token
from tests.conftest import login

VISITORS = (
    "anonymous",
    "resident",
    "other_facilitator",
    "facilitator",
    "councillor",
    "administrator",
)
EVERYONE = set(VISITORS)
LOGGED_IN = EVERYONE - {"anonymous"}
STAFF = {"other_facilitator", "facilitator", "administrator"}
FACILITATORS_OF_IT = {"facilitator", "administrator"}
ADMINISTRATORS = {"administrator"}
COUNCIL_READERS = STAFF | {"councillor"}

#: endpoint -> who may use it
ACCESS = {
    "static": EVERYONE,
    "pages.home": EVERYONE,
    "pages.info": EVERYONE,
    "pages.favicon": EVERYONE,
    "pages.favicon_ico": EVERYONE,
    "pages.language": EVERYONE,
    "pages.theme": EVERYONE,
    "pages.logo": EVERYONE,
    "accounts.login": EVERYONE,
    "accounts.logout": EVERYONE,
    "accounts.stay_logged_in": LOGGED_IN,
    "accounts.register": EVERYONE,
    "accounts.confirm": EVERYONE,
    "accounts.reset_request": EVERYONE,
    "accounts.reset_password": EVERYONE,
    "accounts.account": LOGGED_IN,
    "accounts.update_profile": LOGGED_IN,
    "accounts.change_password": LOGGED_IN,
    "accounts.resend_confirmation": LOGGED_IN,
    "accounts.update_details": LOGGED_IN,
    "accounts.my_page": LOGGED_IN,
    "accounts.export_data": LOGGED_IN,
    "accounts.delete_account": LOGGED_IN,
    "accounts.change_email": LOGGED_IN,
    "accounts.confirm_email_change": EVERYONE,
    # Two-step verification: the log-in's code step (without a pending log-in it
    # sends to the log-in page), the set-up, new recovery codes and turning it off.
    "accounts.two_factor_login": EVERYONE,
    "accounts.two_factor_setup": LOGGED_IN,
    "accounts.two_factor_recovery_codes": LOGGED_IN,
    "accounts.two_factor_disable": LOGGED_IN,
    # Log-in through OpenID Connect (no provider configured here: a clear 400).
    "accounts.oidc_start": EVERYONE,
    "accounts.oidc_callback": EVERYONE,
    "accounts.oidc_new_account": EVERYONE,
    "accounts.oidc_unlink": LOGGED_IN,
    "areas.detail": EVERYONE,
    "areas.map_geojson": EVERYONE,
    "processes.detail": EVERYONE,
    "api.framing_history": EVERYONE,
    "processes.follow_process": LOGGED_IN,
    "processes.manage": STAFF,
    "processes.create": STAFF,
    "processes.check_new": STAFF,
    "processes.edit": FACILITATORS_OF_IT,
    "processes.check": FACILITATORS_OF_IT,
    "processes.close_phase": FACILITATORS_OF_IT,
    "processes.close": FACILITATORS_OF_IT,
    "processes.reopen": FACILITATORS_OF_IT,
    "processes.history": EVERYONE,
    "admin.index": ADMINISTRATORS,
    "admin.accounts": ADMINISTRATORS,
    "admin.account": ADMINISTRATORS,
    "admin.add_role": ADMINISTRATORS,
    "admin.remove_role": ADMINISTRATORS,
    "admin.block": ADMINISTRATORS,
    "admin.unblock": ADMINISTRATORS,
    "admin.export_account": ADMINISTRATORS,
    "admin.erase_account": ADMINISTRATORS,
    "admin.turn_off_two_step": ADMINISTRATORS,
    "admin.areas": ADMINISTRATORS,
    "admin.add_stadsdeel": ADMINISTRATORS,
    "admin.place_wijk": ADMINISTRATORS,
    "admin.import_file": ADMINISTRATORS,
    "admin.audit_log": ADMINISTRATORS,
    "admin.mail": ADMINISTRATORS,
    "admin.retry_mail": ADMINISTRATORS,
    "notifications.unsubscribe": EVERYONE,
    "notifications.settings": LOGGED_IN,
    "ideas.index": EVERYONE,
    "ideas.create": LOGGED_IN,
    "ideas.detail": EVERYONE,
    "ideas.photo": EVERYONE,
    "ideas.follow_idea": LOGGED_IN,
    "ideas.edit": set(),  # its author only, and none of these visitors wrote it
    "ideas.withdraw": set(),
    "ideas.update": set(),
    "comments.create": LOGGED_IN,
    "comments.page": EVERYONE,
    "comments.edit": set(),  # its author only
    "comments.delete": set(),
    "votes.support": LOGGED_IN,
    "votes.withdraw": LOGGED_IN,
    "votes.settings": FACILITATORS_OF_IT,
    "ideas.create_offline": FACILITATORS_OF_IT,
    "ideas.import_csv": FACILITATORS_OF_IT,
    "ideas.import_confirm": FACILITATORS_OF_IT,
    "api_ideas.index": EVERYONE,
    "api_ideas.detail": EVERYONE,
    "feedback.answer": FACILITATORS_OF_IT,
    "feedback.overview": FACILITATORS_OF_IT,
    "feedback.bulk": FACILITATORS_OF_IT,
    "feedback.templates": FACILITATORS_OF_IT,
    "feedback.delete_template": FACILITATORS_OF_IT,
    "feedback.execution": FACILITATORS_OF_IT,
    "feedback.report": EVERYONE,
    "feedback.save_summary": FACILITATORS_OF_IT,
    "summaries.page": EVERYONE,
    "summaries.export_csv": EVERYONE,
    "summaries.export_json": EVERYONE,
    "summaries.summary_pdf": EVERYONE,
    "summaries.area_overview": EVERYONE,
    "summaries.dashboard": COUNCIL_READERS,
    "summaries.choose_areas": COUNCIL_READERS,
    "api_summaries.api_summary": EVERYONE,
    "api.openapi": EVERYONE,
    "api.areas": EVERYONE,
    "api.area": EVERYONE,
    "api.processes": EVERYONE,
    "api.process": EVERYONE,
    "moderation.report_form": LOGGED_IN,
    "moderation.report": LOGGED_IN,
    "moderation.reports": FACILITATORS_OF_IT,
    "moderation.hide": FACILITATORS_OF_IT,
    "moderation.dismiss": FACILITATORS_OF_IT,
    "ideas.merge": FACILITATORS_OF_IT,
    "budgets.ballot": EVERYONE,
    "budgets.totals": EVERYONE,
    "budgets.results": EVERYONE,
    "budgets.photo": EVERYONE,
    "budgets.manage": FACILITATORS_OF_IT,
    "budgets.new_project": FACILITATORS_OF_IT,
    "budgets.edit_project": FACILITATORS_OF_IT,
    "budgets.delete_project": FACILITATORS_OF_IT,
    "budgets.publish": FACILITATORS_OF_IT,
    "budgets.deviation": FACILITATORS_OF_IT,
    "budgets.import_pb": FACILITATORS_OF_IT,
    "budgets.export_pb": FACILITATORS_OF_IT,
    "api_budgets.budget": EVERYONE,
    "codes.manage": FACILITATORS_OF_IT,
    "codes.redeem": EVERYONE,
    "codes.birth_year": LOGGED_IN,  # or a voting code's holder
    "codes.update_address": LOGGED_IN,
    "admin.address_register": ADMINISTRATORS,
    "agenda.partners": STAFF,
    "agenda.new_partner": STAFF,
    "agenda.edit_partner": FACILITATORS_OF_IT,
    "agenda.delete_partner": FACILITATORS_OF_IT,
    "agenda.area_manage": FACILITATORS_OF_IT,
    "agenda.person_form": FACILITATORS_OF_IT,
    "agenda.delete_person": FACILITATORS_OF_IT,
    "agenda.agenda_form": FACILITATORS_OF_IT,
    "agenda.task_form": FACILITATORS_OF_IT,
    "agenda.works": FACILITATORS_OF_IT,
    "agenda.work_form": FACILITATORS_OF_IT,
    "agenda.work_status": FACILITATORS_OF_IT,
    "agenda.make_work": FACILITATORS_OF_IT,
    "agenda.import_plan": FACILITATORS_OF_IT,
    "agenda.coupling": FACILITATORS_OF_IT,
    "agenda.decide": FACILITATORS_OF_IT,
    "agenda.process_link": FACILITATORS_OF_IT,
    "agenda.take_limit": FACILITATORS_OF_IT,
    "agenda.choose": EVERYONE,
    "agenda.neighbourhood": EVERYONE,
    "agenda.neighbourhood_map": EVERYONE,
    "agenda.progress": COUNCIL_READERS,
    "agenda.progress_pdf": COUNCIL_READERS,
    "api_agenda.area_agenda": EVERYONE,
    "api_agenda.area_works": EVERYONE,
    "api_agenda.partners": EVERYONE,
}


#: Arguments that tie a route to the process of the ``world``.
PROCESS_ARGUMENTS = {"slug", "idea_id", "comment_id", "template_id", "report_id", "project_id"}

#: API lists that answer as if empty, not 404, while their plugin is off.
EMPTY_WHILE_OFF = {
    "api_ideas.index": lambda: {"items": [], "next": None},
    "api_summaries.api_summary": empty_api,
}

#: Argument values that differ for one endpoint.
OVERRIDES = {"pages.info": {"slug": "huisregels"}, "pages.language": {"code": "en"}}


@pytest.fixture
def world(app, create_process, create_user, grant, create_idea):
    """One published process in Enschede-Zuid, and an account for every visitor."""
    process = create_process(area_code="WK015306", status="published")
    users = {name: create_user(email=f"{name}@example.org") for name in VISITORS[1:]}
    grant(users["other_facilitator"], "facilitator", "WK015300")
    grant(users["facilitator"], "facilitator", "WK015306")
    grant(users["councillor"], "councillor", "GM0153")
    grant(users["administrator"], "administrator")
    with app.app_context():
        idea = Idea(process_id=process.id, author_id=users["resident"].id, title="Een idee")
        db.session.add(idea)
        db.session.flush()
        report = Report(
            process_id=process.id,
            kind="idea",
            object_id=idea.id,
            reporter_id=users["resident"].id,
            reason="Beledigend",
        )
        db.session.add(report)
        db.session.commit()
        idea_id, report_id = idea.id, report.id
        role_id = db.session.scalar(
            sa.select(RoleAssignment.id).where(RoleAssignment.user_id == users["resident"].id)
        ) or db.session.scalar(sa.select(RoleAssignment.id))
    idea_id = create_idea(process)
    with app.app_context():
        from participatie.builtin.feedback.models import AnswerTemplate

        template = AnswerTemplate(process_id=process.id, title="Sjabloon", text="Tekst")
        db.session.add(template)
        db.session.commit()
        template_id = template.id
        from participatie.builtin.comments.models import Comment

        comment = Comment(idea_id=idea_id, text="Eens")
        db.session.add(comment)
        db.session.commit()
        comment_id = comment.id
        from participatie.builtin.budgets.models import BudgetVote
        from participatie.builtin.budgets.models import Project

        vote = BudgetVote(process_id=process.id, budget=10_000, rule="greedy")
        project = Project(vote=vote, title="Een bankje", cost=2_000, direct_reason="Voorbeeld")
        db.session.add_all([vote, project])
        db.session.commit()
        project_id = project.id
        agenda_values = _agenda_world()
    values = {
        **agenda_values,
        "project_id": project_id,
        "idea_id": idea_id,
        "template_id": template_id,
        "comment_id": comment_id,
        "slug": process.slug,
        "code": "WK015306",
        "user_id": users["resident"].id,
        "role_id": role_id,
        "token": "no-such-token",
        "filename": "css/site.css",
        "report_id": report_id,
        "key": "digid",
    }
    return users, values


def _agenda_world() -> dict:
    """A partner, a person, an agenda with a task, and two works that make a coupling chance."""
    from datetime import date

    from participatie.builtin.agenda.models import Agenda
    from participatie.builtin.agenda.models import AreaPerson
    from participatie.builtin.agenda.models import Partner
    from participatie.builtin.agenda.models import Task
    from participatie.builtin.agenda.models import Work
    from participatie.core.areas.models import Area

    wijk = db.session.scalar(sa.select(Area).where(Area.code == "WK015306"))
    buurt = next(child for child in wijk.children if child.level == "buurt")
    partner = Partner(name="Welbions", kind="housing-corporation", areas=[wijk])
    person = AreaPerson(area=wijk, role="wijkagent", name="Wijkagent", phone="0900-8844")
    agenda = Agenda(area=wijk, title="Wijkagenda", period_start=2026, period_end=2029)
    task = Task(agenda=agenda, title="Groen", domain="fysiek", change="Meer groen")
    works = [
        Work(
            area=wijk,
            year=2026,
            title=title,
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 6, 1),
            owner=owner,
            buurten=[buurt],
        )
        for title, owner in (("Riool", None), ("Renovatie", partner))
    ]
    db.session.add_all([partner, person, agenda, task, *works])
    db.session.commit()
    return {
        "partner_id": partner.id,
        "person_id": person.id,
        "agenda_id": agenda.id,
        "task_id": task.id,
        "work_id": works[0].id,
        "first_id": works[0].id,
        "second_id": works[1].id,
    }


def _routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule, method


def test_every_route_has_an_access_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(ACCESS) == set(), "add the new routes to ACCESS"


def _client(app, users, visitor):
    """A test client logged in as ``visitor``, and its CSRF token."""
    client = app.test_client()
    if visitor != "anonymous":
        assert login(client, users[visitor].email).status_code == 302
    token = (
        csrf_token(client, "/inloggen")
        if visitor == "anonymous"
        else csrf_token(client, "/account")
    )
    return client, token


def _call(client, token, rule, method, values):
    """Request ``rule`` with ``method``; the URL, the response and whether it refused."""
    arguments = {name: values[name] for name in rule.arguments}
    arguments.update(OVERRIDES.get(rule.endpoint, {}))
    url = rule.build(arguments, append_unknown=False)[1]
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={"csrf_token": token})
    response.close()
    status = response.status_code
    to_login = status == 302 and response.headers["Location"].startswith("/inloggen")
    return url, response, status == 403 or to_login, to_login


@pytest.mark.parametrize("visitor", VISITORS)
def test_every_route_answers_each_visitor_as_allowed(app, world, visitor):
    users, values = world
    client, token = _client(app, users, visitor)
    failures = []
    for rule, method in _routes(app):
        if rule.endpoint in ("accounts.logout",):
            continue  # would end the session the other routes are tried with
        url, response, refused, to_login = _call(client, token, rule, method, values)
        status = response.status_code
        allowed = visitor in ACCESS[rule.endpoint]
        if status >= 500:
            failures.append(f"{method} {url}: {status}")
        elif not allowed and not refused:
            failures.append(f"{method} {url}: {visitor} got {status}, not 403 or the log-in page")
        elif allowed and status == 403:
            failures.append(f"{method} {url}: {visitor} was refused")
        elif allowed and to_login and visitor != "anonymous":
            failures.append(f"{method} {url}: {visitor} was sent to log in")
    assert failures == []


def _plugin_of(app) -> dict[str, str]:
    """Blueprint name -> name of the plugin it belongs to."""
    registry = app.extensions["participatie.plugins"]
    return {bp.name: plugin.name for plugin in registry.values() for bp in plugin.blueprints}


@pytest.mark.parametrize("plugin", plugins.BUILTIN)
def test_a_plugin_switched_off_closes_all_its_routes_of_the_process(app, world, plugin):
    users, values = world
    with app.app_context():
        process = db.session.scalar(sa.select(Process).where(Process.slug == values["slug"]))
        set_enabled(process, plugin, False)
        db.session.commit()
    owner = _plugin_of(app)
    routes = [
        (rule, method)
        for rule, method in _routes(app)
        if owner.get(rule.endpoint.split(".")[0]) == plugin
        and PROCESS_ARGUMENTS & set(rule.arguments)
    ]
    assert routes, f"the {plugin} plugin has no routes that reach a process"
    failures = []
    for visitor in VISITORS:
        client, token = _client(app, users, visitor)
        for rule, method in routes:
            url, response, refused, _ = _call(client, token, rule, method, values)
            status = response.status_code
            if rule.endpoint in EMPTY_WHILE_OFF:
                if status != 200 or response.get_json() != EMPTY_WHILE_OFF[rule.endpoint]():
                    failures.append(f"{method} {url}: {visitor} got data from a plugin that is off")
            elif visitor in ACCESS[rule.endpoint] and status != 404:
                failures.append(f"{method} {url}: {visitor} got {status}, not 404")
            elif status != 404 and not refused:
                failures.append(f"{method} {url}: {visitor} got {status}, not 404 or a refusal")
    assert failures == []
