from datetime import date

import pytest
import sqlalchemy as sa
from participatie.builtin.agenda.models import Agenda
from participatie.builtin.agenda.models import Partner
from participatie.builtin.agenda.models import Task
from participatie.builtin.agenda.models import Work
from participatie.core.areas.models import Area
from participatie.extensions import db

from tests.conftest import login


@pytest.fixture
def cycle(app, areas):
    """Wijk Enschede-Zuid with an adopted agenda of one task, a partner, and no works."""
    with app.app_context():
        wijk = db.session.scalar(sa.select(Area).where(Area.code == "WK015306"))
        partner = Partner(name="Welbions", kind="housing-corporation", areas=[wijk])
        agenda = Agenda(
            area=wijk,
            title="Wijkagenda Zuid",
            period_start=2026,
            period_end=2029,
            adopted_on=date(2026, 1, 29),
            decision_reference="RV 2025-117",
        )
        task = Task(agenda=agenda, title="Groen en veilig", domain="fysiek", change="Meer groen")
        db.session.add_all([partner, agenda, task])
        db.session.commit()
        return {"partner": partner.id, "agenda": agenda.id, "task": task.id}


def add_works(app, count, buurt="BU01530600", owner=None, start=3, prefix="Werk"):
    """``count`` works in ``buurt`` of Enschede-Zuid, in 2026."""
    with app.app_context():
        wijk = db.session.scalar(sa.select(Area).where(Area.code == "WK015306"))
        place = db.session.scalar(sa.select(Area).where(Area.code == buurt))
        for number in range(count):
            db.session.add(
                Work(
                    area=wijk,
                    year=2026,
                    title=f"{prefix} {number}",
                    starts_on=date(2026, start, 1),
                    ends_on=date(2026, start + 2, 1),
                    owner_id=owner,
                    buurten=[place],
                )
            )
        db.session.commit()


@pytest.fixture
def facilitator(app, create_user, grant):
    user = create_user(email="begeleider@example.org")
    grant(user, "facilitator", "WK015306")
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client
