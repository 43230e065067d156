"""Money per center and fiscal year: the rulebook's cap and the grant actually entered.

The cap comes from :meth:`kyoten.program.Program.annual_grant_cap` for the center's track,
era and stage (WPI CORE steps up from the fiscal year after its stage gate); the fiscal years
are those of the center's support period, computed by :mod:`kyoten.lifecycle`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kyoten import lifecycle
from kyoten.fiscal import fiscal_year_of
from kyoten.program import RuleValue, load_program
from kyoten.registry.models import Center, ProgramBudget


@dataclass(frozen=True)
class FundingYear:
    fiscal_year: int
    cap: RuleValue
    actual: int | None

    @property
    def over_cap(self) -> bool:
        return self.actual is not None and self.actual > self.cap.value


def center_funding(center: Center, life: lifecycle.Lifecycle | None = None) -> list[FundingYear]:
    """One row per fiscal year of the center's support period (``life``: the center's
    lifecycle, when the caller has already computed it)."""
    program = load_program("wpi")
    if life is None:
        life = center.lifecycle()
    actual = {g.fiscal_year: g.amount_yen for g in center.grants.all()}
    return [
        FundingYear(
            fy,
            program.annual_grant_cap(
                center.track,
                center.selection_fiscal_year,
                fy,
                stage_gate_passed_fiscal_year=life.stage_gate_passed_fiscal_year,
            ),
            actual.get(fy),
        )
        for fy in range(fiscal_year_of(life.support_start), fiscal_year_of(life.support_end) + 1)
    ]


@dataclass(frozen=True)
class ProgramYear:
    fiscal_year: int
    centers_supported: int
    caps_total: int
    caps_approximate: bool
    actual_total: int | None
    published: ProgramBudget | None


def program_totals(
    centers: list[Center],
    *,
    include_actual: bool = False,
    lives: Mapping[int, lifecycle.Lifecycle] | None = None,
) -> list[ProgramYear]:
    """Per fiscal year: centers supported, the sum of their caps, the program figure published
    for that year where there is one, and (only with ``include_actual``, for the program
    office) the sum of the grants entered; otherwise ``actual_total`` is None. ``lives``: the
    centers' lifecycles by primary key, when already computed."""
    per_year: dict[int, list[tuple[RuleValue, int | None]]] = {}
    for center in centers:
        for row in center_funding(center, (lives or {}).get(center.pk)):
            per_year.setdefault(row.fiscal_year, []).append((row.cap, row.actual))
    published = {b.fiscal_year: b for b in ProgramBudget.objects.all()}
    years = sorted(set(per_year) | set(published))
    totals = []
    for fy in years:
        entries = per_year.get(fy, [])
        actuals = [a for _cap, a in entries if a is not None]
        totals.append(
            ProgramYear(
                fiscal_year=fy,
                centers_supported=len(entries),
                caps_total=sum(cap.value for cap, _a in entries),
                caps_approximate=any(cap.approximate for cap, _a in entries),
                actual_total=sum(actuals) if include_actual and actuals else None,
                published=published.get(fy),
            )
        )
    return totals
