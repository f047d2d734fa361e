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
from participatie.extensions import db
from participatie.extensions import utcnow

from tests.conftest import complete_process

PROCESSES = int(os.environ.get("BENCH_PROCESSES", "300"))
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
        return "traject-0"


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
    ]
    print(
        f"{PROCESSES} processes, {REPEAT} requests per page ({app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]})"
    )
    print(f"{'page':<40} {'median ms':>10} {'max ms':>10}")
    for path in pages:
        median, worst = measure(client, path)
        print(f"{path:<40} {median:>10.1f} {worst:>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
