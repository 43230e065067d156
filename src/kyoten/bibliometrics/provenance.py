"""Which ingested data a result came from: the folder, a digest of its tables, its size.

Stored next to published indicators so that a figure can be traced to the exact snapshot
it was computed from (and a later ingest into the same folder is told apart).

Example:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> fingerprint(folder)
    Traceback (most recent call last):
    ...
    kyoten.text.KyotenError: ...: no works.parquet here; expected a folder written by 'kyoten bib ingest'
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq  # type: ignore[import-untyped]

from kyoten.bibliometrics.ingest import TABLES, table_path

_CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class DataFingerprint:
    """An ingest output folder: its absolute path, the SHA-256 of its tables and its works."""

    folder: str
    sha256: str
    works: int


def fingerprint(data_dir: Path) -> DataFingerprint:
    """Digest the tables written by ``kyoten bib ingest`` in ``data_dir``.

    The digest covers every table's name and bytes, in a fixed order, so the same snapshot
    ingested into the same files gives the same digest.

    Raises:
        KyotenError: a table is missing (the folder is not an ingest output).
    """
    digest = hashlib.sha256()
    for table in TABLES:
        path = table_path(data_dir, table)
        digest.update(table.encode() + b"\0")
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK_BYTES):
                digest.update(chunk)
    works = int(pq.read_metadata(table_path(data_dir, "works")).num_rows)
    return DataFingerprint(str(data_dir.resolve()), digest.hexdigest(), works)
