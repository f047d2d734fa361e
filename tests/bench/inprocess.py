"""CPU time per request in-process, with an optional cProfile: the cheap page and the writes.

    .venv/bin/python -m tests.bench.inprocess [--profile CASE] [--requests N] [--scale S]

Builds the city data set (``dataset.build_city``, seeded) once in a SQLite file under
``BENCH_DIR`` (a temporary folder otherwise), then runs the app in production mode
in this process with Flask's test client over https (the session cookie is
``Secure``), as ``make bench`` configures gunicorn. Cases:

- ``static``: ``/huisregels``, logged out;
- ``support``, ``comment``, ``ballot``: the POSTs of the write benchmark, logged in
  (sixteen accounts taking turns, random ideas and projects as in ``run.writes``).

Prints the process CPU time per request of each case (``time.process_time``),
and with ``--profile CASE`` the functions that took the most time in it.
Timings are printed, never asserted.
"""

import argparse
import cProfile
import os
import pstats
import random
import re
import tempfile
import time
from pathlib import Path

from tests.bench import dataset

SECRET = "bench secret key, only for the benchmark's throw-away databases"
TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')
BASE = "https://127.0.0.1"
#: Over https, Flask-WTF also checks that a POST comes from a page of the site.
REFERER = {"Referer": BASE + "/"}


def production_app(folder: Path, database: Path):
    """The app as ``make bench`` starts it under gunicorn (production, no rate limits)."""
    os.environ.update(
        {
            "PARTICIPATIE_ENV": "production",
            "SECRET_KEY": SECRET,
            "DATABASE_URL": f"sqlite:///{database}",
            "PUBLIC_URL": BASE,
            "RATELIMIT_ENABLED": "false",
            "MAIL_BACKEND": "file",
            "MAIL_FOLDER": str(folder / "mail"),
            "INSTANCE_PATH": str(folder / "instance"),
        }
    )
    from participatie import create_app

    return create_app()


def built(folder: Path, scale: float):
    """The city data set, built once per folder and scale."""
    database = folder / f"city-{scale:g}.sqlite3"
    from participatie import create_app

    app = create_app(
        {
            "SECRET_KEY": SECRET,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "RATELIMIT_ENABLED": False,
        }
    )
    if database.exists():
        # build_city is seeded: building a second time gives the same facts, but takes
        # a while; the facts the cases need are read back from the database instead.
        return database, facts_of(app)
    city = dataset.build_city(app, scale)
    return database, city


def facts_of(app):
    import sqlalchemy as sa
    from participatie.extensions import db

    city = dataset.City()
    with app.app_context():
        city.account_emails = list(
            db.session.scalars(sa.text('SELECT email FROM "user" ORDER BY id LIMIT 16'))
        )
        slug = city.ideas_slug
        city.idea_ids = list(
            db.session.scalars(
                sa.text(
                    "SELECT idea.id FROM idea JOIN process ON process.id = idea.process_id "
                    "WHERE process.slug = :slug ORDER BY idea.id"
                ),
                {"slug": slug},
            )
        )
        city.open_project_ids = list(
            db.session.scalars(
                sa.text(
                    "SELECT budget_project.id FROM budget_project "
                    "JOIN budget_vote ON budget_vote.id = budget_project.vote_id "
                    "JOIN process ON process.id = budget_vote.process_id "
                    "WHERE process.slug = :slug ORDER BY budget_project.id"
                ),
                {"slug": city.open_budget_slug},
            )
        )
    return city


class Visitor:
    """One logged-in account on the test client, with its CSRF token."""

    def __init__(self, app, email):
        self.client = app.test_client()
        page = self.client.get(f"{BASE}/inloggen")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
        answer = self.client.post(
            f"{BASE}/inloggen",
            data={"email": email, "password": dataset.PASSWORD, "csrf_token": token},
            headers=REFERER,
        )
        assert answer.status_code in (302, 303), answer.status_code
        self.token = TOKEN.search(self.client.get(f"{BASE}/huisregels").text).group(1)

    def post(self, path, data):
        answer = self.client.post(
            f"{BASE}{path}", data={**data, "csrf_token": self.token}, headers=REFERER
        )
        assert answer.status_code < 400, (path, answer.status_code)
        return answer


def cases(app, city):
    """(name, function doing one request) for every case."""
    # wrk sends no cookie: every logged-out request starts a session of its own.
    anonymous = app.test_client(use_cookies=False)
    rng = random.Random(1)
    visitors = []

    def logged_in():
        if not visitors:
            visitors.extend(Visitor(app, email) for email in city.account_emails[:16])
        return visitors[rng.randrange(len(visitors))]

    def static():
        assert anonymous.get(f"{BASE}/huisregels").status_code == 200

    def support():
        logged_in().post(f"/ideeen/{rng.choice(city.idea_ids)}/steun", {})

    def comment():
        text = " ".join(rng.sample(dataset.SENTENCES, 2))
        stance = rng.choice(("", "for", "against"))
        logged_in().post(
            f"/ideeen/{rng.choice(city.idea_ids)}/reacties", {"text": text, "stance": stance}
        )

    def ballot():
        chosen = [str(p) for p in rng.sample(city.open_project_ids, rng.randrange(1, 4))]
        logged_in().post(
            f"/processen/{city.open_budget_slug}/begroting", {"action": "cast", "project": chosen}
        )

    return {"static": static, "support": support, "comment": comment, "ballot": ballot}, logged_in


def measure(step, count: int) -> float:
    """CPU ms per request over ``count`` requests, after a few to warm up."""
    for _ in range(5):
        step()
    began = time.process_time()
    for _ in range(count):
        step()
    return (time.process_time() - began) * 1000 / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "1")))
    parser.add_argument("--profile", help="a case to profile (static, support, comment, ballot)")
    parser.add_argument("--only", help="comma-separated cases to measure")
    parser.add_argument("--lines", type=int, default=40)
    arguments = parser.parse_args()
    folder = Path(os.environ.get("BENCH_DIR") or tempfile.mkdtemp(prefix="participatie-inproc-"))
    folder.mkdir(parents=True, exist_ok=True)
    database, city = built(folder, arguments.scale)
    app = production_app(folder, database)
    steps, logged_in = cases(app, city)
    logged_in()
    names = arguments.only.split(",") if arguments.only else list(steps)
    for name in names:
        print(f"{name:<8} {measure(steps[name], arguments.requests):6.2f} ms CPU per request")
    if arguments.profile:
        step = steps[arguments.profile]
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(arguments.requests):
            step()
        profile.disable()
        stats = pstats.Stats(profile).strip_dirs()
        stats.sort_stats("cumulative").print_stats(arguments.lines)
        stats.sort_stats("tottime").print_stats(arguments.lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
