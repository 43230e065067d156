"""Where a problem in a report file is, and the error that names it.

Every problem of an imported report is a :class:`ReportError`: the bilingual message, the
value, and a :class:`Where` — the file, the sheet (or CSV file), the row, the column and the
report field — so that a web page can show a table of problems and a CLI one line each.

Example:
    >>> where = Where("r.xlsx", sheet="名簿 Roster", row=7, column="B", field="roster[4].orcid")
    >>> error = ReportError(Bilingual(en="bad check digit", ja="チェックディジット不一致"), where, "0000")
    >>> error.localized("en")
    "r.xlsx: sheet '名簿 Roster', row 7, column B (roster[4].orcid): bad check digit (got '0000')"
    >>> error.localized("ja")
    "r.xlsx: シート「名簿 Roster」7行目B列（roster[4].orcid）: チェックディジット不一致 (入力値 '0000')"
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any, Literal

from kyoten.reports.model import json_number
from kyoten.text import PROBLEMS_MAX, Bilingual, KyotenError, KyotenErrors, Lang, printable


@dataclass(frozen=True)
class Where:
    """A place in a report file; any part may be unknown (None)."""

    source: str
    sheet: str | None = None  # a sheet of a workbook, or a file of a CSV zip
    row: int | None = None  # a spreadsheet row, or a CSV line
    column: str | None = None  # a column letter, or a CSV field name
    field: str | None = None
    kind: Literal["sheet", "file"] = "sheet"  # what ``sheet`` names

    def __post_init__(self) -> None:
        # A sheet or field name comes from the file itself: quote it safely.
        for name in ("source", "sheet", "column", "field"):
            text = getattr(self, name)
            if isinstance(text, str):
                object.__setattr__(self, name, printable(text))

    def describe(self, lang: Lang) -> str:
        """The place in words, in ``lang``."""
        if lang == "ja":
            unit = "シート" if self.kind == "sheet" else "ファイル"
            parts = [
                f"{unit}「{self.sheet}」" if self.sheet else "",
                f"{self.row}行目" if self.row else "",
                f"{self.column}列" if self.column else "",
            ]
            place = "".join(parts)
            field = f"（{self.field}）" if self.field and place else self.field or ""
        else:
            line = "row" if self.kind == "sheet" else "line"
            parts = [
                f"{self.kind} '{self.sheet}'" if self.sheet else "",
                f"{line} {self.row}" if self.row else "",
                f"column {self.column}" if self.column else "",
            ]
            place = ", ".join(part for part in parts if part)
            field = f" ({self.field})" if self.field and place else self.field or ""
        inner = f"{place}{field}"
        return f"{self.source}: {inner}" if inner else self.source


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
        text = self.message.get(lang)
        if self.has_value:
            given = "入力値" if lang == "ja" else "got"
            text = f"{text} ({given} {self.value!r})"
        return f"{self.where.describe(lang)}: {text}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record: where (source, sheet, row, column, field), value, message."""
        record: dict[str, Any] = asdict(self.where)
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
        return KyotenErrors(list(self), total=self.total)


def _json_value(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, Decimal) and value.is_finite():
        return json_number(value)
    if value is None or isinstance(value, int | float | bool):
        return value
    return printable(str(value))


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
