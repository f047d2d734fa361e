"""The benchmark's data sets, built reproducibly (``make bench``; a tiny one in the tests).

``build_city`` makes a city-scale copy of a municipality in an empty database:
the real CBS areas of Enschede (its 10 wijken), 50 processes in mixed phases,
10,000 accounts, 20,000 ideas in one process with skewed popularity (the most
popular ones with 500-2,000 comments), 200,000 supports, 100,000 comments and a
published budget vote with 10,000 ballots, plus an open budget vote for the
ballot writes. ``scale`` multiplies the counts (0.001 in the test).

Rows go in with bulk inserts into the model tables (``executemany``), with
explicit ids so that rows can name each other without reading back. The 50
processes with their framing are ORM objects (few rows, many parts). The
random choices come from one seeded generator and one Argon2 hash of
``PASSWORD`` is reused for every account, so two builds at one scale make the
same rows. Stored counters (``Idea.supports``) are set from the rows made.

``build_bowling_green`` imports the real Polis conversation "Bowling Green"
(896 ideas, 2,031 participants) through the app's own Polis import.
"""

import random
from dataclasses import dataclass
from dataclasses import field
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from participatie.core.accounts.models import User
from participatie.core.areas.importer import import_file
from participatie.core.areas.importer import SHIPPED_FILE
from participatie.core.areas.models import Area
from participatie.core.processes.models import FixedLimit
from participatie.core.processes.models import FramingRevision
from participatie.core.processes.models import OpenQuestion
from participatie.core.processes.models import Phase
from participatie.core.processes.models import Process
from participatie.core.processes.models import Reason
from participatie.core.processes.models import Theme
from participatie.extensions import db
from participatie.extensions import utcnow

PASSWORD = "bench-wachtwoord-lang-genoeg-2026"
SEED = 16
MUNICIPALITY = "GM0153"
BOWLING_GREEN = (
    Path(__file__).resolve().parents[1] / "data" / "polis" / "american-assembly.bowling-green"
)
CHUNK = 10_000

#: The full-size counts; ``scale`` multiplies them.
FULL = {
    "processes": 50,
    "accounts": 10_000,
    "ideas": 20_000,
    "supports": 200_000,
    "comments": 100_000,
    "ballots": 10_000,
}
#: The comments of the most popular ideas (the rest are spread, skewed, over the others).
TOP_COMMENTS = (2000, 1500, 1000, 700, 500)

SENTENCES = (
    "Meer bomen in de straat zou de hitte in de zomer temperen.",
    "Graag een veilige oversteekplaats bij de school.",
    "De stoep is te smal voor een rolstoel of een kinderwagen.",
    "Een speelplek voor oudere kinderen ontbreekt in de buurt.",
    "Er wordt hier veel te hard gereden, vooral 's avonds.",
    "Zet bankjes neer zodat ouderen onderweg kunnen rusten.",
    "Betere verlichting in het park maakt het 's avonds veiliger.",
    "Fietsenstallingen bij het winkelcentrum zijn altijd vol.",
    "Minder parkeerplaatsen, meer groen: daar ben ik voor.",
    "Ik ben het hier niet mee eens, het kost te veel.",
    "Goed idee! Dit speelt al jaren.",
    "Kan dit samen met de nieuwe riolering worden aangelegd?",
)
WORDS = (
    "groen",
    "speelplek",
    "bankjes",
    "verlichting",
    "fietspad",
    "oversteek",
    "bomen",
    "moestuin",
    "hondenveld",
    "parkeren",
    "afvalbakken",
    "ontmoetingsplek",
)


@dataclass
class City:
    """What the benchmark needs to know of the built city data set."""

    ideas_slug: str = "stad-ideeen"
    budget_slug: str = "stad-begroting"
    open_budget_slug: str = "stad-begroting-open"
    area_code: str = MUNICIPALITY
    top_idea_id: int = 0
    idea_ids: list[int] = field(default_factory=list)
    account_emails: list[str] = field(default_factory=list)
    open_project_ids: list[int] = field(default_factory=list)
    counts: dict = field(default_factory=dict)


def scaled(scale: float) -> dict:
    counts = {name: max(1, round(value * scale)) for name, value in FULL.items()}
    counts["processes"] = max(4, counts["processes"])
    counts["accounts"] = max(16, counts["accounts"])
    counts["ideas"] = max(10, counts["ideas"])
    return counts


def _token(rng: random.Random) -> str:
    return f"{rng.getrandbits(192):048x}"


def _process(area, slug, title, status, phases, now, number=0) -> Process:
    """A process whose framing passes the check, with the given phases."""
    process = Process(
        area=area,
        slug=slug,
        title=title,
        summary="Benchmarktraject: de inhoud is verzonnen, de aantallen zijn die van een stad.",
        status=status,
        level=("consult", "advise", "co-create", "co-decide")[number % 4],
        horizontal_limits="We wegen alle reacties tegen de kaders en tegen elkaar.",
        decision_maker="Het college",
        integrality="execution",
        execution_owner="Team Openbare Ruimte",
        participation_ends="plan",
        answer_within_days=30,
        reasons=[Reason(kind="knowledge", text="Bewoners kennen hun buurt het best.")],
        fixed_limits=[
            FixedLimit(
                title="Budget € 1.000.000",
                source="Begroting 2026",
                kind="budget",
                amount=1_000_000,
                position=0,
            )
        ],
        open_questions=[OpenQuestion(text="Wat moet er als eerste gebeuren?", position=0)],
        themes=[
            Theme(code=code, name=name, position=index)
            for index, (code, name) in enumerate(
                (("sociaal", "Sociaal"), ("fysiek", "Fysiek"), ("veiligheid", "Veiligheid"))
            )
        ],
        phases=[
            Phase(
                name=name,
                starts_at=now + starts,
                ends_at=now + ends,
                allows_submit="submit" in actions,
                allows_comment="comment" in actions,
                allows_vote="vote" in actions,
                allows_budget="budget" in actions,
                position=index,
            )
            for index, (name, starts, ends, actions) in enumerate(phases)
        ],
    )
    if status != "draft":
        process.published_at = now + phases[0][1]
    if status == "closed":
        process.closed_at = now + phases[-1][2]
    return process


DAY = timedelta(days=1)
#: The kinds of the other processes, in turn: (status, phases relative to now).
KINDS = (
    (
        "published",
        (
            ("Ideeën", -30 * DAY, 30 * DAY, "submit comment vote"),
            ("Besluit", 30 * DAY, 60 * DAY, ""),
        ),
    ),
    (
        "published",
        (
            ("Ideeën", -60 * DAY, -10 * DAY, "submit comment"),
            ("Steunen", -10 * DAY, 20 * DAY, "comment vote"),
        ),
    ),
    ("published", (("Ideeën", 10 * DAY, 40 * DAY, "submit comment"),)),
    (
        "closed",
        (
            ("Ideeën", -200 * DAY, -150 * DAY, "submit comment vote"),
            ("Besluit", -150 * DAY, -100 * DAY, ""),
        ),
    ),
    ("draft", (("Ideeën", 20 * DAY, 50 * DAY, "submit comment vote"),)),
)


def _rows(table, rows) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(sa.insert(table), rows[start : start + CHUNK])


def _skewed(total: int, count: int, rng: random.Random, exponent=0.7, cap=None) -> list[int]:
    """``total`` spread over ``count`` ranks, Zipf-like (rank 0 the largest), each at most ``cap``."""
    weights = [1 / (rank + 1) ** exponent for rank in range(count)]
    whole = sum(weights)
    shares = [int(total * w / whole) for w in weights]
    for _ in range(total - sum(shares)):
        shares[rng.randrange(count)] += 1
    if cap is not None:
        shares = [min(cap, share) for share in shares]
    return shares


def build_city(app, scale: float = 1.0, seed: int = SEED) -> City:
    """Build the city data set in ``app``'s (empty) database; returns what the bench needs."""
    from participatie.builtin.budgets import service as budgets
    from participatie.builtin.budgets.models import Ballot
    from participatie.builtin.budgets.models import BallotChoice
    from participatie.builtin.budgets.models import BudgetVote
    from participatie.builtin.budgets.models import Project
    from participatie.builtin.comments.models import Comment
    from participatie.builtin.feedback.models import Answer
    from participatie.builtin.ideas.models import Idea
    from participatie.builtin.votes.models import Vote
    from participatie.core.accounts.passwords import hash_password
    from participatie.core.processes.phases import answer_deadline
    from participatie.core.roles.models import RoleAssignment

    rng = random.Random(seed)
    counts = scaled(scale)
    city = City(counts=counts)
    now = utcnow().replace(microsecond=0)
    with app.app_context():
        db.create_all()
        report = import_file(SHIPPED_FILE, MUNICIPALITY)
        assert report.ok, report.errors[:3]
        db.session.flush()
        gemeente = db.session.scalar(sa.select(Area).where(Area.code == MUNICIPALITY))
        wijken = db.session.scalars(
            sa.select(Area).where(Area.level == "wijk").order_by(Area.code)
        ).all()
        buurten_of = {
            wijk.id: db.session.scalars(
                sa.select(Area.id).where(Area.parent_id == wijk.id).order_by(Area.code)
            ).all()
            for wijk in wijken
        }

        # Accounts: one Argon2 hash for all, computed once.
        password_hash = hash_password(PASSWORD)
        accounts = counts["accounts"]
        users = [
            {
                "id": n + 1,
                "email": f"bewoner{n}@bench.example.org",
                "display_name": f"Bewoner {n}",
                "password_hash": password_hash,
                "session_token": _token(rng),
                "locale": "nl",
                "email_confirmed_at": now - timedelta(days=rng.randrange(1, 400)),
                "house_rules_accepted_at": now - timedelta(days=1),
                "created_at": now - timedelta(days=rng.randrange(400, 800)),
                "notify_mode": "immediate",
            }
            for n in range(accounts)
        ]
        facilitator_id = accounts + 1
        users.append(
            {
                "id": facilitator_id,
                "email": "begeleider@bench.example.org",
                "display_name": "Procesbegeleider",
                "password_hash": password_hash,
                "session_token": _token(rng),
                "locale": "nl",
                "email_confirmed_at": now,
                "house_rules_accepted_at": now,
                "created_at": now - 800 * DAY,
                "notify_mode": "never",
            }
        )
        _rows(User.__table__, users)
        db.session.execute(
            sa.insert(RoleAssignment.__table__).values(
                user_id=facilitator_id, role="facilitator", area_id=gemeente.id
            )
        )
        city.account_emails = [row["email"] for row in users[:accounts]]

        # Processes: the three the bench reads and writes, then the others in mixed phases.
        ideas_process = _process(
            wijken[0],
            city.ideas_slug,
            "Stad: ideeën voor de hele stad",
            "published",
            (
                ("Ideeën", -90 * DAY, 60 * DAY, "submit comment vote"),
                ("Besluit", 60 * DAY, 120 * DAY, ""),
            ),
            now,
        )
        ideas_process.area = gemeente
        budget_process = _process(
            gemeente,
            city.budget_slug,
            "Stad: de wijkbegroting 2026",
            "published",
            (
                ("Projecten", -120 * DAY, -60 * DAY, "submit comment"),
                ("Stemmen", -60 * DAY, -30 * DAY, "budget"),
                ("Uitvoering", -30 * DAY, 300 * DAY, ""),
            ),
            now,
        )
        open_process = _process(
            wijken[1],
            city.open_budget_slug,
            "Stad: de buurtbegroting, stemmen nu open",
            "published",
            (("Stemmen", -10 * DAY, 30 * DAY, "budget"), ("Besluit", 30 * DAY, 60 * DAY, "")),
            now,
        )
        processes = [ideas_process, budget_process, open_process]
        for number in range(counts["processes"] - len(processes)):
            status, phases = KINDS[number % len(KINDS)]
            area = wijken[number % len(wijken)] if number % 7 else gemeente
            processes.append(
                _process(
                    area,
                    f"traject-{number}",
                    f"Traject {number} in {area.name}",
                    status,
                    phases,
                    now,
                    number,
                )
            )
        for process in processes:
            process.created_by_id = facilitator_id
        db.session.add_all(processes)
        db.session.flush()
        for process in processes:
            if process.status != "draft":
                db.session.add(
                    FramingRevision(
                        process_id=process.id,
                        number=0,
                        kind="publish",
                        changed_at=process.published_at,
                        changed_by_id=facilitator_id,
                        changes=[],
                    )
                )
        db.session.flush()

        # A handful of ideas in the other public processes (the area overview counts them).
        idea_rows = []
        next_idea = 1
        for process in processes[3:]:
            if process.status == "draft":
                continue
            start = process.phases[0].starts_at
            for k in range(rng.randrange(3, 12)):
                created = min(now, start + timedelta(hours=rng.randrange(1, 24 * 20)))
                idea_rows.append(
                    _idea_row(
                        next_idea, process, users, rng, created, buurten_of, answer_deadline, k
                    )
                )
                next_idea += 1

        # The big process: ideas with skewed popularity.
        total_ideas = counts["ideas"]
        phase_start = ideas_process.phases[0].starts_at
        span = int((now - phase_start).total_seconds())
        created = sorted(
            phase_start + timedelta(seconds=rng.randrange(span)) for _ in range(total_ideas)
        )
        first_big = next_idea
        big = []
        for k, moment in enumerate(created):
            big.append(
                _idea_row(
                    next_idea, ideas_process, users, rng, moment, buurten_of, answer_deadline, k
                )
            )
            next_idea += 1
        city.idea_ids = [row["id"] for row in big]
        # Popularity: rank r (0 the most popular) goes to a random idea.
        ranked = list(range(total_ideas))
        rng.shuffle(ranked)
        supports = _skewed(counts["supports"], total_ideas, rng, cap=accounts)
        top = list(TOP_COMMENTS[: max(1, min(len(TOP_COMMENTS), total_ideas // 4))])
        top = [max(1, round(c * scale)) for c in top]
        rest = max(0, counts["comments"] - sum(top))
        comments_per = top + _skewed(rest, total_ideas - len(top), rng)

        vote_rows, comment_rows, answer_rows = [], [], []
        next_comment = 1
        for rank, index in enumerate(ranked):
            idea = big[index]
            voters = rng.sample(range(1, accounts + 1), supports[rank])
            idea["supports"] = len(voters)
            age = max(1, int((now - idea["created_at"]).total_seconds()))
            vote_rows.extend(
                {
                    "idea_id": idea["id"],
                    "user_id": voter,
                    "process_id": ideas_process.id,
                    "created_at": idea["created_at"] + timedelta(seconds=rng.randrange(age)),
                }
                for voter in voters
            )
            moments = sorted(
                idea["created_at"] + timedelta(seconds=rng.randrange(age))
                for _ in range(comments_per[rank])
            )
            top_level = []
            for moment in moments:
                parent = rng.choice(top_level) if top_level and rng.random() < 0.25 else None
                comment_rows.append(
                    {
                        "id": next_comment,
                        "idea_id": idea["id"],
                        "author_id": rng.randrange(1, accounts + 1),
                        "parent_id": parent,
                        "text": " ".join(rng.sample(SENTENCES, rng.randrange(1, 4))),
                        "stance": rng.choice(("for", "against", None, None)),
                        "created_at": moment,
                        "hidden_reason": "",
                    }
                )
                if parent is None:
                    top_level.append(next_comment)
                next_comment += 1
        city.top_idea_id = big[ranked[0]]["id"]
        # Some ideas have their answer (about one in eight), the popular ones first.
        for rank, index in enumerate(ranked):
            idea = big[index]
            if rank < total_ideas // 20 or rng.random() < 0.08:
                status = rng.choice(
                    (
                        "under-consideration",
                        "adopted",
                        "partly-adopted",
                        "not-adopted",
                        "already-planned",
                    )
                )
                idea["status"] = status
                answered = min(now, idea["created_at"] + timedelta(days=rng.randrange(1, 40)))
                answer_rows.append(
                    {
                        "idea_id": idea["id"],
                        "status": status,
                        "explanation": "Dank voor je idee. We hebben het gewogen tegen de kaders.",
                        "reason_kind": "other-interests" if status == "not-adopted" else None,
                        "reason_text": "",
                        "answered_by_id": facilitator_id,
                        "answered_at": answered,
                    }
                )
        idea_rows.extend(big)
        _rows(Idea.__table__, idea_rows)
        _rows(Vote.__table__, vote_rows)
        _rows(Comment.__table__, comment_rows)
        _rows(Answer.__table__, answer_rows)
        assert first_big == city.idea_ids[0]

        # The published budget vote with its ballots.
        vote = BudgetVote(
            process_id=budget_process.id, budget=1_000_000, rule="greedy", max_projects=5
        )
        db.session.add(vote)
        db.session.flush()
        costs = [rng.randrange(20, 250) * 1000 for _ in range(30)]
        project_rows = [
            {
                "vote_id": vote.id,
                "title": f"Project {n}: {WORDS[n % len(WORDS)]} in de wijk",
                "description": rng.choice(SENTENCES),
                "cost": cost,
                "buurt_codes": "",
                "direct_reason": "Benchmark",
                "photo_alt": "",
                "deviation_explanation": "",
                "created_at": now - 100 * DAY,
            }
            for n, cost in enumerate(costs)
        ]
        _rows(Project.__table__, project_rows)
        project_ids = db.session.scalars(
            sa.select(Project.id).where(Project.vote_id == vote.id).order_by(Project.id)
        ).all()
        weights = [1 / (n + 1) ** 0.6 for n in range(len(project_ids))]
        ballot_ids = rng.sample(range(1, accounts + 1), min(accounts, counts["ballots"]))
        ballot_rows, choice_rows = [], []
        first_ballot = 1
        for number, user_id in enumerate(ballot_ids):
            chosen = set()
            for _ in range(rng.randrange(1, 6)):
                chosen.add(rng.choices(project_ids, weights)[0])
            cast = now - 60 * DAY + timedelta(seconds=rng.randrange(30 * 86400))
            ballot_rows.append(
                {
                    "id": first_ballot + number,
                    "vote_id": vote.id,
                    "user_id": user_id,
                    "cast_at": cast,
                    "draft": " ".join(str(i) for i in sorted(chosen)),
                    "updated_at": cast,
                }
            )
            choice_rows.extend(
                {"ballot_id": first_ballot + number, "project_id": i} for i in sorted(chosen)
            )
        _rows(Ballot.__table__, ballot_rows)
        _rows(BallotChoice.__table__, choice_rows)

        # The open budget vote the write benchmark casts its ballots in.
        open_vote = BudgetVote(
            process_id=open_process.id, budget=500_000, rule="greedy", max_projects=5
        )
        db.session.add(open_vote)
        db.session.flush()
        _rows(
            Project.__table__,
            [
                {
                    "vote_id": open_vote.id,
                    "title": f"Buurtproject {n}: {WORDS[n % len(WORDS)]}",
                    "description": rng.choice(SENTENCES),
                    "cost": rng.randrange(10, 100) * 1000,
                    "buurt_codes": "",
                    "direct_reason": "Benchmark",
                    "photo_alt": "",
                    "deviation_explanation": "",
                    "created_at": now - 20 * DAY,
                }
                for n in range(12)
            ],
        )
        city.open_project_ids = list(
            db.session.scalars(
                sa.select(Project.id).where(Project.vote_id == open_vote.id).order_by(Project.id)
            )
        )
        _fix_sequences()
        db.session.commit()

        # The outcome stored as publishing stores it (``budgets.publish``), without the
        # comparison with the other rule: equal shares on these made-up ballots takes
        # minutes, and no page the benchmark measures shows it.
        vote = db.session.get(BudgetVote, vote.id)
        result = budgets.outcome(vote)
        for project in vote.projects:
            project.approvals = result.approvals.get(project.id, 0)
            project.selected = project.id in result.funded
            project.funded = result.funded.get(project.id)
            project.reason = result.reasons.get(project.id)
        vote.published_at = now - 25 * DAY
        vote.published_by_id = facilitator_id
        db.session.commit()
    return city


def _idea_row(idea_id, process, users, rng, created, buurten_of, answer_deadline, k) -> dict:
    theme_ids = [theme.id for theme in process.themes]
    buurten = buurten_of.get(process.area_id) or [b for ids in buurten_of.values() for b in ids]
    words = rng.sample(WORDS, 2)
    text = " ".join(rng.sample(SENTENCES, rng.randrange(2, 6)))
    return {
        "id": idea_id,
        "process_id": process.id,
        "author_id": rng.randrange(1, len(users)),
        "title": f"{words[0].capitalize()} en {words[1]} ({k})",
        "text": text,
        "theme_id": rng.choice(theme_ids),
        "buurt_id": rng.choice(buurten) if rng.random() < 0.7 else None,
        "status": "submitted",
        "supports": 0,
        "offline": False,
        "gathered_where": "",
        "photo_alt": "",
        "hidden_reason": "",
        "created_at": created,
        "updated_at": created,
        "answer_due_at": answer_deadline(process, created),
    }


def _fix_sequences() -> None:
    """PostgreSQL: move the id sequences past the ids given explicitly."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("user", "idea", "comment", "budget_ballot"):
        db.session.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
            )
        )


@dataclass
class Bowling:
    slug: str = "bowling-green"
    area_code: str = MUNICIPALITY
    top_idea_id: int = 0
    counts: dict = field(default_factory=dict)


def build_bowling_green(app, folder: Path = BOWLING_GREEN) -> Bowling:
    """The Polis conversation imported with the app's own import into a published process."""
    from participatie.builtin.ideas import polis
    from participatie.builtin.ideas.models import Idea

    result = Bowling()
    now = utcnow().replace(microsecond=0)
    with app.app_context():
        db.create_all()
        assert import_file(SHIPPED_FILE, MUNICIPALITY).ok
        db.session.flush()
        gemeente = db.session.scalar(sa.select(Area).where(Area.code == MUNICIPALITY))
        process = _process(
            gemeente,
            result.slug,
            "Bowling Green: what should change?",
            "published",
            (
                ("Ideas", -30 * DAY, 30 * DAY, "submit comment vote"),
                ("Decision", 30 * DAY, 60 * DAY, ""),
            ),
            now,
        )
        db.session.add(process)
        db.session.flush()
        db.session.add(
            FramingRevision(
                process_id=process.id,
                number=0,
                kind="publish",
                changed_at=process.published_at,
                changes=[],
            )
        )
        with app.test_request_context():
            report = polis.import_folder(process, folder)
            db.session.commit()
        result.top_idea_id = db.session.scalar(
            sa.select(Idea.id)
            .where(Idea.process_id == process.id, Idea.is_visible)
            .order_by(Idea.supports.desc(), Idea.id)
            .limit(1)
        )
        result.counts = {
            "ideas": report.ideas_created,
            "participants": report.participants,
            "supports": report.votes_created,
        }
    return result


def table_counts(app) -> dict:
    """Rows per table of interest, read back from the database."""
    names = (
        "user",
        "process",
        "idea",
        "vote",
        "comment",
        "answer",
        "budget_ballot",
        "budget_ballot_choice",
    )
    with app.app_context():
        return {
            name: db.session.scalar(sa.text(f'SELECT COUNT(*) FROM "{name}"')) for name in names
        }
