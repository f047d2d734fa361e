"""Benchmarks: how fast the main pages answer with a lot of data (``make bench``).

Timings are measured here and printed, never asserted in tests. Run on an
otherwise idle machine; compare runs on the same machine only.
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta

import sqlalchemy as sa
from participatie import create_app
from participatie.core.areas.importer import import_file
from participatie.core.areas.importer import SHIPPED_FILE
from participatie.core.areas.models import Area
from participatie.core.processes.models import Process
from participatie.extensions import db
from participatie.extensions import utcnow

from tests.conftest import complete_process

PROCESSES = int(os.environ.get("BENCH_PROCESSES", "300"))
IDEAS = int(os.environ.get("BENCH_IDEAS", "2000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


def build(app) -> str:
    with app.app_context():
        db.create_all()
        import_file(SHIPPED_FILE, app.config["MUNICIPALITY"])
        wijken = db.session.scalars(sa.select(Area).where(Area.level == "wijk")).all()
        now = utcnow()
        for number in range(PROCESSES):
            process = complete_process(
                wijken[number % len(wijken)],
                slug=f"traject-{number}",
                title=f"Traject {number}",
                status="published",
            )
            process.published_at = now - timedelta(minutes=number)
            db.session.add(process)
        db.session.commit()
        reactions(
            process_id=db.session.scalar(sa.select(Process.id).where(Process.slug == "traject-0"))
        )
        return "traject-0"


def reactions(process_id: int) -> None:
    """``IDEAS`` ideas in one process, each with 5 comments and 5 supports, some answered."""
    from participatie.builtin.comments.models import Comment
    from participatie.builtin.feedback.models import Answer
    from participatie.builtin.ideas.models import Idea
    from participatie.builtin.votes.models import Vote
    from participatie.core.accounts.models import User

    now = utcnow()
    people = [User(email=f"bench{n}@example.org", display_name=f"B{n}") for n in range(50)]
    db.session.add_all(people)
    db.session.flush()
    for number in range(IDEAS):
        idea = Idea(
            process_id=process_id,
            title=f"Idee {number}",
            text="Tekst",
            author_id=people[number % 50].id,
            supports=5,
            created_at=now - timedelta(minutes=number),
        )
        db.session.add(idea)
        db.session.flush()
        db.session.add_all(
            Comment(
                idea_id=idea.id, author_id=people[(number + k) % 50].id, text="Ja", stance="for"
            )
            for k in range(5)
        )
        db.session.add_all(
            Vote(idea_id=idea.id, user_id=people[(number + k) % 50].id, process_id=process_id)
            for k in range(5)
        )
        if number % 3 == 0:
            idea.status = "adopted"
            db.session.add(Answer(idea_id=idea.id, status="adopted", explanation="Ja"))
    db.session.commit()


def measure(client, path: str) -> tuple[float, float]:
    client.get(path)  # warm up
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times), max(times)


def main() -> int:
    folder = tempfile.mkdtemp()
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": os.environ.get("BENCH_DATABASE_URL")
            or f"sqlite:///{folder}/bench.sqlite3",
        }
    )
    slug = build(app)
    client = app.test_client()
    pages = [
        "/",
        f"/processen/{slug}",
        "/gebieden/GM0153",
        "/gebieden/WK015306",
        "/api/v1/areas",
        "/api/v1/processes",
        f"/api/v1/processes/{slug}",
        f"/processen/{slug}/ideeen",
        f"/processen/{slug}/samenvatting",
        f"/processen/{slug}/samenvatting.pdf",
        f"/processen/{slug}/export.csv",
        f"/api/v1/processes/{slug}/summary",
        "/gebieden/GM0153/deelname",
    ]
    print(
        f"{PROCESSES} processes, {IDEAS} ideas in one, {REPEAT} requests per page ({app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]})"
    )
    print(f"{'page':<40} {'median ms':>10} {'max ms':>10}")
    for path in pages:
        median, worst = measure(client, path)
        print(f"{path:<40} {median:>10.1f} {worst:>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
