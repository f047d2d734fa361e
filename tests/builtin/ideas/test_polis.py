"""Import of Polis conversation exports."""

import csv
from pathlib import Path

import sqlalchemy as sa
from participatie.builtin.ideas.models import Idea
from participatie.builtin.ideas.polis import title_of
from participatie.builtin.votes.models import Vote
from participatie.builtin.votes.models import VoteSettings
from participatie.core.accounts.models import User
from participatie.extensions import db

from tests.conftest import login

REAL = Path(__file__).resolve().parents[2] / "data" / "polis" / "15-per-hour-seattle"
COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1403054214196,x,0,1,99,0,1,Meer groen in de wijk\n"
    "1403054215196,x,1,2,0,0,-1,Iets onaardigs\n"
    '1403054216196,x,2,3,5,1,0,"Een lange opmerking, met komma\'s"\n'
)


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def ideas_by_ref(app):
    with app.app_context():
        return {
            idea.external_ref.rsplit(":", 1)[1]: (
                idea.supports,
                idea.hidden_at is not None,
                idea.title,
            )
            for idea in db.session.scalars(sa.select(Idea))
        }


def test_votes_csv_counts_each_voters_last_vote(app, runner, create_process, tmp_path):
    saved = create_process(status="closed")
    folder = tmp_path / "gesprek"
    write(folder, "comments.csv", COMMENTS)
    write(
        folder,
        "votes.csv",
        "timestamp,datetime,comment-id,voter-id,vote\n"
        "100,x,0,7,1\n"
        "300,x,0,7,-1\n"  # voter 7 changes their mind: disagree counts
        "200,x,0,8,-1\n"
        "400,x,0,8,1\n"  # voter 8 ends on agree
        "150,x,0,9,1\n"
        "160,x,2,9,0\n"  # a pass is not a support
        "170,x,1,9,1\n",
    )
    result = runner.invoke(args=["ideas", "import-polis", saved.slug, str(folder)])
    assert result.exit_code == 0, result.output
    assert "bypass the per-person maximum" in result.output
    found = ideas_by_ref(app)
    # 99 "agrees" in comments.csv, but two last-agree votes in votes.csv.
    assert found["0"][:2] == (2, False)
    assert found["1"][:2] == (1, True)
    assert found["2"] == (0, False, "Een lange opmerking, met komma's")


def test_participants_votes_csv_and_import_twice_changes_nothing(
    app, runner, create_process, tmp_path
):
    saved = create_process(status="published")
    with app.app_context():
        db.session.add(VoteSettings(process_id=saved.id, max_supports=1))
        db.session.commit()
    folder = tmp_path / "breed"
    write(folder, "comments.csv", COMMENTS)
    write(
        folder,
        "participants-votes.csv",
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2\n"
        "11,0,0,3,2,1,1,-1,1\n"
        "12,0,0,2,1,0,1,,0\n"
        "13,1,0,1,0,1,-1,,\n",
    )
    runner.invoke(args=["ideas", "import-polis", saved.slug, str(folder)])
    found = ideas_by_ref(app)
    assert (found["0"][0], found["1"][0], found["2"][0]) == (2, 0, 1)
    with app.app_context():
        counts = [
            db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Idea, Vote, User)
        ]
    again = runner.invoke(args=["ideas", "import-polis", saved.slug, str(folder)])
    assert "0 ideas created" in again.output and "0 new supports" in again.output
    with app.app_context():
        assert [
            db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Idea, Vote, User)
        ] == counts


def test_imported_participants_cannot_log_in(app, client, runner, create_process, tmp_path):
    saved = create_process(status="published")
    folder = tmp_path / "gesprek"
    write(folder, "comments.csv", COMMENTS)
    write(folder, "votes.csv", "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,5,1\n")
    runner.invoke(args=["ideas", "import-polis", saved.slug, str(folder)])
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.imported_from == "polis:gesprek"))
        assert not user.is_active and user.password_hash is None
        email = user.email
    assert login(client, email, "willekeurig wachtwoord").status_code == 400


def test_real_conversation_supports_equal_the_last_agree_votes(app, client, runner, create_process):
    saved = create_process(status="published")
    result = runner.invoke(args=["ideas", "import-polis", saved.slug, str(REAL)])
    assert result.exit_code == 0, result.output
    last = {}
    with open(REAL / "votes.csv", newline="") as file:
        for row in sorted(csv.DictReader(file), key=lambda r: int(r["timestamp"])):
            last[(row["comment-id"], row["voter-id"])] = int(row["vote"])
    expected = {}
    for (comment_id, _voter), vote in last.items():
        expected[comment_id] = expected.get(comment_id, 0) + (vote == 1)
    found = ideas_by_ref(app)
    assert len(found) == 54
    assert {ref: supports for ref, (supports, _hidden, _title) in found.items()} == {
        ref: expected.get(ref, 0) for ref in found
    }
    page = client.get(f"/processen/{saved.slug}").get_data(as_text=True)
    assert "The Computational Democracy Project" in page


def test_titles_are_cut_at_a_word_boundary():
    text = "woord " * 60
    title = title_of(text)
    assert len(title) <= 160 and title.endswith("…") and " woor…" not in title
    assert title_of("Kort") == "Kort"
