"""Logging: a refusal (403) is one line naming who was refused and where, not a traceback.

Django logs a ``PermissionDenied`` with its traceback, though a refusal is the permission
check doing its job; the traceback would bury the server errors that need reading.
"""

from __future__ import annotations

import logging


class OneLineRefusals(logging.Filter):
    """On a 403 record: drop the traceback and add the user (or ``anonymous``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 403 or getattr(record, "one_line", False):
            return True  # not a refusal, or already made one line (settings loaded twice)
        record.one_line = True
        record.exc_info = None
        record.exc_text = None
        user = getattr(getattr(record, "request", None), "user", None)
        who = user.get_username() if user is not None and user.is_authenticated else "anonymous"
        record.msg = f"{record.msg} (user: %s)"
        record.args = (*(record.args if isinstance(record.args, tuple) else ()), who)
        return True
