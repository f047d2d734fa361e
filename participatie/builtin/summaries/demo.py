"""Demo data: the example residents state a buurt and an age band, as residents may."""

import sqlalchemy as sa

from participatie.builtin.ideas.demo import residents
from participatie.core.accounts.profile import ParticipantProfile
from participatie.core.areas.models import Area
from participatie.extensions import db

#: (buurt code, age band) per example resident; two state nothing. Six in
#: Stroinkslanden Noord-Oost show in the summary, the two of Wesselerbrink
#: Noord-Oost do not (fewer than 5).
STATED = [
    ("BU01530600", "25-44"),
    ("BU01530600", "25-44"),
    ("BU01530600", "45-64"),
    ("BU01530600", "45-64"),
    ("BU01530600", "65+"),
    ("BU01530600", "25-44"),
    ("BU01530603", "15-24"),
    ("BU01530603", "45-64"),
]


def load_demo(processes) -> None:
    codes = {code for code, _band in STATED}
    buurten = dict(
        db.session.execute(sa.select(Area.code, Area.id).where(Area.code.in_(codes))).all()
    )
    for person, (code, band) in zip(residents(), STATED, strict=False):
        if buurten.get(code) is None or db.session.get(ParticipantProfile, person.id):
            continue
        db.session.add(ParticipantProfile(user_id=person.id, buurt_id=buurten[code], age_band=band))
