"""Limits on report files, as settings with their units in their names.

Defaults suit every real report (a center's workbook is well under 1 MB); each may be
overridden by an environment variable ``KYOTEN_REPORT_<NAME>`` holding a positive whole
number, e.g. ``KYOTEN_REPORT_UPLOAD_MAX_BYTES=20000000``. A bad value fails loudly.

Example:
    >>> ReportLimits.from_env({"KYOTEN_REPORT_UPLOAD_MAX_BYTES": "2000"}).upload_max_bytes
    2000
    >>> ReportLimits.from_env({"KYOTEN_REPORT_ROWS_MAX": "many"})
    Traceback (most recent call last):
    ...
    kyoten.text.KyotenError: KYOTEN_REPORT_ROWS_MAX: expected a whole number greater than 0 (got 'many')
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from kyoten.text import Bilingual, KyotenError


@dataclass(frozen=True)
class ReportLimits:
    """How large a report file may be, and how far its zip may expand."""

    # The largest file accepted, as uploaded (Excel workbook, CSV zip or JSON).
    upload_max_bytes: int = 10_000_000
    # The largest total size of the files inside an Excel workbook or CSV zip, as the zip's
    # directory declares them — checked before anything is decompressed.
    uncompressed_max_bytes: int = 25_000_000
    # The most any file inside the zip may expand (uncompressed / compressed size), and the
    # whole archive likewise; a zip bomb expands by thousands.
    compression_ratio_max: int = 200
    # The most files inside an Excel workbook or CSV zip.
    zip_entries_max: int = 500
    # The most data rows in one sheet or CSV file.
    rows_max: int = 20_000

    def too_many_rows(self, where: Bilingual) -> Bilingual:
        """The message for a sheet, CSV file or JSON list (``where``) past ``rows_max``."""
        return Bilingual(
            en=f"too many rows: at most {self.rows_max:,} are accepted in {where.en}",
            ja=f"行数が多すぎます（{where.ja}{self.rows_max:,}行まで）",
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ReportLimits:
        """Defaults, overridden by ``KYOTEN_REPORT_<NAME>`` variables."""
        environ = os.environ if environ is None else environ
        limits = cls()
        for item in fields(cls):
            name = f"KYOTEN_REPORT_{item.name.upper()}"
            if name not in environ:
                continue
            text = environ[name]
            if not text.strip().isdigit() or int(text) <= 0:
                raise KyotenError(
                    Bilingual(
                        en="expected a whole number greater than 0",
                        ja="0より大きい整数を指定してください",
                    ),
                    location=name,
                    value=text,
                )
            limits = replace(limits, **{item.name: int(text)})
        return limits
