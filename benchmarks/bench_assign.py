"""The working-group optimiser on a realistic size, beside a greedy baseline, in one run.

A seeded problem of 20 centers × 8 experts (a chair, at least half from abroad, three needs
each, last year's groups) from a pool of 300 experts with load limits, sparse fit scores,
conflicts of interest, pins and exclusions. Prints the CP-SAT solve time and objective, and
the objective of a greedy that fills the groups one after another (best fit first, the chair
and the experts from abroad and the needs before the rest), checked against the same hard
constraints. Not a timed test.

    .venv/bin/python benchmarks/bench_assign.py [--seed 7] [--centers 20] [--pools 300 110]

By default it runs the realistic pool of 300 and a tight one of 110 (where a greedy fill
runs out of experts for the needs of the last centers).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections import Counter

from kyoten.assignment import Assignment, Problem, check, solve
from kyoten.assignment.eligibility import Facts

FIELDS = [
    "neuroscience", "immunology", "materials science", "quantum physics", "cosmology",
    "mathematics", "chemistry", "cell biology", "earth science", "plant biology",
    "nanotechnology", "computer science", "astrophysics", "genetics", "energy",
    "catalysis", "spintronics", "sleep medicine", "origins of life", "data science",
    "chemical biology", "robotics", "climate", "condensed matter", "particle physics",
    "structural biology", "optics", "evolution", "ecology", "bioengineering",
]  # fmt: skip
NEED_TITLES = ("science", "interdisciplinary", "international")


def generate(seed: int, centers: int, pool: int, size: int = 8) -> Problem:
    """A problem shaped like a follow-up cycle (see the module docstring), from ``seed``."""
    rng = random.Random(seed)
    experts = []
    for i in range(pool):
        roll = rng.random()
        experts.append(
            {
                "id": f"x{i:04d}",
                "name": f"Expert {i:04d}",
                "from_abroad": None if roll < 0.04 else roll < 0.52,
                "expertise": rng.sample(FIELDS, rng.randint(2, 4)),
                "max_load": rng.choice((1, 1, 2, 2, 2, 3)),
                "may_chair": rng.random() < 0.3,
            }
        )
    groups, fit, conflicts = [], [], []
    for c in range(centers):
        group_id = f"C{c:02d}"
        topics = rng.sample(FIELDS, 4)
        groups.append(
            {
                "id": group_id,
                "name": f"Center {c:02d}",
                "size": size,
                "from_abroad_share": "1/2",
                "chair_required": True,
                "needs": [
                    {
                        "id": title,
                        "title": {"en": f"{title} ({topic})", "ja": f"{title}（{topic}）"},
                        "expertise": [topic],
                    }
                    for title, topic in zip(NEED_TITLES, topics, strict=False)
                ],
                "previous": [e["id"] for e in rng.sample(experts, 5)],
            }
        )
        for expert in experts:
            overlap = len(set(expert["expertise"]) & set(topics))
            score = min(100, 35 * overlap + rng.randint(0, 30)) if overlap else rng.randint(0, 25)
            if score:
                fit.append({"expert": expert["id"], "group": group_id, "score": score})
            roll = rng.random()
            if roll < 0.03:
                status = "confirmed" if roll < 0.02 else "potential"
                conflicts.append(
                    {
                        "expert": expert["id"],
                        "group": group_id,
                        "status": status,
                        "reason": {"en": "co-authorship", "ja": "共著"},
                    }
                )
    conflicted = {(c["expert"], c["group"]) for c in conflicts}
    free = [
        (e["id"], g["id"])
        for g in groups[:3]
        for e in experts[:40]
        if (e["id"], g["id"]) not in conflicted and e["max_load"] and e["from_abroad"]
    ]
    pins = [{"expert": e, "group": g} for e, g in rng.sample(free, 2)]
    pinned = {(p["expert"], p["group"]) for p in pins}
    forbids = [{"expert": e, "group": g} for e, g in rng.sample(free, 6) if (e, g) not in pinned][
        :3
    ]
    return Problem.model_validate(
        {
            "experts": experts,
            "groups": groups,
            "fit": fit,
            "conflicts": conflicts,
            "pins": pins,
            "forbids": forbids,
        }
    )


def greedy(problem: Problem) -> Assignment:
    """Fill the groups one after another: pins, then the best chair, the best experts from
    abroad up to the share, one for each need, then the best of the rest — best by the
    objective's own gain (fit, continuity, the load cost of one more group)."""
    facts = Facts(problem)
    weights = problem.weights
    load: Counter[str] = Counter()
    result = []
    for group_id, group in facts.groups.items():
        seated: dict[str, str] = {}

        def gain(expert_id: str, group_id: str = group_id, group=group) -> int:
            continuity = weights.continuity if expert_id in group.previous else 0
            return (
                weights.fit * facts.fit.get((expert_id, group_id), 0)
                + continuity
                - weights.balance * load[expert_id]
            )

        def take(candidates, count: int, role: str = "member", seated=seated) -> None:
            free = [
                e for e in candidates if e not in seated and load[e] < facts.experts[e].max_load
            ]
            for expert_id in sorted(free, key=lambda e: (-gain(e), e))[:count]:
                seated[expert_id] = role
                load[expert_id] += 1

        for pin in facts.pins_of(group_id):
            seated[pin.expert] = pin.role or "member"
            load[pin.expert] += 1
        size = group.group.size
        if group.group.chair_required and "chair" not in seated.values():
            take([e for e in group.available if facts.experts[e].may_chair], 1, "chair")
        abroad = [e for e in group.available if facts.experts[e].from_abroad]
        take(abroad, group.from_abroad_needed - sum(1 for e in seated if e in abroad))
        for need in group.needs:
            if not any(e in need.covered_by for e in seated):
                take(need.covered_by, 1)
        take(group.available, size - len(seated))
        result.append(
            {"id": group_id, "members": [{"expert": e, "role": r} for e, r in seated.items()]}
        )
    return Assignment.model_validate({"groups": result})


def objective(problem: Problem, assignment: Assignment) -> int:
    facts = Facts(problem)
    weights = problem.weights
    load: Counter[str] = Counter()
    value = 0
    for group in assignment.groups:
        for seat in group.members:
            value += weights.fit * facts.fit.get((seat.expert, group.id), 0)
            value += weights.continuity * (seat.expert in facts.groups[group.id].previous)
            value -= weights.balance * load[seat.expert]
            load[seat.expert] += 1
    return value


def run(seed: int, centers: int, pool: int) -> None:
    problem = generate(seed, centers, pool)
    print(
        f"\n{len(problem.groups)} centers × 8 from a pool of {len(problem.experts)} experts "
        f"(seed {seed}): {len(problem.fit):,} fit scores, {len(problem.conflicts)} conflicts, "
        f"{len(problem.pins)} pins, {len(problem.forbids)} forbids"
    )
    solved = solve(problem)
    proposal = solved.proposal
    started = time.perf_counter()
    baseline = greedy(problem)
    greedy_seconds = time.perf_counter() - started
    broken = check(problem, baseline)
    assert check(problem, proposal.assignment()) == []
    assert proposal.objective is not None
    parts = proposal.objective
    print(
        f"  {'':8} {'result':>10} {'objective':>10} {'fit':>7} {'kept':>5} {'load':>5} {'seconds':>8}"
    )
    print(
        f"  {'CP-SAT':8} {proposal.status:>10} {parts.value:>10,} {parts.fit:>7,} "
        f"{parts.continuity:>5} {parts.load_cost:>5} {solved.stats.wall_seconds:>8.2f}"
    )
    facts = Facts(problem)
    kept = sum(
        1 for g in baseline.groups for s in g.members if s.expert in facts.groups[g.id].previous
    )
    print(
        f"  {'greedy':8} {'valid' if not broken else f'{len(broken)} broken':>10} "
        f"{objective(problem, baseline):>10,} {fit_of(problem, baseline):>7,} {kept:>5} "
        f"{load_cost(baseline):>5} {greedy_seconds:>8.2f}"
    )
    print(f"  CP-SAT: best bound {parts.bound:,}; " + "; ".join(solved.stats.lines()))
    for violation in broken[:3]:
        print(f"  greedy breaks: {violation.message.en}")


def fit_of(problem: Problem, assignment: Assignment) -> int:
    fit = Facts(problem).fit
    return sum(fit.get((s.expert, g.id), 0) for g in assignment.groups for s in g.members)


def load_cost(assignment: Assignment) -> int:
    load = Counter(s.expert for g in assignment.groups for s in g.members)
    return sum(n * (n - 1) // 2 for n in load.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--centers", type=int, default=20)
    parser.add_argument(
        "--pools",
        type=int,
        nargs="+",
        default=[300, 110],
        help="pool sizes to run (default: 300, the realistic size, and 110, a tight pool)",
    )
    args = parser.parse_args()
    for pool in args.pools:
        run(args.seed, args.centers, pool)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of the process: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
