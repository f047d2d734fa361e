"""Gunicorn for the benchmark: start, find the workers, read their CPU time and memory.

The server's own CPU time per request is the figure that counts on a shared
machine: the workers' utime + stime (``/proc/<pid>/stat``) over a run, divided
by the requests the server answered in it (its access log's lines, so also
the requests the load generator gave up on), read once the workers are idle.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    base: str
    log: Path
    access_log: Path

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return sorted(int(pid) for pid in children.read_text().split())
        except OSError:
            return []

    def cpu_seconds(self) -> float:
        """utime + stime of the workers, in seconds."""
        total = 0
        for pid in self.workers():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / TICK

    def rss_mb(self) -> list[float]:
        """Resident memory of each worker, in MB."""
        sizes = []
        for pid in self.workers():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        sizes.append(int(line.split()[1]) / 1024)
            except OSError:
                continue
        return sizes

    def answered(self) -> int:
        """Requests the server has answered so far (lines of its access log)."""
        try:
            with self.access_log.open("rb") as file:
                return sum(1 for _ in file)
        except OSError:
            return 0

    def settle(self, timeout: float = 90) -> None:
        """Wait until the workers are idle: no CPU used and no request answered for 0.4 s."""
        deadline = time.monotonic() + timeout
        last = (self.cpu_seconds(), self.answered())
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.2)
            now = (self.cpu_seconds(), self.answered())
            if now != last:
                last, quiet_since = now, time.monotonic()
            elif time.monotonic() - quiet_since >= 0.4:
                return

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(app: str, folder: Path, env: dict, workers: int = 2, probe: str = "/") -> Server:
    """Start gunicorn serving ``app`` on a free loopback port; wait until it answers."""
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "gunicorn.log"
    access_log = folder / "access.log"
    environment = {**os.environ, **env}
    for name, value in list(environment.items()):
        if "{port}" in value:
            environment[name] = value.replace("{port}", str(port))
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{port}",
                # The slow pages of today queue behind each other: no worker is killed for it.
                "--timeout",
                "300",
                "--graceful-timeout",
                "5",
                "--access-logfile",
                str(access_log),
                "--access-logformat",
                "%(s)s %(m)s %(U)s %(L)s",
                app,
            ],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log, access_log)
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped:\n" + log.read_text())
        try:
            with urllib.request.urlopen(server.base + probe, timeout=10) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError("gunicorn did not answer:\n" + log.read_text())
        time.sleep(0.2)
    while len(server.workers()) < workers and time.monotonic() < deadline:
        time.sleep(0.1)
    return server
