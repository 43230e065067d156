"""Trend charts of a center's derived indicators, drawn as server-rendered SVG.

They reuse the geometry of :mod:`kyoten.registry.charts` (the same bars, groups and
template): the share of researchers from abroad against the rulebook's minimum, researchers
and PIs, and money by source. The comparison page draws the same across centers, one
horizontal bar per center (``submissions/center_chart.html``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kyoten.fiscal import format_yen, format_yen_ja
from kyoten.program import load_program
from kyoten.registry.charts import (
    YEN_AXES,
    Bar,
    BarChart,
    bar_chart,
    grouped_bars,
    nice_step,
)
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


# --- across centers (the comparison page): one horizontal bar per center -----------------

CENTER_LABEL_WIDTH = 90
CENTER_PLOT_WIDTH = 420
CENTER_VALUE_WIDTH = 80
CENTER_ROW_HEIGHT = 22
CENTER_TOP = 30  # room above the bars for the axis title and the gridlines' labels


@dataclass(frozen=True)
class CenterBars:
    """A center's row: its bar segments, the value written after them, and the row's
    threshold (x of its required minimum), every coordinate in the SVG's units."""

    label: str
    url: str
    y: float
    y_end: float
    text_y: float
    segments: tuple[Bar, ...]
    value: str
    value_x: float
    mark_x: float | None


@dataclass(frozen=True)
class CenterChart:
    """Horizontal bars, one row per center, on a common scale from 0."""

    width: int
    height: int
    label_width: int
    plot_right: int
    rows: tuple[CenterBars, ...]
    gridlines: tuple[tuple[float, str], ...]
    legend: tuple[tuple[str, str], ...]
    axis_title: str
    mark_label: str

    @property
    def plot_top(self) -> float:
        return CENTER_TOP - 4

    @property
    def plot_bottom(self) -> float:
        return CENTER_TOP + len(self.rows) * CENTER_ROW_HEIGHT

    @property
    def label_x(self) -> float:
        return self.label_width - 6


# A center's row to draw: label, url, segments (css, title, value), value text, mark or None.
CenterRow = tuple[str, str, list[tuple[str, str, float]], str, float | None]


def _center_chart(
    rows: list[CenterRow],
    top: float,
    tick_text: Callable[[float], str],
    *,
    legend: tuple[tuple[str, str], ...],
    axis_title: str,
    mark_label: str = "",
) -> CenterChart:
    """``rows`` on a scale from 0 to the first gridline at or above ``top``."""
    step = nice_step(top if top > 0 else 1)
    axis_top = step * max(math.ceil((top if top > 0 else 1) / step - 1e-9), 1)
    scale = CENTER_PLOT_WIDTH / axis_top
    left = CENTER_LABEL_WIDTH
    drawn = []
    for i, (label, url, segments, value, mark) in enumerate(rows):
        y = CENTER_TOP + i * CENTER_ROW_HEIGHT
        x = float(left)
        bars = []
        for css, title, amount in segments:
            width = round(amount * scale, 1)
            bars.append(Bar(x=round(x, 1), width=width, css=css, title=title, y=y + 4, height=14))
            x += width
        drawn.append(
            CenterBars(
                label,
                url,
                y,
                y + CENTER_ROW_HEIGHT,
                y + 15,
                tuple(bars),
                value,
                round(x + 4, 1),
                None if mark is None else round(left + mark * scale, 1),
            )
        )
    steps = round(axis_top / step)
    gridlines = tuple(
        (round(left + CENTER_PLOT_WIDTH * k / steps, 1), tick_text(round(step * k, 12)))
        for k in range(steps + 1)
    )
    return CenterChart(
        width=CENTER_LABEL_WIDTH + CENTER_PLOT_WIDTH + CENTER_VALUE_WIDTH,
        height=CENTER_TOP + len(rows) * CENTER_ROW_HEIGHT + 6,
        label_width=CENTER_LABEL_WIDTH,
        plot_right=CENTER_LABEL_WIDTH + CENTER_PLOT_WIDTH,
        rows=tuple(drawn),
        gridlines=gridlines,
        legend=legend,
        axis_title=axis_title,
        mark_label=mark_label,
    )


@dataclass(frozen=True)
class CenterFigures:
    """One center's numbers for one fiscal year, as the comparison charts need them."""

    label: str
    url: str
    fiscal_year: int
    abroad_percent: float | None  # rounded down to a tenth, as shown everywhere
    abroad_minimum: float | None  # the rulebook's, in percent
    money_by_source: dict[str, int]


def abroad_by_center(centers: list[CenterFigures]) -> CenterChart:
    """The share of researchers from abroad of each center, against each center's required
    minimum (a mark across its row: the marks of centers held to the same minimum line up)."""
    rows: list[CenterRow] = []
    for c in centers:
        share, minimum = c.abroad_percent, c.abroad_minimum
        value = "—" if share is None else f"{share:.1f}%"
        below = share is not None and minimum is not None and share < minimum
        title = f"{c.label} FY{c.fiscal_year}: {value}"
        segments = [] if share is None else [("bar-below" if below else "bar-actual", title, share)]
        rows.append((c.label, c.url, segments, value, minimum))
    minima = {c.abroad_minimum for c in centers if c.abroad_minimum is not None}
    label = (
        _("required minimum: %(percent)s%%") % {"percent": f"{next(iter(minima)):g}"}
        if len(minima) == 1
        else _("each center's required minimum")
    )
    legend = [(_("researchers from abroad"), "bar-actual")]
    if any(segments and segments[0][0] == "bar-below" for _l, _u, segments, _v, _m in rows):
        legend.append((_("below the minimum"), "bar-below"))
    return _center_chart(
        rows,
        100,
        lambda v: f"{v:g}",
        legend=tuple(legend),
        axis_title="%",
        mark_label=label if minima else "",
    )


def money_by_center(centers: list[CenterFigures], lang: Lang) -> CenterChart:
    """Each center's money by source, stacked, in 億円 (Japanese) or millions of yen."""
    unit, unit_title = YEN_AXES[lang]
    yen = format_yen_ja if lang == "ja" else format_yen
    top = max([sum(c.money_by_source.values()) for c in centers] + [1])
    decimals = max(0, -math.floor(math.log10(nice_step(top) / unit)))
    rows: list[CenterRow] = []
    for c in centers:
        segments = [
            (
                f"bar-source-{source}",
                f"{c.label} FY{c.fiscal_year} {label.get(lang)}: {yen(c.money_by_source.get(source, 0))}",
                float(c.money_by_source.get(source, 0)),
            )
            for source, label in CHOICES["source"].items()
            if c.money_by_source.get(source, 0)
        ]
        total = sum(c.money_by_source.values())
        rows.append((c.label, c.url, segments, f"{total / unit:,.1f}", None))
    return _center_chart(
        rows,
        top,
        lambda amount: f"{amount / unit:,.{decimals}f}" if amount else "0",
        legend=tuple(
            (label.get(lang), f"bar-source-{source}") for source, label in CHOICES["source"].items()
        ),
        axis_title=unit_title,
    )
