"""Ingest an OpenAlex works snapshot into Parquet tables.

The snapshot is read in the official layout::

    ROOT/data/works/manifest                                   (optional Redshift manifest)
    ROOT/data/works/updated_date=YYYY-MM-DD/part_NNN.gz         (gzipped JSON Lines)
    ROOT/data/merged_ids/works/*.csv.gz                         (merge_date,id,merge_into_id)

and written as four Parquet tables in the output folder:

- ``works.parquet``: one row per work (the latest version; merged ids removed), with an
  integer ``work_key`` (the record's file and place in it: unique within one ingest,
  not stable across snapshots) that the other tables carry for fast joins.
- ``authorships.parquet``: one row per author position on a work, with the author's OpenAlex
  id, ORCID iD (bare, as ``0000-0002-1825-0097``) and name as OpenAlex displays it — what
  people are matched by (:mod:`kyoten.bibliometrics.coauthors`).
- ``affiliations.parquet``: one row per (authorship, affiliation, institution); an affiliation
  without an institution has one row with a null ``institution_id``. Each row carries the
  counts of the CWTS fractional weight: ``n_authors`` of the work, ``n_affiliations`` of the
  author, ``n_institutions`` of the affiliation.
- ``institutions.parquet``: one row per institution (ROR, country).

Files are staged in parallel, one per thread (as many threads as cores): each is decompressed
with ISA-L in pieces of whole lines (``PIECE_BYTES``) into a temporary folder inside the
output folder, and each piece is parsed by DuckDB's JSON reader and flattened into staging
Parquet files, so memory and temporary disk stay bounded whatever the size of the snapshot
or of its files. The latest version of each work is then chosen with one window over the
staged works, and the tables are written without the few records dropped, in work_key order
(the same snapshot gives the same files). A piece that fails to parse is scanned line by
line in Python to name each malformed line (file and line number); with ``on_error="skip"``
its good lines are kept and the bad ones counted, with ``on_error="fail"`` the first one
stops the run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import duckdb
from isal import igzip, isal_zlib

from kyoten.bibliometrics.db import Database, ident
from kyoten.bibliometrics.progress import Progress
from kyoten.text import Bilingual, KyotenError

OnError = Literal["skip", "fail"]
TABLES = ("works", "authorships", "affiliations", "institutions")

OPENALEX_PREFIX = "https://openalex.org/"
DOI_PREFIX_PATTERN = r"^https?://(dx\.)?doi\.org/"
ORCID_PREFIX_PATTERN = r"^https?://(www\.)?orcid\.org/"

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
        f"STRUCT(author_position VARCHAR,"
        f" author STRUCT(id VARCHAR, orcid VARCHAR, display_name VARCHAR),"
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
# isal's stub declares its error class as an instance; it is the class IsalError.
_GZIP_ERRORS = (OSError, EOFError, cast("type[Exception]", isal_zlib.error))
PIECE_BYTES = 256 * 2**20
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(i?)B\s*$", re.IGNORECASE)


def memory_bytes(limit: str) -> int | None:
    """A DuckDB memory limit in bytes (KB = 1000, KiB = 1024), or None if not a size.

    Example:
        >>> memory_bytes("2GB"), memory_bytes("512 MiB"), memory_bytes("80%")
        (2000000000, 536870912, None)
    """
    match = _SIZE.match(limit)
    if not match:
        return None
    number, prefix, binary = match.groups()
    base = 1024 if binary else 1000
    return int(float(number) * base ** " KMGT".index(prefix.upper() or " "))


def piece_size(piece_bytes: int, memory_limit: str, workers: int) -> int:
    """The piece size that lets ``workers`` parsed pieces fit in the memory limit.

    A parsed piece takes about twice its size in DuckDB; half the limit is left for the rest.

    Example:
        >>> piece_size(PIECE_BYTES, "4GiB", 2) == PIECE_BYTES
        True
        >>> piece_size(PIECE_BYTES, "2GB", 8)
        62500000
    """
    limit = memory_bytes(memory_limit)
    if limit is None:
        return piece_bytes
    return max(2**20, min(piece_bytes, limit // (4 * workers)))


_PART_DATE = re.compile(r"updated_date=(\d{4}-\d{2}-\d{2})$")


def table_path(data_dir: Path, table: str) -> Path:
    """The Parquet file of ``table`` in a folder written by ingest.

    Raises:
        KyotenError: the file is missing (the folder is not an ingest output).
    """
    path = data_dir / f"{table}.parquet"
    if not path.is_file():
        raise KyotenError(
            Bilingual(
                en=f"no {table}.parquet here; expected a folder written by 'kyoten bib ingest'",
                ja=f"{table}.parquet がありません。'kyoten bib ingest' の出力フォルダを"
                "指定してください",
            ),
            location=str(data_dir),
        )
    return path


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
            ja=f"不正なレコードです：{self.reason}。1行に1つのJSONオブジェクトが必要です",
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


def _file_error(location: Path, en: str, ja: str) -> KyotenError:
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
        raise _file_error(
            root,
            "snapshot folder not found; expected an OpenAlex snapshot root containing data/works",
            "スナップショットのフォルダが見つかりません。"
            "data/works を含むフォルダを指定してください",
        )
    if not works_dir.is_dir():
        raise _file_error(
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
            raise _file_error(
                manifest,
                f"manifest is not a Redshift manifest with entries[].url ({error})",
                f"manifest に entries[].url がありません ({error})",
            ) from error
        parts = []
        for url in urls:
            relative = url.split("/data/works/", 1)[-1]
            path = works_dir / relative
            if not path.is_file():
                raise _file_error(
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


@dataclass(frozen=True)
class _Piece:
    """A run of whole lines of a snapshot file, decompressed into a file of its own."""

    path: Path
    first_line: int  # the snapshot file's line number of the piece's first line


def _pieces(source: Path, work_dir: Path, rank: int, piece_bytes: int) -> Iterator[_Piece]:
    """Decompress ``source`` (ISA-L, streaming) into pieces of about ``piece_bytes``.

    Pieces end at line ends and are made one at a time, each deleted once the caller moves on,
    so a file of any size needs one piece's room on disk and in DuckDB.
    """
    number, first_line, carry, done = 0, 1, b"", False
    try:
        with igzip.open(source, "rb") as packed:  # type: ignore[no-untyped-call]
            while not done:
                path = work_dir / f"part_{rank}_{number}.jsonl"
                with path.open("wb") as out:
                    out.write(carry)
                    size, lines, carry = len(carry), carry.count(b"\n"), b""
                    while True:
                        block = packed.read(1 << 20)
                        if not block:
                            done = True
                            break
                        cut = block.rfind(b"\n") if size + len(block) >= piece_bytes else -1
                        if cut >= 0:
                            out.write(block[: cut + 1])
                            carry = block[cut + 1 :]
                            lines += block.count(b"\n", 0, cut + 1)
                            size += cut + 1
                            break
                        out.write(block)
                        size += len(block)
                        lines += block.count(b"\n")
                try:
                    if size:
                        yield _Piece(path, first_line)
                finally:
                    path.unlink()
                number, first_line = number + 1, first_line + lines
    except _GZIP_ERRORS as error:
        raise _file_error(
            source,
            f"cannot decompress the file; expected gzipped JSON Lines ({error})",
            f"ファイルを展開できません。gzip 圧縮の JSON Lines が必要です ({error})",
        ) from error


def _lines(piece: _Piece, source: Path) -> Iterator[tuple[int, str]]:
    """The numbered lines of a piece; errors name the snapshot file ``source``."""
    try:
        with piece.path.open(encoding="utf-8", newline="\n") as handle:  # only \n ends a line
            yield from enumerate(handle, start=piece.first_line)
    except UnicodeDecodeError as error:
        raise _file_error(
            source,
            f"the file is not UTF-8 text ({error})",
            f"ファイルが UTF-8 のテキストではありません ({error})",
        ) from error


def _clean_copy(piece: _Piece, source: Path, target: Path, on_error: OnError) -> list[Malformed]:
    """Copy the good lines of ``piece`` to ``target``, naming each bad line of ``source``."""
    bad: list[Malformed] = []
    with target.open("w", encoding="utf-8") as out:
        for number, text in _lines(piece, source):
            if not text.strip():
                continue
            reason = check_line(text)
            if reason is None:
                out.write(text if text.endswith("\n") else text + "\n")
                continue
            problem = Malformed(source, number, reason)
            if on_error == "fail":
                raise KyotenError(problem.message(), location=f"{source}:{number}")
            bad.append(problem)
    return bad


def _struct_spec(columns: dict[str, str]) -> str:
    # A constant schema from this module, written as a DuckDB struct literal.
    return "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items()) + "}"


# Flattening one parsed file (the temporary table ``chunk``) into staging Parquet files.
# A record's work_key is its file's rank and its place in the file: (rank << 32) + n.
_AUTHORSHIPS_SQL = """
    CREATE OR REPLACE TEMPORARY TABLE au_chunk AS
    SELECT work_key, n_authors, author_seq,
           au.author_position AS author_position,
           replace(au.author.id, $oa, '') AS author_id,
           regexp_replace(au.author.orcid, $orcid_prefix, '') AS author_orcid,
           au.author.display_name AS author_name,
           au.affiliations AS affiliations,
           au.institutions AS institutions,
           CASE WHEN coalesce(len(au.affiliations), 0) > 0 THEN len(au.affiliations)
                ELSE coalesce(len(au.institutions), 0) END AS n_affiliations
    FROM (SELECT work_key, coalesce(len(authorships), 0) AS n_authors,
                 generate_subscripts(authorships, 1) - 1 AS author_seq,
                 unnest(authorships) AS au
          FROM chunk)
"""
_STAGE_SQL = {
    "works": """
        SELECT file_rank, work_key,
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
    "authorships": """
        SELECT work_key, author_seq, author_position, author_id, n_affiliations,
               author_orcid, author_name
        FROM au_chunk
    """,
    # Affiliations as given; when an authorship has none, each listed institution is one.
    # An affiliation without an institution keeps one row with a null institution_id.
    "affiliations": """
        SELECT work_key, author_seq, affil_seq, raw_affiliation_string,
               replace(unnest(CASE WHEN len(ids) = 0 THEN [NULL::VARCHAR] ELSE ids END), $oa, '')
                 AS institution_id,
               len(ids) AS n_institutions, n_authors, n_affiliations
        FROM (SELECT work_key, author_seq, n_authors, n_affiliations, affil_seq,
                     af.raw_affiliation_string AS raw_affiliation_string,
                     CASE WHEN len(af.institution_ids) = 1 AND af.institution_ids[1] IS NOT NULL
                          THEN af.institution_ids  -- the common case, without list_distinct
                          ELSE list_distinct(coalesce(af.institution_ids, [])) END AS ids
              FROM (SELECT work_key, author_seq, n_authors, n_affiliations,
                           generate_subscripts(affiliations, 1) - 1 AS affil_seq,
                           unnest(affiliations) AS af
                    FROM au_chunk WHERE coalesce(len(affiliations), 0) > 0))
        UNION ALL
        SELECT work_key, author_seq, affil_seq, NULL AS raw_affiliation_string,
               replace(inst.id, $oa, '') AS institution_id, 1 AS n_institutions,
               n_authors, n_affiliations
        FROM (SELECT work_key, author_seq, n_authors, n_affiliations,
                     generate_subscripts(institutions, 1) - 1 AS affil_seq,
                     unnest(institutions) AS inst
              FROM au_chunk
              WHERE coalesce(len(affiliations), 0) = 0)
    """,
    "institutions": """
        SELECT replace(inst.id, $oa, '') AS id, max(inst.ror) AS ror,
               max(inst.country_code) AS country_code, max(inst.display_name) AS display_name,
               max(inst.type) AS type
        FROM (SELECT unnest(institutions) AS inst FROM au_chunk)
        WHERE inst.id IS NOT NULL
        GROUP BY replace(inst.id, $oa, '')
    """,
}
_PARAMS = {
    "oa": OPENALEX_PREFIX,
    "doi_prefix": DOI_PREFIX_PATTERN,
    "orcid_prefix": ORCID_PREFIX_PATTERN,
}


def _params(sql: str, **extra: Any) -> dict[str, Any]:
    """The named parameters that ``sql`` uses, from the module constants and ``extra``."""
    return {k: v for k, v in (_PARAMS | extra).items() if f"${k}" in sql}


class _Stager:
    """Stages snapshot files into Parquet, one file per call; one instance per thread.

    Each file is decompressed in pieces (ISA-L); each piece is parsed by DuckDB's JSON reader
    and flattened by a connection of this thread's own, so two threads work on two files at
    once and memory is bounded by the piece size.
    """

    def __init__(self, db: Database, work_dir: Path, on_error: OnError, piece_bytes: int) -> None:
        self.db = db
        self.work_dir = work_dir
        self.stage_dir = work_dir / "stage"
        self.on_error = on_error
        self.piece_bytes = piece_bytes
        # work_key: the file's rank and the record's place in the file. row_number() follows
        # the piece's line order (insertion order is preserved).
        self._read_sql = (
            "CREATE OR REPLACE TEMPORARY TABLE chunk AS"  # noqa: S608 -- constant schema
            " SELECT $rank AS file_rank,"
            " (CAST($rank AS BIGINT) << 32) + $offset + row_number() OVER () AS work_key, "
            + ", ".join(ident(n) for n in WORK_COLUMNS)
            + " FROM read_json($path, format = 'newline_delimited', compression = 'none',"
            f" columns = {_struct_spec(WORK_COLUMNS)})"
        )

    def stage(self, part: Path, rank: int) -> list[Malformed]:
        """Stage one snapshot file; returns its malformed lines (when they are skipped)."""
        bad: list[Malformed] = []
        for number, piece in enumerate(_pieces(part, self.work_dir, rank, self.piece_bytes)):
            bad += self._load(piece, part, rank, f"{rank:06d}_{number:06d}")
        return bad

    def stage_nothing(self) -> None:
        """Stage no records (no file had any): empty files of the staging shape."""
        columns = ", ".join(f"{ident(n)} {kind}" for n, kind in WORK_COLUMNS.items())
        self.db.execute(
            "CREATE OR REPLACE TEMPORARY TABLE chunk"
            f" (file_rank INTEGER, work_key BIGINT, {columns})"
        )
        self._flatten("empty")

    def _read(self, path: Path, piece: _Piece, rank: int) -> bool:
        """Parse ``path`` (the piece or its clean copy) into ``chunk``; False if a record is bad.

        Bad: JSON that DuckDB refuses, or a record without an id (DuckDB reads ``null`` and
        ``{}`` as such). Other failures (memory, disk) are raised as they are.
        """
        try:
            self.db.execute(
                self._read_sql, {"path": str(path), "rank": rank, "offset": piece.first_line - 1}
            )
        except duckdb.InvalidInputException:
            return False
        return not self.db.fetchall("SELECT 1 FROM chunk WHERE id IS NULL LIMIT 1")

    def _flatten(self, name: str) -> None:
        """Write the parsed chunk's rows to the staging files of each table."""
        self.db.execute(_AUTHORSHIPS_SQL, _params(_AUTHORSHIPS_SQL))
        for table, select in _STAGE_SQL.items():
            target = str(self.stage_dir / f"{table}_{name}.parquet")
            copy = f"COPY ({select}) TO $target (FORMAT parquet)"
            self.db.execute(copy, _params(copy, target=target))

    def _load(self, piece: _Piece, part: Path, rank: int, name: str) -> list[Malformed]:
        """Stage one piece; a malformed one goes through the line-by-line check."""
        if self._read(piece.path, piece, rank):
            self._flatten(name)
            return []
        target = self.work_dir / f"clean_{name}.jsonl"
        bad = _clean_copy(piece, part, target, self.on_error)
        if not bad or not self._read(target, piece, rank):
            raise KyotenError(
                Bilingual(
                    en="DuckDB could not read this file, but every line is a valid work record;"
                    " check nested fields (authorships, institutions) for unexpected types",
                    ja="DuckDB で読めませんが各行は正しい JSON です。"
                    "authorships などの入れ子のフィールドの型を確認してください",
                ),
                location=str(part),
            )
        self._flatten(name)
        target.unlink()
        return bad


def _stage_all(
    db: Database,
    snapshot: Snapshot,
    work_dir: Path,
    on_error: OnError,
    workers: int,
    piece_bytes: int,
    bar: Progress,
) -> list[Malformed]:
    """Stage every file, ``workers`` at a time, each thread with its own connection.

    Returns the malformed lines in file order. The first error interrupts the files being
    staged and cancels those not yet begun.
    """
    local = threading.local()
    connections: list[Database] = []

    def stage(rank: int) -> list[Malformed]:
        if not hasattr(local, "stager"):
            connections.append(connection := db.cursor())
            local.stager = _Stager(connection, work_dir, on_error, piece_bytes)
        stager: _Stager = local.stager
        return stager.stage(snapshot.parts[rank], rank)

    stage_dir = work_dir / "stage"
    stage_dir.mkdir()
    found: dict[int, list[Malformed]] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        jobs = {pool.submit(stage, rank): rank for rank in range(len(snapshot.parts))}
        try:
            for job in as_completed(jobs):
                found[jobs[job]] = job.result()
                bar.advance(snapshot.parts[jobs[job]].stat().st_size)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            for connection in connections:
                connection.interrupt()
            raise
    for connection in connections:
        connection.close()
    malformed = [bad for rank in sorted(found) for bad in found[rank]]
    if not any(stage_dir.glob("works_*.parquet")):  # no file had a record
        _Stager(db, work_dir, on_error, piece_bytes).stage_nothing()
    return malformed


def ingest_openalex(
    root: Path,
    out_dir: Path,
    *,
    on_error: OnError = "fail",
    progress: bool | None = None,
    time_limit_s: float = 3600.0,
    memory_limit: str = "2GB",
    threads: int | None = None,
    piece_bytes: int = PIECE_BYTES,
) -> IngestReport:
    """Read an OpenAlex works snapshot into Parquet tables in ``out_dir``.

    ``threads`` files are staged at once, each by one thread (decompress, parse, flatten);
    each keeps one decompressed piece in a temporary folder inside ``out_dir`` while it works.

    Args:
        root: the snapshot root (the folder that holds ``data/works``).
        out_dir: where the Parquet tables are written (created if needed).
        on_error: ``"fail"`` stops at the first malformed line, ``"skip"`` counts and skips.
        progress: draw a progress bar on stderr; None means only on a terminal.
        time_limit_s: the time limit of each SQL statement.
        memory_limit: DuckDB's memory limit; it spills to ``out_dir`` beyond it.
        threads: files staged at once and DuckDB threads afterwards (None: all cores).
        piece_bytes: files are decompressed and parsed in pieces of at most this many bytes,
            smaller if ``threads`` pieces would not fit in ``memory_limit`` (what each thread
            holds on disk and, about twice over, in DuckDB at a time).

    Returns:
        What was read and written.

    Raises:
        KyotenError: missing folders or files, malformed input with ``on_error="fail"``.
    """
    for name, value in (("--threads", threads), ("piece_bytes", piece_bytes)):
        if value is not None and value < 1:
            raise KyotenError(
                Bilingual(
                    en=f"{name} must be a positive whole number",
                    ja=f"{name} は正の整数で指定してください",
                ),
                location=name,
                value=value,
            )
    snapshot = find_snapshot(root)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = IngestReport(files=len(snapshot.parts))
    work_dir = Path(tempfile.mkdtemp(prefix=".ingest-", dir=out_dir))
    workers = threads or os.cpu_count() or 1
    try:
        # One DuckDB thread per connection while staging: the files are the parallel work.
        with Database(
            time_limit_s=time_limit_s,
            memory_limit=memory_limit,
            threads=1,
            temp_directory=work_dir / "spill",
            preserve_insertion_order=True,
        ) as db:
            bar = Progress(
                "ingest", sum(p.stat().st_size for p in snapshot.parts), enabled=progress
            )
            pieces = piece_size(piece_bytes, memory_limit, workers)
            report.malformed = _stage_all(db, snapshot, work_dir, on_error, workers, pieces, bar)
            bar.close()
            db.execute("SET threads = $t", {"t": workers})
            _finish(db, work_dir / "stage", snapshot, out_dir, report)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    return report


_FINISH_SQL = {
    # The records that are not written: every version of a work but its latest (the later
    # file in snapshot order, partitions by date; within one file the higher citation count,
    # then the later line), and works whose id was merged into another. Few, so the big
    # tables are filtered by an anti-join with this small table. Rows are written in
    # work_key order, so the same snapshot always gives the same files.
    "dropped": """
        CREATE TABLE dropped AS
        SELECT work_key, rn > 1 AS replaced FROM (
          SELECT work_key, id,
                 row_number() OVER (PARTITION BY id ORDER BY file_rank DESC,
                                    cited_by_count DESC, work_key DESC) AS rn
          FROM read_parquet($works))
        WHERE rn > 1 OR id IN (SELECT id FROM merged)
    """,
    "works": """
        COPY (
          SELECT * EXCLUDE (file_rank) FROM read_parquet($works) ANTI JOIN dropped USING (work_key)
          ORDER BY work_key
        ) TO $path (FORMAT parquet, COMPRESSION zstd)
    """,
    "authorships": """
        COPY (
          SELECT * FROM read_parquet($authorships) ANTI JOIN dropped USING (work_key)
          ORDER BY work_key
        ) TO $path (FORMAT parquet, COMPRESSION zstd)
    """,
    "affiliations": """
        COPY (
          SELECT * FROM read_parquet($affiliations) ANTI JOIN dropped USING (work_key)
          ORDER BY work_key
        ) TO $path (FORMAT parquet, COMPRESSION zstd)
    """,
    "institutions": """
        COPY (
          SELECT id, max(ror) AS ror, max(country_code) AS country_code,
                 max(display_name) AS display_name, max(type) AS type
          FROM read_parquet($institutions) GROUP BY id ORDER BY id
        ) TO $path (FORMAT parquet, COMPRESSION zstd)
    """,
}


def _finish(
    db: Database, stage_dir: Path, snapshot: Snapshot, out_dir: Path, report: IngestReport
) -> None:
    """Choose the latest version of each work and write the Parquet tables."""
    if snapshot.merged_ids:
        db.execute(
            "CREATE TABLE merged AS SELECT DISTINCT replace(id, $oa, '') AS id"
            " FROM read_csv($files, header = true,"
            " columns = {'merge_date': 'VARCHAR', 'id': 'VARCHAR', 'merge_into_id': 'VARCHAR'})",
            {"files": [str(p) for p in snapshot.merged_ids], "oa": OPENALEX_PREFIX},
        )
    else:
        db.execute("CREATE TABLE merged (id VARCHAR)")
    staged = {table: str(stage_dir / f"{table}_*.parquet") for table in _STAGE_SQL}
    for step in ("dropped", *TABLES):
        sql = _FINISH_SQL[step]
        db.execute(sql, _params(sql, path=str(out_dir / f"{step}.parquet"), **staged))
    (report.records_read,) = db.fetchall(
        "SELECT count(*) FROM read_parquet($w)", {"w": staged["works"]}
    )[0]
    report.replaced_versions, report.merged_removed = db.fetchall(
        "SELECT count(*) FILTER (replaced), count(*) FILTER (NOT replaced) FROM dropped"
    )[0]
    for table in TABLES:
        (count,) = db.fetchall(
            "SELECT count(*) FROM read_parquet($path)",
            {"path": str(out_dir / f"{table}.parquet")},
        )[0]
        setattr(report, f"{table}_written", count)
