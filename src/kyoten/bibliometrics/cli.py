"""``kyoten bib``: synth, ingest, indicators and compare.

Examples::

    kyoten bib synth --works 100000 --seed 1 --out var/synth
    kyoten bib ingest var/synth --out var/bib
    kyoten bib indicators var/bib --years 2019-2022 --unit world --unit country:JP
    kyoten bib compare var/bib --years 2019-2022 --center IPMU=dois.txt \\
        --benchmark ror:057zh3y96
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from kyoten.bibliometrics.band import reference_band
from kyoten.bibliometrics.indicators import (
    COUNTINGS,
    DEFAULT_DOC_TYPES,
    FIELD_SCHEMES,
    METHODS,
    IndicatorRow,
    Options,
    Store,
)
from kyoten.bibliometrics.ingest import ingest_openalex
from kyoten.bibliometrics.output import FORMATS, write_rows
from kyoten.bibliometrics.synth import generate
from kyoten.bibliometrics.tabular import ingest_table
from kyoten.bibliometrics.units import Unit, parse_unit
from kyoten.cli import EXIT_OK, add_lang_option
from kyoten.text import Bilingual, KyotenError, colon

PUBLICATION_YEAR = Bilingual(en="a publication year", ja="出版年")


def parse_years(
    text: str, option: str = "--years", what: Bilingual = PUBLICATION_YEAR
) -> tuple[int, int]:
    """``2019`` or ``2019-2022`` as (first, last); an error names ``option`` and ``what``.

    >>> parse_years("2019-2022"), parse_years("2020")
    ((2019, 2022), (2020, 2020))
    """
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", text)
    if not match:
        raise KyotenError(
            Bilingual(
                en=f"expected {what.en} or a range such as 2019-2022",
                ja=f"{what.ja}か 2019-2022 のような範囲を指定してください",
            ),
            location=option,
            value=text,
        )
    first = int(match.group(1))
    return first, int(match.group(2) or first)


def _mapping(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        name, sep, header = item.partition("=")
        if not sep or not name or not header:
            raise KyotenError(
                Bilingual(
                    en="expected NAME=HEADER, e.g. year=PY",
                    ja="名前=見出し の形で指定してください（例：year=PY）",
                ),
                location="--map",
                value=item,
            )
        out[name] = header
    return out


def _synth(args: argparse.Namespace) -> int:
    summary = generate(
        Path(args.out),
        works=args.works,
        seed=args.seed,
        malformed=args.malformed,
        part_size=args.part_size,
        jobs=args.jobs,
    )
    print(
        f"works {summary.works}, part files {summary.parts}, later versions"
        f" {summary.duplicates}, merged ids {summary.merged},"
        f" malformed lines {len(summary.malformed)}"
    )
    return EXIT_OK


def _ingest(args: argparse.Namespace) -> int:
    source = Path(args.source)
    out = Path(args.out)
    if source.suffix.lower() in (".csv", ".parquet"):
        report = ingest_table(source, out, columns=_mapping(args.map), on_error=args.on_error)
    else:
        report = ingest_openalex(
            source,
            out,
            on_error=args.on_error,
            progress=args.progress,
            time_limit_s=args.time_limit_s,
            memory_limit=args.memory_limit,
            threads=args.threads,
        )
    print("\n".join(report.lines()))
    return EXIT_OK


def options_from_args(args: argparse.Namespace) -> Options:
    """The :class:`Options` given by :func:`add_computation_options`' arguments."""
    first, last = parse_years(args.years)
    return Options(
        first_year=first,
        last_year=last,
        field_scheme=args.field_scheme,
        doc_types=tuple(t.strip() for t in args.types.split(",") if t.strip()),
        include_retracted=args.include_retracted,
        bootstrap=args.bootstrap,
        seed=args.seed,
    )


def _select(rows: list[IndicatorRow], args: argparse.Namespace) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        if args.counting in (row.counting, "both") and args.method in (row.method, "both"):
            values = row.as_dict()
            if not args.bootstrap:
                values = {k: v for k, v in values.items() if not k.endswith(("_lb", "_ub"))}
            out.append(values)
    return out


def _run(args: argparse.Namespace, units: list[Unit]) -> list[IndicatorRow]:
    store = Store(Path(args.data), time_limit_s=args.time_limit_s, threads=args.threads)
    try:
        for unit in units:
            if unit.kind == "center":
                found = store.matched_dois(unit)
                print(
                    f"{unit.name}: {found} of {len(unit.dois)} DOIs found in the data",
                    file=sys.stderr,
                )
        return store.indicators(units, options_from_args(args))
    finally:
        store.close()


def _emit(rows: list[dict[str, Any]], args: argparse.Namespace, note: str = "") -> int:
    text = write_rows(rows, args.format, Path(args.out) if args.out else None)
    if text is not None:
        sys.stdout.write(text)
        if note and args.format == "text":
            print(note)
    return EXIT_OK


def _indicators(args: argparse.Namespace) -> int:
    units = [parse_unit(u) for u in args.unit] or [parse_unit("world")]
    return _emit(_select(_run(args, units), args), args)


def _compare(args: argparse.Namespace) -> int:
    units = [parse_unit(f"center:{c}") for c in args.center]
    units += [parse_unit(b) for b in args.benchmark]
    band = reference_band()
    rows = _select(_run(args, units), args)
    for row in rows:
        row["vs_band"] = band.position(row["pp_top10"]) or "-"
    label = band.label.get(args.lang) + colon(args.lang)
    note = f"\n{label}{band.range_text()}\n{band.caveat.get(args.lang)}"
    return _emit(rows, args, note)


def add_computation_options(parser: argparse.ArgumentParser) -> None:
    """What the indicators are computed from and over: the ingested data folder, the year
    window, field scheme, document types, bootstrap, query limits and ``--lang``."""
    parser.add_argument("data", help="folder written by 'kyoten bib ingest'")
    parser.add_argument("--years", required=True, help="publication years, e.g. 2019-2022")
    parser.add_argument("--field-scheme", choices=FIELD_SCHEMES, default="field")
    parser.add_argument(
        "--types",
        default=",".join(DEFAULT_DOC_TYPES),
        help="document types, comma-separated (default: article,review)",
    )
    parser.add_argument("--include-retracted", action="store_true")
    parser.add_argument(
        "--bootstrap", type=int, default=0, help="resamples for stability intervals (e.g. 1000)"
    )
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed")
    parser.add_argument("--time-limit-s", type=float, default=600.0)
    parser.add_argument("--threads", type=int, default=None)
    add_lang_option(parser)


def _add_indicator_options(parser: argparse.ArgumentParser) -> None:
    add_computation_options(parser)
    parser.add_argument("--counting", choices=(*COUNTINGS, "both"), default="both")
    parser.add_argument("--method", choices=(*METHODS, "both"), default="both")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--out", help="output file (default: standard output)")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kyoten bib`` and its subcommands."""
    bib = subparsers.add_parser("bib", help="bibliometric indicators from OpenAlex data")
    commands = bib.add_subparsers(dest="bib_command", required=True, metavar="SUBCOMMAND")

    synth = commands.add_parser("synth", help="write a synthetic OpenAlex-shaped snapshot")
    synth.add_argument("--works", type=int, required=True)
    synth.add_argument("--seed", type=int, required=True)
    synth.add_argument("--out", required=True)
    synth.add_argument("--malformed", type=int, default=0, help="malformed lines to add")
    synth.add_argument("--part-size", type=int, default=100_000, help="works per part file")
    synth.add_argument("--jobs", type=int, default=1, help="worker processes")
    add_lang_option(synth)
    synth.set_defaults(handler=_synth)

    ingest = commands.add_parser(
        "ingest", help="read an OpenAlex snapshot folder or a CSV/Parquet table into Parquet"
    )
    ingest.add_argument("source", help="snapshot root folder, or a .csv/.parquet table")
    ingest.add_argument("--out", required=True, help="output folder for the Parquet tables")
    ingest.add_argument("--on-error", choices=("fail", "skip"), default="fail")
    ingest.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: only on a terminal)",
    )
    ingest.add_argument(
        "--map", action="append", default=[], help="table column NAME=HEADER, e.g. year=PY"
    )
    ingest.add_argument("--memory-limit", default="2GB", help="DuckDB memory limit")
    ingest.add_argument(
        "--threads", type=int, default=None, help="files staged at once (default: all cores)"
    )
    ingest.add_argument("--time-limit-s", type=float, default=3600.0)
    add_lang_option(ingest)
    ingest.set_defaults(handler=_ingest)

    indicators = commands.add_parser("indicators", help="P, PP(top 10%%/1%%), MNCS per unit")
    _add_indicator_options(indicators)
    indicators.add_argument(
        "--unit",
        action="append",
        default=[],
        help="world, ror:ID, country:CC or center:NAME=FILE (repeatable; default world)",
    )
    indicators.set_defaults(handler=_indicators)

    compare = commands.add_parser(
        "compare", help="a center beside benchmark institutions, with the 20–25%% band"
    )
    _add_indicator_options(compare)
    compare.add_argument(
        "--center", action="append", required=True, help="NAME=FILE of DOIs (repeatable)"
    )
    compare.add_argument(
        "--benchmark",
        action="append",
        default=[],
        help="ror:ID, country:CC or world (repeatable)",
    )
    compare.set_defaults(handler=_compare)
