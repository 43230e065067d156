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
from kyoten.reports.narrative import (
    Section,
    clean_texts,
    format_length,
    half_widths,
    limit_text,
    load_narrative,
    render_html,
)
from kyoten.submissions import charts, services
from kyoten.submissions.models import ReportVersion
from kyoten.text import KyotenError, Lang


def problem_rows(records: list[dict[str, Any]], lang: Lang) -> list[dict[str, Any]]:
    """The problems of a refused upload, one row each, with the message in ``lang``."""
    return [
        {
            "place": record.get("sheet") or record.get("source") or "",
            "row": record.get("row") or "",
            "column": record.get("column") or "",
            "field": record.get("field") or "",
            "value": "" if record.get("value") is None else record["value"],
            "message": record["message"][lang],
        }
        for record in records
    ]


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
    hidden: int = 0  # centers left out for a conflict of interest


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
        services.hidden_by_conflict(user),
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
