"""What the report pages show, computed from the stored versions (views and tags call these).

Indicators and verdicts are derived on read from the stored report with
:func:`kyoten.reports.indicators` and :func:`kyoten.reports.report_verdict`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from kyoten.registry import plans
from kyoten.registry.models import Center
from kyoten.reports import Indicators, comparison_rows, indicators
from kyoten.reports.comparison import COLUMNS
from kyoten.reports.model import CHOICES
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
class Comparison:
    """The comparison table of all centers for one fiscal year."""

    fiscal_year: int | None
    years: list[int]
    headers: list[str]
    rows: list[list[Any]]
    any_sample: bool


def _column(english: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.en == english)


SAMPLE_COLUMN = _column("Sample data")
TRACK_COLUMN = _column("Track")
YES_NO_COLUMNS = (SAMPLE_COLUMN, _column("Every requirement met"))


def _shown(row: list[Any], lang: Lang) -> list[Any]:
    """A comparison row for the page: codes as words in ``lang`` (exports keep the codes)."""
    shown = list(row)
    shown[TRACK_COLUMN] = CHOICES["track"][row[TRACK_COLUMN]].get(lang)
    for column in YES_NO_COLUMNS:
        if row[column] in ("yes", "no"):  # else a marked cell, e.g. no verdict: …
            shown[column] = _("yes") if row[column] == "yes" else _("no")
    return shown


def comparison(fiscal_year: int | None, lang: Lang, user: Any) -> Comparison:
    """The centers ``user`` may read, compared for ``fiscal_year`` (or the latest year)."""
    years = services.comparison_years()
    chosen = fiscal_year if fiscal_year in years else (years[0] if years else None)
    centers = services.readable_centers(user)
    reports = services.comparison_reports(chosen, centers) if chosen is not None else []
    rows = comparison_rows(reports, lang)
    return Comparison(
        chosen,
        years,
        [c.get(lang) for c in COLUMNS],
        [_shown(row, lang) for row in rows],
        any(row[SAMPLE_COLUMN] == "yes" for row in rows),
    )
