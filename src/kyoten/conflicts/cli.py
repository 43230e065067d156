"""``kyoten conflicts detect``: look for conflicts of interest from a script (e.g. each night
from cron, after ``kyoten bib ingest``), as the office's page does.

Examples::

    kyoten conflicts detect                          # the latest published run's data
    kyoten conflicts detect --data var/openalex/out  # another ingested folder
    kyoten conflicts detect --on 2027-04-01 --lang ja

Prints what changed; a folder without ingested tables is refused (exit 2).
"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

from kyoten.cli import EXIT_OK, add_lang_option
from kyoten.evaluation.cli import refusing
from kyoten.text import Bilingual


def _detect(args: argparse.Namespace) -> int:
    from kyoten.audit.context import acting_as
    from kyoten.bibliometrics.ingest import table_path
    from kyoten.conflicts.services import detect

    if args.data is not None:
        table_path(args.data, "authorships")  # refused, naming the file, when it is missing
    with acting_as(None, "kyoten conflicts detect"):
        result = detect(on=args.on, folder=args.data)
    lines = Bilingual(
        en=f"persons checked: {result.persons}\nshared works read: {result.works}\n"
        f"new findings: {result.new}\nupdated: {result.updated}\n"
        f"no longer found: {result.removed}\nnew evidence after a decision: {result.flagged}\n"
        f"publication data: {result.data_folder or 'none'}",
        ja=f"確認した人数：{result.persons}\n読み込んだ共著論文：{result.works}\n"
        f"新規の判定：{result.new}\n更新：{result.updated}\n該当しなくなったもの：{result.removed}\n"
        f"判断後に新たな根拠が見つかったもの：{result.flagged}\n"
        f"論文データ：{result.data_folder or 'なし'}",
    )
    print(lines.get(args.lang))
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``conflicts`` and its subcommand."""
    conflicts = subparsers.add_parser("conflicts", help="conflicts of interest: detect")
    commands = conflicts.add_subparsers(dest="conflicts_command", required=True, metavar="ACTION")
    detecting = commands.add_parser("detect", help="look for conflicts of interest")
    detecting.add_argument(
        "--data",
        type=Path,
        help="a folder written by `kyoten bib ingest` (default: the latest run's)",
    )
    detecting.add_argument(
        "--on", type=datetime.date.fromisoformat, help="the day to look from (default: today)"
    )
    add_lang_option(detecting)
    detecting.set_defaults(handler=refusing(_detect))
