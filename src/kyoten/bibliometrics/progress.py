"""A dependency-free progress bar on stderr, shown only on a terminal or when asked for.

Example:
    >>> import io
    >>> out = io.StringIO()
    >>> bar = Progress("ingest", total=200, enabled=True, stream=out)
    >>> bar.advance(100)
    >>> bar.close()
    >>> "50%" in out.getvalue() and "100%" in out.getvalue()
    True
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Byte- or item-based progress, redrawn in place with a carriage return.

    Args:
        label: what is progressing.
        total: the amount that means done.
        enabled: draw at all; None means "only if the stream is a terminal".
        stream: where to draw (stderr by default).
    """

    def __init__(
        self,
        label: str,
        total: int,
        *,
        enabled: bool | None = None,
        stream: TextIO | None = None,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self.started = time.monotonic()

    def advance(self, amount: int) -> None:
        """Record ``amount`` more done and redraw."""
        self.done = min(self.done + amount, self.total)
        if self.enabled:
            share = self.done / self.total
            bar = "#" * int(share * 30)
            elapsed = time.monotonic() - self.started
            self.stream.write(f"\r{self.label} [{bar:<30}] {share:4.0%} {elapsed:6.1f} s")
            self.stream.flush()

    def close(self) -> None:
        """Finish the bar (complete it and end the line)."""
        if self.enabled:
            if self.done < self.total:
                self.advance(self.total - self.done)
            self.stream.write("\n")
            self.stream.flush()
