"""A comparison table of many reports (one row per center and year), to Excel or CSV.

Each column has a kind that says how its values read: codes become labels in the reader's
language (``WPI CORE``, はい/いいえ), numbers stay numbers — in Excel with number formats
(yen with separators, shares as percentages, counts with separators), the headers frozen
and filterable. Shares are exact tenths of a percent, rounded down as everywhere else (a
share just below 30% never reads as 30.0%). Every text cell that a spreadsheet would read
as a formula is neutralised (:mod:`kyoten.reports.formulas`).

Example:
    >>> from kyoten.reports.sample import sample_report
    >>> [row] = comparison_rows([sample_report("DEMO", 2024, seed=1)])
    >>> dict(zip((c.key for c in COLUMNS), row))["researchers_from_abroad"]
    Decimal('42.3')
    >>> shown(column("track"), "core", "ja"), shown(column("is_sample"), True, "ja")
    ('WPI CORE', 'はい')
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

import openpyxl  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from kyoten.reports.formulas import neutralise
from kyoten.reports.indicators import Indicators, Ratio, indicators, report_verdict
from kyoten.reports.model import CHOICES, AnnualReport
from kyoten.text import Bilingual, KyotenError, Lang, percent_tenths

Kind = Literal["text", "year", "track", "yes_no", "count", "percent", "yen", "ratio", "verdict"]


@dataclass(frozen=True)
class Measure:
    """A column of the comparison: its key, its headers and how its values read."""

    key: str
    header: Bilingual
    kind: Kind


def _m(key: str, en: str, ja: str, kind: Kind) -> Measure:
    return Measure(key, Bilingual(en=en, ja=ja), kind)


COLUMNS: tuple[Measure, ...] = (
    _m("center", "Center", "拠点", "text"),
    _m("fiscal_year", "Fiscal year", "年度", "year"),
    _m("track", "Track", "区分", "track"),
    _m("is_sample", "Sample data", "サンプル", "yes_no"),
    _m("pis", "PIs", "PI数", "count"),
    _m("researchers", "Researchers", "研究者数", "count"),
    _m("total_staff", "Total staff", "総勢", "count"),
    _m(
        "researchers_from_abroad",
        "Researchers from abroad (%)",
        "外国からの研究者の割合（%）",
        "percent",
    ),
    _m("women_researchers", "Women among researchers (%)", "女性研究者の割合（%）", "percent"),
    _m(
        "postdocs_international",
        "Postdocs by international recruitment (%)",
        "国際公募によるポスドクの割合（%）",
        "percent",
    ),
    _m("overcommitted", "People over 100% effort", "エフォート超過者数", "count"),
    _m("wpi_grant", "WPI grant (yen)", "WPI補助金（円）", "yen"),
    _m("non_wpi_funding", "Other funding (yen)", "WPI以外の資金（円）", "yen"),
    _m(
        "non_wpi_per_wpi_yen",
        "Other funding per yen of WPI grant",
        "WPI補助金1円あたりの他資金",
        "ratio",
    ),
    _m("publications", "Publications", "論文数", "count"),
    _m(
        "interdisciplinary_publications",
        "Interdisciplinary publications (%)",
        "学際的論文の割合（%）",
        "percent",
    ),
    _m(
        "internationally_coauthored_publications",
        "Internationally co-authored (%)",
        "国際共著論文の割合（%）",
        "percent",
    ),
    _m("meetings", "International meetings", "国際会議数", "count"),
    _m("all_met", "Every requirement met", "全要件充足", "verdict"),
    _m("not_met", "Requirements not met", "未充足の要件数", "count"),
)


def column(key: str) -> Measure:
    """The column called ``key`` (KeyError if none)."""
    for candidate in COLUMNS:
        if candidate.key == key:
            return candidate
    raise KeyError(key)


NO_VERDICT = Bilingual(en="no verdict", ja="判定不能")


def _percent(ratio: Ratio) -> Decimal | None:
    """The share in percent, to a tenth rounded down, exactly (40.4, never 40.400000001)."""
    return Decimal(percent_tenths(ratio.part, ratio.whole)) / 10 if ratio.whole else None


def _ratio(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0001"))


def _verdict_cells(report: AnnualReport, lang: Lang) -> list[Any]:
    """The last two columns; a report the rulebook cannot judge (e.g. a selection year with
    no era) is marked in the first, so that one report never takes the table down."""
    try:
        verdict = report_verdict(report)
    except KyotenError as error:
        return [f"{NO_VERDICT.get(lang)}: {error.message.get(lang)}", None]
    return [verdict.all_met, verdict.counts()["not_met"]]


def in_order(reports: Sequence[AnnualReport]) -> list[AnnualReport]:
    """The reports in the comparison's order: by center, then year."""
    return sorted(reports, key=lambda r: (r.metadata.center, r.metadata.fiscal_year))


def comparison_rows(reports: Sequence[AnnualReport], lang: Lang = "en") -> list[list[Any]]:
    """One row of values per report, in the order of ``COLUMNS``, sorted by center and year:
    codes as codes, yes/no as booleans, shares as exact decimals (see :func:`shown` for
    words)."""
    return [comparison_row(report, indicators(report), lang) for report in in_order(reports)]


def comparison_row(report: AnnualReport, numbers: Indicators, lang: Lang = "en") -> list[Any]:
    """The row of ``report``, whose indicators are ``numbers`` (see :func:`comparison_rows`)."""
    return [
        report.metadata.center,
        report.metadata.fiscal_year,
        report.metadata.track,
        report.metadata.is_sample,
        numbers.pis,
        numbers.researchers,
        numbers.total_staff,
        _percent(numbers.researchers_from_abroad),
        _percent(numbers.women_researchers),
        _percent(numbers.postdocs_international),
        len(numbers.overcommitted),
        numbers.wpi_grant,
        numbers.non_wpi_funding,
        _ratio(numbers.non_wpi_per_wpi_yen),
        numbers.publications,
        _percent(numbers.interdisciplinary_publications),
        _percent(numbers.internationally_coauthored_publications),
        numbers.meetings,
        *_verdict_cells(report, lang),
    ]


def shown(measure: Measure, value: Any, lang: Lang) -> Any:
    """A value as an export shows it in ``lang``: a track by its name, yes/no as words
    (はい/いいえ); numbers and the no-verdict text as they are."""
    if isinstance(value, bool):
        return ("はい" if value else "いいえ") if lang == "ja" else ("yes" if value else "no")
    if measure.kind == "track" and value in CHOICES["track"]:
        return CHOICES["track"][value].get(lang)
    return value


def comparison_csv(reports: Sequence[AnnualReport], lang: Lang = "en") -> bytes:
    """The comparison table as UTF-8 CSV (with a byte-order mark for Excel): headers and
    labels in ``lang``, numbers without separators (a data file), shares in percent."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([measure.header.get(lang) for measure in COLUMNS])
    for row in comparison_rows(reports, lang):
        cells = [shown(measure, value, lang) for measure, value in zip(COLUMNS, row, strict=True)]
        writer.writerow(["" if v is None else neutralise(v) for v in cells])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# Excel number formats by kind; a share is stored as its fraction (0.404) and shown as 40.4%.
NUMBER_FORMATS: dict[str, str] = {
    "year": "0",
    "count": "#,##0",
    "yen": '"¥"#,##0',
    "percent": "0.0%",
    "ratio": "0.00",
}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _excel_value(measure: Measure, value: Any, lang: Lang) -> Any:
    value = shown(measure, value, lang)
    if measure.kind == "percent" and isinstance(value, Decimal):
        return float(value / 100)  # 40.4 -> 0.404: a float whose shortest text is exact
    if isinstance(value, Decimal):
        return float(value)
    return neutralise(value)


def comparison_xlsx(reports: Sequence[AnnualReport], lang: Lang = "en") -> bytes:
    """The comparison table as an Excel workbook: Japanese headers in row 1, English in row 2,
    frozen with the center and year columns, and a filter on every column; labels in
    ``lang``; yen, shares and counts with number formats."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "比較 Comparison"
    for number, measure in enumerate(COLUMNS, start=1):
        for row, text in ((1, measure.header.ja), (2, measure.header.en)):
            cell = sheet.cell(row=row, column=number, value=text)
            cell.font, cell.fill = Font(bold=True), _HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        width = 10 if measure.kind in ("count", "year") else 14 if measure.kind != "text" else 16
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.row_dimensions[1].height = sheet.row_dimensions[2].height = 45
    rows = comparison_rows(reports, lang)
    for offset, values in enumerate(rows, start=3):
        for number, (measure, value) in enumerate(zip(COLUMNS, values, strict=True), start=1):
            cell = sheet.cell(row=offset, column=number, value=_excel_value(measure, value, lang))
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif measure.kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[measure.kind]
    sheet.freeze_panes = "C3"
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(COLUMNS))}{len(rows) + 2}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
