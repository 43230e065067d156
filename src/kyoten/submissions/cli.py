"""``kyoten load-samples``: the sample annual reports for the dashboards and a sample
annual follow-up for the evaluation pages (idempotent)."""

from __future__ import annotations

import argparse

from kyoten.cli import EXIT_OK
from kyoten.web.cli import setup_django


def _load_samples(args: argparse.Namespace) -> int:
    setup_django()
    from django.utils import timezone

    from kyoten.evaluation.samples import load_sample_cycle
    from kyoten.submissions.samples import load_samples

    today = timezone.localdate()
    added = load_samples(today)
    print(f"sample annual reports loaded: {added} added (existing samples kept)")
    if load_sample_cycle(today):
        print("sample evaluation loaded: the annual follow-up of the last finished fiscal year")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``load-samples``."""
    load = subparsers.add_parser(
        "load-samples",
        help="load sample annual reports for every center and finished fiscal year, and a "
        "sample annual follow-up (idempotent)",
    )
    load.set_defaults(handler=_load_samples)
