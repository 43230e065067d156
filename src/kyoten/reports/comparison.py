"""A comparison table of many reports (one row per center and year), to Excel or CSV.

Every text cell that a spreadsheet would read as a formula is neutralised
(:mod:`kyoten.reports.formulas`). Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import openpyxl  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from kyoten.reports.formulas import neutralise
from kyoten.reports.indicators import indicators, report_verdict
from kyoten.reports.model import AnnualReport
from kyoten.text import Bilingual, KyotenError, Lang

COLUMNS: tuple[Bilingual, ...] = (
    Bilingual(en="Center", ja="拠点"),
    Bilingual(en="Fiscal year", ja="年度"),
    Bilingual(en="Track", ja="区分"),
    Bilingual(en="Sample data", ja="サンプル"),
    Bilingual(en="PIs", ja="PI数"),
    Bilingual(en="Researchers", ja="研究者数"),
    Bilingual(en="Total staff", ja="総勢"),
    Bilingual(en="Researchers from abroad (%)", ja="外国からの研究者の割合（%）"),
    Bilingual(en="Women among researchers (%)", ja="女性研究者の割合（%）"),
    Bilingual(
        en="Postdocs by international recruitment (%)", ja="国際公募によるポスドクの割合（%）"
    ),
    Bilingual(en="People over 100% effort", ja="エフォート超過者数"),
    Bilingual(en="WPI grant (yen)", ja="WPI補助金（円）"),
    Bilingual(en="Other funding (yen)", ja="WPI以外の資金（円）"),
    Bilingual(en="Other funding per yen of WPI grant", ja="WPI補助金1円あたりの他資金"),
    Bilingual(en="Publications", ja="論文数"),
    Bilingual(en="Interdisciplinary publications (%)", ja="学際的論文の割合（%）"),
    Bilingual(en="Internationally co-authored (%)", ja="国際共著論文の割合（%）"),
    Bilingual(en="International meetings", ja="国際会議数"),
    Bilingual(en="Every requirement met", ja="全要件充足"),
    Bilingual(en="Requirements not met", ja="未充足の要件数"),
)


NO_VERDICT = Bilingual(en="no verdict", ja="判定不能")


def _verdict_cells(report: AnnualReport, lang: Lang) -> list[Any]:
    """The last two columns; a report the rulebook cannot judge (e.g. a selection year with
    no era) is marked in the first, so that one report never takes the table down."""
    try:
        verdict = report_verdict(report)
    except KyotenError as error:
        return [f"{NO_VERDICT.get(lang)}: {error.message.get(lang)}", None]
    return ["yes" if verdict.all_met else "no", verdict.counts()["not_met"]]


def comparison_rows(reports: Sequence[AnnualReport], lang: Lang = "en") -> list[list[Any]]:
    """One row of values per report, in the order of ``COLUMNS``, sorted by center and year."""
    rows = []
    for report in sorted(reports, key=lambda r: (r.metadata.center, r.metadata.fiscal_year)):
        numbers = indicators(report)
        ratio = numbers.non_wpi_per_wpi_yen
        rows.append(
            [
                report.metadata.center,
                report.metadata.fiscal_year,
                report.metadata.track,
                "yes" if report.metadata.is_sample else "no",
                numbers.pis,
                numbers.researchers,
                numbers.total_staff,
                numbers.researchers_from_abroad.percent(),
                numbers.women_researchers.percent(),
                numbers.postdocs_international.percent(),
                len(numbers.overcommitted),
                numbers.wpi_grant,
                numbers.non_wpi_funding,
                None if ratio is None else round(float(ratio), 4),
                numbers.publications,
                numbers.interdisciplinary_publications.percent(),
                numbers.internationally_coauthored_publications.percent(),
                numbers.meetings,
                *_verdict_cells(report, lang),
            ]
        )
    return rows


def comparison_csv(reports: Sequence[AnnualReport], lang: Lang = "en") -> bytes:
    """The comparison table as UTF-8 CSV (with a byte-order mark for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.get(lang) for column in COLUMNS])
    for row in comparison_rows(reports, lang):
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def comparison_xlsx(reports: Sequence[AnnualReport], lang: Lang = "en") -> bytes:
    """The comparison table as an Excel workbook: Japanese headers in row 1, English in row 2
    (a report with no verdict is explained in ``lang``)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "比較 Comparison"
    for number, column in enumerate(COLUMNS, start=1):
        for row, text in ((1, column.ja), (2, column.en)):
            sheet.cell(row=row, column=number, value=text).font = Font(bold=True)
        # wide enough for the longer header (a Japanese character takes two widths)
        width = max(2 * len(column.ja), len(column.en)) + 2
        sheet.column_dimensions[get_column_letter(number)].width = min(max(width, 12), 40)
    for offset, values in enumerate(comparison_rows(reports, lang), start=3):
        for number, value in enumerate(values, start=1):
            cell = sheet.cell(row=offset, column=number, value=neutralise(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "B3"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
