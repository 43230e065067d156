"""``kyoten check``, ``kyoten rules`` and ``kyoten schema``."""

from __future__ import annotations

import argparse
import json
import sys

from kyoten.assignment.problem import problem_json_schema
from kyoten.assignment.proposal import proposal_json_schema
from kyoten.cli import EXIT_BAD_INPUT, EXIT_NOT_MET, EXIT_OK, add_lang_option
from kyoten.fiscal import parse_fiscal_year
from kyoten.program.engine import evaluate
from kyoten.program.plan import dump_schema, load_plan
from kyoten.program.rulebook import load_program
from kyoten.program.table import (
    column_title,
    render_text_table,
    requirement_rows,
    requirement_table,
    requirement_table_schema,
)
from kyoten.program.verdict import STATUS_LABELS, Verdict
from kyoten.text import KyotenError, Lang

_MARKS = {
    "met": "✓",
    "not_met": "✗",
    "below_guideline": "△",
    "not_applicable": "–",
    "missing_data": "?",
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the rulebook commands."""
    check = subparsers.add_parser(
        "check",
        help="check plans against the rulebook",
        description="Check plans (YAML or JSON) against the rulebook. Exit 0 when every "
        "requirement is met, 1 when one is not (or data is missing), 2 when a file is "
        "unreadable or invalid.",
    )
    check.add_argument("plans", nargs="+", metavar="PLAN", help="plan files (YAML or JSON)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    add_lang_option(check)
    check.set_defaults(handler=run_check)

    rules = subparsers.add_parser(
        "rules",
        help="print the requirement table",
        description="Print the requirements of each track for the era of a call.",
    )
    rules.add_argument("--track", help="only this track: wpi, core or multiple_host")
    rules.add_argument(
        "--fy",
        default="2023",
        help="the fiscal year of the call (selection year) whose rules to show (default 2023)",
    )
    rules.add_argument("--format", choices=("text", "json"), default="text")
    add_lang_option(rules)
    rules.set_defaults(handler=run_rules)

    schema = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of a plan (or of `kyoten rules --format json`)",
        description="Print the JSON Schema of a plan, or with `rules` of the requirement table "
        "that `kyoten rules --format json` prints, or with `assignment-problem` and "
        "`assignment-proposal` of the file `kyoten assign` reads and the one it writes.",
    )
    schema.add_argument(
        "of",
        nargs="?",
        choices=("plan", "rules", "assignment-problem", "assignment-proposal"),
        default="plan",
    )
    schema.set_defaults(handler=run_schema)


def render_verdict(verdict: Verdict, lang: Lang) -> str:
    """A verdict as text: a heading, then one line per requirement with its explanation."""
    program = load_program(verdict.program)
    track = column_title(program, verdict.track_key, lang)
    era = next(e for e in program.eras if e.id == verdict.era).label.get(lang)
    if lang == "ja":
        head = f"{verdict.name} — {track}、{verdict.fiscal_year}年度（支援{verdict.support_year}年目、{era}）"
    else:
        head = (
            f"{verdict.name} — {track}, FY{verdict.fiscal_year} "
            f"(support year {verdict.support_year}; {era})"
        )
    lines = [head]
    for finding in verdict.findings:
        label = STATUS_LABELS[finding.status].get(lang)
        title = finding.requirement.title.get(lang)
        lines.append(f"  {_MARKS[finding.status]} {label}  {finding.rule} ({title})")
        lines.append(f"      {finding.message.get(lang)}")
    counts = verdict.counts()
    if verdict.all_met:
        lines.append(
            "結果：すべての要件を満たしています"
            if lang == "ja"
            else "Result: every requirement is met"
        )
    elif lang == "ja":
        lines.append(f"結果：未充足 {counts['not_met']} 件、データ不足 {counts['missing_data']} 件")
    else:
        lines.append(f"Result: {counts['not_met']} not met, {counts['missing_data']} missing data")
    return "\n".join(lines)


def run_check(args: argparse.Namespace) -> int:
    verdicts = []
    invalid = False
    for path in args.plans:
        try:
            verdicts.append(evaluate(load_plan(path), name=path))
        except KyotenError as error:
            print(error.localized(args.lang), file=sys.stderr)
            invalid = True
    if args.format == "json":
        print(json.dumps([v.to_dict(args.lang) for v in verdicts], ensure_ascii=False, indent=2))
    else:
        print("\n\n".join(render_verdict(v, args.lang) for v in verdicts))
    if invalid:
        return EXIT_BAD_INPUT
    return EXIT_OK if all(v.all_met for v in verdicts) else EXIT_NOT_MET


def run_rules(args: argparse.Namespace) -> int:
    program = load_program("wpi")
    selection_year = parse_fiscal_year(args.fy)
    if args.track is not None:
        program.track(args.track)  # an unknown track is an error naming the known ones
    if args.format == "json":
        print(
            requirement_table(program, selection_year, args.lang, args.track).model_dump_json(
                indent=2
            )
        )
        return EXIT_OK
    rows = requirement_rows(program, selection_year, args.lang, args.track)
    era = program.era_for(selection_year).label.get(args.lang)
    heading = f"{program.title.get(args.lang)} — {era}"
    if not rows:
        print(heading)
        return EXIT_OK
    print(heading)
    columns = rows[0]["columns"]
    # Requirements that differ between tracks go in the table; the rest are listed once.
    differing = [row for row in rows if len(set(row["values"].values())) > 1]
    common = [row for row in rows if row not in differing]
    if differing and len(columns) > 1:
        header = ["要件" if args.lang == "ja" else "Requirement", *columns.values()]
        table = [[f"{row['title']} ({row['rule']})", *row["values"].values()] for row in differing]
        print(render_text_table(header, table))
        print("\n" + ("全区分に共通:" if args.lang == "ja" else "Common to every track:"))
    else:
        common = rows
    for row in common:
        value = next(iter(row["values"].values()))
        print(f"  {row['title']} ({row['rule']}): {value}")
    return EXIT_OK


def run_schema(args: argparse.Namespace) -> int:
    if args.of == "rules":
        print(json.dumps(requirement_table_schema(), ensure_ascii=False, indent=2))
    elif args.of == "assignment-problem":
        print(json.dumps(problem_json_schema(), ensure_ascii=False, indent=2))
    elif args.of == "assignment-proposal":
        print(json.dumps(proposal_json_schema(), ensure_ascii=False, indent=2))
    else:
        print(dump_schema())
    return EXIT_OK
