"""The Excel template: written for a center and fiscal year, read back into a raw report.

Layout (see docs/reports.md): an instructions sheet first, then one sheet per section. The
center sheet is a form — Japanese item, English item, value. Every other sheet is a table:
Japanese headers in row 1, English headers in row 2, one record per row from row 3, empty
rows skipped. Choice and yes/no columns carry drop-down lists (data validation). Text is
always written as text, so a name beginning with ``=`` never becomes a formula.

Reading refuses what a template cannot hold: a missing or renamed sheet or column, merged
cells, formula errors (``#VALUE!``), more rows than the limit. A cell formatted as a
percentage in the effort column (``80%``, stored as 0.8) is read as 80. Numbers are read as
exact decimals (see :func:`~kyoten.reports.model.exact_decimal`): 56% is 56, never
56.00000000000001.

Example:
    >>> from kyoten.reports.reading import assemble
    >>> data = template_workbook("X", 2024, track="wpi", selection_fiscal_year=2022)
    >>> raw = read_workbook(data, "t.xlsx")
    >>> raw.metadata.values["fiscal_year"], raw.tables["roster"]
    (2024, [])
"""

from __future__ import annotations

import datetime
import io
import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import openpyxl  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

from kyoten.fiscal import fiscal_year_end, fiscal_year_start, format_fiscal_year
from kyoten.reports.layout import (
    FIRST_DATA_ROW,
    INSTRUCTIONS_SHEET,
    METADATA,
    SECTIONS,
    TABLES,
    Column,
    Section,
    normalise_header,
)
from kyoten.reports.limits import ReportLimits
from kyoten.reports.model import (
    CHOICES,
    AnnualReport,
    Track,
    exact_decimal,
    json_number,
    section_rows,
)
from kyoten.reports.problems import ReportError, Where
from kyoten.reports.reading import RawReport, RawRow
from kyoten.text import Bilingual, KyotenError, Lang, aside, colon, listed, printable

# Rows below the headers that get drop-down lists in a template.
LIST_ROWS = 1000
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_DATE_FORMAT = "yyyy-mm-dd"
_DATE_FIELDS = {"start_date", "end_date", "date"}


# --- writing ---------------------------------------------------------------------------


def choice_labels(column: Column, lang: Lang) -> list[str]:
    """The drop-down list of a choice or yes/no column, in ``lang`` (the reader also takes
    the other language's labels and the codes).

    >>> from kyoten.reports.layout import section
    >>> choice_labels(section("roster").column("category"), "ja")[:3]
    ['主任研究者', '研究者', 'ポスドク']
    >>> choice_labels(section("roster").column("is_pi"), "ja")
    ['はい', 'いいえ']
    """
    if column.choices == "yes_no":
        return ["はい", "いいえ"] if lang == "ja" else ["yes", "no"]
    if column.choices is None:
        return []
    return [label.get(lang) for label in CHOICES[column.choices].values()]


def what_to_enter(column: Column, lang: Lang) -> str:
    """What a column takes, as the Instructions sheet says it: a choice column's list in
    ``lang``, then the column's note.

    >>> from kyoten.reports.layout import section
    >>> what_to_enter(section("roster").column("international_recruitment"), "en")
    'pick from the list: yes, no (postdocs only)'
    >>> what_to_enter(section("roster").column("international_recruitment"), "ja")
    '一覧から選択：はい、いいえ（ポスドクのみ）'
    """
    labels = choice_labels(column, lang)
    note = column.note.get(lang)
    if not labels:
        return note
    pick = "一覧から選択" if lang == "ja" else "pick from the list"
    text = pick + colon(lang) + listed(lang, labels)
    return text + aside(lang, note) if note else text


def _cell_value(value: Any, column: Column | None, lang: Lang) -> Any:
    """A model value as the template shows it in ``lang``: a code by its label, yes/no
    (はい/いいえ) for booleans, dates as dates, exact decimals as numbers; text stored before
    control characters were refused is written with them escaped (a workbook cannot hold
    them)."""
    if isinstance(value, bool):
        return choice_labels(_YES_NO, lang)[0 if value else 1]
    if column is not None and column.choices in CHOICES and value in CHOICES[column.choices]:
        return CHOICES[column.choices][value].get(lang)
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, Decimal):
        return json_number(value)  # the cell's double reads back as the same decimal
    return value


_YES_NO = Column("yes_no", Bilingual(en="", ja=""), Bilingual(en="", ja=""), "yes_no")


def _put(sheet: Any, row: int, column: int, value: Any) -> Any:
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(cell.value, str):
        cell.data_type = "s"  # text stays text: "=…" is never a formula
    elif isinstance(cell.value, datetime.date):
        cell.number_format = _DATE_FORMAT
    return cell


def _add_list(sheet: Any, column: Column, cells: str, lang: Lang) -> None:
    labels = choice_labels(column, lang)
    if not labels:
        return
    validation = DataValidation(type="list", formula1=f'"{",".join(labels)}"', allow_blank=True)
    validation.error = what_to_enter(column, lang)
    validation.errorTitle = column.header.get(lang)
    validation.showErrorMessage = True
    sheet.add_data_validation(validation)
    validation.add(cells)


@dataclass(frozen=True)
class Prefill:
    """Where a template's pre-filled values come from, for its Instructions sheet."""

    registry: bool = False  # the center's details and institutions, from the registry
    previous_year: int | None = None  # last year's report, whose roster is carried over
    previous_is_sample: bool = False  # ... generated sample data, not a real report


def _instruction_lines(
    center: str, fiscal_year: int, lang: Lang, prefill: Prefill
) -> list[tuple[str, bool]]:
    """The Instructions sheet's lines in ``lang``, each with whether it is a warning."""
    start, end = fiscal_year_start(fiscal_year), fiscal_year_end(fiscal_year)
    previous = prefill.previous_year
    if lang == "ja":
        year = f"{format_fiscal_year(fiscal_year, 'wareki')}（{format_fiscal_year(fiscal_year, 'nendo')}）"
        lines = [
            (f"WPI 拠点 年次進捗報告 — {center} — {year}", False),
            (f"{end} 時点の状況を記入してください（年度：{start}〜{end}）。", False),
            (
                "シート名と見出し（1行目 日本語、2行目 英語）は変更しないでください。"
                "データは3行目から入力します。",
                False,
            ),
            (
                "セルを結合しないでください。金額は円単位で入力します（7億円、280000000 など）。",
                False,
            ),
            (
                "選択欄はドロップダウンの一覧から選んでください"
                "（英語の表記やコードで入力しても読み取れます）。",
                False,
            ),
            (
                "名簿：1人・1拠点の場所・1期間ごとに1行。年度中に離任した人も離任日を入れて"
                "記載してください。エフォートは 80 または 80% のように入力します。",
                False,
            ),
            (".xlsx 形式で保存してください（.xls・.xlsm は不可）。", False),
        ]
        if prefill.registry:
            lines.append(
                (
                    f"拠点名・ホスト機関・拠点長・連携機関等は、{end} 時点の拠点登録情報から記入しています。"
                    "変更があれば直してください。",
                    False,
                )
            )
        if previous is not None and prefill.previous_is_sample:
            lines.append(
                (
                    f"注意：前年度の実際の報告がないため、名簿は{previous}年度のサンプルデータ"
                    "（説明用に生成した架空の人物）から作成しています。実際の構成員に置き換えてください。",
                    True,
                )
            )
        elif previous is not None:
            lines.append(
                (
                    f"名簿・指摘事項への対応等は{previous}年度の報告（受理済み）から引き継いでいます。"
                    f"{start} より前に離任した人は除いています。",
                    False,
                )
            )
        else:
            lines.append(("前年度の報告がないため、名簿は空欄です。", False))
        return lines
    year = f"{format_fiscal_year(fiscal_year)} ({format_fiscal_year(fiscal_year, 'wareki')})"
    lines = [
        (f"WPI annual progress report — {center} — {year}", False),
        (f"Report the situation as of {end} (fiscal year {start} to {end}).", False),
        (
            "Do not rename sheets or headers (row 1 Japanese, row 2 English); data starts in "
            "row 3.",
            False,
        ),
        ("Do not merge cells. Amounts in whole yen (7億円, 280000000, …).", False),
        (
            "Pick coded columns from the drop-down list (Japanese labels and codes are read too).",
            False,
        ),
        (
            "Roster: one row per person, site and period; include those who left during the "
            "year, with their end date. Effort as 80 or 80%.",
            False,
        ),
        ("Save as .xlsx (not .xls or .xlsm).", False),
    ]
    if prefill.registry:
        lines.append(
            (
                f"The center's name, host institution, director and partner institutions are "
                f"filled in from the registry as of {end}; correct what has changed.",
                False,
            )
        )
    if previous is not None and prefill.previous_is_sample:
        lines.append(
            (
                f"Note: there is no real report of last year, so the roster is taken from the "
                f"FY{previous} sample data (made-up people, generated for demonstration). "
                "Replace it with the center's real members.",
                True,
            )
        )
    elif previous is not None:
        lines.append(
            (
                f"The roster and the follow-up are carried over from the FY{previous} report "
                f"(accepted); people who left before {start} are left out.",
                False,
            )
        )
    else:
        lines.append(("There is no report of last year: the roster starts empty.", False))
    return lines


_WARNING_FILL = PatternFill("solid", fgColor="FFF4D6")


def _instructions(book: Any, center: str, fiscal_year: int, lang: Lang, prefill: Prefill) -> None:
    sheet = book.create_sheet(INSTRUCTIONS_SHEET)
    lines = _instruction_lines(center, fiscal_year, lang, prefill)
    for number, (line, warning) in enumerate(lines, start=1):
        cell = _put(sheet, number, 1, line)
        if warning:  # set apart across the sheet's columns
            cell.font = Font(bold=True)
            for letter in "ABCDE":
                sheet[f"{letter}{number}"].fill = _WARNING_FILL
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    row = len(lines) + 2
    headings = (
        ["シート", "見出し（日本語）", "見出し（英語）", "必須", "記入内容"]
        if lang == "ja"
        else ["Sheet", "Header (Japanese)", "Header (English)", "Required", "What to enter"]
    )
    for number, text in enumerate(headings, start=1):
        cell = sheet.cell(row=row, column=number, value=text)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for section in SECTIONS:
        for column in section.columns:
            row += 1
            values = [
                section.sheet,
                column.header.ja,
                column.header.en,
                "○" if column.required else "",
                what_to_enter(column, lang),
            ]
            for number, value in enumerate(values, start=1):
                _put(sheet, row, number, value)
    for letter, width in zip("ABCDE", (22, 26, 30, 8, 70), strict=True):
        sheet.column_dimensions[letter].width = width


def _metadata_sheet(book: Any, values: dict[str, Any], lang: Lang) -> None:
    sheet = book.create_sheet(METADATA.sheet)
    for number, text in enumerate(("項目", "Item", "値 Value"), start=1):
        cell = sheet.cell(row=1, column=number, value=text)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for row, column in enumerate(METADATA.columns, start=2):
        _put(sheet, row, 1, column.header.ja + (" *" if column.required else ""))
        _put(sheet, row, 2, column.header.en + (" *" if column.required else ""))
        value = _put(sheet, row, 3, _cell_value(values.get(column.field), column, lang))
        value.alignment = Alignment(horizontal="left")  # a year reads like the text beside it
        _add_list(sheet, column, f"C{row}", lang)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 30
    sheet.column_dimensions["C"].width = 44


def _lines(text: str, width: int) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (a Japanese
    character takes two)."""
    units = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return max(1, math.ceil(units / max(width - 1, 1)))


def _table_sheet(book: Any, section: Section, rows: list[dict[str, Any]], lang: Lang) -> None:
    sheet = book.create_sheet(section.sheet)
    for row, header in ((1, "ja"), (2, "en")):  # tall enough for the wrapped headers
        texts = [(getattr(c.header, header) + " *", c.width) for c in section.columns]
        sheet.row_dimensions[row].height = 15 * max(_lines(text, w) for text, w in texts)
    for number, column in enumerate(section.columns, start=1):
        mark = " *" if column.required else ""
        for row, text in ((1, column.header.ja), (2, column.header.en)):
            cell = sheet.cell(row=row, column=number, value=text + mark)
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = column.width
        last = FIRST_DATA_ROW + max(LIST_ROWS, len(rows) + 100) - 1
        _add_list(sheet, column, f"{letter}{FIRST_DATA_ROW}:{letter}{last}", lang)
        if column.field in _DATE_FIELDS:
            for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(rows) + 100):
                sheet.cell(row=row, column=number).number_format = _DATE_FORMAT
    for offset, record in enumerate(rows):
        for number, column in enumerate(section.columns, start=1):
            value = _cell_value(record.get(column.field), column, lang)
            _put(sheet, FIRST_DATA_ROW + offset, number, value)
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"


def _workbook(
    center: str,
    fiscal_year: int,
    metadata: dict[str, Any],
    tables: dict[str, list[dict[str, Any]]],
    lang: Lang,
    prefill: Prefill,
) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    _instructions(book, center, fiscal_year, lang, prefill)
    _metadata_sheet(book, metadata, lang)
    for section in TABLES:
        _table_sheet(book, section, tables.get(section.key, []), lang)
    for sheet in book.worksheets:  # printed landscape, one page wide
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    book.active = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Details a template takes from the registry rather than from last year's report.
REGISTRY_DETAILS = (
    "center_name",
    "host_institution",
    "center_director",
    "track",
    "selection_fiscal_year",
    "stage_gate_passed_fiscal_year",
    "extension_granted",
)


def template_workbook(
    center: str,
    fiscal_year: int,
    previous: AnnualReport | None = None,
    *,
    track: Track | None = None,
    selection_fiscal_year: int | None = None,
    details: Mapping[str, Any] | None = None,
    institutions: Sequence[Mapping[str, Any]] | None = None,
    open_points: Sequence[Mapping[str, str]] = (),
    lang: Lang = "en",
) -> bytes:
    """An empty template for ``center`` and ``fiscal_year``, as .xlsx bytes in ``lang`` (its
    instructions, drop-down lists and pre-filled codes; headers are in both languages).

    With ``previous`` (last year's report), the roster of everyone still at the center on
    1 April of ``fiscal_year`` is filled in, and from a real report also its other center
    details, institutions and the recommendations not yet done; a sample (``is_sample``)
    gives the roster only, and the Instructions sheet says so. ``details`` (the registry's,
    see ``REGISTRY_DETAILS``) and ``institutions`` (``name``, ``country``, ``role``, …)
    replace those of last year; ``track`` and ``selection_fiscal_year`` override the
    details. ``open_points`` (``recommendation_id``, ``recommendation``, ``evaluation``) are
    the committee's points still open, filled into the Follow-up sheet with their ids for the
    center to answer (a point carried from last year under the same id is not repeated).
    """
    metadata: dict[str, Any] = {"center": center, "fiscal_year": fiscal_year}
    tables: dict[str, list[dict[str, Any]]] = {}
    real = previous is not None and not previous.metadata.is_sample
    if previous is not None:
        _check_previous(previous, center, fiscal_year)
        start = fiscal_year_start(fiscal_year)
        tables["roster"] = [
            row.model_dump()
            for row in previous.roster
            if row.end_date is None or row.end_date >= start
        ]
    if previous is not None and real:
        carried = previous.metadata.model_dump(exclude={"fiscal_year", "is_sample"})
        metadata.update({k: v for k, v in carried.items() if v is not None})
        metadata["center"] = center
        tables["institutions"] = [row.model_dump() for row in previous.institutions]
        ids = {point["recommendation_id"] for point in open_points}
        tables["follow_up"] = [
            row.model_dump()
            for row in previous.follow_up
            if row.status != "done" and row.recommendation_id not in ids
        ]
    tables.setdefault("follow_up", []).extend(dict(point) for point in open_points)
    metadata.update({k: v for k, v in (details or {}).items() if v is not None})
    if institutions is not None:
        tables["institutions"] = [dict(row) for row in institutions]
    if track is not None:
        metadata["track"] = track
    if selection_fiscal_year is not None:
        metadata["selection_fiscal_year"] = selection_fiscal_year
    prefill = Prefill(
        registry=details is not None,
        previous_year=None if previous is None else previous.metadata.fiscal_year,
        previous_is_sample=previous is not None and not real,
    )
    return _workbook(center, fiscal_year, metadata, tables, lang, prefill)


def _check_previous(previous: AnnualReport, center: str, fiscal_year: int) -> None:
    """Last year's report must be this center's, and for an earlier year."""
    meta = previous.metadata
    if meta.center != center:
        raise KyotenError(
            Bilingual(
                en=f"the previous report is for center '{meta.center}', not '{center}'",
                ja=f"前年度の報告は拠点「{meta.center}」のものです（「{center}」ではありません）",
            ),
            location="previous",
            value=meta.center,
        )
    if meta.fiscal_year >= fiscal_year:
        raise KyotenError(
            Bilingual(
                en=f"the previous report is for FY{meta.fiscal_year}; give a report of a year before FY{fiscal_year}",
                ja=f"前年度の報告が{meta.fiscal_year}年度のものです。{fiscal_year}年度より前の報告を指定してください",
            ),
            location="previous",
            value=meta.fiscal_year,
        )


def report_workbook(report: AnnualReport, lang: Lang = "en") -> bytes:
    """A complete report as a filled-in template (.xlsx bytes, codes as labels in ``lang``);
    reading it gives it back."""
    rows = section_rows(report)
    tables = {key: [row.model_dump() for row in models] for key, models in rows.items()}
    meta = report.metadata
    return _workbook(meta.center, meta.fiscal_year, meta.model_dump(), tables, lang, Prefill())


# --- reading ---------------------------------------------------------------------------


def _text_of(value: Any) -> str:
    return "" if value is None else str(value).strip().removesuffix("*").strip()


def _find_sheet(book: Any, section: Section) -> Any:
    wanted = {
        normalise_header(section.sheet),
        *(normalise_header(p) for p in section.sheet.split(" ")),
    }
    wanted.add(normalise_header(section.key))
    for sheet in book.worksheets:
        if normalise_header(sheet.title) in wanted:
            return sheet
    return None


def _problem(
    where: Where, en: str, ja: str, value: Any = None, *, has_value: bool = False
) -> ReportError:
    return ReportError(Bilingual(en=en, ja=ja), where, value, has_value=has_value)


def _merged(name: str, sheet: Any) -> list[ReportError]:
    problems = []
    for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        where = Where(name, sheet.title, merged.min_row, get_column_letter(merged.min_col))
        problems.append(
            _problem(
                where,
                f"merged cells {merged.coord} are not allowed; unmerge them and give each cell its own value",
                f"結合セル {merged.coord} は使えません。結合を解除し、各セルに値を入力してください",
            )
        )
    return problems


def _cell(
    name: str, sheet: Any, row: int, column: int, field: str, problems: list[ReportError], path: str
) -> tuple[Any, Where]:
    cell = sheet.cell(row=row, column=column)
    where = Where(name, sheet.title, row, get_column_letter(column), path)
    value = cell.value
    if cell.data_type == "e":
        problems.append(
            _problem(
                where,
                "the cell holds a formula error; enter a value",
                "セルが数式エラーになっています。値を入力してください",
                value,
                has_value=True,
            )
        )
        return None, where
    if isinstance(value, float):
        value = exact_decimal(value)  # no binary floating point past the cell (see there)
    if (
        field == "effort_percent"
        and isinstance(value, int | Decimal)
        and not isinstance(value, bool)
        and "%" in str(cell.number_format)
    ):
        value = value * 100  # a percentage cell holds 56% as 0.56: exactly 56.00
    return value, where


# The center sheet holds a few dozen items; rows past this are not read.
METADATA_ROWS_MAX = 200


def _read_metadata(name: str, sheet: Any, raw: RawReport) -> None:
    values: dict[str, Any] = {}
    cells: dict[str, Where] = {}
    if sheet.max_row > METADATA_ROWS_MAX:
        raw.problems.append(
            _problem(
                Where(name, sheet.title, METADATA_ROWS_MAX + 1),
                f"unexpected cells below row {METADATA_ROWS_MAX}; keep the items of the template as they are",
                f"{METADATA_ROWS_MAX}行目より下に想定外のセルがあります。テンプレートの項目のままにしてください",
            )
        )
    for row in range(2, min(sheet.max_row, METADATA_ROWS_MAX) + 1):
        labels = [_text_of(sheet.cell(row=row, column=c).value) for c in (1, 2)]
        if not any(labels):
            continue
        column = next((c for c in METADATA.columns if any(c.matches(t) for t in labels if t)), None)
        if column is None:
            raw.problems.append(
                _problem(
                    Where(name, sheet.title, row, "A"),
                    "unknown item; keep the items of the template as they are",
                    "不明な項目です。テンプレートの項目名を変更しないでください",
                    " / ".join(t for t in labels if t),
                    has_value=True,
                )
            )
            continue
        if column.field in values:
            raw.problems.append(
                _problem(
                    Where(name, sheet.title, row, "A"),
                    f"the item '{column.header.en}' appears twice",
                    f"項目「{column.header.ja}」が2回あります",
                )
            )
            continue
        path = f"metadata.{column.field}"
        values[column.field], cells[column.field] = _cell(
            name, sheet, row, 3, column.field, raw.problems, path
        )
    raw.metadata = RawRow(values, cells, Where(name, sheet.title, field="metadata"))


def _read_table(
    name: str, sheet: Any, section: Section, raw: RawReport, limits: ReportLimits
) -> None:
    found: dict[str, int] = {}
    header_ok = True
    for number in range(1, sheet.max_column + 1):
        texts = [_text_of(sheet.cell(row=r, column=number).value) for r in (1, 2)]
        if not any(texts):
            continue
        column = next((c for c in section.columns if any(c.matches(t) for t in texts if t)), None)
        where = Where(name, sheet.title, 1, get_column_letter(number))
        if column is None:
            header_ok = False
            expected = ", ".join(c.header.en for c in section.columns)
            raw.problems.append(
                _problem(
                    where,
                    f"unknown column; keep the template's headers ({expected})",
                    f"不明な列です。テンプレートの見出し（{'、'.join(c.header.ja for c in section.columns)}）を変更しないでください",
                    " / ".join(t for t in texts if t),
                    has_value=True,
                )
            )
        elif column.field in found:
            header_ok = False
            raw.problems.append(
                _problem(
                    where,
                    f"the column '{column.header.en}' appears twice",
                    f"列「{column.header.ja}」が2回あります",
                )
            )
        elif any(t and not column.matches(t) for t in texts):
            # e.g. a header row deleted, so that a record sits where a header belongs
            header_ok = False
            row = 1 if texts[0] and not column.matches(texts[0]) else 2
            raw.problems.append(
                _problem(
                    Where(name, sheet.title, row, get_column_letter(number)),
                    f"rows 1 and 2 hold the headers ({column.header.ja} / {column.header.en}); data starts in row {FIRST_DATA_ROW}",
                    f"1行目と2行目は見出し（{column.header.ja} / {column.header.en}）です。データは{FIRST_DATA_ROW}行目から入力してください",
                    texts[row - 1],
                    has_value=True,
                )
            )
        else:
            found[column.field] = number
    for column in section.columns:
        if column.field not in found:
            header_ok = False
            raw.problems.append(
                _problem(
                    Where(name, sheet.title, 1),
                    f"the column '{column.header.en}' ({column.header.ja}) is missing; restore it from the template",
                    f"列「{column.header.ja}」（{column.header.en}）がありません。テンプレートから復元してください",
                )
            )
    if not header_ok:
        return  # rows cannot be read reliably; the header problems say why
    rows: list[RawRow] = []
    # Never walk further than the limit allows: a tiny file with one value in row 1,048,576
    # would otherwise make openpyxl build a million empty cells.
    last = min(sheet.max_row, FIRST_DATA_ROW + limits.rows_max)
    for row in range(FIRST_DATA_ROW, last + 2):
        beyond = row > last
        if not beyond and all(
            _text_of(sheet.cell(row=row, column=n).value) == "" for n in found.values()
        ):
            continue
        if beyond and sheet.max_row <= last:
            break
        if len(rows) >= limits.rows_max or beyond:
            message = limits.too_many_rows(Bilingual(en="one sheet", ja="1シート"))
            raw.problems.append(_problem(Where(name, sheet.title, row), message.en, message.ja))
            break
        path = f"{section.key}[{len(rows)}]"
        values: dict[str, Any] = {}
        cells: dict[str, Where] = {}
        for field, number in found.items():
            values[field], cells[field] = _cell(
                name, sheet, row, number, field, raw.problems, f"{path}.{field}"
            )
        rows.append(RawRow(values, cells, Where(name, sheet.title, row, field=path)))
    raw.tables[section.key] = rows


def read_workbook(data: bytes, name: str, limits: ReportLimits | None = None) -> RawReport:
    """Read a filled-in template (.xlsx bytes, already checked by ``file_kind``)."""
    limits = limits or ReportLimits()
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        raise KyotenError(
            Bilingual(
                en=f"the workbook cannot be read ({type(error).__name__}); open it in Excel and save it again as .xlsx",
                ja=f"ブックを読み込めません（{type(error).__name__}）。Excel で開き .xlsx で保存し直してください",
            ),
            location=name,
        ) from None
    raw = RawReport(name)
    titles = ", ".join(f"'{s.title}'" for s in book.worksheets)
    for section in SECTIONS:
        sheet = _find_sheet(book, section)
        if sheet is None:
            raw.problems.append(
                _problem(
                    Where(name, section.sheet),
                    f"the sheet is missing or renamed (the workbook has {titles}); keep the template's sheet names",
                    f"シートがないか名前が変更されています（ブック内：{titles}）。テンプレートのシート名を変更しないでください",
                )
            )
            continue
        raw.places[section.key] = Where(name, sheet.title)
        raw.problems += _merged(name, sheet)
        if section.form:
            _read_metadata(name, sheet, raw)
        else:
            _read_table(name, sheet, section, raw, limits)
    return raw
