"""Plausible sample reports for dashboards and demonstrations — clearly marked as samples.

The same center, fiscal year, seed and track always give the same report. Every sample has
``is_sample: true`` in its metadata, a host institution named "(sample)", ORCID iDs in the
block 0000-0000-…, which ORCID never issues, and DOIs under 10.5555, the prefix reserved for
examples — so no sample can be mistaken for a real person or paper. The WPI grant stays
below the track's annual cap, read from the rulebook.

Example:
    >>> report = sample_report("DEMO", 2024, seed=7)
    >>> report.metadata.is_sample, report == sample_report("DEMO", 2024, seed=7)
    (True, True)
    >>> report == sample_report("DEMO", 2024, seed=8)
    False
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from kyoten.fiscal import fiscal_year_end, fiscal_year_start
from kyoten.identifiers import orcid_check_character
from kyoten.program.rulebook import load_program
from kyoten.reports.model import AnnualReport, Track

# Given names (female, then male) and family names by nationality.
_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "JP": (
        ("Yui", "Aoi", "Hina", "Yuko", "Mei", "Sakura"),
        ("Haruto", "Sota", "Ren", "Kenji", "Takumi", "Daiki"),
        (
            "Sato",
            "Suzuki",
            "Takahashi",
            "Tanaka",
            "Watanabe",
            "Ito",
            "Yamamoto",
            "Nakamura",
            "Kobayashi",
            "Kato",
        ),
    ),
    "US": (
        ("Emily", "Sarah", "Laura"),
        ("James", "Michael", "David"),
        ("Smith", "Johnson", "Brown", "Miller", "Davis"),
    ),
    "DE": (
        ("Anna", "Lena", "Marie"),
        ("Lukas", "Felix", "Jonas"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber"),
    ),
    "FR": (
        ("Camille", "Chloé", "Léa"),
        ("Louis", "Hugo", "Jules"),
        ("Martin", "Bernard", "Dubois", "Laurent"),
    ),
    "CN": (("Jing", "Xin", "Mei"), ("Wei", "Hao", "Lei"), ("Wang", "Li", "Zhang", "Liu", "Chen")),
    "KR": (
        ("Seoyeon", "Hayoon", "Jiwoo"),
        ("Minjun", "Jiho", "Dohyun"),
        ("Kim", "Lee", "Park", "Choi"),
    ),
    "IN": (
        ("Priya", "Ananya", "Diya"),
        ("Aarav", "Rohan", "Vihaan"),
        ("Sharma", "Patel", "Iyer", "Reddy"),
    ),
    "GB": (
        ("Amelia", "Isla", "Olivia"),
        ("Oliver", "Harry", "George"),
        ("Jones", "Taylor", "Wilson", "Evans"),
    ),
}
_FOREIGN = ("US", "DE", "FR", "CN", "KR", "IN", "GB")
_RECOMMENDATIONS = (
    (
        "Strengthen the interdisciplinary research between the groups.",
        "Joint seminars each month and a seed fund for cross-group projects.",
    ),
    (
        "Raise the share of women among PIs and researchers.",
        "Targeted international searches and dual-career support.",
    ),
    (
        "Secure the host institution's support beyond the grant period.",
        "The host created permanent posts for the center's core staff.",
    ),
    (
        "Make the administration fully bilingual.",
        "All administrative forms and meetings are now in English and Japanese.",
    ),
)
_ASSET_KINDS = ("research_platform", "software", "data_set", "patent", "licence")
_GRANT_SHARES = (("personnel", 45), ("project_activities", 30), ("travel", 7), ("equipment", 15))


def _day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _round(amount: float) -> int:
    return int(amount) // 1000 * 1000


def sample_report(
    center: str,
    fiscal_year: int,
    seed: int = 0,
    *,
    track: Track = "wpi",
    selection_fiscal_year: int | None = None,
) -> AnnualReport:
    """A deterministic, plausible sample report for ``center`` and ``fiscal_year``."""
    rng = random.Random(f"{center}|{fiscal_year}|{seed}|{track}")  # noqa: S311 - sample data, not secrets
    selection = selection_fiscal_year
    if selection is None:
        selection = (
            fiscal_year - 3 if track == "wpi" else min(fiscal_year, max(2023, fiscal_year - 2))
        )
    first, last = fiscal_year_start(fiscal_year), fiscal_year_end(fiscal_year)
    scale = {"wpi": 1.0, "core": 0.75, "multiple_host": 1.9}[track]
    counts = {
        "pi": round(rng.randint(10, 14) * scale),
        "researcher": round(rng.randint(30, 45) * scale),
        "postdoc": round(rng.randint(18, 28) * scale),
        "student": round(rng.randint(10, 25) * scale),
        "administrative": round(rng.randint(12, 18) * scale),
        "technical": round(rng.randint(3, 8) * scale),
    }
    roster: list[dict[str, Any]] = []
    used_names: set[str] = set()
    used_orcids: set[str] = set()
    for category, count in counts.items():
        for _ in range(count):
            roster.extend(_people(rng, category, selection, first, last, used_names, used_orcids))
    grant_cap = load_program("wpi").annual_grant_cap(track, selection, fiscal_year).max or 0
    grant = grant_cap * rng.uniform(0.85, 0.99)
    money = [
        {"source": "wpi_grant", "category": category, "amount": _round(grant * share / 97)}
        for category, share in _GRANT_SHARES
    ]
    money += [
        {
            "source": "host_institution",
            "category": "personnel",
            "amount": _round(grant * rng.uniform(0.2, 0.4)),
        },
        {
            "source": "host_institution",
            "category": "equipment",
            "amount": _round(grant * rng.uniform(0.05, 0.2)),
        },
        {
            "source": "competitive_funds",
            "category": "research_projects",
            "amount": _round(grant * rng.uniform(0.5, 1.3)),
        },
        {
            "source": "donations",
            "category": "other",
            "amount": _round(grant * rng.uniform(0.01, 0.06)),
        },
        {
            "source": "industry",
            "category": "research_projects",
            "amount": _round(grant * rng.uniform(0.03, 0.2)),
        },
    ]
    slug = "".join(ch for ch in center.lower() if ch.isalnum()) or "center"
    publications = [
        {
            "doi": f"10.5555/sample.{slug}.{fiscal_year}.{number:04d}",
            "title": f"Sample publication {number}",
            "interdisciplinary": rng.random() < 0.3,
            "international_coauthorship": rng.random() < 0.55,
        }
        for number in range(1, round(rng.randint(90, 180) * scale) + 1)
    ]
    assets = [
        {
            "kind": rng.choice(_ASSET_KINDS),
            "title": f"Sample asset {number}",
            "identifier": f"https://example.org/{slug}/{fiscal_year}/{number}",
            "date": _day(rng, first, last),
        }
        for number in range(1, rng.randint(3, 8) + 1)
    ]
    meetings = []
    for number in range(1, rng.randint(4, 10) + 1):
        participants = rng.randint(30, 300)
        meetings.append(
            {
                "title": f"Sample international symposium {number}",
                "date": _day(rng, first, last),
                "country": "JP" if rng.random() < 0.8 else rng.choice(_FOREIGN),
                "participants": participants,
                "participants_from_abroad": round(participants * rng.uniform(0.2, 0.6)),
            }
        )
    follow_up = [
        {
            "recommendation": recommendation,
            "evaluation": f"FY{fiscal_year - 1} follow-up",
            "action": action,
            "status": rng.choice(("done", "in_progress", "planned")),
        }
        for recommendation, action in rng.sample(_RECOMMENDATIONS, 3)
    ]
    institutions = [
        {"name": f"{center} Host University (sample)", "country": "JP", "role": "host"},
        {
            "name": f"{center} Partner Institute (sample)",
            "country": rng.choice(_FOREIGN),
            "role": "overseas_partner",
            "organisation_level_agreement": True,
        },
    ]
    if track == "multiple_host":
        institutions.append(
            {"name": f"{center} Second Host University (sample)", "country": "JP", "role": "host"}
        )
    return AnnualReport.model_validate(
        {
            "metadata": {
                "center": center,
                "center_name": f"{center} sample center",
                "host_institution": f"{center} Host University (sample)",
                "fiscal_year": fiscal_year,
                "track": track,
                "selection_fiscal_year": selection,
                "english_working_language": True,
                "english_administration": True,
                "english_research_support": True,
                "is_sample": True,
            },
            "institutions": institutions,
            "roster": roster,
            "money": money,
            "publications": publications,
            "assets": assets,
            "meetings": meetings,
            "follow_up": follow_up,
        }
    )


def _people(
    rng: random.Random,
    category: str,
    selection: int,
    first: datetime.date,
    last: datetime.date,
    used_names: set[str],
    used_orcids: set[str],
) -> list[dict[str, Any]]:
    """One person's rows: usually one; some work part of their time at an overseas satellite."""
    researcher = category in ("pi", "researcher", "postdoc")
    from_abroad = researcher and rng.random() < 0.4
    nationality = rng.choice(_FOREIGN) if from_abroad else "JP"
    gender = (
        "female" if rng.random() < 0.27 else rng.choice(("male", "male", "male", "undisclosed"))
    )
    female, male, family = _NAMES[nationality]
    given = female if gender == "female" else male if gender == "male" else female + male
    name = f"{rng.choice(given)} {rng.choice(family)}"
    while name in used_names:
        name = f"{rng.choice(given)} {chr(rng.randint(65, 90))}. {rng.choice(family)}"
    used_names.add(name)
    orcid = None
    if researcher and rng.random() < 0.9:
        while orcid is None or orcid in used_orcids:
            digits = f"00000000{rng.randint(0, 9_999_999):07d}"
            orcid = f"{digits[:4]}-{digits[4:8]}-{digits[8:12]}-{digits[12:]}{orcid_check_character(digits)}"
        used_orcids.add(orcid)
    start = _day(rng, fiscal_year_start(selection), last)
    row: dict[str, Any] = {
        "name": name,
        "orcid": orcid,
        "category": category,
        "is_pi": category == "pi",
        "from_abroad": from_abroad,
        "nationality": nationality,
        "gender": "female"
        if rng.random() < 0.27
        else rng.choice(("male", "male", "male", "undisclosed")),
        "effort_percent": 100
        if category in ("postdoc", "administrative", "technical")
        else rng.choice((50, 70, 80, 100)),
        "site": "main",
        "start_date": start,
        "end_date": _day(rng, max(start, first), last) if rng.random() < 0.08 else None,
        "international_recruitment": (rng.random() < 0.85) if category == "postdoc" else None,
    }
    if category == "pi" and row["effort_percent"] <= 50 and rng.random() < 0.5:
        satellite = dict(row, site="overseas_satellite", effort_percent=rng.choice((20, 30)))
        return [row, satellite]
    return [row]
