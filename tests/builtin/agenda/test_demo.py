import sqlalchemy as sa
from participatie.builtin.agenda import service
from participatie.builtin.agenda.models import Agenda
from participatie.builtin.agenda.models import AreaPerson
from participatie.builtin.agenda.models import Partner
from participatie.builtin.agenda.models import ProcessTask
from participatie.core.areas.queries import area_by_code
from participatie.extensions import db


def test_the_demo_has_stadsdeel_noord_with_its_agenda_plan_and_one_open_coupling_chance(
    app, runner
):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        noord = area_by_code("SD-NOORD")
        assert noord.level == "stadsdeel"
        assert [w.code for w in noord.children] == ["WK015303", "WK015304"]
        [agenda] = db.session.scalars(sa.select(Agenda)).all()
        assert (agenda.area_id, agenda.period) == (noord.id, "2026–2029")
        assert {t.domain for t in agenda.tasks} == {"sociaal", "fysiek", "veiligheid"}
        assert len(agenda.focuswijken) == 2
        works = service.works_in(noord, 2026)
        assert 10 <= len(works) <= 12
        assert len({w.owner_id for w in works}) >= 5
        chances = service.chances_in(noord)
        [open_chance] = [c for c in chances if c.decision is None]
        assert {open_chance.first.title, open_chance.second.title} == {
            "Riolering vervangen in Tubantia-Toekomst",
            "Renovatie van 120 woningen in Tubantia-Toekomst",
        }
        kinds = set(db.session.scalars(sa.select(Partner.kind)))
        assert {"wijkraad", "housing-corporation", "welfare", "police"} <= kinds
        roles = set(db.session.scalars(sa.select(AreaPerson.role)))
        assert {"wijkwethouder", "stadsdeelregisseur", "wijkagent"} <= roles
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ProcessTask)) >= 1
        assert any(w.source_project_id for w in works)
