"""Example ideas for the demo processes (clearly example content, in Dutch)."""

from datetime import date
from datetime import timedelta

import sqlalchemy as sa

from participatie.builtin.ideas.models import Idea
from participatie.core.accounts.models import User
from participatie.core.areas.models import Area
from participatie.extensions import db
from participatie.extensions import utcnow

IDEAS = {
    "voorbeeld-groenere-woonstraat": [
        (
            "Bomen aan de zonkant",
            "Plant bomen aan de **zonkant** van de straat. Dan is het in de zomer koeler.",
            "fysiek",
            9,
        ),
        (
            "Een speelplek bij het pleintje",
            "Kinderen spelen nu op straat. Een kleine speelplek bij het pleintje is veiliger.",
            "sociaal",
            8,
        ),
        (
            "Drempels bij de school",
            "Auto's rijden te hard bij de school. Leg drempels neer.",
            "veiligheid",
            7,
        ),
        (
            "Geveltuintjes",
            "Laat bewoners zelf geveltuintjes maken:\n\n- minder tegels\n- meer groen\n- minder wateroverlast",
            "fysiek",
            6,
        ),
        (
            "Betere verlichting in het steegje",
            "Het steegje achter de huizen is 's avonds donker en voelt onveilig.",
            "veiligheid",
            5,
        ),
        (
            "Parkeergarage onder het plein",
            "Zet alle auto's onder de grond, dan is de straat helemaal vrij.",
            "fysiek",
            4,
        ),
        (
            "Bankjes voor ouderen",
            "Om de honderd meter een bankje, zodat ouderen onderweg kunnen rusten.",
            "sociaal",
            3,
        ),
    ],
    "voorbeeld-wijkbudget": [
        (
            "Moestuin voor de buurt",
            "Een gezamenlijke moestuin op het grasveld bij de flat.",
            "sociaal",
            9,
        ),
        (
            "Buitenfitness in het park",
            "Toestellen om buiten te sporten, gratis voor iedereen.",
            "sociaal",
            6,
        ),
        (
            "Kunst op de trafokast",
            "Laat jongeren uit de wijk de grijze trafokasten beschilderen.",
            "fysiek",
            4,
        ),
        (
            "Buurtbus naar de markt",
            "Een busje dat ouderen op zaterdag naar de markt brengt.",
            "sociaal",
            3,
        ),
        ("Camera's op het plein", "Zet camera's op het plein tegen overlast.", "veiligheid", 2),
    ],
}

OFFLINE = {
    "voorbeeld-groenere-woonstraat": (
        "Een zebrapad bij de bushalte",
        "Opgehaald op de bewonersavond: oversteken bij de bushalte is gevaarlijk.",
        "veiligheid",
        "Bewonersavond, wijkcentrum",
    ),
    "voorbeeld-wijkbudget": (
        "Een plek om samen te eten",
        "Op papier ingeleverd: een maandelijkse buurtmaaltijd in het buurthuis.",
        "sociaal",
        "Ideeënbus in het buurthuis",
    ),
}


def residents() -> list[User]:
    """Example residents for the demo (no password: they cannot log in)."""
    people = []
    for number in range(1, 11):
        email = f"voorbeeld-bewoner-{number}@example.org"
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is None:
            user = User(
                email=email, display_name=f"Voorbeeldbewoner {number}", email_confirmed_at=utcnow()
            )
            db.session.add(user)
        people.append(user)
    db.session.flush()
    return people


def load_demo(processes) -> None:
    people = residents()
    now = utcnow()
    for process in processes:
        rows = IDEAS.get(process.slug)
        if not rows:
            continue
        themes = {theme.code: theme.id for theme in process.themes}
        buurten = db.session.scalars(
            sa.select(Area).where(Area.parent_id == process.area_id).order_by(Area.code)
        ).all()
        for index, (title, text, theme, _weight) in enumerate(rows):
            db.session.add(
                Idea(
                    process_id=process.id,
                    author_id=people[index % len(people)].id,
                    title=title,
                    text=text,
                    theme_id=themes.get(theme),
                    buurt_id=buurten[index % len(buurten)].id
                    if buurten and index % 2 == 0
                    else None,
                    created_at=now - timedelta(days=9 - index, hours=index),
                )
            )
        title, text, theme, where = OFFLINE[process.slug]
        db.session.add(
            Idea(
                process_id=process.id,
                title=title,
                text=text,
                theme_id=themes.get(theme),
                offline=True,
                gathered_where=where,
                gathered_on=date.today() - timedelta(days=6),
                entered_by_id=process.created_by_id,
                created_at=now - timedelta(days=5),
            )
        )
    db.session.flush()
