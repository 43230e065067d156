"""Trend charts of a center's derived indicators, drawn as server-rendered SVG.

They reuse the geometry of :mod:`kyoten.registry.charts` (the same bars, groups and
template): the share of researchers from abroad against the rulebook's minimum, researchers
and PIs, and money by source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kyoten.program import load_program
from kyoten.registry.charts import PLOT_WIDTH, Bar, BarChart, BarGroup, bar_chart
from kyoten.registry.models import Center
from kyoten.reports.model import CHOICES
from kyoten.submissions.services import YearFigures
from kyoten.text import Lang

PLOT_HEIGHT = 200


@dataclass(frozen=True)
class Threshold:
    """A horizontal line across a chart (y in the chart's plot coordinates)."""

    y: float
    label: str


def _bars(
    years: list[int],
    series: list[tuple[str, str, dict[int, float]]],
    top: float,
    text: Callable[[float], str],
) -> BarChart:
    """Grouped bars like :func:`kyoten.registry.charts.bar_chart`, with any scale."""
    top = max(top, 1)
    group_width = PLOT_WIDTH / max(len(years), 1)
    bar_width = max(group_width * 0.8 / max(len(series), 1), 1.0)
    groups = []
    for i, fy in enumerate(years):
        bars = []
        for j, (name, css, values) in enumerate(series):
            value = values.get(fy)
            if value is None:
                continue
            height = round(PLOT_HEIGHT * value / top, 1)
            bars.append(
                Bar(
                    x=round(60 + i * group_width + group_width * 0.1 + j * bar_width, 1),
                    width=round(bar_width, 1),
                    css=css,
                    title=f"FY{fy} {name}: {text(value)}",
                    y=round(PLOT_HEIGHT - height, 1),
                    height=height,
                )
            )
        groups.append(BarGroup(f"{fy}", tuple(bars), round(60 + (i + 0.5) * group_width, 1)))
    gridlines = tuple(
        (round(PLOT_HEIGHT - PLOT_HEIGHT * k / 4, 1), text(top * k / 4)) for k in range(5)
    )
    return BarChart(
        width=60 + PLOT_WIDTH + 10,
        height=PLOT_HEIGHT + 40,
        plot_height=PLOT_HEIGHT,
        groups=tuple(groups),
        gridlines=gridlines,
        legend=tuple((name, css) for name, css, _v in series),
    )


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
        f.fiscal_year: f.numbers.researchers_from_abroad.percent()
        for f in figures
        if f.numbers.researchers_from_abroad.percent() is not None
    }
    chart = _bars(
        [f.fiscal_year for f in figures],
        [(_("researchers from abroad"), "bar-actual", shares)],  # type: ignore[list-item]
        100,
        lambda v: f"{v:.1f}%",
    )
    if minimum is None:
        return chart, None
    line = Threshold(
        round(PLOT_HEIGHT - PLOT_HEIGHT * minimum / 100, 1),
        _("required minimum: %(percent)s%%") % {"percent": f"{minimum:g}"},
    )
    return chart, line


def people_chart(figures: list[YearFigures]) -> BarChart:
    """Researchers and PIs on 31 March of each year."""
    researchers = {f.fiscal_year: float(f.numbers.researchers) for f in figures}
    pis = {f.fiscal_year: float(f.numbers.pis) for f in figures}
    return _bars(
        [f.fiscal_year for f in figures],
        [(_("researchers"), "bar-cap", researchers), (_("PIs"), "bar-actual", pis)],
        max(researchers.values(), default=1),
        lambda v: f"{v:,.0f}",
    )


def money_chart(figures: list[YearFigures], lang: Lang) -> BarChart:
    """Money by source per year (¥100M units), one bar per source."""
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
        unit_label=_("×¥100M"),
    )
