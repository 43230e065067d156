"""``kyoten load-samples``: the sample annual reports for the dashboards, a sample annual
follow-up for the evaluation pages and this year's with its working groups to form from a
sample expert pool, its conflicts of interest looked for (idempotent)."""

from __future__ import annotations

import argparse

from kyoten.cli import EXIT_OK
from kyoten.web.cli import setup_django


def _load_samples(args: argparse.Namespace) -> int:
    setup_django()
    from django.utils import timezone

    from kyoten.audit.context import acting_as
    from kyoten.conflicts.services import detect
    from kyoten.evaluation.samples import load_sample_cycle, load_sample_cycle_to_form
    from kyoten.submissions.samples import load_samples

    today = timezone.localdate()
    added = load_samples(today)
    print(f"sample annual reports loaded: {added} added (existing samples kept)")
    if load_sample_cycle(today):
        print("sample evaluation loaded: the annual follow-up of the last finished fiscal year")
    if load_sample_cycle_to_form(today):
        print("sample evaluation loaded: this year's follow-up, its working groups to form")
        with acting_as(None, "kyoten load-samples"):
            found = detect()
        print(f"conflicts of interest looked for: {found.new} findings")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``load-samples``."""
    load = subparsers.add_parser(
        "load-samples",
        help="load sample annual reports for every center and finished fiscal year, and a "
        "sample annual follow-up (idempotent)",
    )
    load.set_defaults(handler=_load_samples)
