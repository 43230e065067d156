"""Sample reports for the centers in the registry, generated deterministically.

Each center gets one sample report (``kyoten.reports.sample_report`` with its track and
selection year, seed 0) for every fiscal year it was supported, up to the last finished
fiscal year. Loading is idempotent: a year that already has its sample is left alone.
Samples are labelled as such on every page, and a real accepted report for the same center
and year replaces the sample in the dashboards.
"""

from __future__ import annotations

import datetime

from kyoten.audit.context import acting_as
from kyoten.fiscal import fiscal_year_of
from kyoten.registry.models import Center
from kyoten.reports import sample_report
from kyoten.submissions.models import AnnualReport
from kyoten.submissions.services import report_code, store


def sample_years(center: Center, today: datetime.date) -> range:
    """Fiscal years of support that had ended by ``today``."""
    life = center.lifecycle()
    last = min(fiscal_year_of(life.support_end), fiscal_year_of(today) - 1)
    return range(fiscal_year_of(life.support_start), last + 1)


def load_samples(today: datetime.date, centers: list[Center] | None = None) -> int:
    """Store the missing sample reports; return how many were added."""
    added = 0
    with acting_as(None, "kyoten load-samples"):
        for center in centers if centers is not None else Center.objects.all():
            present = set(
                AnnualReport.objects.filter(center=center, is_sample=True).values_list(
                    "fiscal_year", flat=True
                )
            )
            for fiscal_year in sample_years(center, today):
                if fiscal_year in present:
                    continue
                report = sample_report(
                    report_code(center),
                    fiscal_year,
                    track=center.track,  # type: ignore[arg-type]
                    selection_fiscal_year=center.selection_fiscal_year,
                )
                store(
                    center, report, f"sample-{center.key}-fy{fiscal_year}.json", None, sample=True
                )
                added += 1
    return added
