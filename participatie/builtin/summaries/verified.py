"""How participation was verified: everyone who took part, counted once, by the strongest way.

Participants here are those of the summary (submitted, commented, supported)
and those who cast a budget ballot. Each person counts once, in the first of
these that holds for them: took part with a voting code (``code``), logged in
through an OpenID Connect provider (``oidc``), has an address checked against
the address register (``area-resident``), was imported from another tool
(``imported``), else an e-mail account (``account``).
"""

from dataclasses import dataclass

import sqlalchemy as sa

from participatie.builtin.budgets.service import participants as budget_participants
from participatie.builtin.summaries.counting import child_of
from participatie.builtin.summaries.counting import shown
from participatie.builtin.summaries.counting import taking_part
from participatie.core.accounts.codes import CodeHolder
from participatie.core.accounts.identities import OidcIdentity
from participatie.core.accounts.models import User
from participatie.core.accounts.profile import ParticipantProfile
from participatie.extensions import db

WAYS = ("code", "oidc", "area-resident", "imported", "account")


@dataclass
class Participation:
    """Who took part in a process, each person once, as the summary shows it."""

    #: Submitted, commented or supported (the summary's participants).
    participants: int
    #: Of those, per direct child area of the process's area (by stated buurt).
    per_child: dict[int, int]
    #: Of those, per stated age band.
    per_band: dict[str, int]
    #: Participants and budget voters per way of verification; 1 to 4 show as None.
    ways: dict[str, int | None]


def participation(process) -> Participation:
    """Every count over the process's participants, in one statement.

    The participant set (authors, commenters, supporters, and for the ways the
    budget voters too) is computed once, then grouped by whether the person
    took part or only voted, the child area of their buurt, their age band and
    their way of verification: a few dozen rows, whatever the number of people.
    """
    took = taking_part([process.id])
    voted = budget_participants(process).subquery()
    both = sa.union_all(
        sa.select(took.c.user_id, sa.literal(1).label("took")),
        sa.select(voted.c.user_id, sa.literal(0).label("took")),
    ).subquery()
    people = (
        sa.select(both.c.user_id, sa.func.max(both.c.took).label("took"))
        .group_by(both.c.user_id)
        .subquery()
    )
    below = child_of(process.area)
    oidc = sa.exists().where(OidcIdentity.user_id == User.id)
    way = sa.case(
        (CodeHolder.user_id.is_not(None), "code"),
        (oidc, "oidc"),
        (ParticipantProfile.address_checked_at.is_not(None), "area-resident"),
        (User.imported_from.is_not(None), "imported"),
        else_="account",
    )
    rows = db.session.execute(
        sa.select(
            people.c.took, below.c.child_id, ParticipantProfile.age_band, way, sa.func.count()
        )
        .select_from(people)
        .join(User, User.id == people.c.user_id)
        .outerjoin(
            CodeHolder,
            sa.and_(CodeHolder.user_id == User.id, CodeHolder.process_id == process.id),
        )
        .outerjoin(ParticipantProfile, ParticipantProfile.user_id == User.id)
        .outerjoin(below, below.c.area_id == ParticipantProfile.buurt_id)
        .group_by(people.c.took, below.c.child_id, ParticipantProfile.age_band, way)
    ).all()
    total, children, bands, ways = 0, {}, {}, {}
    for took_part, child_id, band, kind, count in rows:
        ways[kind] = ways.get(kind, 0) + count
        if not took_part:
            continue
        total += count
        if child_id is not None:
            children[child_id] = children.get(child_id, 0) + count
        if band is not None:
            bands[band] = bands.get(band, 0) + count
    return Participation(total, children, bands, {name: shown(ways.get(name, 0)) for name in WAYS})


def verified_by(process) -> dict[str, int | None]:
    """Persons per way (see the module docstring); 1 to 4 persons show as None."""
    return participation(process).ways
