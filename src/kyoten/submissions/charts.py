"""Trend charts of a center's derived indicators, drawn as server-rendered SVG.

They reuse the geometry of :mod:`kyoten.registry.charts` (the same bars, groups and
template): the share of researchers from abroad against the rulebook's minimum, researchers
and PIs, and money by source.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from kyoten.program import load_program
from kyoten.registry.charts import BarChart, bar_chart, grouped_bars
from kyoten.registry.models import Center
from kyoten.reports.model import CHOICES
from kyoten.submissions.services import YearFigures
from kyoten.text import Lang


@dataclass(frozen=True)
class Threshold:
    """A horizontal line across a chart (y in the chart's coordinates)."""

    y: float
    label: str


def abroad_minimum_percent(center: Center) -> float | None:
    """The rulebook's minimum share of researchers from abroad for the center, in percent."""
    program = load_program("wpi")
    era = program.era_for(center.selection_fiscal_year)
    value = program.requirement("people.researchers_from_abroad").value_for(era.id, center.track)
    return None if value is None or value.min is None else float(value.min * 100)


def abroad_chart(
    figures: list[YearFigures], minimum: float | None
) -> tuple[BarChart, Threshold | None]:
    """Share of researchers from abroad per year (0–100%), with the minimum as a line."""
    shares = {
        f.fiscal_year: share
        for f in figures
        if (share := f.numbers.researchers_from_abroad.percent()) is not None
    }
    chart = grouped_bars(
        [f.fiscal_year for f in figures],
        [(_("researchers from abroad"), "bar-actual", shares)],
        100,
        lambda v: f"{v:.1f}%",
        tick_text=lambda v: f"{v:g}",
        axis_title="%",
    )
    if minimum is None:
        return chart, None
    line = Threshold(
        chart.y_of(minimum),
        _("required minimum: %(percent)s%%") % {"percent": f"{minimum:g}"},
    )
    return chart, line


def people_chart(figures: list[YearFigures]) -> BarChart:
    """Researchers and PIs on 31 March of each year."""
    researchers = {f.fiscal_year: float(f.numbers.researchers) for f in figures}
    pis = {f.fiscal_year: float(f.numbers.pis) for f in figures}
    return grouped_bars(
        [f.fiscal_year for f in figures],
        [(_("researchers"), "bar-cap", researchers), (_("PIs"), "bar-actual", pis)],
        max(researchers.values(), default=1),
        lambda v: f"{v:,.0f}",
        axis_title=_("people"),
    )


def money_chart(figures: list[YearFigures], lang: Lang) -> BarChart:
    """Money by source per year, one bar per source."""
    return bar_chart(
        [f.fiscal_year for f in figures],
        [
            (
                label.get(lang),
                f"bar-source-{source}",
                {f.fiscal_year: f.numbers.money_by_source.get(source, 0) for f in figures},
            )
            for source, label in CHOICES["source"].items()
        ],
        lang,
    )
