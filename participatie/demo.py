"""Demo content for ``flask demo load``: real areas, example processes.

Areas and their figures are the real CBS data. The processes are examples,
marked as such in their titles and summaries; their dates are set around the
moment of loading, so the open ones have a current phase.
"""

import hmac
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from participatie.core.accounts import codes
from participatie.core.accounts.codes import VotingCode
from participatie.core.accounts.models import User
from participatie.core.accounts.passwords import hash_password
from participatie.core.areas.importer import import_file
from participatie.core.areas.importer import SHIPPED_FILE
from participatie.core.areas.models import Area
from participatie.core.processes.models import FixedLimit
from participatie.core.processes.models import OpenQuestion
from participatie.core.processes.models import ParticipationRule
from participatie.core.processes.models import Phase
from participatie.core.processes.models import Process
from participatie.core.processes.models import Reason
from participatie.core.processes.service import new_process
from participatie.core.roles.models import RoleAssignment
from participatie.extensions import db
from participatie.extensions import utcnow
from participatie.plugins import registered

ACCOUNTS = (
    ("bewoner@example.org", "Bewoner (demo)", None),
    ("begeleider@example.org", "Procesbegeleider (demo)", "facilitator"),
    ("raadslid@example.org", "Raadslid (demo)", "councillor"),
    ("beheer@example.org", "Beheerder (demo)", "administrator"),
)


def load(password: str) -> dict:
    """Load areas, accounts with their roles, and the example processes; idempotent."""
    municipality = current_app.config["MUNICIPALITY"]
    report = import_file(SHIPPED_FILE, municipality)
    if not report.ok:
        raise RuntimeError(f"shipped area file did not import: {report.errors[:3]}")
    db.session.flush()
    gemeente = db.session.scalar(sa.select(Area).where(Area.code == municipality))
    users = {}
    for email, name, role in ACCOUNTS:
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is None:
            user = User(email=email, display_name=name)
            db.session.add(user)
        user.password_hash = hash_password(password)
        user.email_confirmed_at = user.email_confirmed_at or utcnow()
        user.house_rules_accepted_at = user.house_rules_accepted_at or utcnow()
        db.session.flush()
        if role and not any(r.role == role for r in user.roles):
            scope = gemeente if role != "administrator" else None
            db.session.add(RoleAssignment(user=user, role=role, area=scope))
        users[email] = user
    processes = []
    if not db.session.scalar(sa.select(sa.func.count()).select_from(Process)):
        processes = _processes(gemeente, users["begeleider@example.org"])
        db.session.add_all(processes)
    db.session.flush()
    # Plugins add their example content (ideas, comments, votes, ...) through
    # the registry: the core imports no plugin.
    for plugin in registered().values():
        if plugin.load_demo is not None and processes:
            plugin.load_demo(processes)
    for process in processes:
        if process.slug == LETTER_SLUG:
            _store_demo_codes(process)
    db.session.flush()
    return {"areas": report.created, "accounts": len(users), "processes": len(processes)}


def _wijk(gemeente: Area, number: int) -> Area:
    """The wijk with CBS number ``number`` (its code ends in it), or the gemeente."""
    code = f"WK{gemeente.code[2:]}{number:02d}"
    return db.session.scalar(sa.select(Area).where(Area.code == code)) or gemeente


def _phases(*specs):
    return [
        Phase(
            name=name,
            starts_at=starts,
            ends_at=ends,
            allows_submit="submit" in actions,
            allows_comment="comment" in actions,
            allows_vote="vote" in actions,
            allows_budget="budget" in actions,
            position=index,
        )
        for index, (name, starts, ends, actions) in enumerate(specs)
    ]


def _processes(gemeente: Area, facilitator: User) -> list[Process]:
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    day = timedelta(days=1)

    street = new_process(_wijk(gemeente, 6), facilitator)
    street.slug = "voorbeeld-groenere-woonstraat"
    street.title = "Voorbeeld: een groenere woonstraat in Enschede-Zuid"
    street.summary = (
        "Dit is een voorbeeldtraject om het platform te laten zien; het plan is verzonnen. "
        "De riolering in de straat moet vervangen worden. Omdat de straat dan toch open gaat, "
        "vragen we bewoners hoe de straat daarna groener en veiliger kan worden."
    )
    street.status, street.published_at = "published", now - 10 * day
    street.level = "consult"
    street.reasons = [
        Reason(
            kind="knowledge",
            text="Jij kent de straat het best: waar is het onveilig, waar is ruimte voor groen?",
            position=0,
        ),
        Reason(
            kind="interests",
            text="We willen weten wat bewoners, ondernemers en scholen belangrijk vinden.",
            position=1,
        ),
    ]
    street.fixed_limits = [
        FixedLimit(
            title="Budget van € 250.000 (voorbeeld)",
            source="Voorbeeld: begroting 2026, programma Openbare Ruimte",
            description="Meer geld is er niet; ideeën moeten binnen dit bedrag passen.",
            position=0,
        ),
        FixedLimit(
            title="De riolering wordt vervangen",
            source="Voorbeeld: Gemeentelijk Rioleringsplan",
            description="Het werk aan het riool gaat door; de planning ligt vast.",
            position=1,
        ),
        FixedLimit(
            title="30 km per uur en geen doorgaand verkeer",
            source="Voorbeeld: Omgevingsvisie Enschede",
            description="De straat blijft een woonstraat.",
            position=2,
        ),
    ]
    street.open_questions = [
        OpenQuestion(text="Waar komen bomen en plantenbakken?", position=0),
        OpenQuestion(text="Hoe lossen we het parkeren op met minder parkeerplekken?", position=1),
        OpenQuestion(text="Is er behoefte aan een speelplek, en waar?", position=2),
    ]
    street.horizontal_limits = (
        "Bewoners zullen het niet over alles eens zijn. We zetten alle ideeën en argumenten "
        "naast elkaar, wegen ze tegen de vaste kaders en leggen uit waarom we kiezen zoals we kiezen."
    )
    street.decision_maker = "Het college van burgemeester en wethouders"
    street.integrality = "execution"
    street.execution_owner = "Gemeente, team Openbare Ruimte, samen met de aannemer van het riool"
    street.participation_ends = "plan"
    street.answer_within_days = 30
    street.phases = _phases(
        ("Ideeën ophalen", now - 10 * day, now + 20 * day, ("submit", "comment", "vote")),
        ("Ontwerp uitwerken", now + 20 * day, now + 50 * day, ("comment",)),
        ("Besluit en terugkoppeling", now + 50 * day, now + 70 * day, ()),
    )

    budget = new_process(_wijk(gemeente, 3), facilitator)
    budget.slug = "voorbeeld-wijkbudget"
    budget.title = "Voorbeeld: samen het wijkbudget verdelen"
    budget.summary = (
        "Dit is een voorbeeldtraject om het platform te laten zien; de bedragen zijn verzonnen. "
        "Bewoners bedenken, bespreken en kiezen samen projecten voor de wijk."
    )
    budget.status, budget.published_at = "published", now - 60 * day
    budget.level = "co-create"
    budget.reasons = [
        Reason(
            kind="knowledge",
            text="Bewoners weten zelf het best wat de wijk nodig heeft.",
            position=0,
        ),
        Reason(
            kind="interests",
            text="Jong en oud, huurders en kopers: we willen alle belangen horen.",
            position=1,
        ),
    ]
    budget.fixed_limits = [
        FixedLimit(
            title="Wijkbudget van € 50.000 (voorbeeld)",
            source="Voorbeeld: raadsbesluit wijkbudgetten 2026",
            description="Het totaal van de gekozen projecten is niet meer dan dit bedrag.",
            kind="budget",
            amount=50_000,
            position=0,
        ),
        FixedLimit(
            title="Alleen in de openbare ruimte of voor de hele wijk",
            source="Voorbeeld: Subsidieregeling wijkinitiatieven",
            description="Geen geld voor privébezit of voor één huishouden.",
            position=1,
        ),
    ]
    budget.open_questions = [
        OpenQuestion(text="Welke projecten maken de wijk beter?", position=0),
        OpenQuestion(text="Hoe verdelen we het budget over de projecten?", position=1),
        OpenQuestion(text="Wie uit de wijk helpt mee bij de uitvoering?", position=2),
    ]
    budget.horizontal_limits = (
        "Niet elk idee krijgt geld. De projecten met de meeste steun komen eerst, zolang het "
        "budget reikt; het wijkteam let erop dat ook kleinere groepen in de wijk iets terugzien."
    )
    budget.decision_maker = "Het wijkteam, met de uitkomst van de stemming als bindend advies"
    budget.integrality = "balance"
    budget.execution_owner = "Wijkteam met de initiatiefnemers"
    budget.participation_ends = "execution"
    budget.answer_within_days = 21
    # A complete wijkbudget: ideas gathered, projects voted on, outcome published
    # by the budgets plugin's demo, and now being carried out.
    budget.phases = _phases(
        (
            "Bedenken, bespreken en steunen",
            now - 60 * day,
            now - 30 * day,
            ("submit", "comment", "vote"),
        ),
        ("Stemmen op de projecten", now - 30 * day, now - 3 * day, ("budget",)),
        ("Uitvoeren", now - 3 * day, now + 200 * day, ()),
    )

    rural = new_process(_wijk(gemeente, 9), facilitator)
    rural.slug = "voorbeeld-landelijk-gebied"
    rural.title = "Voorbeeld: de toekomst van het landelijk gebied (concept)"
    rural.summary = (
        "Dit is een voorbeeld van een concept dat nog niet gepubliceerd kan worden: de framing "
        "is niet compleet. Open het als procesbegeleider om de framingcheck te zien."
    )
    rural.level = "co-decide"
    rural.reasons = [Reason(kind="support", text="", position=0)]
    rural.open_questions = [OpenQuestion(text="Waar komen wandelpaden?", position=0)]
    rural.answer_within_days = 120
    rural.phases = _phases(
        ("Gesprekken", now + 10 * day, now + 40 * day, ("comment", "vote")),
    )
    return [street, budget, rural, _letter_vote(budget, facilitator, now, day)]


LETTER_SLUG = "voorbeeld-wijkbudget-stemcode"
DEMO_CODES = 10


def _letter_vote(budget, facilitator, now, day):
    """The wijkbudget again, voted on now: only with the stemcode from the letter, 12 and older."""
    letter = new_process(budget.area, facilitator)
    letter.slug = LETTER_SLUG
    letter.title = "Voorbeeld: het wijkbudget, stemmen met de stemcode uit de brief"
    letter.summary = (
        "Dit is een voorbeeldtraject; de bedragen zijn verzonnen. Elk adres in de wijk krijgt een "
        "brief met een stemcode. Met die code stem je, met of zonder account, als je 12 jaar of "
        "ouder bent."
    )
    letter.status, letter.published_at = "published", now - 2 * day
    for name in (
        "level",
        "horizontal_limits",
        "decision_maker",
        "integrality",
        "execution_owner",
        "participation_ends",
        "answer_within_days",
    ):
        setattr(letter, name, getattr(budget, name))
    letter.reasons = [Reason(kind=r.kind, text=r.text, position=r.position) for r in budget.reasons]
    letter.fixed_limits = [
        FixedLimit(
            title=f.title,
            source=f.source,
            description=f.description,
            kind=f.kind,
            amount=f.amount,
            position=f.position,
        )
        for f in budget.fixed_limits
    ]
    letter.open_questions = [
        OpenQuestion(text=q.text, position=q.position) for q in budget.open_questions
    ]
    letter.phases = _phases(
        ("Ideeën verzameld", now - 40 * day, now - 1 * day, ("submit", "comment")),
        ("Stemmen met de stemcode", now - 1 * day, now + 30 * day, ("budget",)),
    )
    letter.participation_rules = [
        ParticipationRule(action="budget", who="code", min_age=12, position=0)
    ]
    return letter


def demo_codes(process) -> list[str]:
    """The demo's voting codes, the same each time (from the secret key): for testers only.

    Real codes are random and never recoverable; these are derived so that
    ``flask demo info`` can show them again.
    """
    key = current_app.config["SECRET_KEY"].encode()
    made = []
    for number in range(DEMO_CODES):
        digest = hmac.new(key, f"demo-stemcode:{process.id}:{number}".encode(), "sha256").digest()
        made.append(
            codes.printed(
                "".join(codes.ALPHABET[b % len(codes.ALPHABET)] for b in digest[: codes.LENGTH])
            )
        )
    return made


def _store_demo_codes(process) -> None:
    made_at = process.phases[-1].starts_at - timedelta(days=1)
    for code in demo_codes(process):
        db.session.add(
            VotingCode(
                process_id=process.id,
                code_hash=codes.code_hash(process.id, codes.normalize(code)),
                created_at=made_at,
            )
        )
