import re

import sqlalchemy as sa
from participatie.core.processes.models import Process
from participatie.extensions import db

from tests.conftest import csrf_token
from tests.conftest import login


def form_data(client, path, **changes):
    """The fields of the process form on ``path``, as a browser would send them."""
    page = client.get(path).get_data(as_text=True)
    data = {}
    for tag in re.findall(r"<(?:input|textarea|select)[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name.group(1) == "action":
            continue
        name = name.group(1)
        kind = re.search(r'type="([^"]+)"', tag)
        kind = kind.group(1) if kind else ""
        if kind in ("checkbox", "radio"):
            if "checked" in tag:
                value = re.search(r'value="([^"]*)"', tag).group(1)
                if kind == "checkbox" and name in data:
                    # Several boxes of one name (the plugins) send every ticked value.
                    previous = data[name]
                    data[name] = (
                        [*previous, value] if isinstance(previous, list) else [previous, value]
                    )
                else:
                    data[name] = value
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name] = value.group(1) if value else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\s*([^<]*)</textarea>', page):
        data[name] = text.strip()
    for name, block in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"', block) or re.search(
            r'<option value="([^"]*)" selected', block
        )
        first = re.search(r'<option value="([^"]*)"', block)
        data[name] = (chosen or first).group(1)
    data.update(changes)
    return data


def test_facilitator_creates_a_draft_with_its_framing(client, app, areas, create_user, grant):
    user = create_user()
    grant(user, "facilitator", "GM0153")
    login(client, user.email)
    data = form_data(
        client,
        "/processen/nieuw",
        title="Speeltuin aan de Esmarkelaan",
        **{"reasons-0-kind": "knowledge", "reasons-0-text": "Jullie kennen de buurt."},
        **{"fixed_limits-0-title": "Budget € 30.000", "fixed_limits-0-source": "Begroting"},
        **{"open_questions-0-text": "Welke toestellen?"},
        level="consult",
        action="save",
    )
    response = client.post("/processen/nieuw", data=data)
    assert response.status_code == 302
    with app.app_context():
        process = db.session.scalar(sa.select(Process))
        assert process.status == "draft"
        assert process.slug == "speeltuin-aan-de-esmarkelaan"
        assert [r.text for r in process.reasons] == ["Jullie kennen de buurt."]
        assert [f.title for f in process.fixed_limits] == ["Budget € 30.000"]
        assert [t.code for t in process.themes] == ["sociaal", "fysiek", "veiligheid"]


def test_publishing_an_incomplete_process_is_refused_and_keeps_what_was_typed(
    client, app, create_process, create_user, grant
):
    saved = create_process(decision_maker="")
    user = create_user()
    grant(user, "facilitator", "WK015306")
    login(client, user.email)
    path = f"/processen/{saved.slug}/bewerken"
    data = form_data(client, path, title="Nieuwe titel", action="publish")
    response = client.post(path, data=data, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert 'data-code="no-decision-maker"' in page
    assert 'value="Nieuwe titel"' in page
    with app.app_context():
        process = db.session.get(Process, saved.id)
        assert process.status == "draft"
        assert process.title == "Nieuwe titel"


def test_complete_process_is_published(client, app, create_process, create_user, grant):
    saved = create_process()
    user = create_user()
    grant(user, "facilitator", "WK015306")
    login(client, user.email)
    path = f"/processen/{saved.slug}/bewerken"
    response = client.post(path, data=form_data(client, path, action="publish"))
    assert response.headers["Location"] == f"/processen/{saved.slug}"
    with app.app_context():
        process = db.session.get(Process, saved.id)
        assert process.status == "published"
        assert process.published_at is not None


def test_invalid_input_gets_messages_beside_the_fields_and_nothing_is_saved(
    client, app, create_process, create_user, grant
):
    saved = create_process()
    user = create_user()
    grant(user, "facilitator", "GM0153")
    login(client, user.email)
    path = f"/processen/{saved.slug}/bewerken"
    data = form_data(
        client, path, title="", answer_within_days="veel", **{"phases-0-starts_at": "morgen"}
    )
    response = client.post(path, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="title-error"' in page
    assert 'id="answer_within_days-error"' in page
    assert 'id="phases-0-starts_at-error"' in page
    assert 'value="veel"' in page
    with app.app_context():
        assert db.session.get(Process, saved.id).title == "Een groenere straat"


def test_check_button_and_htmx_check_show_findings_without_saving(
    client, app, create_process, create_user, grant
):
    saved = create_process()
    user = create_user()
    grant(user, "facilitator", "GM0153")
    login(client, user.email)
    path = f"/processen/{saved.slug}/bewerken"
    data = form_data(client, path, decision_maker="", action="check")
    page = client.post(path, data=data).get_data(as_text=True)
    assert 'data-code="no-decision-maker"' in page
    partial = client.post(
        f"/processen/{saved.slug}/controle", data=data, headers={"HX-Request": "true"}
    )
    assert partial.status_code == 200
    text = partial.get_data(as_text=True)
    assert text.lstrip().startswith('<div id="framing-check"')
    assert 'data-code="no-decision-maker"' in text
    with app.app_context():
        assert db.session.get(Process, saved.id).decision_maker == "Het college"


def test_add_row_button_adds_an_empty_row_and_keeps_the_rest(
    client, create_process, create_user, grant
):
    saved = create_process()
    user = create_user()
    grant(user, "facilitator", "GM0153")
    login(client, user.email)
    path = f"/processen/{saved.slug}/bewerken"
    data = form_data(client, path, title="Getypt", action="add-fixed_limits")
    page = client.post(path, data=data).get_data(as_text=True)
    assert 'value="Getypt"' in page
    assert 'name="fixed_limits-2-title"' in page


def test_removing_a_row(client, app, create_process, create_user, grant):
    saved = create_process()
    user = create_user()
    grant(user, "facilitator", "GM0153")
    login(client, user.email)
    path = f"/processen/{saved.slug}/bewerken"
    data = form_data(client, path, **{"open_questions-0-remove": "y"}, action="save")
    client.post(path, data=data)
    with app.app_context():
        process = db.session.get(Process, saved.id)
        assert [q.text for q in process.open_questions] == ["Waar komt de speelplek?"]


def test_facilitator_of_another_area_gets_403(client, create_process, create_user, grant):
    saved = create_process(area_code="WK015306")
    user = create_user()
    grant(user, "facilitator", "WK015300")
    login(client, user.email)
    assert client.get(f"/processen/{saved.slug}/bewerken").status_code == 403
    token = csrf_token(client, "/account")
    assert (
        client.post(f"/processen/{saved.slug}/sluiten", data={"csrf_token": token}).status_code
        == 403
    )


def test_resident_gets_403_and_anonymous_gets_the_login_page(client, create_process, create_user):
    saved = create_process()
    anonymous = client.get(f"/processen/{saved.slug}/bewerken")
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/inloggen")
    user = create_user()
    login(client, user.email)
    assert client.get(f"/processen/{saved.slug}/bewerken").status_code == 403
    assert client.get("/processen/nieuw").status_code == 403
    assert client.get("/begeleiding").status_code == 403


def test_facilitator_of_one_process_may_edit_it_but_not_move_it(
    client, app, create_process, create_user, grant
):
    saved = create_process()
    other = create_process(slug="andere")
    user = create_user()
    grant(user, "facilitator", process_id=saved.id)
    login(client, user.email)
    page = client.get(f"/processen/{saved.slug}/bewerken").get_data(as_text=True)
    area_select = re.search(r'<select[^>]*name="area"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert area_select.count("<option") == 1
    assert client.get(f"/processen/{other.slug}/bewerken").status_code == 403
    assert client.get("/processen/nieuw").status_code == 403


def test_moving_a_process_to_an_area_outside_ones_own_is_refused(
    client, app, create_process, create_user, grant
):
    from participatie.core.areas.models import Area

    saved = create_process(area_code="WK015306")
    user = create_user()
    grant(user, "facilitator", "WK015306")
    login(client, user.email)
    with app.app_context():
        elsewhere = db.session.scalar(sa.select(Area.id).where(Area.code == "WK015300"))
    path = f"/processen/{saved.slug}/bewerken"
    response = client.post(path, data=form_data(client, path, area=str(elsewhere)))
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Process, saved.id).area.code == "WK015306"


def test_draft_is_hidden_from_the_public(client, create_process):
    saved = create_process(status="draft")
    assert client.get(f"/processen/{saved.slug}").status_code == 404


def test_close_current_phase_and_close_process(client, app, create_process, create_user, grant):
    saved = create_process(status="published")
    user = create_user()
    grant(user, "facilitator", "GM0153")
    login(client, user.email)
    token = csrf_token(client, f"/processen/{saved.slug}")
    client.post(f"/processen/{saved.slug}/fase-afsluiten", data={"csrf_token": token})
    with app.app_context():
        process = db.session.get(Process, saved.id)
        assert process.phases[0].ends_at == process.phases[1].starts_at
    client.post(f"/processen/{saved.slug}/sluiten", data={"csrf_token": token})
    with app.app_context():
        assert db.session.get(Process, saved.id).status == "closed"


def test_framing_is_shown_before_anything_else_on_the_process_page(client, create_process):
    saved = create_process(status="published")
    page = client.get(f"/processen/{saved.slug}").get_data(as_text=True)
    panel = page.index('class="framing-panel"')
    assert panel < page.index('id="phases-heading"')
    for text in (
        "Waarom we het je vragen",
        "Wat je kunt veranderen",
        "Wat al vaststaat",
        "Budget € 100.000",
        "Bron: Begroting 2026",
        "Wie beslist",
        "Het college",
        "binnen 30 dagen",
        "advies aan wie besluit",
    ):
        assert text in page, text


def test_process_page_shows_the_area_figures_next_to_the_gemeente(client, create_process):
    saved = create_process(status="published")
    page = client.get(f"/processen/{saved.slug}").get_data(as_text=True)
    figures = page[page.index('id="figures-heading"') :]
    assert "33.685" in figures and "161.738" in figures
    assert "Bron: CBS 85984NED" in figures


def test_fixed_limits_keep_their_ids_when_the_form_is_saved(
    client, app, create_process, create_user, grant
):
    from participatie.core.processes.models import FixedLimit

    saved = create_process(
        fixed_limits=[
            FixedLimit(title="Budget", source="Begroting", position=0),
            FixedLimit(title="Wet", source="Omgevingswet", position=1),
        ]
    )
    user = create_user()
    grant(user, "facilitator", "GM0153")
    login(client, user.email)
    with app.app_context():
        before = {f.title: f.id for f in db.session.get(Process, saved.id).fixed_limits}
    path = f"/processen/{saved.slug}/bewerken"
    data = form_data(
        client, path, **{"fixed_limits-0-remove": "y", "fixed_limits-1-title": "Wet (aangepast)"}
    )
    client.post(path, data=data)
    with app.app_context():
        after = [(f.id, f.title) for f in db.session.get(Process, saved.id).fixed_limits]
    assert after == [(before["Wet"], "Wet (aangepast)")]
