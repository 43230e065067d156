"""``kyoten load-samples``: the sample annual reports for the dashboards (idempotent)."""

from __future__ import annotations

import argparse

from kyoten.cli import EXIT_OK
from kyoten.web.cli import setup_django


def _load_samples(args: argparse.Namespace) -> int:
    setup_django()
    from django.utils import timezone

    from kyoten.submissions.samples import load_samples

    added = load_samples(timezone.localdate())
    print(f"sample annual reports loaded: {added} added (existing samples kept)")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``load-samples``."""
    load = subparsers.add_parser(
        "load-samples",
        help="load sample annual reports for every center and finished fiscal year (idempotent)",
    )
    load.set_defaults(handler=_load_samples)
