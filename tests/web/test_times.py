"""Times read by people are Japan time, whatever the hour the suite runs at: from 15:00 UTC on,
the UTC date is the day before Japan's (``make test-clocks`` runs the suite at such hours)."""

import datetime

import time_machine

from kyoten.audit.models import AuditEntry
from kyoten.outcomes.models import IndicatorRun

# 01:30 on 2 December in Japan, still 1 December in UTC
LATE_EVENING_UTC = datetime.datetime(2026, 12, 1, 16, 30, tzinfo=datetime.UTC)


def test_an_audit_entry_reads_in_japan_time(db):
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        entry = AuditEntry.objects.create(
            actor_label="hana", action="update", model="registry.Center", object_pk="1"
        )
    assert str(entry).startswith("2026-12-02 01:30 hana update")


def test_an_indicator_run_is_named_by_its_day_in_japan():
    run = IndicatorRun(first_year=2014, last_year=2023, at=LATE_EVENING_UTC)
    assert str(run) == "indicators 2014–2023 (2026-12-02)"
