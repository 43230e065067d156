"""Indicators derived from a report — never self-reported — and the rulebook verdict.

People are counted as persons, not rows (rows of one person are matched by ORCID iD or name,
see :mod:`kyoten.reports.people`), and only those at the center on the reporting date,
31 March at the end of the fiscal year. Shares are exact fractions. The verdict converts the
report into a :class:`~kyoten.program.plan.Plan` — the persons on 31 March as the roster,
the money lines as the budget, the institutions and language flags — and evaluates it
against the rulebook of the center's track and selection era.

Example:
    >>> from kyoten.reports.sample import sample_report
    >>> numbers = indicators(sample_report("DEMO", 2024, seed=3))
    >>> numbers.researchers == numbers.headcount["pi"] + numbers.headcount["researcher"] + numbers.headcount["postdoc"]
    True
    >>> numbers.researchers_from_abroad.whole == numbers.researchers
    True
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kyoten.fiscal import fiscal_year_end, fiscal_year_start
from kyoten.program.engine import evaluate
from kyoten.program.plan import RESEARCHER_CATEGORIES, STAFF_CATEGORIES, Plan
from kyoten.program.verdict import Verdict
from kyoten.reports.model import CHOICES, AnnualReport, RosterEntry, json_number
from kyoten.reports.people import peak_effort, person_groups
from kyoten.text import percent_tenths


@dataclass(frozen=True)
class Ratio:
    """``part`` of ``whole``, exactly."""

    part: int
    whole: int

    @property
    def share(self) -> Fraction | None:
        """part / whole, or None when there is no whole."""
        return Fraction(self.part, self.whole) if self.whole else None

    def percent(self) -> float | None:
        """The share in percent to one decimal, rounded down (None when there is no whole)."""
        return percent_tenths(self.part, self.whole) / 10 if self.whole else None

    def to_dict(self) -> dict[str, Any]:
        return {"part": self.part, "whole": self.whole, "percent": self.percent()}


@dataclass(frozen=True)
class Overcommitted:
    """A person whose effort at the center adds up to more than 100% on some day."""

    name: str
    orcid: str | None
    rows: tuple[int, ...]  # roster row indices (0-based)
    peak_effort_percent: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "orcid": self.orcid,
            "rows": list(self.rows),
            "peak_effort_percent": json_number(self.peak_effort_percent),
        }


@dataclass(frozen=True)
class Person:
    """One person on the reporting date: their first row, and effort summed over their rows."""

    entry: RosterEntry
    effort_percent: Decimal


def persons_on(report: AnnualReport) -> list[Person]:
    """The persons at the center on the reporting date (31 March), in roster order."""
    day = report.reporting_date
    persons = []
    for group in person_groups(report.roster):
        active = [report.roster[i] for i in group if report.roster[i].active_on(day)]
        if active:
            effort = sum((row.effort_percent for row in active), Decimal(0))
            persons.append(Person(active[0], effort))
    return persons


@dataclass(frozen=True)
class Indicators:
    """A center's numbers for one fiscal year, derived from its report."""

    center: str
    fiscal_year: int
    is_sample: bool
    headcount: dict[str, int]
    researchers: int
    pis: int
    total_staff: int
    researchers_from_abroad: Ratio
    women_researchers: Ratio
    women_pis: Ratio
    postdocs_international: Ratio
    overcommitted: tuple[Overcommitted, ...]
    money_by_source: dict[str, int]
    money_by_source_and_category: dict[str, dict[str, int]]
    wpi_grant: int
    non_wpi_funding: int
    non_wpi_per_wpi_yen: Fraction | None
    publications: int
    interdisciplinary_publications: Ratio
    internationally_coauthored_publications: Ratio
    assets_by_kind: dict[str, int]
    meetings: int
    meeting_participants_from_abroad: Ratio
    follow_up_by_status: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record (ratios with part, whole and percent)."""
        record: dict[str, Any] = {}
        for name, value in self.__dict__.items():
            if isinstance(value, Ratio):
                record[name] = value.to_dict()
            elif isinstance(value, Fraction):
                record[name] = round(float(value), 4)
            elif name == "overcommitted":
                record[name] = [item.to_dict() for item in value]
            else:
                record[name] = value
        return record


def indicators(report: AnnualReport) -> Indicators:
    """Derive the indicators of ``report`` (see docs/reports.md for each definition)."""
    persons = persons_on(report)
    people = [p.entry for p in persons]
    researchers = [p for p in people if p.category in RESEARCHER_CATEGORIES]
    pis = [p for p in people if p.category == "pi"]
    postdocs = [p for p in people if p.category == "postdoc"]
    first, last = (
        fiscal_year_start(report.metadata.fiscal_year),
        fiscal_year_end(report.metadata.fiscal_year),
    )
    overcommitted = []
    for group in person_groups(report.roster):
        rows = [report.roster[i] for i in group]
        peak = peak_effort(rows, first, last)
        if peak > 100:
            overcommitted.append(Overcommitted(rows[0].name, rows[0].orcid, tuple(group), peak))
    by_source = dict.fromkeys(CHOICES["source"], 0)
    by_pair: dict[str, dict[str, int]] = {
        s: dict.fromkeys(CHOICES["expense"], 0) for s in CHOICES["source"]
    }
    for line in report.money:
        by_source[line.source] += line.amount
        by_pair[line.source][line.category] += line.amount
    wpi = by_source["wpi_grant"]
    non_wpi = sum(by_source.values()) - wpi
    assets = dict.fromkeys(CHOICES["kind"], 0)
    for asset in report.assets:
        assets[asset.kind] += 1
    statuses = dict.fromkeys(CHOICES["status"], 0)
    for item in report.follow_up:
        statuses[item.status] += 1
    publications = report.publications
    return Indicators(
        center=report.metadata.center,
        fiscal_year=report.metadata.fiscal_year,
        is_sample=report.metadata.is_sample,
        headcount={c: sum(1 for p in people if p.category == c) for c in CHOICES["category"]},
        researchers=len(researchers),
        pis=len(pis),
        total_staff=sum(1 for p in people if p.category in STAFF_CATEGORIES),
        researchers_from_abroad=Ratio(
            sum(1 for p in researchers if p.from_abroad), len(researchers)
        ),
        women_researchers=Ratio(
            sum(1 for p in researchers if p.gender == "female"), len(researchers)
        ),
        women_pis=Ratio(sum(1 for p in pis if p.gender == "female"), len(pis)),
        postdocs_international=Ratio(
            sum(1 for p in postdocs if p.international_recruitment), len(postdocs)
        ),
        overcommitted=tuple(overcommitted),
        money_by_source=by_source,
        money_by_source_and_category=by_pair,
        wpi_grant=wpi,
        non_wpi_funding=non_wpi,
        non_wpi_per_wpi_yen=Fraction(non_wpi, wpi) if wpi else None,
        publications=len(publications),
        interdisciplinary_publications=Ratio(
            sum(1 for p in publications if p.interdisciplinary), len(publications)
        ),
        internationally_coauthored_publications=Ratio(
            sum(1 for p in publications if p.international_coauthorship), len(publications)
        ),
        assets_by_kind=assets,
        meetings=len(report.meetings),
        meeting_participants_from_abroad=Ratio(
            sum(m.participants_from_abroad for m in report.meetings),
            sum(m.participants for m in report.meetings),
        ),
        follow_up_by_status=statuses,
    )


def report_plan(report: AnnualReport) -> Plan:
    """The report as a rulebook plan: persons on 31 March, money as budget lines."""
    meta = report.metadata
    language = {
        "english_working_language": meta.english_working_language,
        "english_administration": meta.english_administration,
        "english_research_support": meta.english_research_support,
    }
    roster = [
        {
            "name": p.entry.name,
            "category": p.entry.category,
            "from_abroad": p.entry.from_abroad,
            "nationality": p.entry.nationality,
            "gender": p.entry.gender,
            "effort_percent": json_number(min(p.effort_percent, Decimal(100))),
            "international_recruitment": p.entry.international_recruitment,
        }
        for p in persons_on(report)
    ]
    return Plan.model_validate(
        {
            "name": meta.center_name or meta.center,
            "track": meta.track,
            "fiscal_year": meta.fiscal_year,
            "selection_fiscal_year": meta.selection_fiscal_year,
            "extension_granted": meta.extension_granted,
            "stage_gate_passed_fiscal_year": meta.stage_gate_passed_fiscal_year,
            "institutions": [row.model_dump() for row in report.institutions],
            "people": {"roster": roster},
            "budget": [row.model_dump() for row in report.money],
            "language": language if any(v is not None for v in language.values()) else None,
        }
    )


def report_verdict(report: AnnualReport) -> Verdict:
    """The rulebook verdict for the report's center and fiscal year.

    Raises:
        KyotenError: when the center's track did not exist in its selection era.
    """
    meta = report.metadata
    return evaluate(report_plan(report), name=f"{meta.center} FY{meta.fiscal_year}")
