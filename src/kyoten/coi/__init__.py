"""Conflicts of interest: the rules as dated data, and finding them in the data Kyoten holds.

The rules are ``kyoten/coi/data/<program>.yaml``, checked when loaded (every problem named
by file and field): each with its id, its text in both languages, the evidence it is found
from, its look-back window, its effect — exclude, manage or disclose — and its sources.
:mod:`kyoten.coi.detect` finds conflicts from persons, centers, rosters, publications and
declarations; :mod:`kyoten.coi.names` folds the ways a name is written.

Example:
    >>> rules = load_rules().version_for(datetime.date(2026, 12, 7))
    >>> rules.rule("coauthorship").window_years, rules.rule("coauthorship").effect
    (3, 'manage')
    >>> rules.consortium_authors_over
    100
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from kyoten.cycles import Source, Text
from kyoten.text import Bilingual, KyotenError
from kyoten.validation import read_yaml, shipped_data, validated

Evidence = Literal["affiliation", "center_role", "works", "declaration", "applicant"]
Effect = Literal["exclude", "manage", "disclose"]
# potential: found, waiting for the PD/PO's decision (blocks assignment); confirmed: a
# conflict (enforced unless the effect is disclose); waived: a conflict the PD/PO allowed,
# with the reason; dismissed: not a conflict after all; noted: recorded, never a conflict
Status = Literal["potential", "confirmed", "waived", "dismissed", "noted"]
ENFORCED_EFFECTS: tuple[Effect, ...] = ("exclude", "manage")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Strict):
    """One reason a person is conflicted with a center."""

    id: str
    title: Text
    description: Text
    evidence: Evidence
    window_years: Annotated[int, Field(ge=0, le=50)] | None
    effect: Effect
    sources: list[str]
    kyoten_own: bool = False

    @property
    def enforced(self) -> bool:
        """Whether a confirmed finding of this rule keeps the person out."""
        return self.effect in ENFORCED_EFFECTS

    def window_start(self, day: datetime.date) -> datetime.date | None:
        """The first day the relation still counts on ``day`` (None: ever).

        >>> rule = load_rules().versions[0].rule("institution")
        >>> rule.window_start(datetime.date(2026, 12, 7)), rule.window_start(datetime.date(2028, 2, 29))
        (datetime.date(2025, 12, 7), datetime.date(2027, 2, 28))
        """
        if self.window_years is None:
            return None
        year = day.year - self.window_years
        return day.replace(year=year, day=min(day.day, 28 if day.month == 2 else day.day))


class RuleSet(_Strict):
    """The rules in force from a day on."""

    id: str
    version: int
    from_: datetime.date = Field(alias="from")
    consortium_authors_over: Annotated[int, Field(ge=2)]
    consortium_sources: list[str]
    rules: Annotated[list[Rule], Field(min_length=1)]

    @property
    def key(self) -> str:
        """The id and version a finding records (``coi-2026@1``)."""
        return f"{self.id}@{self.version}"

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def declarable(self) -> list[Rule]:
        """The rules a person (or the office on their word) declares."""
        return [r for r in self.rules if r.evidence == "declaration" and r.enforced]


class ConflictRules(_Strict):
    """A program's conflict-of-interest rules (see the module docstring)."""

    program: str
    sources: dict[str, Source]
    versions: Annotated[list[RuleSet], Field(min_length=1)]

    def version_for(self, day: datetime.date) -> RuleSet:
        """The rules in force on ``day`` (the latest version begun by then; the first before)."""
        begun = [v for v in self.versions if v.from_ <= day]
        return max(begun or self.versions[:1], key=lambda v: (v.from_, v.version))

    def addresses(self, source_ids: Sequence[str]) -> list[str]:
        return [self.sources[s].address for s in source_ids]


def _cross_reference_problems(rules: ConflictRules, path: str) -> list[KyotenError]:
    problems: list[KyotenError] = []

    def problem(where: str, en: str, ja: str, value: object) -> None:
        problems.append(
            KyotenError(Bilingual(en=en, ja=ja), location=f"{path}: {where}", value=value)
        )

    for version in rules.versions:
        where = f"versions[{version.key}]"
        for source in version.consortium_sources:
            if source not in rules.sources:
                problem(
                    f"{where}.consortium_sources", "unknown source id", "不明な出典IDです", source
                )
        seen: set[str] = set()
        for rule in version.rules:
            if rule.id in seen:
                problem(f"{where}.rules", "duplicate rule id", "規則IDが重複しています", rule.id)
            seen.add(rule.id)
            for source in rule.sources:
                if source not in rules.sources:
                    problem(
                        f"{where}.rules[{rule.id}].sources",
                        "unknown source id",
                        "不明な出典IDです",
                        source,
                    )
            if not rule.sources and not rule.kyoten_own:
                problem(
                    f"{where}.rules[{rule.id}]",
                    "a rule without a source must be marked kyoten_own",
                    "出典のない規則には kyoten_own の指定が必要です",
                    rule.id,
                )
    return problems


def parse_rules(text: str, path: str) -> ConflictRules:
    """Validate conflict rules ``text`` (read from ``path``).

    Raises:
        KyotenErrors: every problem, each naming the file and the field.
    """
    return validated(ConflictRules, read_yaml(text, path), path, _cross_reference_problems)


@functools.cache
def load_rules(program_id: str = "wpi") -> ConflictRules:
    """The shipped conflict rules of a program, loaded and checked once per process."""
    return parse_rules(*shipped_data("kyoten.coi", program_id))
