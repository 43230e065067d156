"""From raw rows (cells of a sheet, CSV lines, JSON objects) to a report, or every problem.

Each reader (Excel, CSV, JSON) turns its file into a :class:`RawReport`: for each section,
rows of raw values keyed by field, each value with the place it came from. :func:`assemble`
validates every row, runs the checks across rows, and returns a complete
:class:`~kyoten.reports.model.AnnualReport` — or raises one
:class:`~kyoten.text.KyotenErrors` listing every problem, each a
:class:`~kyoten.reports.problems.ReportError` naming sheet, row, column, value and why.
Checks that need the fiscal year run once the center's details are valid.

Example:
    >>> report = report_from_data({
    ...     "metadata": {"center": "X", "fiscal_year": "令和6年度", "track": "wpi",
    ...                  "selection_fiscal_year": 2022},
    ...     "roster": [{"name": "A", "category": "pi", "is_pi": True, "from_abroad": False,
    ...                 "gender": "female", "effort_percent": 90, "site": "main",
    ...                 "start_date": "2022-10-01"}]}, "r.json")
    >>> report.metadata.fiscal_year, report.roster[0].start_date.year
    (2024, 2022)
    >>> report_from_data({"metadata": {}, "roster": []}, "r.json")
    Traceback (most recent call last):
    ...
    kyoten.text.KyotenErrors: r.json: metadata, center (Center): this field is required
    r.json: metadata, fiscal_year (Fiscal year): this field is required
    r.json: metadata, track (Track): this field is required
    r.json: metadata, selection_fiscal_year (Selection fiscal year): this field is required
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel, ValidationError

from kyoten.reports.consistency import consistency_issues
from kyoten.reports.layout import SECTIONS, TABLES
from kyoten.reports.limits import ReportLimits
from kyoten.reports.model import AnnualReport, ReportMetadata
from kyoten.reports.problems import ProblemList, ReportError, Where
from kyoten.text import Bilingual
from kyoten.validation import errors_from_validation, expected_message


@dataclass
class RawRow:
    """One record as read: raw values by field, where each came from, where the row is."""

    values: dict[str, Any]
    cells: dict[str, Where]
    where: Where


@dataclass
class RawReport:
    """A report file as read, before validation, with the problems found while reading."""

    source: str
    metadata: RawRow | None = None
    tables: dict[str, list[RawRow]] = field(default_factory=dict)
    places: dict[str, Where] = field(default_factory=dict)
    problems: ProblemList = field(default_factory=ProblemList)

    def place(self, section: str) -> Where:
        """Where a whole section is (its sheet or file)."""
        return self.places.get(section, Where(self.source, field=section))


_UNKNOWN_FIELD = Bilingual(
    en="unknown field (check the spelling against `kyoten report schema`)",
    ja="不明な項目です（`kyoten report schema` で綴りを確認してください）",
)


def _validate(model: type[BaseModel], row: RawRow, problems: ProblemList) -> BaseModel | None:
    # A blank cell is no value: a required field reports "required", others take their default.
    given = {
        k: v
        for k, v in row.values.items()
        if v is not None and not (isinstance(v, str) and not v.strip())
    }
    try:
        return model.model_validate(given)
    except ValidationError as error:
        if problems.full:  # only counted: no message would be shown
            problems.uncounted += error.error_count()
            return None
        for detail in error.errors():
            name = str(detail["loc"][0]) if detail["loc"] else None
            where = row.where
            if name is not None:
                default = replace(row.where, field=f"{row.where.field}.{name}")
                where = row.cells.get(name, default)
            if detail["type"] == "extra_forbidden":
                problems.append(ReportError(_UNKNOWN_FIELD, where, has_value=False))
            elif detail["type"] == "missing":
                problems.append(ReportError(expected_message(detail), where, has_value=False))
            else:
                # the value as given, not as a validator turned it (JAPAN for Japan)
                given = row.values.get(name, detail.get("input")) if name else detail.get("input")
                problems.append(ReportError(expected_message(detail), where, given))
        return None


Expected = Mapping[str, object]


def assemble(raw: RawReport, *, expected: Expected | None = None) -> AnnualReport:
    """Validate a raw report: a complete report, or KyotenErrors with every problem.

    ``expected`` holds center details the report must state as they are (the registry's:
    ``center``, ``fiscal_year``, ``track``, ``selection_fiscal_year``); a report that says
    otherwise has a problem located at that item — an upload to the wrong place, or details
    that would make the rulebook judge the center under another track or era.
    """
    problems = raw.problems
    metadata = None
    if raw.metadata is not None:
        validated = _validate(ReportMetadata, raw.metadata, problems)
        metadata = validated if isinstance(validated, ReportMetadata) else None
    if metadata is not None and raw.metadata is not None:
        for item, wanted in (expected or {}).items():
            actual = getattr(metadata, item)
            if wanted != actual:
                problems.append(
                    ReportError(
                        Bilingual(
                            en=f"this report is expected for {wanted}",
                            ja=f"この報告は {wanted} のものである必要があります",
                        ),
                        raw.metadata.cells.get(item, raw.metadata.where),
                        actual,
                    )
                )
    valid: dict[str, list[tuple[BaseModel, RawRow]]] = {}
    for table in TABLES:
        rows = raw.tables.get(table.key)
        if rows is None:
            continue
        valid[table.key] = []
        for row in rows:
            model = _validate(table.model, row, problems)
            if model is not None:
                valid[table.key].append((model, row))
    if metadata is not None and raw.metadata is not None:
        sections = {key: [model for model, _ in pairs] for key, pairs in valid.items()}
        for issue in consistency_issues(metadata, sections):
            if issue.section == "roster" and issue.index is None and raw.tables.get("roster"):
                continue  # rows were given, but none is valid on its own: reported above
            if issue.section == "metadata":
                row = raw.metadata
            elif issue.index is not None:
                row = valid[issue.section][issue.index][1]
            else:
                problems.append(
                    ReportError(issue.message, raw.place(issue.section), has_value=False)
                )
                continue
            where = row.cells.get(issue.field, row.where) if issue.field else row.where
            problems.append(
                ReportError(issue.message, where, issue.value, has_value=issue.has_value)
            )
    if problems:
        raise problems.error()
    assert metadata is not None
    lists = {key: [model for model, _ in pairs] for key, pairs in valid.items()}
    try:
        return AnnualReport.model_validate({"metadata": metadata, **lists})
    except ValidationError as error:  # pragma: no cover - every check above runs first
        raise errors_from_validation(error, raw.source) from None


def _json_where(source: str, path: str) -> Where:
    return Where(source, field=path)


def raw_from_data(data: Any, source: str, limits: ReportLimits | None = None) -> RawReport:
    """A raw report from parsed JSON: ``{"metadata": {...}, "roster": [...], ...}``."""
    limits = limits or ReportLimits()
    raw = RawReport(source)
    if not isinstance(data, dict):
        raw.problems.append(
            ReportError(
                Bilingual(
                    en="a report must be a JSON object with metadata, roster, money, …",
                    ja="報告はmetadata、roster、money などを持つJSONオブジェクトで記述してください",
                ),
                Where(source),
                type(data).__name__,
            )
        )
        return raw
    known = {s.key for s in SECTIONS}
    for key in data:
        if key not in known:
            raw.problems.append(
                ReportError(_UNKNOWN_FIELD, _json_where(source, str(key)), has_value=False)
            )
    metadata = data.get("metadata")
    if isinstance(metadata, dict):
        raw.metadata = RawRow(
            dict(metadata),
            {str(k): _json_where(source, f"metadata.{k}") for k in metadata},
            _json_where(source, "metadata"),
        )
    else:
        raw.problems.append(_not_a(source, "metadata", "object", "オブジェクト", metadata))
    for table in TABLES:
        rows = data.get(table.key, [] if table.key != "roster" else None)
        if not isinstance(rows, list):
            raw.problems.append(_not_a(source, table.key, "list", "リスト", rows))
            continue
        raw.places[table.key] = _json_where(source, table.key)
        raw.tables[table.key] = []
        if len(rows) > limits.rows_max:  # before any row is read
            raw.problems.append(
                ReportError(
                    limits.too_many_rows(Bilingual(en="one list", ja="1つのリストに")),
                    _json_where(source, table.key),
                    len(rows),
                )
            )
            continue
        for index, row in enumerate(rows):
            path = f"{table.key}[{index}]"
            if not isinstance(row, dict):
                raw.problems.append(_not_a(source, path, "object", "オブジェクト", row))
                continue
            raw.tables[table.key].append(
                RawRow(
                    dict(row),
                    {str(k): _json_where(source, f"{path}.{k}") for k in row},
                    _json_where(source, path),
                )
            )
    return raw


def _not_a(source: str, path: str, en: str, ja: str, value: Any) -> ReportError:
    if value is None:
        return ReportError(
            Bilingual(en="this field is required", ja="この項目は必須です"),
            _json_where(source, path),
            has_value=False,
        )
    return ReportError(
        Bilingual(en=f"expected a JSON {en}", ja=f"JSONの{ja}を入力してください"),
        _json_where(source, path),
        type(value).__name__,
    )


def report_from_data(data: Any, source: str, *, expected: Expected | None = None) -> AnnualReport:
    """Validate parsed JSON as a report (see :func:`assemble`)."""
    return assemble(raw_from_data(data, source), expected=expected)
