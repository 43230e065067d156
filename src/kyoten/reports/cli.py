"""``kyoten report …``: template, import, export, check, indicators, compare, sample, schema.

Every command reads a report in any of its forms (Excel workbook, zip of CSV files, JSON),
judged by content. Exit codes are those of ``kyoten``: 0 success, 1 a requirement not met,
2 unreadable or invalid input — with every problem of the file printed, one per line (or as
a JSON list with ``--format json``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kyoten.cli import EXIT_BAD_INPUT, EXIT_NOT_MET, EXIT_OK, add_lang_option
from kyoten.fiscal import format_yen, format_yen_ja, parse_fiscal_year
from kyoten.program.cli import render_verdict
from kyoten.reports.comparison import comparison_csv, comparison_xlsx
from kyoten.reports.exchange import (
    ExportFormat,
    csv_files,
    dump_report,
    load_report_file,
    report_json,
)
from kyoten.reports.indicators import Indicators, Ratio, indicators, report_verdict
from kyoten.reports.limits import ReportLimits
from kyoten.reports.model import AnnualReport, report_json_schema
from kyoten.reports.problems import error_records
from kyoten.reports.sample import sample_report
from kyoten.reports.xlsx import template_workbook
from kyoten.text import Bilingual, KyotenError, Lang

_TRACKS = ("wpi", "core", "multiple_host")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kyoten report`` and its subcommands."""
    report = subparsers.add_parser(
        "report",
        help="annual progress reports: Excel template, import, export, check, indicators",
        description="Annual progress reports of a center for a fiscal year.",
    )
    commands = report.add_subparsers(dest="report_command", required=True, metavar="COMMAND")

    template = commands.add_parser(
        "template", help="write the Excel template for a center and year"
    )
    template.add_argument("--center", required=True, help="the center's short name or id")
    template.add_argument("--fy", required=True, help="the fiscal year, e.g. 2024 or 令和6年度")
    template.add_argument("--previous", help="last year's report: pre-fills the details and roster")
    template.add_argument("--track", choices=_TRACKS, help="the center's track")
    template.add_argument("--selection-fy", help="the fiscal year the center was selected")
    template.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
    add_lang_option(template)
    template.set_defaults(handler=run_template)

    imported = commands.add_parser(
        "import",
        help="check a filled-in template (xlsx, CSV zip or JSON) and write the report as JSON",
    )
    imported.add_argument(
        "file", help="the report: .xlsx, .json, a .zip of CSV files or a directory of them"
    )
    imported.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="how to print problems: one per line (text) or a JSON list with sheet, row, column",
    )
    imported.add_argument("--center", help="refuse a report for another center")
    imported.add_argument("--fy", help="refuse a report for another fiscal year")
    imported.add_argument("-o", "--output", help="the JSON file to write (default: stdout)")
    add_lang_option(imported)
    imported.set_defaults(handler=run_import)

    export = commands.add_parser("export", help="write a report as xlsx, json or csv")
    export.add_argument("file", help="the report file")
    export.add_argument("--to", choices=("xlsx", "json", "csv"), required=True)
    export.add_argument(
        "-o",
        "--output",
        required=True,
        help="the file to write; for csv a .zip, or a directory for one file per section",
    )
    add_lang_option(export)
    export.set_defaults(handler=run_export)

    check = commands.add_parser("check", help="the rulebook verdict for a report")
    check.add_argument("file", help="the report file")
    check.add_argument("--format", choices=("text", "json"), default="text")
    add_lang_option(check)
    check.set_defaults(handler=run_check)

    numbers = commands.add_parser("indicators", help="the indicators derived from reports")
    numbers.add_argument("files", nargs="+", metavar="FILE")
    numbers.add_argument("--format", choices=("text", "json"), default="text")
    add_lang_option(numbers)
    numbers.set_defaults(handler=run_indicators)

    compare = commands.add_parser("compare", help="a comparison table of many reports")
    compare.add_argument("files", nargs="+", metavar="FILE")
    compare.add_argument("-o", "--output", required=True, help="a .xlsx or .csv file")
    add_lang_option(compare)
    compare.set_defaults(handler=run_compare)

    sample = commands.add_parser("sample", help="write a generated sample report (is_sample: true)")
    sample.add_argument("--center", required=True)
    sample.add_argument("--fy", required=True)
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--track", choices=_TRACKS, default="wpi")
    sample.add_argument("--format", choices=("json", "xlsx", "csv"), default="json")
    sample.add_argument("-o", "--output", help="the file to write (default: stdout, JSON only)")
    add_lang_option(sample)
    sample.set_defaults(handler=run_sample)

    schema = commands.add_parser("schema", help="print the JSON Schema of a report")
    schema.set_defaults(handler=run_schema)


def _load(path: str) -> AnnualReport:
    return load_report_file(path, ReportLimits.from_env())


def _write(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as error:
        raise KyotenError(
            Bilingual(
                en=f"cannot write the file ({error.strerror})",
                ja=f"ファイルを書き込めません（{error.strerror}）",
            ),
            location=path,
        ) from None


def run_template(args: argparse.Namespace) -> int:
    previous = _load(args.previous) if args.previous else None
    selection = parse_fiscal_year(args.selection_fy) if args.selection_fy else None
    data = template_workbook(
        args.center,
        parse_fiscal_year(args.fy),
        previous,
        track=args.track,
        selection_fiscal_year=selection,
        lang=args.lang,
    )
    _write(args.output, data)
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    expected: dict[str, object] = {}
    if args.center:
        expected["center"] = args.center
    if args.fy:
        expected["fiscal_year"] = parse_fiscal_year(args.fy)
    try:
        report = load_report_file(args.file, ReportLimits.from_env(), expected=expected)
    except KyotenError as error:
        if args.format == "json":
            print(json.dumps(error_records(error), ensure_ascii=False, indent=2))
        else:
            print(error.localized(args.lang), file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.output:
        _write(args.output, report_json(report).encode("utf-8"))
    else:
        print(report_json(report), end="")
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    report = _load(args.file)
    if args.to == "csv" and not args.output.lower().endswith(".zip"):
        directory = Path(args.output)
        directory.mkdir(parents=True, exist_ok=True)
        for name, content in csv_files(report).items():
            _write(str(directory / name), content)
        return EXIT_OK
    _write(args.output, dump_report(report, "csv_zip" if args.to == "csv" else args.to, args.lang))
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    verdict = report_verdict(_load(args.file))
    if args.format == "json":
        print(json.dumps(verdict.to_dict(args.lang), ensure_ascii=False, indent=2))
    else:
        print(render_verdict(verdict, args.lang))
    return EXIT_OK if verdict.all_met else EXIT_NOT_MET


def _ratio(ratio: Ratio) -> str:
    percent = ratio.percent()
    return f"{ratio.part}/{ratio.whole}" + ("" if percent is None else f" ({percent}%)")


def render_indicators(numbers: Indicators, lang: Lang) -> str:
    """The indicators as text lines in ``lang``."""
    yen = format_yen_ja if lang == "ja" else format_yen
    per_yen = numbers.non_wpi_per_wpi_yen
    rows = [
        (Bilingual(en="PIs", ja="PI数"), str(numbers.pis)),
        (Bilingual(en="Researchers", ja="研究者数"), str(numbers.researchers)),
        (Bilingual(en="Total staff", ja="総勢"), str(numbers.total_staff)),
        (
            Bilingual(en="Researchers from abroad", ja="外国からの研究者"),
            _ratio(numbers.researchers_from_abroad),
        ),
        (
            Bilingual(en="Women among researchers", ja="女性研究者"),
            _ratio(numbers.women_researchers),
        ),
        (Bilingual(en="Women among PIs", ja="女性PI"), _ratio(numbers.women_pis)),
        (
            Bilingual(en="Postdocs by international recruitment", ja="国際公募によるポスドク"),
            _ratio(numbers.postdocs_international),
        ),
        (
            Bilingual(en="People over 100% effort", ja="エフォート100%超の人"),
            ", ".join(f"{o.name} ({o.peak_effort_percent:g}%)" for o in numbers.overcommitted)
            or "0",
        ),
        (Bilingual(en="WPI grant", ja="WPI補助金"), yen(numbers.wpi_grant)),
        (Bilingual(en="Other funding", ja="WPI以外の資金"), yen(numbers.non_wpi_funding)),
        (
            Bilingual(en="Other funding per yen of WPI grant", ja="WPI補助金1円あたりの他資金"),
            "–" if per_yen is None else f"{float(per_yen):.2f}",
        ),
        (Bilingual(en="Publications", ja="論文数"), str(numbers.publications)),
        (
            Bilingual(en="Interdisciplinary", ja="学際的論文"),
            _ratio(numbers.interdisciplinary_publications),
        ),
        (
            Bilingual(en="Internationally co-authored", ja="国際共著論文"),
            _ratio(numbers.internationally_coauthored_publications),
        ),
        (Bilingual(en="International meetings", ja="国際会議"), str(numbers.meetings)),
    ]
    sample = (
        (" — サンプルデータ" if lang == "ja" else " — sample data") if numbers.is_sample else ""
    )
    head = (
        f"{numbers.center} {numbers.fiscal_year}年度{sample}"
        if lang == "ja"
        else f"{numbers.center} FY{numbers.fiscal_year}{sample}"
    )
    return "\n".join([head, *(f"  {label.get(lang)}: {value}" for label, value in rows)])


def run_indicators(args: argparse.Namespace) -> int:
    results = [indicators(_load(path)) for path in args.files]
    if args.format == "json":
        print(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
    else:
        print("\n\n".join(render_indicators(r, args.lang) for r in results))
    return EXIT_OK


def run_compare(args: argparse.Namespace) -> int:
    reports = [_load(path) for path in args.files]
    if args.output.lower().endswith(".csv"):
        _write(args.output, comparison_csv(reports, args.lang))
    else:
        _write(args.output, comparison_xlsx(reports, args.lang))
    return EXIT_OK


def run_sample(args: argparse.Namespace) -> int:
    report = sample_report(args.center, parse_fiscal_year(args.fy), args.seed, track=args.track)
    if args.output is None:
        if args.format != "json":
            raise KyotenError(
                Bilingual(
                    en=f"give -o FILE to write {args.format}; only JSON goes to the screen",
                    ja=f"{args.format} を書き出すには -o FILE を指定してください（画面にはJSONのみ出力します）",
                ),
                location="--format",
                value=args.format,
            )
        print(report_json(report), end="")
        return EXIT_OK
    fmt: ExportFormat = "csv_zip" if args.format == "csv" else args.format
    _write(args.output, dump_report(report, fmt, args.lang))
    return EXIT_OK


def run_schema(args: argparse.Namespace) -> int:
    print(json.dumps(report_json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK
