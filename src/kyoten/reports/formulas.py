"""Text cells that a spreadsheet program would run as formulas, made harmless — and back.

A text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with an
apostrophe (:func:`neutralise`), so a center name such as ``=HYPERLINK(…)`` is shown, never
run; the comparison exports do this. The per-version CSV files, which Kyoten reads back, use
:func:`escape`: a text that already begins with an apostrophe gets one too, so that
:func:`restore`, applied to every CSV cell Kyoten reads, gives exactly what was written.
Numbers stay numbers.

Example:
    >>> neutralise("=1+1"), neutralise("-x"), neutralise(-5), neutralise("'s"), neutralise("IPMU")
    ("'=1+1", "'-x", -5, "'s", 'IPMU')
    >>> all(restore(escape(text)) == text for text in ("=1", "'=1", "'s", "''", "x", ""))
    True
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text value that cannot run as a spreadsheet formula; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def escape(value: Any) -> Any:
    """:func:`neutralise`, and reversible: a leading apostrophe is doubled (see restore)."""
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, "'")):
        return "'" + value
    return value


def restore(text: str) -> str:
    """The text an escaped cell stood for (the inverse of :func:`escape`)."""
    return text[1:] if text.startswith("'") else text
