"""Example answers: every status, a rejection because of a fixed limit, one overdue idea."""

from datetime import date
from datetime import timedelta

import sqlalchemy as sa

from participatie.builtin.feedback import service
from participatie.builtin.feedback.models import AnswerTemplate
from participatie.builtin.feedback.models import Execution
from participatie.builtin.feedback.models import Milestone
from participatie.builtin.ideas.models import Idea
from participatie.extensions import db
from participatie.extensions import utcnow


def load_demo(processes) -> None:
    street = next((p for p in processes if p.slug == "voorbeeld-groenere-woonstraat"), None)
    if street is None:
        return
    ideas = {
        i.title: i for i in db.session.scalars(sa.select(Idea).where(Idea.process_id == street.id))
    }
    budget = street.fixed_limits[0]
    db.session.add(
        AnswerTemplate(
            process_id=street.id,
            title="Past binnen het plan",
            text="Dank je wel. Dit idee past binnen het budget en de kaders; we nemen het mee in het ontwerp.",
        )
    )
    plan = [
        (
            "Bomen aan de zonkant",
            [
                (
                    "under-consideration",
                    "We bekijken samen met de groenbeheerder welke bomen passen.",
                ),
                ("adopted", "We planten vijf bomen aan de zonkant; ze staan in het ontwerp."),
                ("in-execution", "De bomen worden in november geplant."),
            ],
        ),
        (
            "Een speelplek bij het pleintje",
            [
                (
                    "partly-adopted",
                    "Er komt een kleine speelplek, maar zonder klimtoestel: dat past niet binnen het budget.",
                    "fixed-limit",
                )
            ],
        ),
        (
            "Drempels bij de school",
            [
                (
                    "already-planned",
                    "Drempels bij de school stonden al in het verkeersplan; ze komen er dit jaar.",
                )
            ],
        ),
        (
            "Geveltuintjes",
            [
                ("adopted", "Bewoners kunnen geveltuintjes aanvragen."),
                ("in-execution", "De eerste tuintjes worden aangelegd."),
                ("done", "Twaalf geveltuintjes zijn klaar."),
            ],
        ),
        (
            "Parkeergarage onder het plein",
            [
                (
                    "not-adopted",
                    "Een parkeergarage kost vele miljoenen; dat past niet binnen het budget van dit traject.",
                    "fixed-limit",
                )
            ],
        ),
        (
            "Betere verlichting in het steegje",
            [("adopted", "Er komen twee extra lantaarnpalen in het steegje.")],
        ),
        (
            "Bankjes voor ouderen",
            [("under-consideration", "We zoeken uit waar bankjes het meest nodig zijn.")],
        ),
    ]
    for title, steps in plan:
        idea = ideas.get(title)
        if idea is None:
            continue
        for step in steps:
            status, text = step[0], step[1]
            reason = step[2] if len(step) > 2 else None
            service.answer(
                [
                    service.AnswerInput(
                        idea, status, text, reason, budget.id if reason == "fixed-limit" else None
                    )
                ]
            )
    done = ideas.get("Geveltuintjes")
    trees = ideas.get("Bomen aan de zonkant")
    if trees is not None:
        db.session.add(Execution(idea_id=trees.id, owner="Team Openbare Ruimte"))
        db.session.add(
            Milestone(
                idea_id=trees.id,
                title="Boomsoorten gekozen",
                date=date.today() - timedelta(days=3),
                done=True,
            )
        )
        db.session.add(
            Milestone(
                idea_id=trees.id, title="Bomen geplant", date=date.today() + timedelta(days=40)
            )
        )
    if done is not None:
        db.session.add(
            Milestone(
                idea_id=done.id,
                title="Tuintjes aangelegd",
                date=date.today() - timedelta(days=1),
                done=True,
            )
        )
    # One idea is overdue: submitted long ago, outside the submit phase, never answered.
    db.session.add(
        Idea(
            process_id=street.id,
            title="Minder reclameborden",
            text="Er staan veel reclameborden langs de straat; haal ze weg.",
            offline=True,
            gathered_where="Brief aan de gemeente",
            created_at=utcnow() - timedelta(days=60),
        )
    )
    db.session.flush()
