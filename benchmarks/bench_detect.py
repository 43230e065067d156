"""Conflict-of-interest detection on a realistic size, beside a pairwise baseline, in one run.

A seeded pool of 300 experts (half with an ORCID iD, some affiliated with hosts), 18 centers
with 30 PIs each (ORCID iDs), and works of the PIs with 2–12 authors (one in fifty a
consortium paper of 300), some co-authored by experts (by ORCID iD or by name). Prints, for
each number of works, the time :func:`kyoten.coi.detect.detect` takes (persons looked up by
identifier and name word) beside the time of comparing every author with every expert (the
baseline, run on the smaller sizes only), and checks that both find the same. Not a timed test.

    .venv/bin/python benchmarks/bench_detect.py [--seed 3] [--works 2000 20000 100000]
"""

from __future__ import annotations

import argparse
import datetime
import random
import time

from kyoten.coi import detect as coi
from kyoten.coi import load_rules
from kyoten.coi.detect import Affiliation, Author, Center, Institution, Member, Person, Work

DAY = datetime.date(2026, 12, 7)
FAMILY = ["Tanaka", "Suzuki", "Sato", "Ito", "Kato", "Smith", "Müller", "Garcia", "Chen",
          "Kim", "Nguyen", "Rossi", "Dubois", "Novak", "Okafor", "Silva", "Cohen", "Larsen"]  # fmt: skip
GIVEN = ["Aiko", "Ken", "Yui", "Taro", "Maria", "John", "Wei", "Anna", "Luca", "Sofia",
         "Omar", "Ingrid", "Ravi", "Mei", "Jonas", "Eva", "Hiro", "Lena"]  # fmt: skip


def orcid(n: int) -> str:
    return f"0000-0002-{n // 10000:04d}-{n % 10000:04d}"


def generate(seed: int, works: int) -> tuple[list[Person], list[Center], list[Work]]:
    rng = random.Random(seed)
    hosts = [Institution(f"inst{i}", (f"University {i}",)) for i in range(18)]
    centers = [
        Center(
            f"c{c}",
            f"C{c}",
            (hosts[c],),
            tuple(
                Member(
                    "pi", f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}", "report", orcid(c * 100 + m)
                )
                for m in range(30)
            ),
        )
        for c in range(18)
    ]
    persons = []
    for p in range(300):
        affiliations = (
            (Affiliation("x", "s", institution=f"inst{rng.randrange(18)}"),) if p % 10 == 0 else ()
        )
        persons.append(
            Person(
                f"p{p}",
                (f"{rng.choice(FAMILY)}{p}", rng.choice(GIVEN)),
                orcid(50_000 + p) if p % 2 else None,
                affiliations=affiliations,
            )
        )
    written = []
    for w in range(works):
        center = centers[rng.randrange(18)]
        pi = center.members[rng.randrange(30)]
        total = 300 if w % 50 == 0 else rng.randint(2, 12)
        authors = [Author(pi.name, pi.orcid)]
        authors += [
            Author(f"{rng.choice(GIVEN)} Other{rng.randrange(10**6)}")
            for _ in range(min(total, 40) - 1)
        ]
        if w % 7 == 0:
            expert = persons[rng.randrange(300)]
            family, given = expert.names[:2]
            authors[-1] = Author(f"{given} {family}", expert.orcid)
        written.append(Work(f"10.1/{w}", rng.randint(2019, 2026), total, tuple(authors)))
    return persons, centers, written


def pairwise(since: int, persons: list[Person], centers: list[Center], works: list[Work]) -> int:
    """The baseline: every author of every work since ``since`` compared with every person."""
    found = set()
    for work in works:
        if work.year < since:
            continue
        for center in centers:
            ids = {m.orcid for m in center.members}
            if not any(a.orcid in ids for a in work.authors):
                continue
            for author in work.authors:
                if author.orcid in ids:
                    continue
                for person in persons:
                    if coi._same(author, person) is not None:
                        found.add((person.id, center.key))
    return len(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--works", type=int, nargs="+", default=[2000, 20000, 100000])
    args = parser.parse_args()
    rules = load_rules().version_for(DAY)
    print(f"{'works':>8} {'authors':>9} {'findings':>9} {'detect (s)':>11} {'pairwise (s)':>13}")
    for size in args.works:
        persons, centers, works = generate(args.seed, size)
        started = time.perf_counter()
        findings = coi.detect(rules, DAY, persons, centers, works)
        indexed = time.perf_counter() - started
        shared = {(f.person, f.center) for f in findings if f.rule.endswith("coauthorship")}
        baseline = "—"
        if size <= 2000:
            started = time.perf_counter()
            since = rules.rule("coauthorship").window_start(DAY).year  # type: ignore[union-attr]
            assert pairwise(since, persons, centers, works) == len(shared)
            baseline = f"{time.perf_counter() - started:.2f}"
        authors = sum(len(w.authors) for w in works)
        print(f"{size:>8} {authors:>9} {len(findings):>9} {indexed:>11.2f} {baseline:>13}")


if __name__ == "__main__":
    main()
