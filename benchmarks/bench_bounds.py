"""What the worst inputs cost the readers, beside the floor of parsing the same bytes.

Each case is a hostile plan or report within (or just past) the upload limits; the reader
must refuse it quickly with a bounded list of problems. Beside each, the floor: parsing the
same text alone (libyaml for plans, ``json.loads`` for reports), which any reader pays.
Prints the median of ``--runs`` runs of each, and the problems listed and counted.

Run: .venv/bin/python benchmarks/bench_bounds.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

import yaml

from kyoten.program.plan import parse_plan_text
from kyoten.reports import load_report
from kyoten.text import KyotenError

HEAD = "track: core\nfiscal_year: 2024\n"


def empty_mappings(count: int) -> str:
    return "[" + ", ".join(["{}"] * count) + "]"


def median_seconds(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def refusal(read: Callable[[], object]) -> Callable[[], str]:
    def run() -> str:
        try:
            read()
        except KyotenError as error:
            problems = getattr(error, "problems", [error])
            omitted = getattr(error, "omitted", 0)
            return f"{len(problems)} listed, {len(problems) + omitted - bool(omitted):,} in all"
        return "read"

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    probe = HEAD + f"institutions: {empty_mappings(300_000)}\n"
    widest = HEAD + f"institutions: {empty_mappings(119_000)}\n"  # just under the estimate
    roster = json.dumps({"metadata": {}, "roster": [{"name": "x" * 300}] * 20_000}).encode()
    long_list = json.dumps({"metadata": {}, "roster": [{}] * 300_000}).encode()
    cases = [
        (
            "plan: the probe's 300,000 {} (1.2 MB)",
            lambda: parse_plan_text(probe, "p"),
            lambda: yaml.load(probe, Loader=yaml.CSafeLoader),
        ),
        (
            "plan: 119,000 {} (476 KB)",
            lambda: parse_plan_text(widest, "p"),
            lambda: yaml.load(widest, Loader=yaml.CSafeLoader),
        ),
        (
            "report: 20,000 bad roster rows (6 MB)",
            lambda: load_report(roster, "r.json"),
            lambda: json.loads(roster),
        ),
        (
            "report: a list of 300,000 rows (1.2 MB)",
            lambda: load_report(long_list, "r.json"),
            lambda: json.loads(long_list),
        ),
    ]
    print(f"median of {args.runs} runs")
    print(f"{'input':42} {'reader s':>9} {'parse alone s':>14}  problems")
    for name, read, floor in cases:
        outcome = refusal(read)()
        reader = median_seconds(refusal(read), args.runs)
        alone = median_seconds(floor, args.runs)
        print(f"{name:42} {reader:9.3f} {alone:14.3f}  {outcome}")


if __name__ == "__main__":
    main()
