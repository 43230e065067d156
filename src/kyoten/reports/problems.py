"""Where a problem in a report file is, and the error that names it.

Every problem of an imported report is a :class:`ReportError`: the bilingual message, the
value, and a :class:`Where` — the file, the sheet (or CSV file), the row, the column and the
report field — so that a web page can show a table of problems and a CLI one line each.
Places are told as people count them: spreadsheet rows and CSV lines as numbered, a JSON
list's entries from 1, a column by its letter and its header in the reader's language (the
field's path, ``roster[4].orcid``, stays in the JSON records for programs). Values read as
people write them: yes/no (はい/いいえ), dates as 2024-04-01, numbers as typed.

Example:
    >>> where = Where("r.xlsx", sheet="名簿 Roster", row=7, column="B", field="roster[4].orcid")
    >>> error = ReportError(Bilingual(en="bad check digit", ja="チェックディジット不一致"), where, "0000")
    >>> error.localized("en")
    "r.xlsx: sheet '名簿 Roster', row 7, column B (ORCID iD): bad check digit (got '0000')"
    >>> error.localized("ja")
    "r.xlsx: シート「名簿 Roster」7行目B列（ORCID iD）：チェックディジット不一致（入力値 '0000'）"
    >>> Where("r.json", field="roster[1].from_abroad").describe("ja")
    'r.json: roster の2件目、from_abroad（外国からの研究者）'
    >>> ReportError(Bilingual(en="x", ja="x"), where, True).localized("ja")[-9:]
    'x（入力値 はい）'
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any, Literal

from kyoten.reports.layout import SECTIONS, Section, normalise_header
from kyoten.reports.model import exact_decimal, json_number, plain_decimal
from kyoten.text import (
    PROBLEMS_MAX,
    Bilingual,
    KyotenError,
    KyotenErrors,
    Lang,
    placed,
    printable,
)

# A field's path in a report: ``metadata.center``, ``roster[4].orcid``, ``roster[4]``, ``roster``.
_PATH = re.compile(r"(?P<section>\w+)(?:\[(?P<index>\d+)\])?(?:\.(?P<name>\w+))?")


@dataclass(frozen=True)
class Where:
    """A place in a report file; any part may be unknown (None)."""

    source: str
    sheet: str | None = None  # a sheet of a workbook, or a file of a CSV zip
    row: int | None = None  # a spreadsheet row, or a CSV line
    column: str | None = None  # a column letter, or a CSV field name
    field: str | None = None  # the field's path in the report, e.g. roster[4].orcid
    kind: Literal["sheet", "file"] = "sheet"  # what ``sheet`` names

    def __post_init__(self) -> None:
        # A sheet or field name comes from the file itself: quote it safely.
        for name in ("source", "sheet", "column", "field"):
            text = getattr(self, name)
            if isinstance(text, str):
                object.__setattr__(self, name, printable(text))

    def _path(self) -> tuple[Section | None, int | None, str | None]:
        """The section, the 0-based index in its list and the field name of ``field``."""
        found = _PATH.fullmatch(self.field or "")
        if found is None:
            return None, None, None
        index = found["index"]
        section = next((s for s in SECTIONS if s.key == found["section"]), None)
        return section, None if index is None else int(index), found["name"]

    @property
    def section(self) -> Section | None:
        """The report section the place is in, from the field's path or the sheet's name."""
        section = self._path()[0]
        if section is None and self.sheet:
            name = normalise_header(self.sheet)
            for candidate in SECTIONS:
                names = (candidate.sheet, candidate.key, candidate.csv_name)
                if name in {normalise_header(n) for n in (*names, *candidate.sheet.split(" "))}:
                    return candidate
        return section

    @property
    def item(self) -> int | None:
        """The record's number in its list, counted from 1 (a JSON list's entry)."""
        index = self._path()[1]
        return None if index is None else index + 1

    @property
    def name(self) -> str | None:
        """The field's name (``orcid``), if the place is one field."""
        return self._path()[2]

    @property
    def header(self) -> Bilingual | None:
        """The column's header in both languages, if the place is a known field."""
        section, _index, name = self._path()
        if section is None or name is None:
            return None
        try:
            return section.column(name).header
        except KeyError:  # a field the report does not have
            return None

    def describe(self, lang: Lang) -> str:
        """The place in words, in ``lang``."""
        header = self.header
        label = header.get(lang) if header else ""
        if self.sheet is None and self.field:  # JSON: the list, the entry and the field
            section, _index, name = self._path()
            head = section.key if section else self.field
            if lang == "ja":
                parts = [head, f" の{self.item}件目" if self.item else ""]
                named = f"{name}（{label}）" if label else name or ""
                inner = "".join(parts) + (f"、{named}" if named else "")
            else:
                parts = [head, f"entry {self.item}" if self.item else ""]
                named = f"{name} ({label})" if label else name or ""
                inner = ", ".join(p for p in (*parts, named) if p)
            return f"{self.source}: {inner}" if section else f"{self.source}: {self.field}"
        if lang == "ja":
            unit = "シート" if self.kind == "sheet" else "ファイル"
            column = ""
            if self.column:
                column = f"{self.column}列" if self.kind == "sheet" else f"「{self.column}」列"
            place = "".join(
                [
                    f"{unit}「{self.sheet}」" if self.sheet else "",
                    f"{self.row}行目" if self.row else "",
                    column,
                ]
            )
            inner = f"{place}（{label}）" if label and self.column else place
        else:
            line = "row" if self.kind == "sheet" else "line"
            parts = [
                f"{self.kind} '{self.sheet}'" if self.sheet else "",
                f"{line} {self.row}" if self.row else "",
                f"column {self.column}" if self.column else "",
            ]
            place = ", ".join(part for part in parts if part)
            inner = f"{place} ({label})" if label and self.column else place
        return f"{self.source}: {inner}" if inner else self.source

    def order(self) -> tuple[int, int, int]:
        """Where the place comes in a list of problems: by sheet in the workbook's order
        (file-wide problems first), then row (or entry), then column."""
        section = self.section
        rank = -1 if section is None else SECTIONS.index(section)
        column = 0
        if self.column and self.kind == "sheet" and self.column.isalpha():
            for letter in self.column.upper():
                column = column * 26 + ord(letter) - ord("A") + 1
        elif section is not None and self.column:
            fields = [c.field for c in section.columns]
            column = fields.index(self.column) + 1 if self.column in fields else len(fields) + 1
        elif section is not None and self.name:
            fields = [c.field for c in section.columns]
            column = fields.index(self.name) + 1 if self.name in fields else len(fields) + 1
        return rank, self.row or self.item or 0, column


def shown_value(value: Any, lang: Lang) -> str:
    """A value as people write it: yes/no (はい/いいえ), dates as 2024-04-01, numbers as
    typed (56, not 56.0 or Decimal('56')), text as it is.

    >>> shown_value(True, "ja"), shown_value(False, "en"), shown_value(56.0, "en")
    ('はい', 'no', '56')
    >>> shown_value(datetime.date(2024, 4, 1), "ja"), shown_value(Decimal("33.50"), "en")
    ('2024-04-01', '33.5')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        words = ("はい", "いいえ") if lang == "ja" else ("yes", "no")
        return words[0] if value else words[1]
    if isinstance(value, float | Decimal) and value == value and abs(value) != float("inf"):
        return str(plain_decimal(exact_decimal(value) if isinstance(value, float) else value))
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return printable(str(value))


class ReportError(KyotenError):
    """One problem in a report file, located by sheet, row, column and field."""

    def __init__(
        self, message: Bilingual, where: Where, value: Any = None, *, has_value: bool = True
    ) -> None:
        self.where = where
        if has_value:
            super().__init__(message, location=where.describe("en"), value=value)
        else:
            super().__init__(message, location=where.describe("en"))

    def localized(self, lang: Lang) -> str:
        """Location, message and value in ``lang``."""
        given = None
        if self.has_value:
            given = (
                repr(self.value) if isinstance(self.value, str) else shown_value(self.value, lang)
            )
        return placed(lang, self.message.get(lang), self.where.describe(lang), given)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record: where (source, sheet, row, column, field — the report's path —
        and kind), the record's number in its list counted from 1 (``item``), the column's
        header in both languages, the value and the message."""
        record: dict[str, Any] = asdict(self.where)
        header = self.where.header
        record["item"] = self.where.item
        record["header"] = header.as_dict() if header else None
        record["value"] = _json_value(self.value) if self.has_value else None
        record["message"] = self.message.as_dict()
        return record


class ProblemList(list[ReportError]):
    """The problems of a report file as its readers find them; past ``PROBLEMS_MAX`` they are
    only counted — 20,000 bad rows cost no 140,000 messages of which 200 would be listed."""

    def __init__(self, problems: Iterable[ReportError] = ()) -> None:
        super().__init__()
        self.uncounted = 0
        self.extend(problems)

    @property
    def full(self) -> bool:
        return len(self) >= PROBLEMS_MAX

    def append(self, problem: ReportError) -> None:
        if self.full:
            self.uncounted += 1
        else:
            super().append(problem)

    def extend(self, problems: Iterable[ReportError]) -> None:
        for problem in problems:
            self.append(problem)

    def __iadd__(self, problems: Iterable[ReportError]) -> ProblemList:  # type: ignore[override,misc]
        self.extend(problems)
        return self

    @property
    def total(self) -> int:
        return len(self) + self.uncounted

    def error(self) -> KyotenErrors:
        """Every problem, sorted by sheet, row and column (the order found breaks ties)."""
        problems: list[ReportError] = sorted(self, key=lambda p: p.where.order())
        return KyotenErrors(list(problems), total=self.total)


def _json_value(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, Decimal) and value.is_finite():
        return json_number(value)
    if value is None or isinstance(value, int | float | bool):
        return value
    return printable(str(value))


_WHERE_FIELDS = ("source", "sheet", "row", "column", "field", "kind")


def problem_cells(record: Mapping[str, Any], lang: Lang) -> dict[str, str]:
    """A problem record (see :func:`error_records`) as the cells of a table row in ``lang``:
    the sheet, CSV file or JSON list; the row (a JSON list's entry); the column; the item
    (the column's header); the value as people write it; the message.

    >>> record = {"source": "r.json", "sheet": None, "row": None, "column": None,
    ...           "field": "roster[1].is_pi", "kind": "sheet", "value": True,
    ...           "message": {"ja": "…", "en": "…"}}
    >>> problem_cells(record, "ja")
    {'place': 'roster', 'row': '2件目', 'column': 'is_pi', 'item': '主任研究者', 'value': 'はい', 'message': '…'}
    """
    cells = {"place": str(record.get("source") or ""), "row": "", "column": "", "item": ""}
    if all(name in record for name in _WHERE_FIELDS):
        where = Where(**{name: record[name] for name in _WHERE_FIELDS})
        header = where.header
        section = where.section
        if where.sheet:
            cells["place"] = where.sheet
        elif section is not None:
            cells["place"] = section.key
        if where.row:
            cells["row"] = str(where.row)
        elif where.item:
            cells["row"] = f"{where.item}件目" if lang == "ja" else f"entry {where.item}"
        cells["column"] = where.column or (where.name if where.sheet is None else None) or ""
        cells["item"] = header.get(lang) if header else ""
        if section is None and where.sheet is None and where.field:  # an unknown JSON key
            cells["item"] = where.field
    cells["value"] = shown_value(record.get("value"), lang)
    cells["message"] = record["message"][lang]
    return cells


def error_records(error: KyotenError) -> list[dict[str, Any]]:
    """Every problem of ``error`` (one or many) as JSON-ready records."""
    problems = getattr(error, "problems", [error])
    records = []
    for problem in problems:
        if isinstance(problem, ReportError):
            records.append(problem.to_dict())
        else:
            records.append(
                {
                    "source": problem.location,
                    "value": _json_value(problem.value) if problem.has_value else None,
                    "message": problem.message.as_dict(),
                }
            )
    return records
