"""Text cells that a spreadsheet program would run as formulas, made harmless — and back.

Every CSV (and comparison workbook) cell Kyoten writes goes through :func:`neutralise`: a
text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with an
apostrophe, so a center name such as ``=HYPERLINK(…)`` is shown, never run; a text that
already begins with an apostrophe gets one too, so that :func:`restore`, applied to every
cell Kyoten reads back, gives exactly what was written. Numbers stay numbers.

Example:
    >>> neutralise("=1+1"), neutralise("-x"), neutralise(-5), neutralise("IPMU")
    ("'=1+1", "'-x", -5, 'IPMU')
    >>> all(restore(neutralise(text)) == text for text in ("=1", "'=1", "'s", "''", "x", ""))
    True
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text value that cannot run as a spreadsheet formula; other values unchanged."""
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, "'")):
        return "'" + value
    return value


def restore(text: str) -> str:
    """The text a neutralised cell stood for (the inverse of :func:`neutralise`)."""
    return text[1:] if text.startswith("'") else text
