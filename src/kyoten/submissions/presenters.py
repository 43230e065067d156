"""What the report pages show, computed from the stored versions (views and tags call these).

Indicators and verdicts are derived on read from the stored report with
:func:`kyoten.reports.indicators` and :func:`kyoten.reports.report_verdict`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from kyoten.fiscal import format_fiscal_year
from kyoten.registry import plans
from kyoten.registry.charts import BarChart, bar_chart
from kyoten.registry.models import Center
from kyoten.reports import Indicators, indicators
from kyoten.reports.comparison import COLUMNS, Measure, comparison_row, in_order, shown
from kyoten.reports.model import CHOICES
from kyoten.reports.narrative import (
    Section,
    clean_texts,
    format_length,
    half_widths,
    limit_text,
    load_narrative,
    render_html,
)
from kyoten.reports.problems import problem_cells
from kyoten.submissions import charts, services
from kyoten.submissions.models import ReportVersion
from kyoten.text import KyotenError, Lang


def problem_rows(records: list[dict[str, Any]], lang: Lang) -> list[dict[str, str]]:
    """The problems of a refused upload, one row each, in ``lang`` (see
    :func:`kyoten.reports.problems.problem_cells`)."""
    return [problem_cells(record, lang) for record in records]


def _percent(ratio: Any) -> str:
    value = ratio.percent()
    return "—" if value is None else f"{value:.1f}% ({ratio.part}/{ratio.whole})"


def indicator_rows(numbers: Indicators, lang: Lang) -> list[tuple[str, str]]:
    """(label, value) of the main indicators, for a definition list."""
    rows = [
        (_("PIs on 31 March"), f"{numbers.pis}"),
        (_("Researchers on 31 March"), f"{numbers.researchers}"),
        (_("Total staff on 31 March"), f"{numbers.total_staff}"),
        (_("Researchers from abroad"), _percent(numbers.researchers_from_abroad)),
        (_("Women among researchers"), _percent(numbers.women_researchers)),
        (_("Women among PIs"), _percent(numbers.women_pis)),
        (_("Postdocs by international recruitment"), _percent(numbers.postdocs_international)),
        (_("People whose effort exceeds 100 percent"), f"{len(numbers.overcommitted)}"),
        (_("WPI grant"), f"¥{numbers.wpi_grant:,}"),
        (_("Other funding"), f"¥{numbers.non_wpi_funding:,}"),
        (_("Publications"), f"{numbers.publications}"),
        (
            _("Internationally co-authored"),
            _percent(numbers.internationally_coauthored_publications),
        ),
        (_("International meetings"), f"{numbers.meetings}"),
    ]
    rows += [
        (_("Money from: %(source)s") % {"source": CHOICES["source"][s].get(lang)}, f"¥{amount:,}")
        for s, amount in numbers.money_by_source.items()
    ]
    return rows


@dataclass(frozen=True)
class Summary:
    """A version's indicators and verdict, ready for a page."""

    version: ReportVersion
    is_sample: bool
    indicators: list[tuple[str, str]]
    checked: plans.Checked | None
    verdict_error: str


def summary(version: ReportVersion, lang: Lang) -> Summary:
    numbers = indicators(version.content)
    try:
        checked, error = plans.present(services.verdict_of(version), lang), ""
    except KyotenError as problem:  # e.g. a track that did not exist in the era
        checked, error = None, problem.localized(lang)
    return Summary(
        version,
        version.report.is_sample or numbers.is_sample,
        indicator_rows(numbers, lang),
        checked,
        error,
    )


@dataclass(frozen=True)
class Dashboard:
    """The report part of a center page: trends across years and the latest verdict."""

    figures: list[services.YearFigures]
    any_sample: bool
    abroad: Any
    abroad_line: charts.Threshold | None
    people: Any
    money: Any
    latest: Summary | None


def dashboard(center: Center, lang: Lang) -> Dashboard:
    figures = services.trends(center)
    abroad, line = charts.abroad_chart(figures, charts.abroad_minimum_percent(center))
    return Dashboard(
        figures,
        any(f.is_sample for f in figures),
        abroad,
        line,
        charts.people_chart(figures),
        charts.money_chart(figures, lang),
        summary(figures[-1].version, lang) if figures else None,
    )


@dataclass(frozen=True)
class Cell:
    """A table cell as the page shows it: the text, and ``num`` (right-aligned, tabular) or
    ``word`` (never wrapped: はい, WPI CORE, 2024年度) for its class."""

    text: str
    css: str = ""


@dataclass(frozen=True)
class Comparison:
    """All centers compared over a range of fiscal years: the table, and the charts of the
    range's last year (and of every year of the range, when there are several)."""

    years: list[int]  # the years with a report shown, newest first
    first: int | None
    last: int | None
    headers: list[Cell]
    rows: list[list[Cell]]
    any_sample: bool
    abroad: charts.CenterChart | None
    money: charts.CenterChart | None
    money_by_year: BarChart | None  # every year of the range; None for a single year
    hidden: int = 0  # centers left out for a conflict of interest


# When no range is asked for, the comparison shows this many years up to the latest.
DEFAULT_YEARS = 5
_NUMBERS = {"count", "percent", "yen", "ratio"}


def comparison_range(
    first: int | None, last: int | None, years: list[int]
) -> tuple[int | None, int | None]:
    """The range asked for, within the years that have reports (a year outside them is
    not asked for), in order; by default the last ``DEFAULT_YEARS`` years."""
    if not years:
        return None, None
    last = last if last in years else years[0]
    first = first if first in years else min(y for y in years if last - DEFAULT_YEARS < y <= last)
    return min(first, last), max(first, last)


def _cell(measure: Measure, value: Any, lang: Lang) -> Cell:
    if value is None:
        return Cell("—", "num" if measure.kind in _NUMBERS else "")
    if measure.kind == "year":
        return Cell(format_fiscal_year(value, "nendo" if lang == "ja" else "fy"), "word")
    if measure.kind in ("count", "yen"):
        return Cell(f"{value:,}", "num")
    if measure.kind == "ratio":
        return Cell(f"{value:.2f}", "num")
    if measure.kind == "percent":
        return Cell(f"{value:.1f}", "num")
    text = str(shown(measure, value, lang))
    return Cell(text, "word" if isinstance(value, bool) or measure.kind == "track" else "")


def comparison(first: int | None, last: int | None, lang: Lang, user: Any) -> Comparison:
    """The centers ``user`` may read, compared from ``first`` to ``last`` (see
    :func:`comparison_range`)."""
    years = services.comparison_years()
    first, last = comparison_range(first, last, years)
    centers = services.readable_centers(user)
    reports = [] if first is None else services.comparison_reports(first, centers, until=last)
    ordered = in_order(reports)
    numbers = [indicators(report) for report in ordered]
    rows = [comparison_row(r, n, lang) for r, n in zip(ordered, numbers, strict=True)]
    by_code = {services.report_code(c): c for c in centers}
    figures = [
        charts.CenterFigures(
            n.center,
            by_code[n.center].get_absolute_url() if n.center in by_code else "",
            n.fiscal_year,
            n.researchers_from_abroad.percent(),
            charts.abroad_minimum_percent(by_code[n.center]) if n.center in by_code else None,
            n.money_by_source,
        )
        for n in numbers
        if n.fiscal_year == last
    ]
    return Comparison(
        years,
        first,
        last,
        [Cell(c.header.get(lang), "num" if c.kind in _NUMBERS else "") for c in COLUMNS],
        [[_cell(c, v, lang) for c, v in zip(COLUMNS, row, strict=True)] for row in rows],
        any(n.is_sample for n in numbers),
        charts.abroad_by_center(figures) if figures else None,
        charts.money_by_center(figures, lang) if figures else None,
        _money_by_year(numbers, lang) if first != last else None,
        services.hidden_by_conflict(user),
    )


def _money_by_year(numbers: list[Indicators], lang: Lang) -> BarChart:
    """Money by source for each year of the range, summed over the centers compared."""
    years = sorted({n.fiscal_year for n in numbers})
    return bar_chart(
        years,
        [
            (
                label.get(lang),
                f"bar-source-{source}",
                {
                    y: sum(n.money_by_source[source] for n in numbers if n.fiscal_year == y)
                    for y in years
                },
            )
            for source, label in CHOICES["source"].items()
        ],
        lang,
    )


# --- the narrative ------------------------------------------------------------------------


@dataclass(frozen=True)
class WrittenSection:
    """A section of a report's year and its text as safe HTML (empty if not written)."""

    section: Section
    html: str


def written_sections(fiscal_year: int, texts: dict[str, str]) -> list[WrittenSection]:
    return [
        WrittenSection(s, render_html(texts[s.id]) if texts.get(s.id) else "")
        for s in load_narrative().sections_for(fiscal_year)
    ]


def section_problems(texts: dict[str, str], fiscal_year: int, lang: Lang) -> dict[str, str]:
    """Each section's problem (over its limit, a character that cannot be stored), in
    ``lang``, by section id; empty if the texts may be saved."""
    try:
        clean_texts(texts, fiscal_year)
    except KyotenError as error:
        return {
            (p.location or "").removeprefix("narrative."): p.message.get(lang)
            for p in getattr(error, "problems", [error])
        }
    return {}


@dataclass(frozen=True)
class SectionRow:
    """A section on the narrative page: its text area, length against its limit, problem
    and preview (only after "Preview", of a text that may be saved)."""

    section: Section
    field: Any
    length: str
    limit: str
    problem: str
    preview: str


def narrative_rows(
    form: Any, texts: dict[str, str], problems: dict[str, str], previewing: bool, lang: Lang
) -> list[SectionRow]:
    rows = []
    for section in form.sections:
        text = texts.get(section.id, "")
        rows.append(
            SectionRow(
                section,
                form[section.id],
                format_length(half_widths(text), lang),
                limit_text(section).get(lang),
                problems.get(section.id, ""),
                render_html(text) if previewing and text and section.id not in problems else "",
            )
        )
    return rows
