"""The one DuckDB wrapper through which all bibliometrics SQL passes.

Values always travel as named parameters (``$name``); identifiers are escaped with
:func:`ident`; every statement runs under a time limit, after which DuckDB is interrupted and
a :class:`~kyoten.text.KyotenError` names the limit.

Example:
    >>> with Database() as db:
    ...     db.fetchall("SELECT $a + 1 AS b", {"a": 41})
    [(42,)]
    >>> ident('a"b')
    '"a""b"'
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]

from kyoten.text import Bilingual, KyotenError

DEFAULT_TIME_LIMIT_S = 600.0
DEFAULT_MEMORY_LIMIT = "2GB"


def ident(name: str) -> str:
    """Quote an SQL identifier (table or column name) for DuckDB and Spark-style SQL."""
    return '"' + name.replace('"', '""') + '"'


class Database:
    """A DuckDB connection with named parameters, escaped identifiers and a time limit.

    Args:
        path: a DuckDB database file, or None for an in-memory database.
        time_limit_s: seconds after which a statement is interrupted.
        memory_limit: DuckDB's memory limit (it spills to ``temp_directory`` beyond it).
        threads: worker threads, or None for DuckDB's default (all cores).
        temp_directory: where DuckDB spills; None for its default.
        preserve_insertion_order: keep the input order of rows (needed where the order of
            lines in a file matters; off by default, which lets DuckDB use less memory).
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        time_limit_s: float = DEFAULT_TIME_LIMIT_S,
        memory_limit: str = DEFAULT_MEMORY_LIMIT,
        threads: int | None = None,
        temp_directory: Path | None = None,
        preserve_insertion_order: bool = False,
    ) -> None:
        if time_limit_s <= 0:
            raise KyotenError(
                Bilingual(
                    en="the time limit must be a positive number of seconds",
                    ja="時間制限は正の秒数で指定してください",
                ),
                location="time_limit_s",
                value=time_limit_s,
            )
        self.time_limit_s = time_limit_s
        self._con = duckdb.connect(str(path) if path else ":memory:")
        self._con.execute("SET memory_limit = $m", {"m": memory_limit})
        self._con.execute("SET preserve_insertion_order = $p", {"p": preserve_insertion_order})
        if threads is not None:
            self._con.execute("SET threads = $t", {"t": threads})
        if temp_directory is not None:
            self._con.execute("SET temp_directory = $d", {"d": str(temp_directory)})

    def cursor(self) -> Database:
        """Another connection to the same database, with the same limits, for another thread.

        Temporary tables are its own; tables and settings are shared.
        """
        other = object.__new__(Database)
        other.time_limit_s = self.time_limit_s
        other._con = self._con.cursor()
        return other

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self._con.close()

    def interrupt(self) -> None:
        """Stop the statement this connection is running (from another thread)."""
        self._con.interrupt()

    def _run(self, sql: str, params: Mapping[str, Any] | None) -> duckdb.DuckDBPyConnection:
        timer = threading.Timer(self.time_limit_s, self._con.interrupt)
        timer.start()
        try:
            return self._con.execute(sql, dict(params or {}))
        except duckdb.OutOfMemoryException as error:
            raise KyotenError(
                Bilingual(
                    en=f"DuckDB ran out of its memory limit ({error}); give it more"
                    " (--memory-limit) or fewer threads (--threads)",
                    ja=f"DuckDB のメモリ上限に達しました（{error}）。--memory-limit を増やすか"
                    " --threads を減らしてください",
                ),
                location="database",
            ) from error
        except duckdb.InterruptException as error:
            raise KyotenError(
                Bilingual(
                    en=f"the query was stopped after its time limit of {self.time_limit_s:g} s",
                    ja=f"クエリが時間制限 {self.time_limit_s:g} 秒を超えたため中断しました",
                ),
                location="database",
            ) from error
        finally:
            timer.cancel()

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        """Run a statement for its effect."""
        self._run(sql, params)

    def fetchall(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Run a query and return all rows as tuples."""
        return self._run(sql, params).fetchall()

    def fetch_dicts(
        self, sql: str, params: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Run a query and return all rows as dicts keyed by column name."""
        cursor = self._run(sql, params)
        names = [column[0] for column in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def register(self, name: str, table: pa.Table) -> None:
        """Make an in-memory Arrow table queryable under ``name`` (no SQL text involved)."""
        self._con.register(name, table)

    def register_parquet(self, name: str, paths: Sequence[Path]) -> None:
        """Make Parquet files queryable as the view ``name``."""
        relation = self._con.read_parquet([str(p) for p in paths])
        relation.create_view(name, replace=True)
