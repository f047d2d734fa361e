import sqlalchemy as sa
from participatie.core.accounts.models import User
from participatie.core.processes.models import Process
from participatie.core.roles.permissions import can_read
from participatie.core.roles.permissions import councils
from participatie.core.roles.permissions import facilitates
from participatie.core.roles.permissions import is_admin
from participatie.extensions import db


def load(app, user, saved):
    return db.session.get(User, user.id), db.session.get(Process, saved.id)


def test_facilitator_of_an_area_facilitates_every_process_below_it(
    app, create_process, create_user, grant
):
    saved = create_process(area_code="WK015306")
    gemeente, wijk, other = create_user(), create_user(), create_user()
    grant(gemeente, "facilitator", "GM0153")
    grant(wijk, "facilitator", "WK015306")
    grant(other, "facilitator", "WK015300")
    with app.app_context():
        process = db.session.get(Process, saved.id)
        assert facilitates(db.session.get(User, gemeente.id), process)
        assert facilitates(db.session.get(User, wijk.id), process)
        assert not facilitates(db.session.get(User, other.id), process)


def test_facilitator_of_a_buurt_does_not_facilitate_its_wijk(
    app, create_process, create_user, grant
):
    saved = create_process(area_code="WK015306")
    user = create_user()
    grant(user, "facilitator", "BU01530600")
    with app.app_context():
        assert not facilitates(db.session.get(User, user.id), db.session.get(Process, saved.id))


def test_one_account_may_hold_several_roles(app, create_process, create_user, grant):
    saved = create_process()
    user = create_user()
    grant(user, "councillor", "GM0153")
    grant(user, "facilitator", process_id=saved.id)
    with app.app_context():
        account, process = load(app, user, saved)
        assert councils(account, process)
        assert facilitates(account, process)
        assert not is_admin(account)


def test_administrator_may_do_everything(app, create_process, create_user, grant):
    saved = create_process(status="draft")
    user = create_user()
    grant(user, "administrator")
    with app.app_context():
        account, process = load(app, user, saved)
        assert facilitates(account, process)
        assert can_read(account, process)


def test_councillor_does_not_see_draft_processes(app, create_process, create_user, grant):
    saved = create_process(status="draft")
    user = create_user()
    grant(user, "councillor", "GM0153")
    with app.app_context():
        account, process = load(app, user, saved)
        assert councils(account, process)
        assert not can_read(account, process)
        assert not facilitates(account, process)


def test_role_scope_is_enforced_by_the_database(app, create_user, areas):
    import pytest
    from participatie.core.roles.models import RoleAssignment
    from sqlalchemy.exc import IntegrityError

    user = create_user()
    with app.app_context():
        db.session.add(RoleAssignment(user_id=user.id, role="councillor"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RoleAssignment)) == 0
