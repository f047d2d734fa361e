"""Real Dutch elections through the commands: ``budgets import-pb`` then ``budgets count``.

The outcome printed for the stored ballots must equal the official one (the
``selected`` column of each Pabulib file), with the project ids kept.
"""

from pathlib import Path

import pytest
import sqlalchemy as sa
from participatie.builtin.budgets import pabulib
from participatie.builtin.budgets import service
from participatie.core.accounts.models import User
from participatie.extensions import db

DATA = Path(__file__).parents[2] / "data" / "pabulib"
FILES = sorted(path.name for path in DATA.glob("*.pb"))


def _official(path: Path) -> dict[str, int]:
    """project_id -> selected code of the official outcome, for the chosen ones."""
    parsed = pabulib.parse(path.read_text(encoding="utf-8"))
    return {
        row["project_id"]: int(row["selected"])
        for row in parsed.projects
        if row.get("selected") not in (None, "", "0")
    }


@pytest.mark.parametrize("name", FILES)
def test_import_then_count_gives_the_official_outcome(app, runner, create_process, name):
    process = create_process(status="draft", slug="stemming")
    path = DATA / name
    result = runner.invoke(args=["budgets", "import-pb", process.slug, str(path)])
    assert result.exit_code == 0, result.output
    counted = runner.invoke(args=["budgets", "count", process.slug])
    assert counted.exit_code == 0, counted.output
    lines = [line.split("\t") for line in counted.stdout.splitlines()]
    assert all(len(parts) == 3 for parts in lines), counted.stdout
    official = _official(path)
    assert {parts[0] for parts in lines} == set(official)
    with app.app_context():
        vote = service.vote_of(process.id)
        costs = {p.external_id: p.cost for p in vote.projects}
        assert service.status(vote, db.session.get(type(vote.process), process.id)) == "closed"
        parsed = pabulib.parse(path.read_text(encoding="utf-8"))
        assert service.ballot_count(vote) == len(parsed.votes)
        for external_id, _title, amount in lines:
            if official[external_id] == 2:
                assert int(amount) < costs[external_id]  # funded partly
            else:
                assert int(amount) == costs[external_id]


def test_an_import_is_all_or_nothing_reports_every_wrong_line_and_is_idempotent(
    app, runner, create_process, tmp_path
):
    process = create_process(status="draft", slug="papier")
    text = (DATA / "Netherlands_Assen_2024.pb").read_text(encoding="utf-8")
    lines = text.splitlines()
    votes = lines.index("VOTES")
    broken = list(lines)
    broken[votes + 2] = broken[votes + 2].split(";")[0] + ";999"
    broken[votes + 5] = broken[votes + 5].split(";")[0] + ";"
    bad = tmp_path / "bad.pb"
    bad.write_text("\n".join(broken) + "\n", encoding="utf-8")
    result = runner.invoke(args=["budgets", "import-pb", process.slug, str(bad)])
    assert result.exit_code == 1
    assert f":{votes + 3}:" in result.stderr and f":{votes + 6}:" in result.stderr
    with app.app_context():
        assert service.vote_of(process.id) is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    good = DATA / "Netherlands_Assen_2024.pb"
    assert runner.invoke(args=["budgets", "import-pb", process.slug, str(good)]).exit_code == 0
    again = runner.invoke(args=["budgets", "import-pb", process.slug, str(good)])
    assert again.exit_code == 0 and "nothing changed" in again.stderr
    with app.app_context():
        vote = service.vote_of(process.id)
        assert service.ballot_count(vote) == 84 and len(vote.projects) == 14


def test_a_closed_vote_exports_as_a_pabulib_file_without_personal_data(
    app, client, runner, create_process, create_user, grant
):
    from tests.conftest import login

    process = create_process(status="published", slug="export")
    path = DATA / "Netherlands_Assen_2024.pb"
    assert runner.invoke(args=["budgets", "import-pb", process.slug, str(path)]).exit_code == 0
    facilitator = create_user()
    grant(facilitator, "facilitator", "WK015306")
    login(client, facilitator.email)
    response = client.get(f"/processen/{process.slug}/begroting/export.pb")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    exported = pabulib.parse(text)
    original = pabulib.parse(path.read_text(encoding="utf-8"))
    assert exported.meta["budget"] == "100000"
    assert pabulib.rule_of(exported.meta) == ("equal-shares", False)
    assert sorted(sorted(v) for _voter, v in exported.votes) == sorted(
        sorted(v) for _voter, v in original.votes
    )
    assert "@" not in text and "Stemmer" not in text


def test_the_upload_shows_a_preview_then_imports_and_lists_wrong_lines_once(
    app, client, create_process, create_user, grant
):
    from tests.conftest import csrf_token
    from tests.conftest import login

    process = create_process(status="published", slug="upload")
    facilitator = create_user()
    grant(facilitator, "facilitator", "WK015306")
    login(client, facilitator.email)
    url = f"/processen/{process.slug}/begroting/import"
    text = (DATA / "Netherlands_Assen_2024.pb").read_text(encoding="utf-8")
    broken = text.replace("3;7200;", "3;duur;", 1)
    token = csrf_token(client, url)
    refused = client.post(url, data={"csrf_token": token, "text": broken, "action": "preview"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and page.count("Regel ") == 1 and "duur" in page
    preview = client.post(url, data={"csrf_token": token, "text": text, "action": "preview"})
    assert "PopUp Podium" in preview.get_data(as_text=True)
    with app.app_context():
        assert service.vote_of(process.id) is None  # a preview writes nothing
    done = client.post(url, data={"csrf_token": token, "text": text, "action": "import"})
    assert done.status_code == 302
    with app.app_context():
        assert service.ballot_count(service.vote_of(process.id)) == 84
