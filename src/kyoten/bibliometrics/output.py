"""Write indicator rows as a text table, CSV, JSON or Parquet.

Example:
    >>> print(render_text([{"unit": "world", "pp_top10": 0.1, "p": 20.0}]))
    unit   pp_top10  p
    world  0.1000    20.0000
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from kyoten.text import Bilingual, KyotenError

Format = Literal["text", "csv", "json", "parquet"]
FORMATS: tuple[Format, ...] = ("text", "csv", "json", "parquet")


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def render_text(rows: Sequence[dict[str, Any]]) -> str:
    """An aligned plain-text table (floats with four decimals, missing values as ``-``)."""
    if not rows:
        return ""
    columns = list(rows[0])
    cells = [columns] + [[_cell(row[c]) for c in columns] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    return "\n".join(
        "  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip()
        for line in cells
    )


def write_rows(rows: Sequence[dict[str, Any]], fmt: Format, out: Path | None) -> str | None:
    """Write ``rows`` in ``fmt`` to ``out``, or return the text when ``out`` is None.

    Raises:
        KyotenError: Parquet was asked for without an output file.
    """
    if fmt == "parquet":
        if out is None:
            raise KyotenError(
                Bilingual(
                    en="Parquet output needs a file; add --out FILE",
                    ja="Parquet 形式の出力にはファイルが必要です。--out FILE を指定してください",
                ),
                location="--format",
                value=fmt,
            )
        pq.write_table(pa.Table.from_pylist(list(rows)), out)
        return None
    if fmt == "json":
        text = json.dumps(list(rows), ensure_ascii=False, indent=1) + "\n"
    elif fmt == "csv":
        buffer = io.StringIO()
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        text = buffer.getvalue()
    else:
        text = render_text(rows) + "\n"
    if out is None:
        return text
    out.write_text(text, encoding="utf-8")
    return None
