"""What the center page and the overview show of the published indicators (read only).

The headline is the CWTS method with full counting; the other counting and tie method are
shown in a second table. PP(top 10%) is placed against the program document's band, whose
caveat (it is unconfirmed) goes wherever the band does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kyoten.bibliometrics.band import Band, BandPosition, format_share, reference_band
from kyoten.outcomes.models import IndicatorRun, RunUnit, UnitIndicators
from kyoten.text import Lang, listed

HEADLINE_COUNTING = "full"
HEADLINE_METHOD = "cwts"


def counting_label(counting: str) -> str:
    return {
        "full": pgettext("counting", "full counting"),
        "fractional": pgettext("counting", "fractional counting"),
    }.get(counting, counting)


def method_label(method: str) -> str:
    return {
        "cwts": _("CWTS method"),
        "nistep": _("NISTEP adjusted count"),
    }.get(method, method)


def position_label(position: BandPosition | None) -> str:
    return {
        "below": _("below the band"),
        "within": _("within the band"),
        "above": _("above the band"),
    }.get(position or "", "—")


def _count(value: float) -> str:
    """P: a whole number under full counting, one decimal under fractional counting."""
    return f"{value:,.0f}" if value == round(value) else f"{value:,.1f}"


def _mncs(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _interval(low: float | None, high: float | None, formatted: Any) -> str:
    return "" if low is None or high is None else f"{formatted(low)}–{formatted(high)}"


@dataclass(frozen=True)
class Figures:
    """One unit's indicators for one counting and tie method, as the pages write them."""

    unit: RunUnit
    counting: str
    method: str
    p: str
    pp_top10: str
    pp_top10_interval: str
    pp_top1: str
    pp_top1_interval: str
    mncs: str
    mncs_interval: str
    position: BandPosition | None
    position_label: str

    @classmethod
    def of(cls, values: UnitIndicators, band: Band) -> Figures:
        position = band.position(values.pp_top10)
        return cls(
            unit=values.unit,
            counting=counting_label(values.counting),
            method=method_label(values.method),
            p=_count(values.p),
            pp_top10=format_share(values.pp_top10),
            pp_top10_interval=_interval(values.pp_top10_lb, values.pp_top10_ub, format_share),
            pp_top1=format_share(values.pp_top1),
            pp_top1_interval=_interval(values.pp_top1_lb, values.pp_top1_ub, format_share),
            mncs=_mncs(values.mncs),
            mncs_interval=_interval(values.mncs_lb, values.mncs_ub, _mncs),
            position=position,
            position_label=position_label(position),
        )


@dataclass(frozen=True)
class BandText:
    """The band in the page's language, always with its caveat."""

    range_text: str
    label: str
    caveat: str
    unconfirmed: bool
    source: str

    @classmethod
    def of(cls, band: Band, lang: Lang) -> BandText:
        return cls(
            band.range_text(),
            band.label.get(lang),
            band.caveat.get(lang),
            band.unconfirmed,
            band.source,
        )


@dataclass(frozen=True)
class Provenance:
    """Where a run's figures come from, as the pages write it."""

    run: IndicatorRun
    counting: str
    method: str
    doc_types: str

    @classmethod
    def of(cls, run: IndicatorRun, lang: Lang) -> Provenance:
        return cls(
            run,
            counting_label(HEADLINE_COUNTING),
            method_label(HEADLINE_METHOD),
            listed(lang, run.doc_types.split(",")),
        )


def latest_run() -> IndicatorRun | None:
    """The most recently published run, if any."""
    return IndicatorRun.objects.first()


def _values(units: list[RunUnit]) -> list[UnitIndicators]:
    return list(
        UnitIndicators.objects.filter(unit__in=units)
        .select_related("unit", "unit__center")
        .order_by("unit__position", "-counting", "method")  # full counting first
    )


def _headline(values: list[UnitIndicators], band: Band) -> list[Figures]:
    return [
        Figures.of(v, band)
        for v in values
        if v.counting == HEADLINE_COUNTING and v.method == HEADLINE_METHOD
    ]


@dataclass(frozen=True)
class CenterOutcomes:
    """A center's section: its headline, the benchmarks beside it, every counting and method.

    ``run`` is None when nothing has been published; ``unit`` is None when the latest run
    did not measure this center.
    """

    band: BandText
    run: IndicatorRun | None = None
    provenance: Provenance | None = None
    unit: RunUnit | None = None
    headline: Figures | None = None
    side_by_side: tuple[Figures, ...] = ()
    every_method: tuple[Figures, ...] = ()


def center_outcomes(center: Any, lang: Lang) -> CenterOutcomes:
    band = reference_band()
    text = BandText.of(band, lang)
    run = latest_run()
    if run is None:
        return CenterOutcomes(text)
    unit = run.units.filter(center=center).first()
    if unit is None:
        return CenterOutcomes(text, run, Provenance.of(run, lang))
    shown = [unit, *run.units.filter(kind=RunUnit.Kind.BENCHMARK)]
    values = _values(shown)
    side_by_side = _headline(values, band)
    return CenterOutcomes(
        text,
        run,
        Provenance.of(run, lang),
        unit,
        side_by_side[0] if side_by_side else None,
        tuple(side_by_side),
        tuple(Figures.of(v, band) for v in values),
    )


@dataclass(frozen=True)
class OverviewOutcomes:
    """Each readable center's headline PP(top 10%) against the band, and the benchmarks'."""

    band: BandText
    run: IndicatorRun | None = None
    provenance: Provenance | None = None
    centers: tuple[Figures, ...] = ()
    benchmarks: tuple[Figures, ...] = ()


def overview_outcomes(readable: list[Any], lang: Lang) -> OverviewOutcomes:
    band = reference_band()
    text = BandText.of(band, lang)
    run = latest_run()
    if run is None:
        return OverviewOutcomes(text)
    units = [
        u
        for u in run.units.select_related("center")
        if u.kind == RunUnit.Kind.BENCHMARK or u.center in readable
    ]
    figures = _headline(_values(units), band)
    return OverviewOutcomes(
        text,
        run,
        Provenance.of(run, lang),
        tuple(f for f in figures if f.unit.kind == RunUnit.Kind.CENTER),
        tuple(f for f in figures if f.unit.kind == RunUnit.Kind.BENCHMARK),
    )
