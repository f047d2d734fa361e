"""The demo area cycle: stadsdeel Noord of Enschede, its agenda 2026–2029 and its plan for 2026.

The stadsdeel is made of two real CBS wijken (Twekkelerveld - T.H.T. and
Enschede-Noord); its population and homes are their sums. The agenda, the
works, the people and the partners' contacts are examples, marked as such.
Two works in Tubantia-Toekomst overlap, by different owners: the open
coupling chance; the work made of the wijkbudget's first chosen project meets
them too, and those chances are marked not applicable.
"""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from participatie.builtin.agenda import service
from participatie.builtin.agenda.models import Agenda
from participatie.builtin.agenda.models import AreaPerson
from participatie.builtin.agenda.models import Focuswijk
from participatie.builtin.agenda.models import Indicator
from participatie.builtin.agenda.models import Partner
from participatie.builtin.agenda.models import ProcessPartner
from participatie.builtin.agenda.models import ProcessTask
from participatie.builtin.agenda.models import Task
from participatie.builtin.agenda.models import Work
from participatie.builtin.agenda.models import WorkStatusChange
from participatie.core.areas.models import Area
from participatie.core.areas.models import AreaFigure
from participatie.extensions import db
from participatie.extensions import utcnow

CODE = "SD-NOORD"
WIJKEN = ("WK015303", "WK015304")
YEAR = 2026

PARTNERS = (
    ("Wijkraad Twekkelerveld", "wijkraad", "", "Voorbeeld: wijkraad@example.org", ("WK015303",)),
    (
        "Welbions",
        "housing-corporation",
        "https://www.welbions.nl",
        "Voorbeeld: via de website",
        (CODE,),
    ),
    ("Wijkracht", "welfare", "https://www.wijkracht.nl", "Voorbeeld: via de website", (CODE,)),
    (
        "Politie, basisteam Enschede",
        "police",
        "https://www.politie.nl",
        "0900-8844 (geen spoed)",
        (CODE,),
    ),
    ("Basisschool in Roombeek (voorbeeld)", "school", "", "", ("WK015304",)),
    (
        "Gemeente Enschede, Stadsdeelbeheer Noord",
        "municipality",
        "https://www.enschede.nl",
        "14 053",
        (CODE,),
    ),
)

PEOPLE = (
    (
        "wijkwethouder",
        "",
        "Wethouder voor Noord (voorbeeld)",
        "wethouder.noord@example.org",
        "",
        CODE,
    ),
    (
        "stadsdeelregisseur",
        "",
        "Stadsdeelregisseur Noord (voorbeeld)",
        "noord@example.org",
        "14 053",
        CODE,
    ),
    ("wijkagent", "", "Wijkagent Twekkelerveld (voorbeeld)", "", "0900-8844", "WK015303"),
)

#: Per task its indicators: (key, example growth of the target over the baseline, or None).
TASKS = (
    (
        "Zorgzame buurten: iedereen doet mee",
        "sociaal",
        "Meer bewoners kennen elkaar en helpen elkaar; minder mensen staan er alleen voor.",
        (),
    ),
    (
        "Een groene, veilige openbare ruimte",
        "fysiek",
        "Straten, pleinen en speelplekken zijn groener en veiliger; woningen worden verbeterd.",
        (("housing_stock", Decimal(600)),),
    ),
    (
        "Veilig in de buurt",
        "veiligheid",
        "Bewoners voelen zich veiliger; ondermijning wordt eerder gezien en gemeld.",
        (("population", None),),
    ),
)

#: title, task index, buurt codes, starts, ends, owner (partner name or None), status, explanation, budget
WORKS = (
    (
        "Riolering vervangen in Tubantia-Toekomst",
        1,
        ("BU01530300",),
        (3, 9),
        None,
        "in-execution",
        "De aannemer is in maart begonnen, straat voor straat.",
        850_000,
    ),
    (
        "Renovatie van 120 woningen in Tubantia-Toekomst",
        1,
        ("BU01530300",),
        (6, 12),
        "Welbions",
        "planned",
        "",
        None,
    ),
    (
        "Huiskamer van de wijk in Twekkelerveld",
        0,
        ("BU01530301",),
        (1, 12),
        "Wijkracht",
        "in-execution",
        "De huiskamer is sinds januari elke werkdag open.",
        40_000,
    ),
    (
        "Buurtpreventie en wijkschouw in Walhof-Roessingh",
        2,
        ("BU01530400",),
        (2, 11),
        "Politie, basisteam Enschede",
        "in-execution",
        "De eerste schouw met bewoners was in februari.",
        None,
    ),
    (
        "Ledverlichting in de straten van Bolhaar",
        2,
        ("BU01530401",),
        (1, 4),
        None,
        "done",
        "Alle lantaarns zijn vervangen.",
        120_000,
    ),
    (
        "Groen schoolplein in Roombeek",
        1,
        ("BU01530402",),
        (5, 8),
        "Basisschool in Roombeek (voorbeeld)",
        "planned",
        "",
        60_000,
    ),
    (
        "Portieken opknappen in Mekkelholt",
        1,
        ("BU01530403",),
        (4, 10),
        "Welbions",
        "postponed",
        "Uitgesteld tot 2027: de aannemer kan pas dan beginnen.",
        None,
    ),
    (
        "Speelplek vernieuwen in Deppenbroek",
        1,
        ("BU01530404",),
        (7, 10),
        None,
        "planned",
        "",
        75_000,
    ),
    (
        "Energiecoaches aan huis in Voortman-Amelink",
        0,
        ("BU01530405",),
        (1, 12),
        "Wijkracht",
        "planned",
        "",
        25_000,
    ),
    (
        "Veiliger fietsen naar de universiteit",
        2,
        ("BU01530406",),
        (9, 12),
        "Gemeente Enschede, Stadsdeelbeheer Noord",
        "planned",
        "",
        200_000,
    ),
)


def _stadsdeel() -> Area | None:
    existing = db.session.scalar(sa.select(Area).where(Area.code == CODE))
    if existing is not None:
        return existing
    wijken = db.session.scalars(sa.select(Area).where(Area.code.in_(WIJKEN))).all()
    if len(wijken) != len(WIJKEN):
        return None
    gemeente = wijken[0].parent
    stadsdeel = Area(code=CODE, name="Stadsdeel Noord", level="stadsdeel", parent=gemeente)
    db.session.add(stadsdeel)
    for wijk in wijken:
        wijk.parent = stadsdeel
    for key, unit in (("population", "inwoners"), ("housing_stock", "woningen")):
        values = [f for w in wijken for f in w.figures if f.key == key]
        if len(values) == len(wijken):
            stadsdeel.figures.append(
                AreaFigure(
                    key=key,
                    value=sum(f.value for f in values),
                    unit=unit,
                    year=values[0].year,
                    source=f"{values[0].source}, opgeteld over de wijken",
                )
            )
    db.session.flush()
    return stadsdeel


def load_demo(processes) -> None:
    if db.session.scalar(sa.select(sa.func.count()).select_from(Agenda)):
        return
    stadsdeel = _stadsdeel()
    if stadsdeel is None:
        return
    areas = {a.code: a for a in db.session.scalars(sa.select(Area))}
    partners = {}
    for name, kind, website, contact, codes in PARTNERS:
        partner = Partner(name=name, kind=kind, website=website, contact=contact)
        partner.areas = [areas[c] for c in codes]
        db.session.add(partner)
        partners[name] = partner
    for role, role_text, name, email, phone, code in PEOPLE:
        db.session.add(
            AreaPerson(
                area=areas[code],
                role=role,
                role_text=role_text,
                name=name,
                email=email,
                phone=phone,
            )
        )
    agenda = Agenda(
        area=stadsdeel,
        title="Stadsdeelagenda Noord",
        period_start=2026,
        period_end=2029,
        adopted_on=date(2026, 1, 29),
        decision_reference="Voorbeeld: raadsvoorstel 2025-117",
    )
    agenda.focuswijken = [
        Focuswijk(area=areas["WK015303"]),
        Focuswijk(area=areas["BU01530404"]),
    ]
    tasks = []
    # Baselines are the stadsdeel's own (summed CBS) figures; targets add an example growth.
    own = {figure.key: figure for figure in stadsdeel.figures}
    for position, (title, domain, change, indicators) in enumerate(TASKS):
        task = Task(title=title, domain=domain, change=change, position=position)
        task.indicators = [
            Indicator(
                key=key,
                baseline=own[key].value,
                target=own[key].value + growth if growth is not None else None,
                year=own[key].year,
            )
            for key, growth in indicators
            if key in own
        ]
        agenda.tasks.append(task)
        tasks.append(task)
    db.session.add(agenda)
    db.session.flush()
    for title, task, codes, (start, end), owner, status, explanation, budget in WORKS:
        work = Work(
            area=stadsdeel,
            year=YEAR,
            title=title,
            task_id=tasks[task].id,
            starts_on=date(YEAR, start, 1),
            ends_on=date(YEAR, end, 1),
            owner_id=partners[owner].id if owner else None,
            contact="Voorbeeld: stadsdeel Noord, 14 053",
            budget=budget,
            status=status,
            status_explanation=explanation,
        )
        work.buurten = [areas[c] for c in codes]
        if status != "planned":
            work.changes = [
                WorkStatusChange(
                    old_status="planned",
                    new_status=status,
                    explanation=explanation,
                    changed_at=utcnow(),
                )
            ]
        db.session.add(work)
    budget_process = next((p for p in processes if p.slug == "voorbeeld-wijkbudget"), None)
    if budget_process is not None and budget_process.area.is_within(stadsdeel):
        db.session.add(ProcessTask(process_id=budget_process.id, task_id=tasks[0].id))
        db.session.add(
            ProcessPartner(process_id=budget_process.id, partner_id=partners["Wijkracht"].id)
        )
        db.session.flush()
        _works_from_budget(budget_process, stadsdeel)
    db.session.flush()


def _works_from_budget(process, stadsdeel) -> None:
    """The first chosen project of the demo wijkbudget, as a work of the plan."""
    from participatie.builtin.budgets.models import BudgetVote

    vote = db.session.scalar(sa.select(BudgetVote).where(BudgetVote.process_id == process.id))
    if vote is None:
        return
    chosen = [p for p in vote.projects if p.selected]
    if not chosen:
        return
    work = service.work_from_project(chosen[0], None, today=date(YEAR, 4, 1))
    work.contact = "Voorbeeld: Wijkracht, opbouwwerk Twekkelerveld"
    db.session.flush()
    # Its coupling chances are looked at: they do not apply, so that the one
    # open chance of the demo is the sewer and the renovation.
    for chance in service.chances_in(stadsdeel):
        if work.id in chance.key:
            service.decide_chance(
                chance.first,
                chance.second,
                "not-applicable",
                "De moestuin ligt op het binnenterrein van de flat; de straat gaat er niet voor open.",
                None,
            )
