"""Benchmarks: how fast the budget counting rules count real elections (``make bench``).

Timings are measured here and printed, never asserted in tests. Run on an
otherwise idle machine; compare runs on the same machine only.

Data: Pabulib (pabulib.org); D. Stolicki, S. Szufa, N. Talmon, "Pabulib: A
Participatory Budgeting Library", arXiv:2012.06539 (2020).
"""

import os
import statistics
import sys
import time
from pathlib import Path

from participatie.builtin.budgets.counting import count
from participatie.builtin.budgets.counting import RULES
from participatie.builtin.budgets.pabulib import election_of
from participatie.builtin.budgets.pabulib import parse

DATA = Path(__file__).parents[1] / "data" / "pabulib"
FILES = ("Netherlands_Amsterdam_2022_West.pb", "Netherlands_Assen_2024.pb")
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))


def median_ms(work, *args) -> float:
    """The median of ``REPEAT`` runs of ``work(*args)``, in milliseconds."""
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        work(*args)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


VOTERS = int(os.environ.get("BENCH_VOTERS", "16"))
CASTS = int(os.environ.get("BENCH_CASTS", "10"))


def casting() -> None:
    """p50 and p95 of casting a ballot through the page, ``VOTERS`` voters at once."""
    import tempfile
    import threading
    from datetime import timedelta

    import sqlalchemy as sa
    from participatie import create_app
    from participatie.builtin.budgets.models import BudgetVote
    from participatie.builtin.budgets.models import Project
    from participatie.core.accounts.models import User
    from participatie.core.areas.importer import import_file
    from participatie.core.areas.importer import SHIPPED_FILE
    from participatie.core.areas.models import Area
    from participatie.extensions import db
    from participatie.extensions import utcnow

    from tests.conftest import complete_process
    from tests.conftest import csrf_token

    folder = tempfile.mkdtemp()
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": os.environ.get("BENCH_DATABASE_URL")
            or f"sqlite:///{folder}/bench.sqlite3",
        }
    )
    with app.app_context():
        db.create_all()
        import_file(SHIPPED_FILE, app.config["MUNICIPALITY"])
        wijk = db.session.scalar(sa.select(Area).where(Area.level == "wijk"))
        process = complete_process(wijk, slug="begroting", status="published")
        now = utcnow()
        process.published_at = now
        process.phases[0].allows_budget = True
        process.phases[0].starts_at, process.phases[0].ends_at = now, now + timedelta(days=1)
        process.fixed_limits[0].kind, process.fixed_limits[0].amount = "budget", 100_000
        db.session.add(process)
        vote = BudgetVote(process=process, budget=100_000, rule="greedy", max_projects=5)
        db.session.add(vote)
        for number in range(30):
            db.session.add(Project(vote=vote, title=f"Project {number}", cost=5_000 + number))
        users = [
            User(email=f"stemmer{n}@example.org", display_name=f"S{n}", email_confirmed_at=now)
            for n in range(VOTERS)
        ]
        db.session.add_all(users)
        db.session.commit()
        ids = [p.id for p in vote.projects]
        user_ids = [u.id for u in users]
    clients = []
    for user_id in user_ids:
        client = app.test_client()
        with client.session_transaction() as session:
            with app.app_context():
                session["_user_id"] = db.session.get(User, user_id).get_id()
            session["_fresh"] = True
        clients.append((client, csrf_token(client, "/processen/begroting/begroting")))
    times: list[float] = []
    barrier = threading.Barrier(len(clients))

    def run(number, client, token):
        barrier.wait()
        for cast in range(CASTS):
            choice = [str(ids[(number + cast + k) % len(ids)]) for k in range(3)]
            data = {"csrf_token": token, "action": "cast", "project": choice}
            start = time.perf_counter()
            response = client.post("/processen/begroting/begroting", data=data)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 302, response.status_code

    threads = [
        threading.Thread(target=run, args=(n, client, token))
        for n, (client, token) in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times.sort()
    p50 = times[len(times) // 2]
    p95 = times[int(len(times) * 0.95) - 1]
    database = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]
    print(
        f"casting a ballot, {VOTERS} voters at once, {len(times)} casts ({database}):"
        f" p50 {p50:.1f} ms, p95 {p95:.1f} ms"
    )


def main() -> int:
    casting()
    print(f"median of {REPEAT} runs")
    print(f"{'file':<36} {'step':<14} {'median ms':>10}")
    for name in FILES:
        text = (DATA / name).read_text(encoding="utf-8")
        election = election_of(parse(text))
        print(
            f"{name:<36} {'parse':<14} {median_ms(parse, text):>10.1f}"
            f"   ({len(election.ballots)} ballots, {len(election.costs)} projects)"
        )
        for rule in RULES:
            took = median_ms(count, rule, election, rule == "greedy-stop")
            print(f"{name:<36} {rule:<14} {took:>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
