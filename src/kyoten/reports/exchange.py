"""A report in and out of files: Excel, a zip of CSV files, or JSON — judged by content.

CSV: one UTF-8 file per section named after it (``metadata.csv``, ``roster.csv``, …), a
header row of field names (or the template's Japanese or English headers) and one record
per line; ``metadata.csv`` holds one record. Yes/no columns hold ``yes``/``no``, dates
``2024-04-01``. Written files start with a byte-order mark so that Excel opens them as UTF-8.

Example:
    >>> from kyoten.reports.sample import sample_report
    >>> report = sample_report("X", 2024, seed=1)
    >>> load_report(dump_report(report, "csv_zip"), "r.zip") == report
    True
    >>> load_report(dump_report(report, "json"), "r.json") == report
    True
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any, Literal

from kyoten.reports.filetype import check_size, file_kind, open_zip
from kyoten.reports.formulas import escape, restore
from kyoten.reports.layout import SECTIONS, Section
from kyoten.reports.limits import ReportLimits
from kyoten.reports.model import AnnualReport, section_rows
from kyoten.reports.problems import ReportError, Where
from kyoten.reports.reading import Expected, RawReport, RawRow, assemble, raw_from_data
from kyoten.reports.xlsx import read_workbook, report_workbook
from kyoten.text import Bilingual, KyotenError, Lang

ExportFormat = Literal["json", "xlsx", "csv_zip"]


def load_report(
    data: bytes,
    name: str,
    limits: ReportLimits | None = None,
    *,
    expected: Expected | None = None,
) -> AnnualReport:
    """Read a report from the bytes of a file called ``name`` (used in messages only).

    A report whose details differ from ``expected`` (e.g. ``{"center": "IRCN",
    "fiscal_year": 2024}``) has a problem there (see :func:`~kyoten.reports.reading.assemble`).

    Raises:
        KyotenError: the file is of the wrong kind, too large or a zip bomb.
        KyotenErrors: every problem of the report, each a ReportError.
    """
    limits = limits or ReportLimits()
    kind = file_kind(data, name, limits)
    if kind == "xlsx":
        raw = read_workbook(data, name, limits)
    elif kind == "csv_zip":
        raw = read_csv_zip(data, name, limits)
    else:
        raw = raw_from_data(_json(data, name), name, limits)
    return assemble(raw, expected=expected)


def load_report_file(
    path: str | Path,
    limits: ReportLimits | None = None,
    *,
    expected: Expected | None = None,
) -> AnnualReport:
    """Read a report file, or a directory of section CSV files (see :func:`load_report`)."""
    limits = limits or ReportLimits()
    where = Path(path)
    try:
        if where.is_dir():
            files = {p.name.lower(): p for p in where.iterdir() if p.suffix.lower() == ".csv"}
            check_size(sum(p.stat().st_size for p in files.values()), str(path), limits)
            raw = read_csv_files({k: p.read_bytes() for k, p in files.items()}, str(path), limits)
            return assemble(raw, expected=expected)
        check_size(where.stat().st_size, str(path), limits)  # before reading it all
        data = where.read_bytes()
    except OSError as error:
        raise KyotenError(
            Bilingual(
                en=f"cannot read the file ({error.strerror})",
                ja=f"ファイルを読み込めません（{error.strerror}）",
            ),
            location=str(path),
        ) from None
    return load_report(data, str(path), limits, expected=expected)


def _json(data: bytes, name: str) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except RecursionError:
        raise KyotenError(
            Bilingual(
                en="nested too deeply to be a report (lists or objects inside each other "
                "hundreds of levels deep)",
                ja="入れ子が深すぎるため、報告として読み込めません",
            ),
            location=name,
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise KyotenError(
            Bilingual(en="not valid JSON in UTF-8", ja="UTF-8 の JSON として読み込めません"),
            location=f"{name}:{line}" if line else name,
        ) from None
    except ValueError:  # an integer longer than Python converts (4,300 digits)
        raise KyotenError(
            Bilingual(
                en="holds a number too long to be a report's value",
                ja="数値が長すぎるため、報告として読み込めません",
            ),
            location=name,
        ) from None


def report_json(report: AnnualReport) -> str:
    """The report as indented JSON text (dates ISO, amounts in yen)."""
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def csv_files(report: AnnualReport) -> dict[str, bytes]:
    """The report as CSV files, one per section, keyed by file name."""
    rows = section_rows(report)
    files = {}
    for section in SECTIONS:
        records = (
            [report.metadata.model_dump(mode="json")]
            if section.form
            else [row.model_dump(mode="json") for row in rows[section.key]]
        )
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([column.field for column in section.columns])
        for record in records:
            writer.writerow([escape(_csv_value(record.get(c.field))) for c in section.columns])
        files[section.csv_name] = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return files


def dump_report(report: AnnualReport, fmt: ExportFormat, lang: Lang = "en") -> bytes:
    """The report as JSON, an Excel workbook (its codes as labels in ``lang``) or a zip of
    CSV files (codes, as JSON has them)."""
    if fmt == "json":
        return report_json(report).encode("utf-8")
    if fmt == "xlsx":
        return report_workbook(report, lang)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file_name, content in csv_files(report).items():
            archive.writestr(file_name, content)
    return buffer.getvalue()


def read_csv_zip(data: bytes, name: str, limits: ReportLimits | None = None) -> RawReport:
    """A raw report from a zip of section CSV files (checked by ``file_kind``)."""
    limits = limits or ReportLimits()
    archive = open_zip(data, name, limits)
    by_name = {Path(n).name.lower(): n for n in archive.namelist() if not n.endswith("/")}
    try:
        files = {k: archive.read(v) for k, v in by_name.items()}
    except (zipfile.BadZipFile, OSError, EOFError):
        raise KyotenError(
            Bilingual(
                en="the zip archive is damaged (a file does not match its declared size or checksum)",
                ja="ZIPファイルが壊れています（サイズまたはチェックサムが一致しません）",
            ),
            location=name,
        ) from None
    return read_csv_files(files, name, limits)


def read_csv_files(
    files: dict[str, bytes], name: str, limits: ReportLimits | None = None
) -> RawReport:
    """A raw report from section CSV files keyed by file name (``roster.csv``, …)."""
    limits = limits or ReportLimits()
    raw = RawReport(name)
    expected = {section.csv_name for section in SECTIONS}
    for file_name in sorted(set(files) - expected):
        raw.problems.append(
            ReportError(
                Bilingual(
                    en=f"unknown file; a CSV zip holds {', '.join(sorted(expected))}",
                    ja=f"不明なファイルです。CSVのZIPには {'、'.join(sorted(expected))} を入れてください",
                ),
                Where(name, file_name, kind="file"),
                has_value=False,
            )
        )
    for section in SECTIONS:
        content = files.get(section.csv_name)
        if content is None:
            if section.key in ("metadata", "roster"):
                raw.problems.append(
                    ReportError(
                        Bilingual(en="the file is missing", ja="ファイルがありません"),
                        Where(name, section.csv_name, kind="file"),
                        has_value=False,
                    )
                )
            else:
                raw.tables[section.key] = []
            continue
        _read_csv(content, name, section, raw, limits)
    return raw


def _read_csv(
    content: bytes, name: str, section: Section, raw: RawReport, limits: ReportLimits
) -> None:
    sheet = section.csv_name
    raw.places[section.key] = Where(name, sheet, kind="file")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raw.problems.append(
            ReportError(
                Bilingual(
                    en="not UTF-8 text; save the CSV as UTF-8",
                    ja="UTF-8 ではありません。CSV を UTF-8 で保存してください",
                ),
                Where(name, sheet, kind="file"),
                has_value=False,
            )
        )
        return
    reader = csv.reader(io.StringIO(text))
    try:
        lines = [(reader.line_num, line) for line in reader]  # physical line where each ends
    except csv.Error:
        raw.problems.append(
            ReportError(
                Bilingual(
                    en="a line break inside a field that is not in double quotes; put the "
                    'field in double quotes ("…") or remove the line break',
                    ja="二重引用符で囲まれていない項目の中に改行があります。項目を二重引用符"
                    '（"…"）で囲むか、改行を削除してください',
                ),
                Where(name, sheet, reader.line_num, kind="file"),
                has_value=False,
            )
        )
        return
    header = lines[0][1] if lines else []
    fields: list[str | None] = []
    problems_before = raw.problems.total
    for number, title in enumerate(header, start=1):
        column = next((c for c in section.columns if c.matches(title)), None)
        if column is None or column.field in fields:
            raw.problems.append(
                ReportError(
                    Bilingual(
                        en=f"unknown or repeated column; expected {', '.join(c.field for c in section.columns)}",
                        ja=f"不明または重複した列です。列は {'、'.join(c.field for c in section.columns)} です",
                    ),
                    Where(name, sheet, 1, str(number), kind="file"),
                    title,
                )
            )
        fields.append(column.field if column else None)
    for column in section.columns:
        if column.field not in fields:
            raw.problems.append(
                ReportError(
                    Bilingual(
                        en=f"the column '{column.field}' is missing",
                        ja=f"列「{column.field}」がありません",
                    ),
                    Where(name, sheet, 1, kind="file"),
                    has_value=False,
                )
            )
    if raw.problems.total > problems_before:
        return
    rows: list[RawRow] = []
    for line_number, line in lines[1:]:
        if not any(cell.strip() for cell in line):
            continue
        if len(rows) >= limits.rows_max:
            raw.problems.append(
                ReportError(
                    limits.too_many_rows(Bilingual(en="one file", ja="1ファイル")),
                    Where(name, sheet, line_number, kind="file"),
                    has_value=False,
                )
            )
            break
        path = section.key if section.form else f"{section.key}[{len(rows)}]"
        values: dict[str, Any] = {}
        cells: dict[str, Where] = {}
        for field, cell in zip(fields, line, strict=False):
            if field is not None:
                values[field] = restore(cell)  # as escaped when written
                cells[field] = Where(
                    name, sheet, line_number, field, f"{path}.{field}", kind="file"
                )
        if len(line) > len(fields):
            raw.problems.append(
                ReportError(
                    Bilingual(
                        en=f"the line has {len(line)} values but the header {len(fields)} columns",
                        ja=f"値が{len(line)}個ありますが、見出しは{len(fields)}列です",
                    ),
                    Where(name, sheet, line_number, kind="file"),
                    has_value=False,
                )
            )
        rows.append(RawRow(values, cells, Where(name, sheet, line_number, field=path, kind="file")))
    if section.form:
        raw.metadata = (
            rows[0] if rows else RawRow({}, {}, Where(name, sheet, field="metadata", kind="file"))
        )
        if len(rows) > 1:
            raw.problems.append(
                ReportError(
                    Bilingual(en="metadata.csv holds one record", ja="metadata.csv は1行のみです"),
                    rows[1].where,
                    has_value=False,
                )
            )
    else:
        raw.tables[section.key] = rows
