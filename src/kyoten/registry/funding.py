"""Money per center and fiscal year: the rulebook's cap, the grant decided and the WPI
spending the center reported, and the program's totals against its published budget.

The cap comes from :meth:`kyoten.program.Program.annual_grant_cap` for the center's track,
era and stage (WPI CORE steps up from the fiscal year after its stage gate); the fiscal years
are those of the center's support period, computed by :mod:`kyoten.lifecycle`. The grant
decided is the amount in force, the latest of the entries the program office made
(:mod:`kyoten.registry.grants`). The WPI spending reported is the ``wpi_grant`` money of the
report the dashboards show for the year: the accepted report, or else the sample (marked).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kyoten import lifecycle
from kyoten.fiscal import fiscal_year_of
from kyoten.program import RuleValue, load_program
from kyoten.registry.models import Center, Grant, ProgramBudget
from kyoten.reports import indicators
from kyoten.submissions.services import shown_versions


def support_years(life: lifecycle.Lifecycle) -> list[int]:
    """The fiscal years of a center's support, oldest first."""
    return list(range(fiscal_year_of(life.support_start), fiscal_year_of(life.support_end) + 1))


def cap_for(center: Center, fiscal_year: int, life: lifecycle.Lifecycle) -> RuleValue:
    """The grant cap of ``center`` in ``fiscal_year``, with its sources."""
    return load_program("wpi").annual_grant_cap(
        center.track,
        center.selection_fiscal_year,
        fiscal_year,
        stage_gate_passed_fiscal_year=life.stage_gate_passed_fiscal_year,
    )


@dataclass(frozen=True)
class Reported:
    """The WPI grant money a report says the center spent, and whether it is sample data."""

    amount: int
    is_sample: bool


@dataclass(frozen=True)
class FundingYear:
    """One fiscal year of a center: the cap, the grant decided with its amendments (oldest
    first; the last is in force) and the WPI spending reported, if known."""

    fiscal_year: int
    cap: RuleValue
    entries: tuple[Grant, ...] = ()
    reported: Reported | None = None

    @property
    def decided(self) -> int | None:
        """The amount in force: the latest entry's."""
        return self.entries[-1].amount_yen if self.entries else None

    @property
    def amended(self) -> bool:
        return len(self.entries) > 1

    @property
    def over_cap(self) -> bool:
        return self.decided is not None and self.decided > self.cap.value

    @property
    def difference(self) -> int | None:
        """Reported WPI spending minus the grant decided (negative: less was spent)."""
        if self.decided is None or self.reported is None:
            return None
        return self.reported.amount - self.decided


def center_funding(
    center: Center,
    life: lifecycle.Lifecycle | None = None,
    reported: Mapping[int, Reported] | None = None,
) -> list[FundingYear]:
    """One row per fiscal year of the center's support period (``life``: the center's
    lifecycle, when the caller has already computed it; ``reported``: the WPI spending per
    fiscal year, see :func:`reported_spending`)."""
    if life is None:
        life = center.lifecycle()
    entries: dict[int, list[Grant]] = {}
    for grant in sorted(center.grants.all(), key=lambda g: (g.fiscal_year, g.number)):
        entries.setdefault(grant.fiscal_year, []).append(grant)
    return [
        FundingYear(
            fy,
            cap_for(center, fy, life),
            tuple(entries.get(fy, ())),
            (reported or {}).get(fy),
        )
        for fy in support_years(life)
    ]


def reported_spending(center: Center) -> dict[int, Reported]:
    """The WPI grant money of the report shown for each fiscal year (the accepted report,
    or else the sample)."""
    return {
        version.report.fiscal_year: Reported(
            numbers.wpi_grant, version.report.is_sample or numbers.is_sample
        )
        for version in shown_versions([center])
        for numbers in (indicators(version.content),)
    }


@dataclass(frozen=True)
class ProgramYear:
    """A fiscal year of the program: centers supported and the sum of their caps, the
    published program figure, and (for the program office) the grants decided."""

    fiscal_year: int
    centers_supported: int
    caps_total: int
    caps_approximate: bool
    decided_total: int | None
    centers_decided: int
    published: ProgramBudget | None

    @property
    def complete(self) -> bool:
        """A grant decided is entered for every center supported that year."""
        return self.decided_total is not None and self.centers_decided == self.centers_supported

    @property
    def difference(self) -> int | None:
        """Grants decided minus the published figure, once every center's grant is entered
        (a partial sum says nothing against a program figure)."""
        if not self.complete or self.published is None:
            return None
        assert self.decided_total is not None
        return self.decided_total - self.published.amount_yen


def program_totals(
    centers: list[Center],
    *,
    include_decided: bool = False,
    lives: Mapping[int, lifecycle.Lifecycle] | None = None,
) -> list[ProgramYear]:
    """Per fiscal year: centers supported, the sum of their caps, the program figure published
    for that year where there is one, and (only with ``include_decided``, for the program
    office) the sum of the grants decided in force and how many centers have one; otherwise
    ``decided_total`` is None. ``lives``: the centers' lifecycles by primary key, when
    already computed."""
    per_year: dict[int, list[FundingYear]] = {}
    for center in centers:
        for row in center_funding(center, (lives or {}).get(center.pk)):
            per_year.setdefault(row.fiscal_year, []).append(row)
    published = {b.fiscal_year: b for b in ProgramBudget.objects.all()}
    years = sorted(set(per_year) | set(published))
    totals = []
    for fy in years:
        rows = per_year.get(fy, [])
        decided = [r.decided for r in rows if r.decided is not None]
        totals.append(
            ProgramYear(
                fiscal_year=fy,
                centers_supported=len(rows),
                caps_total=sum(r.cap.value for r in rows),
                caps_approximate=any(r.cap.approximate for r in rows),
                decided_total=sum(decided) if include_decided and decided else None,
                centers_decided=len(decided) if include_decided else 0,
                published=published.get(fy),
            )
        )
    return totals
