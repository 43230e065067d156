"""A deterministic generator of OpenAlex-shaped works snapshots, for tests and benchmarks.

The output follows the official layout (``data/works/updated_date=.../part_NNN.gz`` with a
manifest, and ``data/merged_ids/works/*.csv.gz``) and has the structure that matters for
citation indicators: many uncited papers, heavy-tailed citation counts, field and year effects,
multi-author and multi-institution papers, unaffiliated authors, affiliations that map to two
institutions, later versions of some works in a later partition, merged ids, and optionally a
few malformed lines. The same ``seed`` gives byte-identical files.

Given ``papers`` (a DOI and a publication year each, such as the DOIs of a center's reports),
the snapshot holds them too, in a part of their own, drawn like every other work but for
their DOI and year — so a center's indicators can be computed from the snapshot. The works'
years are ``FIRST_YEAR`` to ``LAST_YEAR`` unless ``years`` says otherwise.

Example:
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> summary = generate(out, works=50, seed=1, part_size=20)
    >>> summary.works, summary.parts
    (50, 3)
    >>> generate(out / "with", works=50, seed=1, papers=[Paper("10.5555/x.1", 2020)]).works
    51
"""

from __future__ import annotations

import gzip
import json
import math
import random
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATES = ("2026-01-15", "2026-02-15")
UPDATE_DATE = "2026-03-15"
FIRST_YEAR, LAST_YEAR = 2014, 2023
N_FIELDS = 26
SUBFIELDS_PER_FIELD = 8
N_INSTITUTIONS = 3000
DUPLICATE_SHARE = 0.02
MERGED_SHARE = 0.003
COUNTRIES: tuple[tuple[str, float], ...] = (
    ("US", 25), ("CN", 18), ("JP", 8), ("DE", 7), ("GB", 7), ("FR", 5), ("IN", 5),
    ("KR", 4), ("IT", 4), ("CA", 4), ("AU", 3), ("ES", 3), ("BR", 3), ("NL", 2), ("CH", 2),
)  # fmt: skip
TYPES: tuple[tuple[str, str | None, float], ...] = (
    ("article", "journal", 66), ("article", "conference", 6), ("review", "journal", 7),
    ("book-chapter", "book series", 6), ("preprint", "repository", 6), ("letter", "journal", 3),
    ("editorial", "journal", 3), ("dataset", "repository", 2), ("erratum", "journal", 1),
)  # fmt: skip
LANGUAGE_CODES = ("en", "ja", "zh", "de", "fr")
LANGUAGE_WEIGHTS = (92.0, 2.0, 3.0, 1.5, 1.5)


@dataclass(frozen=True)
class Paper:
    """A work the snapshot must hold: its DOI (without the resolver) and publication year."""

    doi: str
    year: int


@dataclass
class SynthSummary:
    """What was generated."""

    works: int = 0
    parts: int = 0
    duplicates: int = 0
    merged: int = 0
    malformed: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class _World:
    """The fixed universe (fields, institutions) that every part draws from."""

    field_effect: tuple[float, ...]
    institutions: tuple[dict[str, str], ...]
    institution_cum: tuple[float, ...]


def _world(seed: int) -> _World:
    rng = random.Random(f"world-{seed}")  # noqa: S311 -- simulation, not cryptography
    effects = tuple(rng.lognormvariate(0.0, 0.5) for _ in range(N_FIELDS))
    countries = [c for c, _ in COUNTRIES]
    weights = [w for _, w in COUNTRIES]
    institutions = []
    alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
    for n in range(N_INSTITUTIONS):
        country = rng.choices(countries, weights)[0]
        ror = "0" + "".join(rng.choice(alphabet) for _ in range(6)) + f"{n % 100:02d}"
        institutions.append(
            {
                "id": f"https://openalex.org/I{1000 + n}",
                "display_name": f"Institution {n} ({country})",
                "ror": f"https://ror.org/{ror}",
                "country_code": country,
                "type": "education" if n % 3 else "facility",
            }
        )
    cum: list[float] = []
    total = 0.0
    for n in range(N_INSTITUTIONS):
        total += 1.0 / (n + 10)  # Zipf-like: a few large institutions, a long tail
        cum.append(total)
    return _World(effects, tuple(institutions), tuple(cum))


def _work(
    rng: random.Random,
    number: int,
    world: _World,
    years: tuple[int, int] = (FIRST_YEAR, LAST_YEAR),
    paper: Paper | None = None,
) -> dict[str, Any]:
    first_year, last_year = years
    year = paper.year if paper is not None else rng.randint(first_year, last_year)
    field_no = rng.randrange(N_FIELDS)
    subfield = (field_no + 11) * 100 + rng.randint(1, SUBFIELDS_PER_FIELD)
    kind, source_type, _ = rng.choices(TYPES, [t[2] for t in TYPES])[0]
    age = last_year + 1 - year
    # Heavy tail: lognormal scaled by field and age; uncited share falls with age.
    if rng.random() < 0.45 / math.sqrt(age):
        cited = 0
    else:
        scale = world.field_effect[field_no] * age**0.8
        cited = int(rng.lognormvariate(0.3, 1.3) * scale)
    n_authors = min(1 + int(rng.expovariate(1 / 4.0)), 60)
    if rng.random() < 0.005:
        n_authors = rng.randint(100, 300)
    team = rng.choices(world.institutions, cum_weights=world.institution_cum, k=3)
    authorships = []
    for position in range(n_authors):
        roll = rng.random()
        if roll < 0.05:
            affiliations: list[list[dict[str, str]]] = []
        elif roll < 0.15:
            affiliations = [[rng.choice(team)], [rng.choice(world.institutions)]]
        elif roll < 0.18:
            affiliations = [[team[0], team[1]]]
        else:
            affiliations = [[rng.choice(team)]]
        insts = {i["id"]: i for group in affiliations for i in group}
        authorships.append(
            {
                "author_position": "first"
                if position == 0
                else ("last" if position == n_authors - 1 else "middle"),
                "author": {"id": f"https://openalex.org/A{rng.randrange(10**9)}"},
                "institutions": list(insts.values()),
                "countries": sorted({i["country_code"] for i in insts.values()}),
                "affiliations": [
                    {
                        "raw_affiliation_string": "; ".join(i["display_name"] for i in group),
                        "institution_ids": [i["id"] for i in group],
                    }
                    for group in affiliations
                ],
            }
        )
    domain = 1 + field_no % 4
    return {
        "id": f"https://openalex.org/W{number}",
        "doi": f"https://doi.org/{paper.doi if paper else f'10.99999/synth.{number}'}",
        "title": f"Synthetic work {number}",
        "publication_year": year,
        "publication_date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "type": kind,
        "language": rng.choices(LANGUAGE_CODES, LANGUAGE_WEIGHTS)[0],
        "is_retracted": rng.random() < 0.002,
        "is_paratext": False,
        "cited_by_count": cited,
        "primary_location": {
            "source": {"id": f"https://openalex.org/S{rng.randrange(50000)}", "type": source_type}
        },
        "primary_topic": {
            "id": f"https://openalex.org/T{subfield * 10 + rng.randint(0, 9)}",
            "subfield": {"id": f"https://openalex.org/subfields/{subfield}"},
            "field": {"id": f"https://openalex.org/fields/{field_no + 11}"},
            "domain": {"id": f"https://openalex.org/domains/{domain}"},
        },
        "authorships": authorships,
        "referenced_works_count": rng.randint(0, 80),
    }


@dataclass(frozen=True)
class _PartJob:
    root: Path
    seed: int
    part: int
    first: int
    count: int
    malformed: int
    years: tuple[int, int] = (FIRST_YEAR, LAST_YEAR)
    papers: tuple[Paper, ...] = ()


@dataclass
class _PartResult:
    files: list[tuple[str, int]]
    duplicates: int
    merged: list[str]
    malformed: list[tuple[str, int]]


def _write_part(job: _PartJob) -> _PartResult:
    world = _world(job.seed)
    rng = random.Random(f"part-{job.seed}-{job.part}")  # noqa: S311 -- simulation
    date = DATES[job.part % len(DATES)]
    main = job.root / "data" / "works" / f"updated_date={date}" / f"part_{job.part:03d}.gz"
    later = job.root / "data" / "works" / f"updated_date={UPDATE_DATE}" / f"part_{job.part:03d}.gz"
    main.parent.mkdir(parents=True, exist_ok=True)
    later.parent.mkdir(parents=True, exist_ok=True)
    bad_at = set(rng.sample(range(job.count), min(job.malformed, job.count)))
    updates: list[dict[str, Any]] = []
    merged: list[str] = []
    malformed: list[tuple[str, int]] = []
    line = 0
    with gzip.open(main, "wt", encoding="utf-8", compresslevel=6) as out:
        for k in range(job.count):
            paper = job.papers[k] if job.papers else None
            work = _work(rng, job.first + k, world, job.years, paper)
            if k in bad_at:
                line += 1
                malformed.append((str(main), line))
                out.write(json.dumps(work)[: rng.randint(5, 60)] + "\n")  # a truncated record
            if rng.random() < DUPLICATE_SHARE:
                updates.append({**work, "cited_by_count": work["cited_by_count"] + 1})
            if rng.random() < MERGED_SHARE:
                merged.append(f"W{job.first + k}")
            line += 1
            out.write(json.dumps(work) + "\n")
    with gzip.open(later, "wt", encoding="utf-8", compresslevel=6) as out:
        for work in updates:
            out.write(json.dumps(work) + "\n")
    files = [(str(main), job.count + len(malformed)), (str(later), len(updates))]
    return _PartResult(files, len(updates), merged, malformed)


def generate(
    out: Path,
    *,
    works: int,
    seed: int,
    malformed: int = 0,
    part_size: int = 100_000,
    jobs: int = 1,
    papers: Sequence[Paper] = (),
    years: tuple[int, int] = (FIRST_YEAR, LAST_YEAR),
) -> SynthSummary:
    """Write a synthetic snapshot of ``works`` works to ``out``, and of ``papers``.

    Args:
        out: the snapshot root to create (``out/data/works/...``).
        works: how many distinct works besides ``papers``.
        seed: the random seed; the same seed gives the same files.
        malformed: how many malformed (truncated) lines to add, spread over the parts.
        part_size: works per part file.
        jobs: worker processes.
        papers: works to include with their DOI and year, in a part of their own.
        years: the first and last publication year of the works (citations accrue until
            the last).

    Raises:
        ValueError: a paper's year is outside ``years``.
    """
    first_year, last_year = years
    outside = [p for p in papers if not first_year <= p.year <= last_year]
    if outside:
        raise ValueError(
            f"paper {outside[0].doi} is of {outside[0].year}; the snapshot's years are "
            f"{first_year}-{last_year}"
        )
    n_parts = max(1, math.ceil(works / part_size))
    per_part_bad = [
        malformed // n_parts + (1 if p < malformed % n_parts else 0) for p in range(n_parts)
    ]
    job_list = [
        _PartJob(
            out,
            seed,
            p,
            1 + p * part_size,
            min(part_size, works - p * part_size),
            per_part_bad[p],
            years,
        )
        for p in range(n_parts)
    ]
    if papers:
        job_list.append(
            _PartJob(out, seed, n_parts, 1 + works, len(papers), 0, years, tuple(papers))
        )
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            results = list(pool.map(_write_part, job_list))
    else:
        results = [_write_part(job) for job in job_list]
    summary = SynthSummary(works=works + len(papers), parts=len(job_list))
    entries = []
    merged: list[str] = []
    for result in results:
        summary.duplicates += result.duplicates
        summary.malformed += result.malformed
        merged += result.merged
        for path, count in result.files:
            relative = Path(path).relative_to(out / "data" / "works").as_posix()
            entries.append(
                {
                    "url": f"s3://openalex/data/works/{relative}",
                    "meta": {"content_length": Path(path).stat().st_size, "record_count": count},
                }
            )
    summary.merged = len(merged)
    works_dir = out / "data" / "works"
    (works_dir / "manifest").write_text(
        json.dumps({"entries": entries}, indent=1) + "\n", encoding="utf-8"
    )
    merged_dir = out / "data" / "merged_ids" / "works"
    merged_dir.mkdir(parents=True, exist_ok=True)
    with gzip.open(merged_dir / f"{UPDATE_DATE}.csv.gz", "wt", encoding="utf-8") as handle:
        handle.write("merge_date,id,merge_into_id\n")
        for work_id in merged:
            handle.write(f"{UPDATE_DATE},{work_id},W1\n")
    return summary
