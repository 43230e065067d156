"""Geometry for the server-rendered SVG charts (templates draw what these compute).

No JavaScript: the timeline of centers and the bar chart of money per fiscal year are plain
SVG with titles for screen readers, so they work with no network and under a strict CSP.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from kyoten.fiscal import fiscal_year_start

ROW_HEIGHT = 22
LABEL_WIDTH = 110
PLOT_WIDTH = 640


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


def _scale(first: datetime.date, last: datetime.date) -> Callable[[datetime.date], float]:
    span = (last - first).days or 1

    def x(day: datetime.date) -> float:
        clamped = min(max(day, first), last)
        return round(LABEL_WIDTH + PLOT_WIDTH * (clamped - first).days / span, 1)

    return x


def timeline(
    entries: list[tuple[str, str, datetime.date, datetime.date, datetime.date | None, str, str]],
    day: datetime.date,
    last_fiscal_year: int,
) -> Timeline:
    """Entries are (label, url, support start, support end, academy since, titles...)."""
    first_fy = min(e[2] for e in entries).year if entries else day.year
    first = fiscal_year_start(first_fy)
    last = fiscal_year_start(last_fiscal_year + 1)
    x = _scale(first, last)
    rows = []
    for i, (label, url, start, end, academy, supported_title, academy_title) in enumerate(entries):
        bars = [Bar(x(start), max(x(end) - x(start), 1.0), "bar-supported", supported_title)]
        if academy is not None:
            bars.append(
                Bar(x(academy), max(x(last) - x(academy), 1.0), "bar-academy", academy_title)
            )
        rows.append(TimelineRow(label, url, 24 + i * ROW_HEIGHT, tuple(bars)))
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
    )


@dataclass(frozen=True)
class BarGroup:
    label: str
    bars: tuple[Bar, ...]
    label_x: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_height: int
    groups: tuple[BarGroup, ...]
    gridlines: tuple[tuple[float, str], ...]
    legend: tuple[tuple[str, str], ...]


def bar_chart(
    years: list[int],
    series: list[tuple[str, str, dict[int, int]]],
    *,
    unit: int = 100_000_000,
    unit_label: str = "億円",
) -> BarChart:
    """Grouped bars of yen amounts: one group per fiscal year, one bar per series."""
    top = max([v for _n, _c, values in series for v in values.values()] + [1])
    return grouped_bars(
        years,
        series,
        top,
        lambda amount: f"{amount / unit:,.1f}{unit_label}",
        grid_text=lambda amount: f"{amount / unit:,.0f}{unit_label}",
    )


def grouped_bars(
    years: list[int],
    series: Sequence[tuple[str, str, Mapping[int, float]]],
    top: float,
    text: Callable[[float], str],
    *,
    grid_text: Callable[[float], str] | None = None,
) -> BarChart:
    """Grouped bars on any scale: one group per fiscal year, one bar per series (name, css,
    values); ``text`` writes a value in bar titles, ``grid_text`` (default ``text``) on the
    gridlines."""
    plot_height = 200
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
            height = round(plot_height * value / top, 1)
            bars.append(
                Bar(
                    x=round(60 + i * group_width + group_width * 0.1 + j * bar_width, 1),
                    width=round(bar_width, 1),
                    css=css,
                    title=f"FY{fy} {name}: {text(value)}",
                    y=round(plot_height - height, 1),
                    height=height,
                )
            )
        groups.append(BarGroup(f"{fy}", tuple(bars), round(60 + (i + 0.5) * group_width, 1)))
    gridlines = tuple(
        (round(plot_height - plot_height * k / 4, 1), (grid_text or text)(top * k / 4))
        for k in range(5)
    )
    return BarChart(
        width=60 + PLOT_WIDTH + 10,
        height=plot_height + 40,
        plot_height=plot_height,
        groups=tuple(groups),
        gridlines=gridlines,
        legend=tuple((name, css) for name, css, _v in series),
    )
