"""How participation was verified: everyone who took part, counted once, by the strongest way.

Participants here are those of the summary (submitted, commented, supported)
and those who cast a budget ballot. Each person counts once, in the first of
these that holds for them: took part with a voting code (``code``), logged in
through an OpenID Connect provider (``oidc``), has an address checked against
the address register (``area-resident``), was imported from another tool
(``imported``), else an e-mail account (``account``).
"""

import sqlalchemy as sa

from participatie.builtin.budgets.service import participants as budget_participants
from participatie.builtin.summaries.counting import shown
from participatie.builtin.summaries.counting import taking_part
from participatie.core.accounts.codes import CodeHolder
from participatie.core.accounts.identities import OidcIdentity
from participatie.core.accounts.models import User
from participatie.core.accounts.profile import ParticipantProfile
from participatie.extensions import db

WAYS = ("code", "oidc", "area-resident", "imported", "account")


def verified_by(process) -> dict[str, int | None]:
    """Persons per way (see the module docstring); 1 to 4 persons show as None."""
    people = sa.union(
        sa.select(taking_part([process.id]).c.user_id), budget_participants(process)
    ).subquery()
    oidc = sa.exists().where(OidcIdentity.user_id == User.id)
    way = sa.case(
        (CodeHolder.user_id.is_not(None), "code"),
        (oidc, "oidc"),
        (ParticipantProfile.address_checked_at.is_not(None), "area-resident"),
        (User.imported_from.is_not(None), "imported"),
        else_="account",
    )
    rows = db.session.execute(
        sa.select(way, sa.func.count())
        .select_from(people)
        .join(User, User.id == people.c.user_id)
        .outerjoin(
            CodeHolder,
            sa.and_(CodeHolder.user_id == User.id, CodeHolder.process_id == process.id),
        )
        .outerjoin(ParticipantProfile, ParticipantProfile.user_id == User.id)
        .group_by(way)
    ).all()
    found = dict(rows)
    return {name: shown(found.get(name, 0)) for name in WAYS}
