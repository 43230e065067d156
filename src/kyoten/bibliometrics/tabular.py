"""Ingest a simple table of papers (CSV or Parquet), e.g. from a Web of Science or Scopus export.

One row per paper with the columns ``doi``, ``year``, ``type``, ``field``, ``citations`` and
``institutions`` (``;``-separated ROR ids or names), optionally ``countries`` (``;``-separated,
in the order of ``institutions``) and ``id``. Other header names are mapped with ``columns``
(e.g. ``{"year": "PY", "citations": "TC"}``). The same four Parquet tables as the OpenAlex
ingest are written; each institution on a paper counts as one author with one affiliation, so
fractional counting gives each listed institution an equal share.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from kyoten.bibliometrics.ingest import IngestReport, Malformed, OnError
from kyoten.bibliometrics.units import normalize_doi
from kyoten.text import Bilingual, KyotenError

REQUIRED = ("year", "type", "field", "citations", "institutions")
OPTIONAL = ("doi", "id", "countries")
BATCH_ROWS = 50_000
_ROR_PREFIX = "https://ror.org/"

_SCHEMAS = {
    "works": pa.schema(
        [
            ("work_key", pa.int64()),
            ("id", pa.string()),
            ("doi", pa.string()),
            ("publication_year", pa.int64()),
            ("type", pa.string()),
            ("source_type", pa.string()),
            ("language", pa.string()),
            ("is_retracted", pa.bool_()),
            ("cited_by_count", pa.int64()),
            ("topic", pa.string()),
            ("subfield", pa.string()),
            ("field", pa.string()),
            ("domain", pa.string()),
            ("n_authors", pa.int64()),
        ]
    ),
    "authorships": pa.schema(
        [
            ("work_key", pa.int64()),
            ("author_seq", pa.int64()),
            ("author_position", pa.string()),
            ("author_id", pa.string()),
            ("n_affiliations", pa.int64()),
            ("author_orcid", pa.string()),
            ("author_name", pa.string()),
        ]
    ),
    "affiliations": pa.schema(
        [
            ("work_key", pa.int64()),
            ("author_seq", pa.int64()),
            ("affil_seq", pa.int64()),
            ("raw_affiliation_string", pa.string()),
            ("institution_id", pa.string()),
            ("n_institutions", pa.int64()),
            ("n_authors", pa.int64()),
            ("n_affiliations", pa.int64()),
        ]
    ),
    "institutions": pa.schema(
        [
            ("id", pa.string()),
            ("ror", pa.string()),
            ("country_code", pa.string()),
            ("display_name", pa.string()),
            ("type", pa.string()),
        ]
    ),
}


def _rows(path: Path) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """(location, number, row): ``file:line`` for CSV, ``file:row N`` for Parquet."""
    if path.suffix.lower() == ".parquet":
        number = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS):
            for row in batch.to_pylist():
                number += 1
                yield f"{path}:row {number}", number, row
        return
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield f"{path}:{reader.line_num}", reader.line_num, row


def _integer(row: Mapping[str, Any], name: str, source: str) -> tuple[int | None, str | None]:
    value = row.get(source)
    text = str(value).strip() if value is not None else ""
    if text.lstrip("-").isdigit() and int(text) >= 0:
        return int(text), None
    return None, f"column {source!r} is {value!r}, expected a whole number >= 0 ({name})"


class _Writer:
    def __init__(self, out_dir: Path) -> None:
        self.buffers: dict[str, list[dict[str, Any]]] = {name: [] for name in _SCHEMAS}
        self.written: dict[str, int] = {name: 0 for name in _SCHEMAS}
        self.writers = {
            name: pq.ParquetWriter(out_dir / f"{name}.parquet", schema, compression="zstd")
            for name, schema in _SCHEMAS.items()
            if name != "institutions"
        }
        self.out_dir = out_dir

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.buffers[table].append(row)
        self.written[table] += 1
        if len(self.buffers[table]) >= BATCH_ROWS:
            self.flush(table)

    def flush(self, table: str) -> None:
        rows = self.buffers[table]
        if rows:
            self.writers[table].write_table(pa.Table.from_pylist(rows, schema=_SCHEMAS[table]))
            rows.clear()

    def close(self, institutions: dict[str, dict[str, Any]]) -> None:
        for table, writer in self.writers.items():
            self.flush(table)
            writer.close()
        pq.write_table(
            pa.Table.from_pylist(list(institutions.values()), schema=_SCHEMAS["institutions"]),
            self.out_dir / "institutions.parquet",
            compression="zstd",
        )


def ingest_table(
    path: Path,
    out_dir: Path,
    *,
    columns: Mapping[str, str] | None = None,
    on_error: OnError = "fail",
) -> IngestReport:
    """Read a CSV or Parquet table of papers into the Parquet tables of ``out_dir``.

    Raises:
        KyotenError: a missing file or column, or a malformed row with ``on_error="fail"``.
    """
    if not path.is_file():
        raise KyotenError(
            Bilingual(
                en="input table not found; expected a CSV or Parquet file",
                ja="入力ファイルがありません。CSV または Parquet ファイルを指定してください",
            ),
            location=str(path),
        )
    names = {name: name for name in REQUIRED + OPTIONAL} | dict(columns or {})
    out_dir.mkdir(parents=True, exist_ok=True)
    writer = _Writer(out_dir)
    report = IngestReport(files=1)
    institutions: dict[str, dict[str, Any]] = {}
    seen: dict[str, str] = {}
    try:
        for location, number, row in _rows(path):
            report.records_read += 1
            if report.records_read == 1:
                missing = [names[n] for n in REQUIRED if names[n] not in row]
                if missing:
                    raise KyotenError(
                        Bilingual(
                            en=f"missing columns {missing}; expected {list(REQUIRED)}"
                            " (map other names with --map NAME=HEADER)",
                            ja=f"列 {missing} がありません。必要な列は {list(REQUIRED)} です"
                            "（--map 名前=見出し で対応づけ可）",
                        ),
                        location=str(path),
                    )
            problem = _add_row(row, names, location, seen, writer, institutions)
            if problem is not None:
                bad = Malformed(path, number, problem)
                if on_error == "fail":
                    raise KyotenError(
                        Bilingual(
                            en=f"malformed row: {problem}",
                            ja=f"不正な行です：{problem}",
                        ),
                        location=location,
                    )
                report.malformed.append(bad)
    finally:
        writer.close(institutions)
    report.works_written = writer.written["works"]
    report.authorships_written = writer.written["authorships"]
    report.affiliations_written = writer.written["affiliations"]
    report.institutions_written = len(institutions)
    return report


def _add_row(
    row: Mapping[str, Any],
    names: Mapping[str, str],
    location: str,
    seen: dict[str, str],
    writer: _Writer,
    institutions: dict[str, dict[str, Any]],
) -> str | None:
    """Add one paper; return why the row is malformed instead, if it is."""
    year, problem = _integer(row, "year", names["year"])
    if problem:
        return problem
    citations, problem = _integer(row, "citations", names["citations"])
    if problem:
        return problem
    kind = str(row.get(names["type"]) or "").strip().lower()
    field = str(row.get(names["field"]) or "").strip()
    if not kind or not field:
        return f"columns {names['type']!r} and {names['field']!r} must not be empty"
    doi = normalize_doi(str(row.get(names["doi"]) or ""))
    work_id = str(row.get(names["id"]) or "").strip() or doi
    if not work_id:
        return f"no {names['id']!r} and no {names['doi']!r}: a paper needs one of them"
    if work_id in seen:
        return f"duplicate paper {work_id!r}, first at {seen[work_id]}"
    seen[work_id] = location
    key = len(seen)
    listed = [v.strip() for v in str(row.get(names["institutions"]) or "").split(";")]
    countries = [v.strip().upper() for v in str(row.get(names["countries"]) or "").split(";")]
    members = list(dict.fromkeys(v for v in listed if v))
    writer.add(
        "works",
        {
            "work_key": key,
            "id": work_id,
            "doi": doi or None,
            "publication_year": year,
            "type": kind,
            "is_retracted": False,
            "cited_by_count": citations,
            "field": field,
            "n_authors": len(members),
        },
    )
    for seq, name in enumerate(members):
        ror = normalize_ror(name)
        institution_id = ror or name
        country = countries[listed.index(name)] if listed.index(name) < len(countries) else ""
        known = institutions.setdefault(
            institution_id,
            {"id": institution_id, "ror": ror, "country_code": None, "display_name": name},
        )
        if country and not known["country_code"]:
            known["country_code"] = country
        writer.add(
            "authorships",
            {
                "work_key": key,
                "author_seq": seq,
                "author_position": None,
                "n_affiliations": 1,
            },
        )
        writer.add(
            "affiliations",
            {
                "work_key": key,
                "author_seq": seq,
                "affil_seq": 0,
                "raw_affiliation_string": name,
                "institution_id": institution_id,
                "n_institutions": 1,
                "n_authors": len(members),
                "n_affiliations": 1,
            },
        )
    return None


def normalize_ror(text: str) -> str | None:
    """The full ROR URL if ``text`` is a ROR id (bare or as a URL), else None.

    Example:
        >>> normalize_ror("057zh3y96")
        'https://ror.org/057zh3y96'
        >>> normalize_ror("Kyoto University") is None
        True
    """
    bare = text.strip().lower().removeprefix(_ROR_PREFIX).removeprefix("http://ror.org/")
    if len(bare) == 9 and bare[0] == "0" and bare.isalnum() and bare[-2:].isdigit():
        return _ROR_PREFIX + bare
    return None
