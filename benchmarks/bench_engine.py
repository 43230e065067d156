"""How many plans per second the rulebook engine checks, for what-if sweeps.

Prints, for the same generated plans in one run:
  - the baseline: validating the plans alone (pydantic), the floor for any checker that
    takes user input;
  - the engine on already-validated plans (evaluate only);
  - the whole path a sweep takes (validate + evaluate).

Run: make bench   (or: .venv/bin/python benchmarks/bench_engine.py --plans 20000)
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from typing import Any

from kyoten.program import Plan, evaluate, load_program

TRACKS = ("wpi", "core", "multiple_host")


def sweep_plans(count: int, seed: int) -> list[dict[str, Any]]:
    """What-if variations of a plan: head counts, money, hosts and years drawn at random."""
    rng = random.Random(seed)
    plans = []
    for _ in range(count):
        track = rng.choice(TRACKS)
        researchers = rng.randint(20, 200)
        postdocs = rng.randint(0, researchers // 3)
        selection = 2023 if track != "wpi" else rng.choice((2007, 2012, 2017, 2023))
        fiscal_year = selection + rng.randint(0, 9)
        plan: dict[str, Any] = {
            "track": track,
            "fiscal_year": fiscal_year,
            "selection_fiscal_year": selection,
            "institutions": [
                {"name": f"Host {i}", "country": "JP", "role": "host"}
                for i in range(rng.randint(1, 3))
            ]
            + [
                {
                    "name": "Partner",
                    "country": "US",
                    "role": "overseas_partner",
                    "organisation_level_agreement": rng.random() < 0.8,
                }
            ],
            "people": {
                "counts": {
                    "pis": rng.randint(3, min(20, researchers)),
                    "researchers": researchers,
                    "researchers_from_abroad": rng.randint(0, researchers),
                    "postdocs": postdocs,
                    "postdocs_international": rng.randint(0, postdocs),
                    "total_staff": researchers + rng.randint(0, 80),
                }
            },
            "budget": [
                {
                    "category": category,
                    "source": "wpi_grant",
                    "amount": rng.randint(0, 400) * 1_000_000,
                }
                for category in (
                    "personnel",
                    "project_activities",
                    "travel",
                    "equipment",
                    "research_projects",
                )
            ],
            "language": {
                "english_working_language": True,
                "english_administration": rng.random() < 0.9,
                "english_research_support": rng.random() < 0.9,
            },
        }
        if track == "core" and fiscal_year - selection >= 3 and rng.random() < 0.5:
            plan["stage_gate_passed_fiscal_year"] = selection + rng.randint(
                2, fiscal_year - selection
            )
        plans.append(plan)
    return plans


def timed(label: str, count: int, work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    rate = count / seconds
    print(f"  {label:<42} {seconds:8.3f} s   {rate:>10,.0f} plans/s")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    load_program("wpi")  # load the rulebook once, as a long-running process would
    raw = sweep_plans(args.plans, args.seed)
    validated = [Plan.model_validate(p) for p in raw]
    print(
        f"{args.plans:,} generated plans, {len(load_program('wpi').requirements)} requirements each"
    )
    baseline = timed(
        "baseline: validate only (pydantic)",
        args.plans,
        lambda: [Plan.model_validate(p) for p in raw],
    )
    engine = timed(
        "engine: evaluate validated plans", args.plans, lambda: [evaluate(p) for p in validated]
    )
    whole = timed(
        "validate + evaluate", args.plans, lambda: [evaluate(Plan.model_validate(p)) for p in raw]
    )
    verdicts = [evaluate(p) for p in validated]
    failing = sum(not v.all_met for v in verdicts)
    print(
        f"  evaluate alone runs at {engine / baseline:.2f}× the validation baseline's rate; "
        f"whole path {whole:,.0f} plans/s; {failing:,} of {args.plans:,} plans fail a requirement"
    )


if __name__ == "__main__":
    main()
