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


def main() -> int:
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
