"""Geometry for the server-rendered SVG charts (templates draw what these compute).

No JavaScript: the timeline of centers and the bar chart of money per fiscal year are plain
SVG with titles for screen readers, so they work with no network and under a strict CSP.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from kyoten.fiscal import fiscal_year_start, format_yen, format_yen_ja
from kyoten.text import Lang

ROW_HEIGHT = 22
LABEL_WIDTH = 110
PLOT_WIDTH = 640
PLOT_TOP = 24  # room above a bar chart's plot for the axis title


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    css: str
    title: str
    y: float = 0.0
    height: float = 0.0


@dataclass(frozen=True)
class TimelineRow:
    label: str
    url: str
    y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    label_width: int
    rows: tuple[TimelineRow, ...]
    ticks: tuple[Tick, ...]
    today_x: float | None
    has_extension: bool


@dataclass(frozen=True)
class TimelineEntry:
    """One center on the timeline, with the titles its bars carry for screen readers."""

    label: str
    url: str
    support_start: datetime.date
    scheduled_end: datetime.date  # the end of the regular period
    support_end: datetime.date  # after extensions, or an early end
    academy_since: datetime.date | None
    supported_title: str
    extension_title: str
    academy_title: str


# A row's bar is 14 high; where Academy membership overlaps support (Kavli IPMU in its
# extension) it is drawn as a band along the bottom of the support bar instead.
BAR_HEIGHT = 14
BAND_HEIGHT = 5


def _scale(first: datetime.date, last: datetime.date) -> Callable[[datetime.date], float]:
    span = (last - first).days or 1

    def x(day: datetime.date) -> float:
        clamped = min(max(day, first), last)
        return round(LABEL_WIDTH + PLOT_WIDTH * (clamped - first).days / span, 1)

    return x


def timeline(entries: list[TimelineEntry], day: datetime.date, last_fiscal_year: int) -> Timeline:
    """Each center's support (regular period, then any extension) and Academy membership."""
    first_fy = min(e.support_start for e in entries).year if entries else day.year
    first = fiscal_year_start(first_fy)
    last = fiscal_year_start(last_fiscal_year + 1)
    x = _scale(first, last)

    def bar(
        start: datetime.date,
        end: datetime.date,
        css: str,
        title: str,
        y: float,
        height: int = BAR_HEIGHT,
    ) -> Bar:
        top = y + 3 + (BAR_HEIGHT - height)  # a band lies along the bottom of the row's bar
        return Bar(x(start), max(x(end) - x(start), 1.0), css, title, top, height)

    rows = []
    for i, e in enumerate(entries):
        y = 24 + i * ROW_HEIGHT
        regular_end = min(e.scheduled_end, e.support_end)
        bars = [bar(e.support_start, regular_end, "bar-supported", e.supported_title, y)]
        if e.support_end > e.scheduled_end:
            bars.append(bar(e.scheduled_end, e.support_end, "bar-extension", e.extension_title, y))
        if e.academy_since is not None:
            if e.academy_since < e.support_end:
                band = "bar-academy bar-academy-band"
                bars.append(
                    bar(e.academy_since, e.support_end, band, e.academy_title, y, BAND_HEIGHT)
                )
            start = max(e.academy_since, e.support_end)
            bars.append(bar(start, last, "bar-academy", e.academy_title, y))
        rows.append(TimelineRow(e.label, e.url, y, tuple(bars)))
    step = 2 if last_fiscal_year - first_fy > 12 else 1
    ticks = tuple(
        Tick(x(fiscal_year_start(fy)), f"FY{fy}")
        for fy in range(first_fy, last_fiscal_year + 1, step)
    )
    today_x = x(day) if first <= day <= last else None
    return Timeline(
        width=LABEL_WIDTH + PLOT_WIDTH + 20,
        height=24 + len(entries) * ROW_HEIGHT + 10,
        label_width=LABEL_WIDTH,
        rows=tuple(rows),
        ticks=ticks,
        today_x=today_x,
        has_extension=any(e.support_end > e.scheduled_end for e in entries),
    )


@dataclass(frozen=True)
class BarGroup:
    label: str
    bars: tuple[Bar, ...]
    label_x: float


@dataclass(frozen=True)
class BarChart:
    """A grouped bar chart, every coordinate in the SVG's own units (no arithmetic left to
    the template): the plot spans ``PLOT_TOP`` to ``PLOT_TOP + plot_height``."""

    width: int
    height: int
    plot_height: int
    axis_top: float
    groups: tuple[BarGroup, ...]
    gridlines: tuple[tuple[float, str], ...]
    legend: tuple[tuple[str, str], ...]
    axis_title: str

    def y_of(self, value: float) -> float:
        """Where a value falls on the y axis (for a threshold line)."""
        return round(PLOT_TOP + self.plot_height * (1 - value / self.axis_top), 1)

    @property
    def baseline_y(self) -> float:
        return PLOT_TOP + self.plot_height

    @property
    def year_label_y(self) -> float:
        return PLOT_TOP + self.plot_height + 16


# The y axis of yen amounts: Japanese counts in 億円, English in millions of yen.
YEN_AXES: dict[Lang, tuple[int, str]] = {
    "ja": (100_000_000, "億円"),
    "en": (1_000_000, "¥ million"),
}
# The narrowest room, in chart units, that a year's label needs (four digits and a gap).
YEAR_LABEL_WIDTH = 34


def nice_step(span: float, intervals: int = 5) -> float:
    """A gridline step of 1, 2 or 5 × 10ⁿ that cuts ``span`` into about ``intervals``.

    >>> nice_step(100), nice_step(76), nice_step(10_500_000_000), nice_step(7)
    (20, 20, 2000000000, 1)
    """
    raw = max(span, 1e-9) / intervals
    power = 10 ** math.floor(math.log10(raw))
    fraction = raw / power
    multiple = 1 if fraction < 1.5 else 2 if fraction < 3 else 5 if fraction < 7 else 10
    step = multiple * power
    return int(step) if step >= 1 else step


def bar_chart(
    years: list[int], series: list[tuple[str, str, dict[int, int]]], lang: Lang
) -> BarChart:
    """Grouped bars of yen amounts: one group per fiscal year, one bar per series."""
    unit, unit_title = YEN_AXES[lang]
    top = max([v for _n, _c, values in series for v in values.values()] + [1])
    decimals = max(0, -math.floor(math.log10(nice_step(top) / unit)))
    return grouped_bars(
        years,
        series,
        top,
        format_yen_ja if lang == "ja" else format_yen,  # type: ignore[arg-type]
        tick_text=lambda amount: f"{amount / unit:,.{decimals}f}" if amount else "0",
        axis_title=unit_title,
    )


def grouped_bars(
    years: list[int],
    series: Sequence[tuple[str, str, Mapping[int, float]]],
    top: float,
    text: Callable[[float], str],
    *,
    tick_text: Callable[[float], str] | None = None,
    axis_title: str = "",
) -> BarChart:
    """Grouped bars on any scale: one group per fiscal year, one bar per series (name, css,
    values); ``text`` writes a value in bar titles, ``tick_text`` (default ``text``) on the
    gridlines, which fall on steps of 1, 2 or 5 × 10ⁿ up to the first at or above ``top``;
    ``axis_title`` names the axis' unit once. Year labels are thinned out where they would
    touch (every bar keeps its year in its title)."""
    plot_height = 200
    top = top if top > 0 else 1  # an empty chart still gets an axis
    step = nice_step(top)
    axis_top = step * max(math.ceil(top / step - 1e-9), 1)
    group_width = PLOT_WIDTH / max(len(years), 1)
    bar_width = max(group_width * 0.8 / max(len(series), 1), 1.0)
    label_every = next(k for k in (1, 2, 5, 10, 20, 50) if k * group_width >= YEAR_LABEL_WIDTH)
    groups = []
    for i, fy in enumerate(years):
        bars = []
        for j, (name, css, values) in enumerate(series):
            value = values.get(fy)
            if value is None:
                continue
            height = round(plot_height * value / axis_top, 1)
            bars.append(
                Bar(
                    x=round(60 + i * group_width + group_width * 0.1 + j * bar_width, 1),
                    width=round(bar_width, 1),
                    css=css,
                    title=f"FY{fy} {name}: {text(value)}",
                    y=round(PLOT_TOP + plot_height - height, 1),
                    height=height,
                )
            )
        label = f"{fy}" if i % label_every == 0 else ""
        groups.append(BarGroup(label, tuple(bars), round(60 + (i + 0.5) * group_width, 1)))
    steps = round(axis_top / step)
    gridlines = tuple(
        # rounded: 3 × 0.2 is 0.6000000000000001 in floating point
        (
            round(PLOT_TOP + plot_height * (1 - k / steps), 1),
            (tick_text or text)(round(step * k, 12)),
        )
        for k in range(steps + 1)
    )
    return BarChart(
        width=60 + PLOT_WIDTH + 10,
        height=PLOT_TOP + plot_height + 26,
        plot_height=plot_height,
        axis_top=axis_top,
        groups=tuple(groups),
        gridlines=gridlines,
        legend=tuple((name, css) for name, css, _v in series),
        axis_title=axis_title,
    )
