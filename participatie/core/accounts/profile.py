"""What residents may tell about themselves, voluntarily: their buurt and age band.

A process with an age limit also asks the year of birth, and one limited to
its area the address (checked against the address register); both are kept
here too, apart from the identity.

Kept apart from the account's identity fields (email, name) and shown only
added up, never for groups smaller than ``MIN_GROUP`` persons, so that the
outcome can show who took part compared with the area's population
(product rule 9) without showing anyone.
"""

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from participatie.extensions import db
from participatie.extensions import UTCDateTime
from participatie.extensions import utcnow
from participatie.forms import Form

if TYPE_CHECKING:
    from participatie.core.areas.models import Area

MIN_GROUP = 5

#: The age bands of CBS's Kerncijfers wijken en buurten.
AGE_BANDS = {
    "0-14": _l("younger than 15"),
    "15-24": _l("15 to 24"),
    "25-44": _l("25 to 44"),
    "45-64": _l("45 to 64"),
    "65+": _l("65 or older"),
}


class ParticipantProfile(db.Model):
    __tablename__ = "participant_profile"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    buurt_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id", ondelete="SET NULL"))
    age_band: Mapped[str | None] = mapped_column(sa.String(8))
    #: Asked once by a process with an age limit (see ``core/accounts/verification``).
    birth_year: Mapped[int | None]
    #: The address stated for the address register (``core/accounts/register``);
    #: ``address_checked_at`` is set once the register had it.
    postcode: Mapped[str | None] = mapped_column(sa.String(6))
    house_number: Mapped[int | None]
    addition: Mapped[str] = mapped_column(sa.String(8), default="", server_default="")
    address_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    buurt: Mapped["Area | None"] = relationship("Area")


def optional(value):
    return value or None


class ProfileDetailsForm(Form):
    buurt = SelectField(_l("The buurt you live in"), coerce=lambda v: int(v) if v else None)
    age_band = SelectField(
        _l("Your age"),
        coerce=optional,
        choices=[SelectChoice("", _l("I would rather not say"))]
        + [SelectChoice(code, label) for code, label in AGE_BANDS.items()],
    )


def answered_details(user) -> bool:
    """Whether ``user`` answered the question for the voluntary details (a profile row, even
    one with neither field: "no thanks")."""
    return db.session.get(ParticipantProfile, user.id) is not None


def ask_for_details(user, answered: bool | None = None) -> None:
    """After ``user`` took part: ask once for the voluntary details, unless they answered before.

    The question shows on the next page (``details_prompt`` in the templates).
    ``answered``: ``answered_details(user)`` when the caller looked it up inside its
    write, before the commit, so that no transaction is opened for it afterwards.
    """
    from flask import session

    if answered is None:
        answered = answered_details(user)
    if not answered:
        session["ask_details"] = True
