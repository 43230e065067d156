"""The clock the whole test suite runs at.

``KYOTEN_TEST_NOW`` (an ISO 8601 instant with its offset, e.g. ``2027-03-31T23:30+09:00``)
pins Python's clock at that instant for the whole run, ticking on from there, so that the
suite can be run at the hours and days that split dates and fiscal years (``make
test-clocks``). Unset, the suite runs at the real time.
"""

from __future__ import annotations

import datetime
import os

import pytest
import time_machine


def pytest_configure(config: pytest.Config) -> None:
    text = os.environ.get("KYOTEN_TEST_NOW")
    if not text:
        return
    try:
        instant = datetime.datetime.fromisoformat(text)
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise pytest.UsageError(
            f"KYOTEN_TEST_NOW={text!r}: expected an ISO 8601 instant with its offset, "
            "e.g. 2027-03-31T23:30+09:00"
        )
    traveller = time_machine.travel(instant, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


def pytest_report_header(config: pytest.Config) -> str | None:
    text = os.environ.get("KYOTEN_TEST_NOW")
    return f"clock pinned at {text} (KYOTEN_TEST_NOW)" if text else None
