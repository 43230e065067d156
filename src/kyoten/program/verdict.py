"""Verdicts: one finding per requirement, each saying why, with the nearest fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from kyoten.program.rulebook import Requirement, RuleValue
from kyoten.text import Bilingual, Lang

Status = Literal["met", "not_met", "below_guideline", "not_applicable", "missing_data"]
STATUSES: tuple[Status, ...] = (
    "met",
    "not_met",
    "below_guideline",
    "not_applicable",
    "missing_data",
)
# Statuses that leave a plan acceptable: a guideline missed only warns.
PASSING: frozenset[Status] = frozenset({"met", "below_guideline", "not_applicable"})

STATUS_LABELS: dict[Status, Bilingual] = {
    "met": Bilingual(en="met", ja="充足"),
    "not_met": Bilingual(en="not met", ja="未充足"),
    "below_guideline": Bilingual(en="below guideline", ja="目安未満"),
    "not_applicable": Bilingual(en="not applicable", ja="対象外"),
    "missing_data": Bilingual(en="missing data", ja="データ不足"),
}


@dataclass(frozen=True)
class Finding:
    """How a plan fares against one requirement."""

    requirement: Requirement
    status: Status
    message: Bilingual
    value: RuleValue | None = None
    required: dict[str, Any] = field(default_factory=dict)
    actual: Any = None

    @property
    def rule(self) -> str:
        """The requirement's id, e.g. ``grant.annual_cap``."""
        return self.requirement.id

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        """A JSON-ready record; the message in ``lang``, the title in both languages."""
        value = self.value
        return {
            "rule": self.rule,
            "title": self.requirement.title.as_dict(),
            "status": self.status,
            "severity": self.requirement.severity,
            "required": self.required,
            "actual": self.actual,
            "message": self.message.get(lang),
            "era": value.era if value else None,
            "approximate": value.approximate if value else False,
            "unconfirmed": value.unconfirmed if value else False,
            "sources": [
                {"id": s.id, "title": s.title, "url": s.url, "document": s.document}
                for s in (value.sources if value else ())
            ],
        }


@dataclass(frozen=True)
class Verdict:
    """Every finding for one plan, and where the plan stands."""

    name: str
    program: str
    track: str
    track_key: str
    era: str
    fiscal_year: int
    support_year: int
    findings: tuple[Finding, ...]

    @property
    def all_met(self) -> bool:
        """True when no requirement is unmet and no data is missing."""
        return all(finding.status in PASSING for finding in self.findings)

    def counts(self) -> dict[Status, int]:
        """How many findings have each status."""
        tally: dict[Status, int] = dict.fromkeys(STATUSES, 0)
        for finding in self.findings:
            tally[finding.status] += 1
        return tally

    def finding(self, rule: str) -> Finding:
        """The finding for one requirement id (KeyError if there is none)."""
        for found in self.findings:
            if found.rule == rule:
                return found
        raise KeyError(rule)

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        """A JSON-ready record of the whole verdict."""
        return {
            "plan": self.name,
            "program": self.program,
            "track": self.track,
            "track_key": self.track_key,
            "era": self.era,
            "fiscal_year": self.fiscal_year,
            "support_year": self.support_year,
            "all_met": self.all_met,
            "counts": self.counts(),
            "findings": [finding.to_dict(lang) for finding in self.findings],
        }
