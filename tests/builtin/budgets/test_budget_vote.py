"""The budget vote through its pages: rules, drafts, casting, freezing, counting, publishing."""

import re
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from participatie.builtin.budgets import service
from participatie.builtin.budgets.models import Ballot
from participatie.builtin.budgets.models import BallotChoice
from participatie.builtin.budgets.models import BudgetVote
from participatie.builtin.budgets.models import Project
from participatie.core.audit.models import AuditEvent
from participatie.core.processes.framing import check_framing
from participatie.core.processes.models import Process
from participatie.extensions import db
from participatie.extensions import utcnow

from tests.conftest import csrf_token
from tests.conftest import login

BUDGET = 30_000
COSTS = {"Bankjes": 5_000, "Speeltuin": 20_000, "Bomen": 10_000, "Muurschildering": 4_000}


def _open_vote(app, slug, min_projects=2, max_projects=3, **settings):
    """Make the process's first phase a budget phase, open now, with a vote and projects."""
    with app.app_context():
        process = db.session.scalar(sa.select(Process).where(Process.slug == slug))
        now = utcnow()
        process.phases[0].allows_budget = True
        process.phases[0].starts_at = now - timedelta(days=1)
        process.phases[0].ends_at = now + timedelta(days=10)
        limit = process.fixed_limits[0]
        limit.kind, limit.amount = "budget", BUDGET
        vote = BudgetVote(
            process_id=process.id,
            budget=BUDGET,
            rule=settings.pop("rule", "greedy"),
            min_projects=min_projects,
            max_projects=max_projects,
            **settings,
        )
        db.session.add(vote)
        for title, cost in COSTS.items():
            db.session.add(Project(vote=vote, title=title, cost=cost, direct_reason="Test"))
        db.session.commit()
        return {p.title: p.id for p in vote.projects}


@pytest.fixture
def voting(app, create_process, create_user, grant):
    process = create_process(status="published", slug="wijkbudget")
    projects = _open_vote(app, process.slug)
    facilitator = create_user(email="begeleider@example.org")
    grant(facilitator, "facilitator", "WK015306")
    return process, projects, facilitator


def _cast(client, slug, ids, action="cast"):
    token = csrf_token(client, f"/processen/{slug}/begroting")
    data = {"csrf_token": token, "action": action, "project": [str(i) for i in ids]}
    return client.post(f"/processen/{slug}/begroting", data=data)


def _ballots(app, slug):
    with app.app_context():
        vote = service.vote_of(db.session.scalar(sa.select(Process.id).where(Process.slug == slug)))
        rows = db.session.execute(
            sa.select(Ballot.user_id, BallotChoice.project_id)
            .join(BallotChoice, BallotChoice.ballot_id == Ballot.id)
            .where(Ballot.vote_id == vote.id, Ballot.cast_at.is_not(None))
        ).all()
        ballots: dict[int, set[int]] = {}
        for user_id, project_id in rows:
            ballots.setdefault(user_id, set()).add(project_id)
        return ballots


def test_the_framing_check_ties_a_budget_phase_to_a_budget_limit(app, create_process):
    process = create_process(status="published", slug="kaders")
    with app.app_context():
        stored = db.session.get(Process, process.id)
        stored.phases[0].allows_budget = True
        assert "budget-without-vote" in check_framing(stored).codes()
        db.session.add(BudgetVote(process_id=stored.id, budget=BUDGET, rule="greedy"))
        db.session.flush()
        codes = {finding.code for finding in check_framing(stored).blocking}
        assert "budget-limit-mismatch" in codes
        stored.fixed_limits[0].kind, stored.fixed_limits[0].amount = "budget", BUDGET - 1
        assert "budget-limit-mismatch" in check_framing(stored).codes()
        stored.fixed_limits[0].amount = BUDGET
        assert not {f.code for f in check_framing(stored).blocking if f.code.startswith("budget")}
        db.session.rollback()


def test_residents_see_the_rules_in_plain_dutch_before_they_vote(client, voting):
    process, projects, _ = voting
    page = client.get(f"/processen/{process.slug}/begroting").get_data(as_text=True)
    assert "Je kiest 2 tot 3 projecten." in page
    assert "€\u00a030.000" in page
    assert "advies aan" in page  # a consult process: the outcome is advice
    assert "Log in om te stemmen" in page
    for title in COSTS:
        assert title in page
    process_page = client.get(f"/processen/{process.slug}").get_data(as_text=True)
    assert "Stem nu" in process_page


def test_check_my_choice_without_javascript_lists_every_rule_not_met_and_keeps_it(
    client, voting, create_user
):
    process, projects, _ = voting
    resident = create_user()
    login(client, resident.email)
    chosen = [projects["Speeltuin"], projects["Bomen"], projects["Bankjes"]]
    response = _cast(client, process.slug, chosen, "check")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "meer dan €\u00a030.000" in page
    assert re.search(rf'value="{projects["Speeltuin"]}" id="choose-\d+" checked', page)
    one = _cast(client, process.slug, [projects["Bankjes"]], "check").get_data(as_text=True)
    assert "Kies minstens 2 projecten" in one
    # The check is a draft kept on the server: the choice is there on a new visit.
    again = client.get(f"/processen/{process.slug}/begroting").get_data(as_text=True)
    assert re.search(rf'value="{projects["Bankjes"]}" id="choose-\d+" checked', again)


def test_a_ballot_that_breaks_a_rule_is_refused_and_nothing_is_stored(
    app, client, voting, create_user
):
    process, projects, _ = voting
    resident = create_user()
    login(client, resident.email)
    too_much = [projects["Speeltuin"], projects["Bomen"], projects["Bankjes"]]
    assert _cast(client, process.slug, too_much).status_code == 400
    too_many = list(projects.values())
    assert _cast(client, process.slug, too_many).status_code == 400
    unknown = [projects["Bankjes"], 999_999]
    assert _cast(client, process.slug, unknown).status_code == 400
    assert _ballots(app, process.slug) == {}


def test_a_cast_ballot_can_be_changed_until_the_vote_closes_and_the_last_counts(
    app, client, voting, create_user
):
    process, projects, _ = voting
    resident = create_user()
    login(client, resident.email)
    first = [projects["Bankjes"], projects["Bomen"]]
    assert _cast(client, process.slug, first).status_code == 302
    second = [projects["Speeltuin"], projects["Muurschildering"]]
    assert _cast(client, process.slug, second).status_code == 302
    assert _ballots(app, process.slug) == {resident.id: set(second)}
    page = client.get("/mijn-pagina").get_data(as_text=True)
    assert process.slug in page and "2 projecten" in page
    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.action == "budgets.cast")
        ).all()
        assert len(events) == 2


def test_the_running_total_for_htmx_keeps_a_draft_that_a_second_device_sees(
    app, voting, create_user
):
    process, projects, _ = voting
    resident = create_user()
    phone, laptop = app.test_client(), app.test_client()
    login(phone, resident.email)
    token = csrf_token(phone, f"/processen/{process.slug}/begroting")
    response = phone.post(
        f"/processen/{process.slug}/begroting/totaal",
        data={"csrf_token": token, "project": [str(projects["Bankjes"])]},
        headers={"HX-Request": "true"},
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert fragment.lstrip().startswith("<section")
    assert "€\u00a025.000 over" in fragment
    login(laptop, resident.email)
    page = laptop.get(f"/processen/{process.slug}/begroting").get_data(as_text=True)
    assert re.search(rf'value="{projects["Bankjes"]}" id="choose-\d+" checked', page)
    assert _ballots(app, process.slug) == {}  # a draft is not a ballot


def test_costs_are_frozen_while_the_vote_is_open(app, client, voting):
    process, projects, facilitator = voting
    login(client, facilitator.email)
    page = client.get(f"/begroting/projecten/{projects['Bankjes']}/bewerken")
    assert page.status_code == 302
    token = csrf_token(client, f"/processen/{process.slug}/begroting/beheer")
    client.post(
        f"/begroting/projecten/{projects['Bankjes']}/bewerken",
        data={"csrf_token": token, "title": "Bankjes", "cost": "1", "direct_reason": "x"},
    )
    client.post(f"/begroting/projecten/{projects['Bomen']}/verwijderen", data={"csrf_token": token})
    with app.app_context():
        assert db.session.get(Project, projects["Bankjes"]).cost == COSTS["Bankjes"]
        assert db.session.get(Project, projects["Bomen"]) is not None


def test_eight_parallel_casts_of_one_voter_store_one_ballot_within_the_rules(
    app, voting, create_user
):
    process, projects, _ = voting
    resident = create_user()
    ids = list(projects.values())
    choices = [ids[i % 4 : i % 4 + 2] or ids[:2] for i in range(8)]
    choices = [c if len(c) == 2 else ids[:2] for c in choices]
    clients = [app.test_client() for _ in choices]
    tokens = []
    for client in clients:
        login(client, resident.email)
        tokens.append(csrf_token(client, f"/processen/{process.slug}/begroting"))
    barrier = threading.Barrier(len(clients))
    statuses = []

    def cast(client, token, choice):
        barrier.wait()
        data = {"csrf_token": token, "action": "cast", "project": [str(i) for i in choice]}
        statuses.append(client.post(f"/processen/{process.slug}/begroting", data=data).status_code)

    threads = [
        threading.Thread(target=cast, args=args)
        for args in zip(clients, tokens, choices, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ballots = _ballots(app, process.slug)
    assert list(ballots) == [resident.id]
    costs = {pid: COSTS[title] for title, pid in projects.items()}
    stored = ballots[resident.id]
    assert 2 <= len(stored) <= 3 and sum(costs[i] for i in stored) <= BUDGET
    assert stored in [set(c) for c in choices]
    with app.app_context():
        rows = db.session.scalar(sa.select(sa.func.count()).select_from(Ballot))
        assert rows == 1


def test_fifty_voters_at_once_give_fifty_ballots_all_within_the_rules(app, voting, create_user):
    process, projects, _ = voting
    voters = [create_user() for _ in range(50)]
    ids = list(projects.values())
    valid = [[ids[0], ids[2]], [ids[0], ids[3]], [ids[1], ids[3]], [ids[0], ids[2], ids[3]]]
    prepared = []
    for number, voter in enumerate(voters):
        client = app.test_client()
        login(client, voter.email)
        token = csrf_token(client, f"/processen/{process.slug}/begroting")
        prepared.append((client, token, valid[number % len(valid)]))
    barrier = threading.Barrier(10)
    statuses = []

    def run(batch):
        barrier.wait()
        for client, token, choice in batch:
            data = {"csrf_token": token, "action": "cast", "project": [str(i) for i in choice]}
            response = client.post(f"/processen/{process.slug}/begroting", data=data)
            statuses.append(response.status_code)

    threads = [threading.Thread(target=run, args=(prepared[i::10],)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 50
    ballots = _ballots(app, process.slug)
    assert len(ballots) == 50
    costs = {pid: COSTS[title] for title, pid in projects.items()}
    for choice in ballots.values():
        assert 2 <= len(choice) <= 3 and sum(costs[i] for i in choice) <= BUDGET
    with app.app_context():
        vote = service.vote_of(process.id)
        counted = service.approvals(vote)
        assert sum(counted.values()) == sum(len(c) for c in ballots.values())


def _close(app, slug):
    with app.app_context():
        process = db.session.scalar(sa.select(Process).where(Process.slug == slug))
        now = utcnow()
        process.phases[0].ends_at = now - timedelta(minutes=1)
        process.phases[0].starts_at = now - timedelta(days=2)
        db.session.commit()


def test_the_outcome_is_counted_published_unchanged_and_a_deviation_needs_a_reason(
    app, client, voting, create_user
):
    process, projects, facilitator = voting
    # Speeltuin + Bankjes by four, Bomen + Muurschildering by three.
    for number in range(7):
        voter = create_user()
        resident = app.test_client()
        login(resident, voter.email)
        choice = ["Speeltuin", "Bankjes"] if number < 4 else ["Bomen", "Muurschildering"]
        assert _cast(resident, process.slug, [projects[t] for t in choice]).status_code == 302
    _close(app, process.slug)
    assert client.get(f"/processen/{process.slug}/begroting/uitslag").status_code == 404
    login(client, facilitator.email)
    preview = client.get(f"/processen/{process.slug}/begroting/uitslag").get_data(as_text=True)
    assert "nog niet gepubliceerd" in preview
    token = csrf_token(client, f"/processen/{process.slug}/begroting/beheer")
    published = client.post(
        f"/processen/{process.slug}/begroting/publiceren", data={"csrf_token": token}
    )
    assert published.status_code == 302
    page = client.get(f"/processen/{process.slug}/begroting/uitslag").get_data(as_text=True)
    assert "Past niet meer in het budget" in page  # Bomen: 10,000 > 30,000 - 25,000
    api = client.get(f"/api/v1/processes/{process.slug}/budget").get_json()
    chosen = {p["title"] for p in api["projects"] if p["selected"]}
    assert chosen == {"Speeltuin", "Bankjes", "Muurschildering"}
    assert api["spent"] == 29_000 and api["leftover"] == 1_000
    assert api["status"] == "published" and api["ballots"] == 7 and api["voters"] == 7
    # The decision-maker deviates for Bomen: only with an explanation.
    token = csrf_token(client, f"/processen/{process.slug}/begroting/uitslag")
    url = f"/begroting/projecten/{projects['Bomen']}/besluit"
    client.post(url, data={"csrf_token": token, "decided": "1", "explanation": ""})
    with app.app_context():
        assert db.session.get(Project, projects["Bomen"]).decided is None
    client.post(url, data={"csrf_token": token, "decided": "1", "explanation": "Extra geld."})
    api = client.get(f"/api/v1/processes/{process.slug}/budget").get_json()
    bomen = next(p for p in api["projects"] if p["title"] == "Bomen")
    assert bomen["decision_deviates"] is True and bomen["selected"] is False
    summary = client.get(f"/processen/{process.slug}/samenvatting").get_data(as_text=True)
    assert "De begrotingsstemming" in summary and "Ter vergelijking, niet de uitkomst" in summary
    assert "7 stemmers brachten een stem uit." in summary
    pdf = client.get(f"/processen/{process.slug}/samenvatting.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    exported = client.get(f"/processen/{process.slug}/export.json").get_json()
    assert exported["budget"]["spent"] == 29_000
    # Publishing again changes nothing: the outcome is stored once.
    again = client.post(
        f"/processen/{process.slug}/begroting/publiceren", data={"csrf_token": token}
    )
    assert again.status_code == 302
    with app.app_context():
        assert db.session.get(Project, projects["Bomen"]).selected is False


def test_the_api_hides_counts_during_the_vote_and_answers_404_without_a_vote(
    app, client, voting, create_process
):
    process, projects, _ = voting
    data = client.get(f"/api/v1/processes/{process.slug}/budget").get_json()
    assert data["status"] == "open"
    assert {p["approvals"] for p in data["projects"]} == {None}
    assert {p["selected"] for p in data["projects"]} == {None}
    other = create_process(status="published", slug="zonder-begroting")
    response = client.get(f"/api/v1/processes/{other.slug}/budget")
    assert response.status_code == 404 and response.get_json() == {"error": "not_found"}


def test_facilitators_turn_ideas_into_projects(app, client, create_process, create_user, grant):
    process = create_process(status="published", slug="van-idee")
    facilitator = create_user()
    grant(facilitator, "facilitator", "WK015306")
    with app.app_context():
        from participatie.builtin.ideas.models import Idea

        idea = Idea(process_id=process.id, title="Een speeltuin", text="Voor de kinderen.")
        db.session.add(idea)
        db.session.add(BudgetVote(process_id=process.id, budget=BUDGET, rule="greedy"))
        db.session.commit()
        idea_id = idea.id
    login(client, facilitator.email)
    form = client.get(f"/processen/{process.slug}/begroting/projecten/nieuw?idee={idea_id}")
    assert 'value="Een speeltuin"' in form.get_data(as_text=True)
    token = csrf_token(client, f"/processen/{process.slug}/begroting/projecten/nieuw")
    url = f"/processen/{process.slug}/begroting/projecten/nieuw"
    refused = client.post(url, data={"csrf_token": token, "title": "Los", "cost": "100"})
    assert refused.status_code == 400
    assert "zeg waarom" in refused.get_data(as_text=True)
    assert 'value="Los"' in refused.get_data(as_text=True)
    data = {"csrf_token": token, "title": "Speeltuin", "cost": "20000", "ideas": [str(idea_id)]}
    assert client.post(url, data=data).status_code == 302
    with app.app_context():
        project = db.session.scalar(sa.select(Project).where(Project.title == "Speeltuin"))
        assert project.idea_ids == [idea_id] and project.cost == 20_000


def test_ideas_behind_chosen_projects_become_execution_items_and_merged_ones_are_named(
    app, client, voting, create_user
):
    process, projects, facilitator = voting
    from participatie.builtin.budgets.models import ProjectIdea
    from participatie.builtin.feedback.models import Execution
    from participatie.builtin.ideas.models import Idea

    with app.app_context():
        kept = Idea(process_id=process.id, title="Bankjes bij de vijver")
        duplicate = Idea(process_id=process.id, title="Zitplekken in het park")
        db.session.add_all([kept, duplicate])
        db.session.flush()
        duplicate.merged_into_id = kept.id
        db.session.add(ProjectIdea(project_id=projects["Bankjes"], idea_id=kept.id))
        db.session.commit()
        kept_id = kept.id
    page = client.get(f"/processen/{process.slug}/begroting").get_data(as_text=True)
    assert "samengevoegd met" in page and "Zitplekken in het park" in page
    for _number in range(2):
        resident = app.test_client()
        login(resident, create_user().email)
        chosen = [projects["Bankjes"], projects["Muurschildering"]]
        assert _cast(resident, process.slug, chosen).status_code == 302
    _close(app, process.slug)
    login(client, facilitator.email)
    token = csrf_token(client, f"/processen/{process.slug}/begroting/beheer")
    client.post(f"/processen/{process.slug}/begroting/publiceren", data={"csrf_token": token})
    with app.app_context():
        assert db.session.get(Execution, kept_id).owner == "Team Openbare Ruimte"
    results = client.get(f"/processen/{process.slug}/begroting/uitslag").get_data(as_text=True)
    assert f'href="/ideeen/{kept_id}/uitvoering"' in results


def test_a_choose_one_ballot_offers_radio_buttons_and_takes_exactly_one(
    app, client, create_process, create_user
):
    process = create_process(status="published", slug="kies-een")
    projects = _open_vote(
        app, process.slug, min_projects=None, max_projects=None, ballot_kind="choose-1"
    )
    login(client, create_user().email)
    page = client.get(f"/processen/{process.slug}/begroting").get_data(as_text=True)
    assert page.count('type="radio" name="project"') == len(COSTS)
    assert "Je kiest één project." in page
    assert _cast(client, process.slug, [projects["Bankjes"], projects["Bomen"]]).status_code == 400
    assert _cast(client, process.slug, [projects["Bomen"]]).status_code == 302
    assert _ballots(app, process.slug)  # one ballot with one project


def test_a_choice_made_before_logging_in_is_kept_as_the_draft(app, client, voting, create_user):
    process, projects, _ = voting
    resident = create_user()
    chosen = [projects["Bankjes"], projects["Bomen"]]
    response = _cast(client, process.slug, chosen, action="login")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    assert _ballots(app, process.slug) == {}
    login(client, resident.email)
    page = client.get(f"/processen/{process.slug}/begroting").get_data(as_text=True)
    for project_id in chosen:
        assert re.search(rf'value="{project_id}" id="choose-\d+" checked', page)
    assert _ballots(app, process.slug) == {}  # kept as a draft, not cast
