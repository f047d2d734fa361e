import io

import sqlalchemy as sa
from participatie.core.accounts.models import User
from participatie.core.areas.models import Area
from participatie.core.audit.models import AuditEvent
from participatie.core.roles.models import RoleAssignment
from participatie.extensions import db

from tests.conftest import csrf_token
from tests.conftest import login
from tests.core.processes.test_facilitator_screens import form_data


def admin_client(app, create_user, grant):
    admin = create_user(email="beheer@example.org")
    grant(admin, "administrator")
    client = app.test_client()
    login(client, admin.email)
    return client, admin


def events(app, action=None):
    with app.app_context():
        query = sa.select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        return [
            (e.action, e.actor_email, e.object_type, e.object_label, e.details)
            for e in db.session.scalars(query)
        ]


def test_administration_is_linked_in_the_header_for_administrators_only(app, create_user, grant):
    client, _admin = admin_client(app, create_user, grant)
    assert 'href="/beheer/"' in client.get("/").get_data(as_text=True)
    resident = create_user()
    other = app.test_client()
    login(other, resident.email)
    assert 'href="/beheer/"' not in other.get("/").get_data(as_text=True)
    assert other.get("/beheer/").status_code == 403
    assert app.test_client().get("/beheer/").headers["Location"].startswith("/inloggen")


def test_find_an_account_and_assign_and_remove_a_role_with_audit(app, areas, create_user, grant):
    client, admin = admin_client(app, create_user, grant)
    anna = create_user(email="anna@example.org", display_name="Anna de Vries")
    page = client.get("/beheer/accounts?q=vries").get_data(as_text=True)
    assert "anna@example.org" in page
    assert "beheer@example.org" not in page
    with app.app_context():
        wijk = db.session.scalar(sa.select(Area.id).where(Area.code == "WK015306"))
    path = f"/beheer/accounts/{anna.id}"
    token = csrf_token(client, path)
    response = client.post(
        f"{path}/rollen",
        data={"role": "facilitator", "area_id": wijk, "process_id": "", "csrf_token": token},
    )
    assert response.status_code == 302
    with app.app_context():
        role = db.session.scalar(sa.select(RoleAssignment).where(RoleAssignment.user_id == anna.id))
        assert (role.role, role.area.code) == ("facilitator", "WK015306")
        role_id = role.id
    client.post(f"{path}/rollen/{role_id}/verwijderen", data={"csrf_token": token})
    with app.app_context():
        assert db.session.get(RoleAssignment, role_id) is None
    assert events(app) == [
        (
            "role.assign",
            "beheer@example.org",
            "user",
            "anna@example.org",
            {"role": "facilitator", "area": "WK015306", "process": None},
        ),
        (
            "role.remove",
            "beheer@example.org",
            "user",
            "anna@example.org",
            {"role": "facilitator", "area": "WK015306", "process": None},
        ),
    ]


def test_a_role_without_its_scope_is_refused_with_a_message(app, areas, create_user, grant):
    client, _admin = admin_client(app, create_user, grant)
    anna = create_user()
    path = f"/beheer/accounts/{anna.id}"
    response = client.post(
        f"{path}/rollen",
        data={
            "role": "councillor",
            "area_id": "",
            "process_id": "",
            "csrf_token": csrf_token(client, path),
        },
    )
    assert response.status_code == 400
    assert 'id="role-error"' in response.get_data(as_text=True)
    assert events(app) == []


def test_blocking_ends_every_session_and_is_audited(app, create_user, grant):
    client, _admin = admin_client(app, create_user, grant)
    anna = create_user()
    anna_client = app.test_client()
    login(anna_client, anna.email)
    assert anna_client.get("/account").status_code == 200
    path = f"/beheer/accounts/{anna.id}"
    client.post(f"{path}/blokkeren", data={"csrf_token": csrf_token(client, path)})
    assert anna_client.get("/account").status_code == 302
    assert login(app.test_client(), anna.email).status_code == 400
    client.post(f"{path}/deblokkeren", data={"csrf_token": csrf_token(client, path)})
    assert login(app.test_client(), anna.email).status_code == 302
    assert [e[0] for e in events(app)] == ["account.block", "account.unblock"]


def test_administrator_cannot_lock_themselves_out(app, create_user, grant):
    client, admin = admin_client(app, create_user, grant)
    path = f"/beheer/accounts/{admin.id}"
    client.post(f"{path}/blokkeren", data={"csrf_token": csrf_token(client, path)})
    with app.app_context():
        assert db.session.get(User, admin.id).blocked_at is None


def test_stadsdeel_is_defined_and_wijken_placed_in_it(app, areas, create_user, grant):
    client, _admin = admin_client(app, create_user, grant)
    token = csrf_token(client, "/beheer/gebieden")
    response = client.post(
        "/beheer/gebieden/stadsdelen",
        data={"code": "sd-zuid", "name": "Stadsdeel Zuid", "csrf_token": token},
    )
    assert response.status_code == 302
    with app.app_context():
        stadsdeel = db.session.scalar(sa.select(Area).where(Area.code == "SD-ZUID"))
        wijk = db.session.scalar(sa.select(Area).where(Area.code == "WK015306"))
        ids = (wijk.id, stadsdeel.id)
    client.post(
        "/beheer/gebieden/indeling", data={"wijk": ids[0], "parent": ids[1], "csrf_token": token}
    )
    with app.app_context():
        assert db.session.get(Area, ids[0]).parent.code == "SD-ZUID"
    assert [e[0] for e in events(app)] == ["area.create", "area.place"]
    page = client.get("/gebieden/WK015306").get_data(as_text=True)
    assert "Stadsdeel Zuid" in page


def test_csv_import_in_the_browser_is_all_or_nothing(app, areas, create_user, grant):
    client, _admin = admin_client(app, create_user, grant)
    token = csrf_token(client, "/beheer/gebieden")
    bad = b"code,name,level,parent_code,gemeente_code\nSD-N,Noord,stadsdeel,GM0153,GM0153\nBU1,x,buurt,SD-N,GM0153\n"
    response = client.post(
        "/beheer/gebieden/import",
        data={"file": (io.BytesIO(bad), "stadsdelen.csv"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Line 3" in response.get_data(as_text=True) or "Regel 3" in response.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.scalar(sa.select(Area).where(Area.code == "SD-N")) is None
    good = b"code,name,level,parent_code,gemeente_code\nSD-N,Noord,stadsdeel,GM0153,GM0153\n"
    response = client.post(
        "/beheer/gebieden/import",
        data={"file": (io.BytesIO(good), "stadsdelen.csv"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert [e[0] for e in events(app)] == ["area.import"]


def test_facilitator_actions_are_in_the_audit_log(app, create_process, create_user, grant):
    saved = create_process(decision_maker="")
    user = create_user(email="begeleider@example.org")
    grant(user, "facilitator", "GM0153")
    client = app.test_client()
    login(client, user.email)
    path = f"/processen/{saved.slug}/bewerken"
    client.post(path, data=form_data(client, path, action="publish"))
    client.post(path, data=form_data(client, path, decision_maker="De raad", action="publish"))
    token = csrf_token(client, f"/processen/{saved.slug}")
    client.post(f"/processen/{saved.slug}/fase-afsluiten", data={"csrf_token": token})
    client.post(f"/processen/{saved.slug}/sluiten", data={"csrf_token": token})
    recorded = events(app)
    assert [e[0] for e in recorded] == [
        "process.update",
        "process.publish_refused",
        "process.update",
        "process.publish",
        "process.close_phase",
        "process.close",
    ]
    assert recorded[1][4] == {"problems": ["no-decision-maker"]}
    assert all(e[1] == "begeleider@example.org" and e[2] == "process" for e in recorded)
    assert recorded[4][4] == {"phase": "Ideeën", "next_phase": "Besluit", "revision": 1}


def test_audit_log_page_lists_and_filters_events(app, create_user, grant):
    client, _admin = admin_client(app, create_user, grant)
    anna = create_user()
    path = f"/beheer/accounts/{anna.id}"
    client.post(f"{path}/blokkeren", data={"csrf_token": csrf_token(client, path)})
    client.post(f"{path}/deblokkeren", data={"csrf_token": csrf_token(client, path)})
    page = client.get("/beheer/audit?action=account.block").get_data(as_text=True)
    assert "account.block" in page
    assert "<code>account.unblock</code>" not in page
