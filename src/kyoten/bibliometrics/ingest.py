"""Ingest an OpenAlex works snapshot into Parquet tables.

The snapshot is read in the official layout::

    ROOT/data/works/manifest                                   (optional Redshift manifest)
    ROOT/data/works/updated_date=YYYY-MM-DD/part_NNN.gz         (gzipped JSON Lines)
    ROOT/data/merged_ids/works/*.csv.gz                         (merge_date,id,merge_into_id)

and written as four Parquet tables in the output folder:

- ``works.parquet``: one row per work (the latest version; merged ids removed), with an
  integer ``work_key`` (numbered in id order) that the other tables carry for fast joins.
- ``authorships.parquet``: one row per author position on a work.
- ``affiliations.parquet``: one row per (authorship, affiliation, institution); an affiliation
  without an institution has one row with a null ``institution_id``. Each row carries the
  counts of the CWTS fractional weight: ``n_authors`` of the work, ``n_affiliations`` of the
  author, ``n_institutions`` of the affiliation.
- ``institutions.parquet``: one row per institution (ROR, country).

Files are parsed by DuckDB's JSON reader a few at a time and flattened into staging tables
in a DuckDB file inside the output folder (memory stays within DuckDB's limit, spilling to
disk); the latest version of each work is then chosen and the tables written. A file that
fails to parse is scanned line by line in Python to name each malformed line (file and line
number); with ``on_error="skip"`` its good lines are kept and the bad ones counted, with
``on_error="fail"`` the first one stops the run.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]

from kyoten.bibliometrics.db import Database, ident
from kyoten.bibliometrics.progress import Progress
from kyoten.text import Bilingual, KyotenError

OnError = Literal["skip", "fail"]
TABLES = ("works", "authorships", "affiliations", "institutions")

OPENALEX_PREFIX = "https://openalex.org/"
DOI_PREFIX_PATTERN = r"^https?://(dx\.)?doi\.org/"

# The JSON fields read from each work, as DuckDB types. Everything else is ignored.
_INSTITUTION = (
    "STRUCT(id VARCHAR, ror VARCHAR, country_code VARCHAR, display_name VARCHAR, type VARCHAR)"
)
_AFFILIATION = "STRUCT(raw_affiliation_string VARCHAR, institution_ids VARCHAR[])"
WORK_COLUMNS: dict[str, str] = {
    "id": "VARCHAR",
    "doi": "VARCHAR",
    "publication_year": "BIGINT",
    "type": "VARCHAR",
    "language": "VARCHAR",
    "is_retracted": "BOOLEAN",
    "cited_by_count": "BIGINT",
    "primary_location": "STRUCT(source STRUCT(id VARCHAR, type VARCHAR))",
    "primary_topic": (
        "STRUCT(id VARCHAR, subfield STRUCT(id VARCHAR), field STRUCT(id VARCHAR),"
        " domain STRUCT(id VARCHAR))"
    ),
    "authorships": (
        f"STRUCT(author_position VARCHAR, author STRUCT(id VARCHAR),"
        f" institutions {_INSTITUTION}[], affiliations {_AFFILIATION}[])[]"
    ),
}
# Scalar fields checked line by line when a file fails to parse: name -> accepted JSON types.
_SCALARS: dict[str, tuple[type, ...]] = {
    "doi": (str,),
    "publication_year": (int,),
    "type": (str,),
    "language": (str,),
    "is_retracted": (bool,),
    "cited_by_count": (int,),
}
_PART_DATE = re.compile(r"updated_date=(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Malformed:
    """One malformed input line."""

    path: Path
    line: int
    reason: str

    def message(self) -> Bilingual:
        """What is wrong, in both languages."""
        return Bilingual(
            en=f"malformed work record: {self.reason}; expected one JSON object per line",
            ja=f"不正なレコードです: {self.reason}。1行に1つのJSONオブジェクトが必要です",
        )


@dataclass
class IngestReport:
    """What an ingest run read, replaced, removed and wrote."""

    files: int = 0
    records_read: int = 0
    works_written: int = 0
    replaced_versions: int = 0
    merged_removed: int = 0
    authorships_written: int = 0
    affiliations_written: int = 0
    institutions_written: int = 0
    malformed: list[Malformed] = field(default_factory=list)

    def lines(self) -> list[str]:
        """A short human-readable summary, one fact per line."""
        out = [
            f"files read:              {self.files}",
            f"records read:            {self.records_read}",
            f"older versions replaced: {self.replaced_versions}",
            f"merged ids removed:      {self.merged_removed}",
            f"works written:           {self.works_written}",
            f"authorships written:     {self.authorships_written}",
            f"affiliations written:    {self.affiliations_written}",
            f"institutions written:    {self.institutions_written}",
            f"malformed lines skipped: {len(self.malformed)}",
        ]
        out += [f"  {m.path}:{m.line}: {m.reason}" for m in self.malformed[:20]]
        if len(self.malformed) > 20:
            out.append(f"  ... and {len(self.malformed) - 20} more")
        return out


@dataclass(frozen=True)
class Snapshot:
    """The files of an OpenAlex works snapshot, oldest partition first."""

    root: Path
    parts: tuple[Path, ...]
    merged_ids: tuple[Path, ...]


def _not_found(location: Path, en: str, ja: str) -> KyotenError:
    return KyotenError(Bilingual(en=en, ja=ja), location=str(location))


def _part_sort_key(path: Path) -> tuple[str, str]:
    match = _PART_DATE.search(path.parent.name)
    return (match.group(1) if match else "", path.name)


def find_snapshot(root: Path) -> Snapshot:
    """Locate the works partitions (by the manifest when there is one) and merged-id files.

    Raises:
        KyotenError: the folder, the works folder or a file listed in the manifest is missing.
    """
    works_dir = root / "data" / "works"
    if not root.is_dir():
        raise _not_found(
            root,
            "snapshot folder not found; expected an OpenAlex snapshot root containing data/works",
            "スナップショットのフォルダが見つかりません。"
            "data/works を含むフォルダを指定してください",
        )
    if not works_dir.is_dir():
        raise _not_found(
            works_dir,
            "no data/works folder in the snapshot; expected the official OpenAlex layout",
            "data/works フォルダがありません。OpenAlex 公式のレイアウトが必要です",
        )
    manifest = works_dir / "manifest"
    if manifest.is_file():
        try:
            entries = json.loads(manifest.read_text(encoding="utf-8"))["entries"]
            urls = [str(entry["url"]) for entry in entries]
        except (ValueError, KeyError, TypeError) as error:
            raise _not_found(
                manifest,
                f"manifest is not a Redshift manifest with entries[].url ({error})",
                f"manifest に entries[].url がありません ({error})",
            ) from error
        parts = []
        for url in urls:
            relative = url.split("/data/works/", 1)[-1]
            path = works_dir / relative
            if not path.is_file():
                raise _not_found(
                    path,
                    "file listed in the manifest is missing from the snapshot",
                    "manifest に記載されたファイルがありません",
                )
            parts.append(path)
    else:
        parts = list(works_dir.glob("updated_date=*/*.gz"))
    merged = sorted((root / "data" / "merged_ids" / "works").glob("*.csv.gz"))
    return Snapshot(root, tuple(sorted(parts, key=_part_sort_key)), tuple(merged))


def _accepted(value: object, types: tuple[type, ...]) -> bool:
    """Whether DuckDB's reader takes ``value`` for a field of ``types`` (digits for an int)."""
    if isinstance(value, bool):
        return bool in types
    if int in types and isinstance(value, str):
        return value.strip().lstrip("-").isdigit()
    return isinstance(value, types)


def check_line(text: str) -> str | None:
    """Why a snapshot line is malformed, or None if it is a usable work record.

    Example:
        >>> check_line('{"id": "https://openalex.org/W1", "publication_year": 2020}') is None
        True
        >>> check_line('{"id": "https://openalex.org/W1", "publication_year": "MMXX"}')
        "field 'publication_year' is 'MMXX', expected int"
        >>> check_line('{"id": ')
        'not valid JSON (Expecting value; column 8)'
    """
    try:
        record = json.loads(text)
    except ValueError as error:
        reason = getattr(error, "msg", str(error))
        column = getattr(error, "colno", None)
        return f"not valid JSON ({reason}; column {column})"
    if not isinstance(record, dict):
        return f"a JSON {type(record).__name__}, expected an object"
    work_id = record.get("id")
    if not isinstance(work_id, str) or not work_id:
        return f"field 'id' is {work_id!r}, expected a work id string"
    for name, types in _SCALARS.items():
        value = record.get(name)
        if value is None or _accepted(value, types):
            continue
        return f"field {name!r} is {value!r}, expected {types[0].__name__}"
    authorships = record.get("authorships")
    if authorships is not None and not (
        isinstance(authorships, list) and all(isinstance(a, dict) for a in authorships)
    ):
        return "field 'authorships' is not a list of objects"
    return None


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            yield from enumerate(handle, start=1)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as error:
        raise KyotenError(
            Bilingual(
                en=f"cannot read the file as gzipped UTF-8 JSON Lines ({error})",
                ja=f"gzip 圧縮の UTF-8 JSON Lines として読めません ({error})",
            ),
            location=str(path),
        ) from error


def _clean_copy(path: Path, target: Path, on_error: OnError) -> list[Malformed]:
    """Copy the good lines of ``path`` to ``target`` (uncompressed), naming each bad line."""
    bad: list[Malformed] = []
    with target.open("w", encoding="utf-8") as out:
        for number, text in _lines(path):
            if not text.strip():
                continue
            reason = check_line(text)
            if reason is None:
                out.write(text if text.endswith("\n") else text + "\n")
                continue
            problem = Malformed(path, number, reason)
            if on_error == "fail":
                raise KyotenError(problem.message(), location=f"{path}:{number}")
            bad.append(problem)
    return bad


def _struct_spec(columns: dict[str, str]) -> str:
    # A constant schema from this module, written as a DuckDB struct literal.
    return "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items()) + "}"


# Flattening one chunk of records (the temporary table ``chunk``) into the staging tables.
# Each record is keyed by (file_rank, rec) until the latest version of each work is chosen.
_STAGE_SQL = {
    "w_stage": """
        INSERT INTO w_stage
        SELECT file_rank, rec,
               replace(id, $oa, '') AS id,
               lower(regexp_replace(doi, $doi_prefix, '')) AS doi,
               publication_year, type,
               primary_location.source.type AS source_type,
               language,
               coalesce(is_retracted, false) AS is_retracted,
               cited_by_count,
               replace(primary_topic.id, $oa, '') AS topic,
               replace(primary_topic.subfield.id, $oa, '') AS subfield,
               replace(primary_topic.field.id, $oa, '') AS field,
               replace(primary_topic.domain.id, $oa, '') AS domain,
               coalesce(len(authorships), 0) AS n_authors
        FROM chunk
    """,
    "au_chunk": """
        CREATE OR REPLACE TEMPORARY TABLE au_chunk AS
        SELECT file_rank, rec, n_authors, author_seq,
               au.author_position AS author_position,
               replace(au.author.id, $oa, '') AS author_id,
               au.affiliations AS affiliations,
               au.institutions AS institutions,
               CASE WHEN coalesce(len(au.affiliations), 0) > 0 THEN len(au.affiliations)
                    ELSE coalesce(len(au.institutions), 0) END AS n_affiliations
        FROM (SELECT file_rank, rec, coalesce(len(authorships), 0) AS n_authors,
                     generate_subscripts(authorships, 1) - 1 AS author_seq,
                     unnest(authorships) AS au
              FROM chunk)
    """,
    "a_stage": """
        INSERT INTO a_stage
        SELECT file_rank, rec, author_seq, author_position, author_id, n_affiliations
        FROM au_chunk
    """,
    # Affiliations as given; when an authorship has none, each listed institution is one.
    # An affiliation without an institution keeps one row with a null institution_id.
    "f_stage": """
        INSERT INTO f_stage
        SELECT file_rank, rec, author_seq, affil_seq, raw_affiliation_string,
               replace(unnest(CASE WHEN len(ids) = 0 THEN [NULL::VARCHAR] ELSE ids END), $oa, '')
                 AS institution_id,
               len(ids) AS n_institutions, n_authors, n_affiliations
        FROM (SELECT file_rank, rec, author_seq, n_authors, n_affiliations, affil_seq,
                     af.raw_affiliation_string AS raw_affiliation_string,
                     list_distinct(coalesce(af.institution_ids, [])) AS ids
              FROM (SELECT file_rank, rec, author_seq, n_authors, n_affiliations,
                           generate_subscripts(affiliations, 1) - 1 AS affil_seq,
                           unnest(affiliations) AS af
                    FROM au_chunk WHERE coalesce(len(affiliations), 0) > 0))
        UNION ALL
        SELECT file_rank, rec, author_seq, affil_seq, NULL AS raw_affiliation_string,
               replace(inst.id, $oa, '') AS institution_id, 1 AS n_institutions,
               n_authors, n_affiliations
        FROM (SELECT file_rank, rec, author_seq, n_authors, n_affiliations,
                     generate_subscripts(institutions, 1) - 1 AS affil_seq,
                     unnest(institutions) AS inst
              FROM au_chunk
              WHERE coalesce(len(affiliations), 0) = 0)
    """,
    "i_stage": """
        INSERT INTO i_stage
        SELECT replace(inst.id, $oa, '') AS id, max(inst.ror), max(inst.country_code),
               max(inst.display_name), max(inst.type)
        FROM (SELECT unnest(institutions) AS inst FROM au_chunk)
        WHERE inst.id IS NOT NULL
        GROUP BY replace(inst.id, $oa, '')
    """,
}
_STAGE_TABLES = """
    CREATE TABLE w_stage (file_rank BIGINT, rec BIGINT, id VARCHAR, doi VARCHAR,
        publication_year BIGINT, type VARCHAR, source_type VARCHAR, language VARCHAR,
        is_retracted BOOLEAN, cited_by_count BIGINT, topic VARCHAR, subfield VARCHAR,
        field VARCHAR, domain VARCHAR, n_authors BIGINT);
    CREATE TABLE a_stage (file_rank BIGINT, rec BIGINT, author_seq BIGINT,
        author_position VARCHAR, author_id VARCHAR, n_affiliations BIGINT);
    CREATE TABLE f_stage (file_rank BIGINT, rec BIGINT, author_seq BIGINT, affil_seq BIGINT,
        raw_affiliation_string VARCHAR, institution_id VARCHAR, n_institutions BIGINT,
        n_authors BIGINT, n_affiliations BIGINT);
    CREATE TABLE i_stage (id VARCHAR, ror VARCHAR, country_code VARCHAR, display_name VARCHAR,
        type VARCHAR);
"""


class _Stager:
    """Reads snapshot files a few at a time and flattens them into the staging tables."""

    def __init__(self, db: Database, work_dir: Path, on_error: OnError) -> None:
        self.db = db
        self.work_dir = work_dir
        self.on_error = on_error
        self.malformed: list[Malformed] = []
        db.execute(_STAGE_TABLES)
        self._read_sql = (
            "CREATE OR REPLACE TEMPORARY TABLE chunk AS"  # noqa: S608 -- constant schema
            " SELECT f.file_rank, row_number() OVER () AS rec, "
            + ", ".join(f"j.{ident(n)}" for n in WORK_COLUMNS)
            + " FROM read_json($files, format = 'newline_delimited', compression = 'auto',"
            f" filename = true, columns = {_struct_spec(WORK_COLUMNS)}) AS j"
            " JOIN stage_files AS f ON j.filename = f.path"
        )

    def _read(self, files: list[tuple[Path, int]]) -> bool:
        """Parse ``files`` into the temporary table ``chunk``; False if DuckDB cannot."""
        table = pa.table(
            {"path": [str(p) for p, _ in files], "file_rank": [rank for _, rank in files]}
        )
        self.db.register("stage_files", table)
        try:
            self.db.execute(self._read_sql, {"files": [str(p) for p, _ in files]})
        except duckdb.Error:
            return False
        return True

    def _flatten(self) -> None:
        """Append the parsed chunk to the staging tables."""
        params = {"oa": OPENALEX_PREFIX, "doi_prefix": DOI_PREFIX_PATTERN}
        for sql in _STAGE_SQL.values():
            self.db.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql})

    def load(self, files: list[tuple[Path, int]]) -> None:
        """Stage ``(path, rank)`` files; malformed ones go through the line-by-line check."""
        if self._read(files):
            self._flatten()
            return
        if len(files) > 1:
            for one in files:
                self.load([one])
            return
        path, rank = files[0]
        target = self.work_dir / f"clean_{rank}.jsonl"
        bad = _clean_copy(path, target, self.on_error)
        if not bad or not self._read([(target, rank)]):
            raise KyotenError(
                Bilingual(
                    en="DuckDB could not read this file, but every line is a valid work record;"
                    " check nested fields (authorships, institutions) for unexpected types",
                    ja="DuckDB で読めませんが各行は正しい JSON です。"
                    "authorships などの入れ子のフィールドの型を確認してください",
                ),
                location=str(path),
            )
        self.malformed.extend(bad)
        self._flatten()
        target.unlink()


def ingest_openalex(
    root: Path,
    out_dir: Path,
    *,
    on_error: OnError = "fail",
    progress: bool | None = None,
    time_limit_s: float = 3600.0,
    memory_limit: str = "2GB",
    threads: int | None = None,
) -> IngestReport:
    """Read an OpenAlex works snapshot into Parquet tables in ``out_dir``.

    Args:
        root: the snapshot root (the folder that holds ``data/works``).
        out_dir: where the Parquet tables are written (created if needed).
        on_error: ``"fail"`` stops at the first malformed line, ``"skip"`` counts and skips.
        progress: draw a progress bar on stderr; None means only on a terminal.
        time_limit_s: the time limit of each SQL statement.
        memory_limit: DuckDB's memory limit; it spills to ``out_dir`` beyond it.
        threads: DuckDB threads (None: all cores).

    Returns:
        What was read and written.

    Raises:
        KyotenError: missing folders or files, malformed input with ``on_error="fail"``.
    """
    snapshot = find_snapshot(root)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = IngestReport(files=len(snapshot.parts))
    work_dir = Path(tempfile.mkdtemp(prefix=".ingest-", dir=out_dir))
    try:
        with Database(
            work_dir / "staging.duckdb",
            time_limit_s=time_limit_s,
            memory_limit=memory_limit,
            threads=threads,
            temp_directory=work_dir / "spill",
        ) as db:
            stager = _Stager(db, work_dir, on_error)
            bar = Progress(
                "ingest", sum(p.stat().st_size for p in snapshot.parts), enabled=progress
            )
            ranked = list(zip(snapshot.parts, range(len(snapshot.parts)), strict=True))
            group = max(threads or 2, 2)
            for start in range(0, len(ranked), group):
                chunk = ranked[start : start + group]
                stager.load(chunk)
                bar.advance(sum(p.stat().st_size for p, _ in chunk))
            bar.close()
            report.malformed = stager.malformed
            _finish(db, snapshot, out_dir, report)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    return report


_FINISH_SQL = {
    # The latest version of each work: the latest partition, then (within one file) the
    # higher citation count; merged ids are dropped.
    "keep": """
        CREATE TABLE keep AS
        SELECT file_rank, rec, row_number() OVER (ORDER BY id) AS work_key FROM (
          SELECT file_rank, rec, id,
                 row_number() OVER (PARTITION BY id
                                    ORDER BY file_rank DESC, cited_by_count DESC, rec DESC) AS rn
          FROM w_stage)
        WHERE rn = 1 AND id NOT IN (SELECT id FROM merged)
    """,
    "works": """
        COPY (
          SELECT keep.work_key, w.* EXCLUDE (file_rank, rec)
          FROM w_stage AS w JOIN keep USING (file_rank, rec)
        ) TO $path (FORMAT parquet, COMPRESSION zstd)
    """,
    "authorships": """
        COPY (
          SELECT keep.work_key, w.id AS work_id, a.author_seq, a.author_position, a.author_id,
                 a.n_affiliations
          FROM a_stage AS a
          JOIN keep USING (file_rank, rec)
          JOIN w_stage AS w USING (file_rank, rec)
        ) TO $path (FORMAT parquet, COMPRESSION zstd)
    """,
    "affiliations": """
        COPY (
          SELECT keep.work_key, w.id AS work_id, f.author_seq, f.affil_seq,
                 f.raw_affiliation_string,
                 f.institution_id, f.n_institutions, f.n_authors, f.n_affiliations
          FROM f_stage AS f
          JOIN keep USING (file_rank, rec)
          JOIN w_stage AS w USING (file_rank, rec)
        ) TO $path (FORMAT parquet, COMPRESSION zstd)
    """,
    "institutions": """
        COPY (
          SELECT id, max(ror) AS ror, max(country_code) AS country_code,
                 max(display_name) AS display_name, max(type) AS type
          FROM i_stage GROUP BY id
        ) TO $path (FORMAT parquet, COMPRESSION zstd)
    """,
}


def _finish(db: Database, snapshot: Snapshot, out_dir: Path, report: IngestReport) -> None:
    """Deduplicate the staged records and write the Parquet tables."""
    if snapshot.merged_ids:
        db.execute(
            "CREATE TABLE merged AS SELECT DISTINCT replace(id, $oa, '') AS id"
            " FROM read_csv($files, header = true,"
            " columns = {'merge_date': 'VARCHAR', 'id': 'VARCHAR', 'merge_into_id': 'VARCHAR'})",
            {"files": [str(p) for p in snapshot.merged_ids], "oa": OPENALEX_PREFIX},
        )
    else:
        db.execute("CREATE TABLE merged (id VARCHAR)")
    db.execute(_FINISH_SQL["keep"])
    for table in TABLES:
        db.execute(_FINISH_SQL[table], {"path": str(out_dir / f"{table}.parquet")})
    (records,) = db.fetchall("SELECT count(*) FROM w_stage")[0]
    (distinct,) = db.fetchall("SELECT count(DISTINCT id) FROM w_stage")[0]
    (merged,) = db.fetchall(
        "SELECT count(DISTINCT id) FROM w_stage WHERE id IN (SELECT id FROM merged)"
    )[0]
    report.records_read = records
    report.replaced_versions = records - distinct
    report.merged_removed = merged
    for table in TABLES:
        (count,) = db.fetchall(
            "SELECT count(*) FROM read_parquet($path)",
            {"path": str(out_dir / f"{table}.parquet")},
        )[0]
        setattr(report, f"{table}_written", count)
