"""Load generators: wrk for single pages (a Python driver where wrk is missing), and a
session-aware client for the writes and the mix.

The client logs each account in once through the log-in form, then keeps its
session cookie itself: in production the cookie is ``Secure`` and would not be
sent back over loopback HTTP by a cookie jar.
"""

import http.client
import json
import random
import re
import shutil
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from urllib.parse import urlsplit

import requests

LUA = Path(__file__).with_name("report.lua")
COOKIE = "participatie_session"
TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"|name="csrf_token" type="hidden" value="([^"]+)"')


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


@dataclass
class Run:
    """One load run: answered requests, latencies in ms, errors."""

    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    errors: int
    error_kinds: dict = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def wrk_version() -> str:
    if not wrk_available():
        return "not installed (Python driver used)"
    result = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    return (result.stdout or result.stderr).splitlines()[0].split(" Copyright")[0]


def wrk(url: str, seconds: float, threads: int = 2, connections: int = 16) -> Run:
    """``wrk -t2 -c16 -d<seconds>`` on ``url``; the figures from report.lua."""
    if not wrk_available():
        return python_driver(url, seconds, connections)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "120s",
        "-s",
        str(LUA),
        url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("{")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no figures: {result.stdout}\n{result.stderr}")
    data = json.loads(line)
    kinds = {k: data[k] for k in ("connect", "read", "write", "status", "timeout") if data[k]}
    if not data["requests"]:  # nothing came back in time: no latencies to speak of
        data.update(p50=float("nan"), p95=float("nan"), p99=float("nan"))
    return Run(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50=data["p50"] / 1000,
        p95=data["p95"] / 1000,
        p99=data["p99"] / 1000,
        errors=sum(kinds.values()),
        error_kinds=kinds,
    )


def python_driver(url: str, seconds: float, connections: int = 16) -> Run:
    """What wrk does, in threads with http.client (slower: the client's own cost is higher)."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    times: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker():
        while time.monotonic() < stop:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
            start = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                kind = None if response.status < 400 else "status"
            except (OSError, http.client.HTTPException):
                kind = "read"
            finally:
                connection.close()
            with lock:
                if kind:
                    errors[kind] = errors.get(kind, 0) + 1
                times.append((time.perf_counter() - start) * 1000)

    began = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Run(
        requests=len(times),
        seconds=time.monotonic() - began,
        p50=percentile(times, 0.50),
        p95=percentile(times, 0.95),
        p99=percentile(times, 0.99),
        errors=sum(errors.values()),
        error_kinds=errors,
    )


class Visitor:
    """One account's client: logs in once, keeps its session cookie and CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()
        self.cookie = ""
        self.token = ""

    def request(self, method: str, path: str, data=None) -> int:
        headers = {"Cookie": f"{COOKIE}={self.cookie}"} if self.cookie else {}
        response = self.http.request(
            method,
            self.base + path,
            data=data,
            headers=headers,
            allow_redirects=False,
            timeout=120,
        )
        self.http.cookies.clear()
        fresh = response.cookies.get(COOKIE)
        if fresh is not None:
            self.cookie = fresh
        self.last_text = response.text
        return response.status_code

    def read_token(self, path: str) -> None:
        status = self.request("GET", path)
        match = TOKEN.search(self.last_text)
        if status != 200 or not match:
            raise RuntimeError(f"no CSRF token on {path} ({status})")
        self.token = match.group(1) or match.group(2)

    def log_in(self, email: str, password: str) -> "Visitor":
        self.read_token("/inloggen")
        status = self.request(
            "POST", "/inloggen", {"email": email, "password": password, "csrf_token": self.token}
        )
        if status not in (302, 303):
            raise RuntimeError(f"log-in of {email} answered {status}")
        self.read_token("/huisregels")
        return self

    def post(self, path: str, data: dict) -> int:
        return self.request("POST", path, {**data, "csrf_token": self.token})


def log_in_all(base: str, emails: list[str], password: str) -> list[Visitor]:
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(lambda email: Visitor(base).log_in(email, password), emails))


@dataclass
class Tally:
    times: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, took_ms: float, ok: bool, what: str = "") -> None:
        with self.lock:
            self.times.setdefault(kind, []).append(took_ms)
            if not ok:
                bucket = self.errors.setdefault(kind, {})
                bucket[what] = bucket.get(what, 0) + 1

    def run(self, kind: str, seconds: float) -> Run:
        times = self.times.get(kind, [])
        errors = self.errors.get(kind, {})
        return Run(
            requests=len(times),
            seconds=seconds,
            p50=percentile(times, 0.50),
            p95=percentile(times, 0.95),
            p99=percentile(times, 0.99),
            errors=sum(errors.values()),
            error_kinds=errors,
        )


def timed(tally: Tally, kind: str, action) -> None:
    start = time.perf_counter()
    try:
        status = action()
        ok, what = status < 400, str(status)
    except (OSError, requests.RequestException) as error:
        ok, what = False, type(error).__name__
    tally.add(kind, (time.perf_counter() - start) * 1000, ok, what)


def drive(visitors: list[Visitor], step, count: int, seconds: float, seed: int) -> tuple:
    """Each visitor does ``step(visitor, rng, tally)`` ``count`` times or until time is up."""
    tally = Tally()
    stop = time.monotonic() + seconds
    barrier = threading.Barrier(len(visitors))

    def run(number, visitor):
        rng = random.Random(seed * 1000 + number)
        barrier.wait()
        for _ in range(count):
            if time.monotonic() > stop:
                break
            step(visitor, rng, tally)

    began = time.monotonic()
    threads = [threading.Thread(target=run, args=(n, v)) for n, v in enumerate(visitors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.monotonic() - began
