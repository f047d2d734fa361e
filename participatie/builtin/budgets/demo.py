"""The demo wijkbudget: projects made from its ideas, ballots, and the published outcome."""

import sqlalchemy as sa

from participatie.builtin.budgets import service
from participatie.builtin.budgets.models import BudgetVote
from participatie.builtin.budgets.models import Project
from participatie.builtin.budgets.models import ProjectIdea
from participatie.builtin.ideas.models import Idea
from participatie.core.accounts.models import User
from participatie.extensions import db
from participatie.extensions import utcnow

SLUG = "voorbeeld-wijkbudget"

#: Idea title → (project title, cost, description).
PROJECTS = {
    "Moestuin voor de buurt": (
        "Moestuin bij de flat",
        14_000,
        "Twaalf moestuinbakken, een waterpunt en een schuurtje; bewoners beheren de tuin.",
    ),
    "Buitenfitness in het park": (
        "Buitenfitness in het park",
        24_000,
        "Vijf toestellen bij het speelveld, gratis voor iedereen.",
    ),
    "Kunst op de trafokast": (
        "Kunst op de trafokasten",
        6_000,
        "Jongeren uit de wijk beschilderen vier trafokasten, met een kunstenaar.",
    ),
    "Buurtbus naar de markt": (
        "Buurtbus naar de markt",
        18_000,
        "Een jaar lang op zaterdag een busje met vrijwillige chauffeurs.",
    ),
    "Een plek om samen te eten": (
        "Buurtmaaltijd in het buurthuis",
        4_000,
        "Elke maand een maaltijd voor iedereen, gekookt door bewoners.",
    ),
}

#: Ballots of the demo voters, by project title; 40 voters in all.
BALLOTS = (
    [("Moestuin bij de flat", "Kunst op de trafokasten")] * 12
    + [("Buitenfitness in het park", "Buurtmaaltijd in het buurthuis")] * 9
    + [("Moestuin bij de flat", "Buurtbus naar de markt")] * 8
    + [("Buurtbus naar de markt", "Buurtmaaltijd in het buurthuis", "Kunst op de trafokasten")] * 6
    + [("Buitenfitness in het park",)] * 5
)


def _voters(count: int) -> list[User]:
    people = []
    for number in range(1, count + 1):
        email = f"voorbeeld-stemmer-{number}@example.org"
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is None:
            user = User(
                email=email, display_name=f"Voorbeeldstemmer {number}", email_confirmed_at=utcnow()
            )
            db.session.add(user)
        people.append(user)
    db.session.flush()
    return people


LETTER_SLUG = "voorbeeld-wijkbudget-stemcode"


def load_demo(processes) -> None:
    _load_letter_vote(processes)
    process = next((p for p in processes if p.slug == SLUG), None)
    if process is None or service.vote_of(process.id) is not None:
        return
    vote = BudgetVote(
        process_id=process.id,
        budget=50_000,
        rule="greedy",
        ballot_kind="approval",
        min_projects=1,
        max_projects=3,
    )
    db.session.add(vote)
    ideas = {
        idea.title: idea
        for idea in db.session.scalars(sa.select(Idea).where(Idea.process_id == process.id))
    }
    themes = {theme.id: theme.code for theme in process.themes}
    projects = {}
    for idea_title, (title, cost, description) in PROJECTS.items():
        idea = ideas.get(idea_title)
        project = Project(
            vote=vote,
            title=title,
            cost=cost,
            description=description,
            theme_code=themes.get(idea.theme_id) if idea else None,
            buurt_codes=idea.buurt.code if idea and idea.buurt else "",
            direct_reason="" if idea else "Voorbeeldproject",
        )
        if idea is not None:
            project.sources = [ProjectIdea(idea_id=idea.id)]
        db.session.add(project)
        projects[title] = project
    db.session.flush()
    for voter, choice in zip(_voters(len(BALLOTS)), BALLOTS, strict=True):
        wanted = {projects[title].id for title in choice}
        total = sum(projects[title].cost for title in choice)
        if service.problems_of(vote, len(wanted), total):
            raise ValueError(f"demo ballot {choice} breaks the ballot rules")
        service.write_ballot(vote, voter.id, wanted)
    db.session.expire(vote)
    service.publish(vote, process, None)
    db.session.flush()


def _load_letter_vote(processes) -> None:
    """The same projects on an open ballot, for the demo of voting with a letter's code."""
    process = next((p for p in processes if p.slug == LETTER_SLUG), None)
    if process is None or service.vote_of(process.id) is not None:
        return
    vote = BudgetVote(
        process_id=process.id,
        budget=50_000,
        rule="greedy",
        ballot_kind="approval",
        min_projects=1,
        max_projects=3,
    )
    db.session.add(vote)
    for title, cost, description in PROJECTS.values():
        db.session.add(
            Project(
                vote=vote,
                title=title,
                cost=cost,
                description=description,
                direct_reason="Uit de ideeën van de wijk (voorbeeld)",
            )
        )
    db.session.flush()
