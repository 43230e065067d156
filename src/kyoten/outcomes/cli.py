"""``kyoten outcomes``: centers' report DOIs and publishing their indicators to the web app.

Examples::

    kyoten outcomes center-dois IRCN --report-years 2017-2023 --out ircn-dois.txt
    kyoten outcomes publish var/bib --years 2014-2023 --benchmark ror:057zh3y96 \\
        --benchmark country:JP --benchmark world
    kyoten outcomes load-samples      # sample indicators from a synthetic snapshot (make run)

These commands read the application's database (Django is set up here); the indicators
themselves come from :mod:`kyoten.bibliometrics`, which never imports Django.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kyoten.bibliometrics.cli import add_computation_options, options_from_args, parse_years
from kyoten.bibliometrics.units import parse_unit
from kyoten.cli import EXIT_OK, add_lang_option
from kyoten.text import Bilingual
from kyoten.web.cli import setup_django

PUBLISHER = "kyoten outcomes publish"
REPORT_YEAR = Bilingual(en="a report fiscal year", ja="報告の年度")


def _report_years(args: argparse.Namespace) -> tuple[int, int] | None:
    if not args.report_years:
        return None
    return parse_years(args.report_years, "--report-years", REPORT_YEAR)


def _center_dois(args: argparse.Namespace) -> int:
    report_years = _report_years(args)
    setup_django()
    from kyoten.outcomes.services import center_papers, find_center

    papers = center_papers(find_center(args.center), report_years, include_samples=args.samples)
    years = ", ".join(str(y) for y in papers.fiscal_years) or "-"
    lines = [
        f"# {papers.center.short_name}: {len(papers.dois)} DOIs from the reports of fiscal"
        f" years {years} ({papers.from_samples} only in sample reports)",
        *papers.dois,
    ]
    text = "\n".join(lines) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(lines[0].removeprefix("# "), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _publish(args: argparse.Namespace) -> int:
    options = options_from_args(args)
    report_years = _report_years(args)
    benchmarks = [parse_unit(b) for b in args.benchmark]
    setup_django()
    from kyoten.audit.context import acting_as
    from kyoten.outcomes.services import find_center, publish

    centers = [find_center(code) for code in args.center] or None
    with acting_as(None, PUBLISHER):
        published = publish(
            Path(args.data),
            options,
            benchmarks,
            centers=centers,
            report_years=report_years,
            include_samples=args.samples,
            time_limit_s=args.time_limit_s,
            threads=args.threads,
        )
    run = published.run
    for unit in run.units.all():
        if unit.dois_listed is not None:
            print(
                f"{unit.name}: {unit.dois_found} of {unit.dois_listed} report DOIs found in"
                f" the data ({unit.dois_from_samples} from sample reports)",
                file=sys.stderr,
            )
    for center in published.without_dois:
        print(f"{center.short_name}: no DOI in its reports; not measured", file=sys.stderr)
    print(
        f"published indicators {run.first_year}-{run.last_year} for"
        f" {run.units.count()} units (run {run.pk}, data {run.data_sha256[:12]})"
    )
    return EXIT_OK


def _load_samples(args: argparse.Namespace) -> int:
    setup_django()
    from django.conf import settings
    from django.utils import timezone

    from kyoten.outcomes.samples import load_sample_outcomes

    folder = Path(args.folder) if args.folder else Path(settings.INSTANCE_DIR) / "sample-openalex"
    run = load_sample_outcomes(folder, timezone.localdate())
    if run is None:
        print(
            "sample outcome indicators: none added (indicators are stored already, or no"
            " sample report lists a paper of the last ten years)"
        )
    else:
        print(
            f"sample outcome indicators published from a synthetic snapshot ({run.works_in_data}"
            f" works in {folder}): {run.units.count()} units, papers of {run.window}"
        )
    return EXIT_OK


def _add_report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--report-years", help="only reports of these fiscal years, e.g. 2014-2023")
    parser.add_argument(
        "--samples",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="read sample reports for years without an accepted report (default: yes)",
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kyoten outcomes`` and its subcommands."""
    outcomes = subparsers.add_parser(
        "outcomes", help="centers' outcome indicators from their report DOIs (web application)"
    )
    commands = outcomes.add_subparsers(dest="outcomes_command", required=True, metavar="SUBCOMMAND")

    dois = commands.add_parser(
        "center-dois", help="the DOIs of a center's stored annual reports, one per line"
    )
    dois.add_argument("center", help="the center's short name or key, e.g. IRCN")
    _add_report_options(dois)
    dois.add_argument("--out", help="output file (default: standard output)")
    add_lang_option(dois)
    dois.set_defaults(handler=_center_dois)

    publish = commands.add_parser(
        "publish",
        help="compute every center's indicators and the benchmarks' in one run and store them",
    )
    add_computation_options(publish)
    _add_report_options(publish)
    publish.add_argument(
        "--benchmark",
        action="append",
        default=[],
        help="ror:ID, country:CC, world or center:NAME=FILE shown beside the centers (repeatable)",
    )
    publish.add_argument(
        "--center",
        action="append",
        default=[],
        help="only this center (short name or key; repeatable; default: every center)",
    )
    publish.set_defaults(handler=_publish)

    samples = commands.add_parser(
        "load-samples",
        help="sample indicators from a synthetic snapshot holding the centers' sample-report"
        " DOIs, marked sample data and replaced by a real publish (idempotent)",
    )
    samples.add_argument(
        "--folder", help="where the snapshot is written (default: sample-openalex in var/)"
    )
    samples.set_defaults(handler=_load_samples)
