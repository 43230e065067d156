"""``kyoten evaluation``: open, export and publish an evaluation from a script, and send the
day's reminders — with the same roles and checks as the web pages.

Examples::

    kyoten evaluation open --as office --type annual_follow_up --fiscal-year 2026 \\
        --phase materials=2026-05-01..2026-06-30 --phase review=2026-07-01..2026-09-30 \\
        --phase committee=2026-10-01..2026-10-31 --phase consolidation=2026-11-01..2026-12-15 \\
        --phase publication=2026-12-16..2027-01-31
    kyoten evaluation export 12 --as office --format pdf --lang ja --out fy2026-ja.pdf
    kyoten evaluation publish 12 --as office
    kyoten evaluation remind            # once a day, e.g. from cron (reports' due dates too)

A refusal (a user without the role, an evaluation that cannot be held, a result missing)
is printed in the chosen language and exits with 1; unreadable arguments exit with 2.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path
from typing import Any

from kyoten.cli import EXIT_NOT_MET, EXIT_OK, add_lang_option
from kyoten.text import Bilingual, KyotenError
from kyoten.web.cli import setup_django


def _phase(text: str) -> tuple[str, datetime.date, datetime.date]:
    """``materials=2026-05-01..2026-06-30`` as (phase, from, until)."""
    try:
        name, days = text.split("=", 1)
        first, last = days.split("..", 1)
        return name.strip(), datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
    except ValueError:
        raise KyotenError(
            Bilingual(
                en="expected PHASE=FROM..UNTIL with ISO dates, e.g. review=2026-07-01..2026-09-30",
                ja="「段階=開始日..終了日」の形式（例：review=2026-07-01..2026-09-30）で指定してください",
            ),
            location="--phase",
            value=text,
        ) from None


def acting_user(name: str, action: str) -> Any:
    """The account ``name``, if it may do ``action`` today (a refusal otherwise)."""
    from django.contrib.auth import get_user_model

    from kyoten.accounts.permissions import may

    user = get_user_model().objects.filter(username=name, is_active=True).first()
    if user is None or not may(user, action):
        raise Refused(
            Bilingual(
                en=f"{name} may not do this (it needs the program office's role)",
                ja=f"{name} にはこの操作の権限がありません（プログラム事務局の役割が必要です）",
            )
        )
    return user


class Refused(Exception):
    def __init__(self, message: Bilingual) -> None:
        self.message = message


def refusing(run: Any) -> Any:
    """Run ``run(args)``; a refusal is printed in the chosen language and exits with 1."""

    def handler(args: argparse.Namespace) -> int:
        setup_django()
        from django.core.exceptions import ValidationError
        from django.utils import translation

        with translation.override(args.lang):
            try:
                code: int = run(args)
                return code
            except Refused as refused:
                print(refused.message.get(args.lang), file=sys.stderr)
            except ValidationError as error:
                print(" ".join(error.messages), file=sys.stderr)
        return EXIT_NOT_MET

    return handler


def _open(args: argparse.Namespace) -> int:
    from kyoten.evaluation import services
    from kyoten.registry.lookup import center_by_code

    user = acting_user(args.as_user, "evaluation.manage")
    phases = [_phase(p) for p in args.phase]
    order = [p.id for p in services.data().phases]
    if [p for p, _first, _last in phases] != order:
        raise Refused(
            Bilingual(
                en=f"give every phase once, in order: {', '.join(order)}",
                ja=f"すべての段階を一度ずつ、順に指定してください：{', '.join(order)}",
            )
        )
    center = _center(args.center, center_by_code) if args.center else None
    cycle = services.open_cycle(
        cycle_type=args.type,
        fiscal_year=args.fiscal_year,
        center=center,
        phases=phases,
        by=user,
    )
    print(f"{cycle.pk}\t{cycle.cycle_type}\tFY{cycle.fiscal_year}\t{cycle.cases.count()} cases")
    return EXIT_OK


def _center(code: str, lookup: Any) -> Any:
    from django.http import Http404

    try:
        return lookup(code)
    except Http404:
        raise Refused(Bilingual(en=f"no center {code}", ja=f"拠点 {code} はありません")) from None


def _cycle(pk: int) -> Any:
    from kyoten.evaluation.models import Cycle

    cycle = Cycle.objects.filter(pk=pk).first()
    if cycle is None:
        raise Refused(Bilingual(en=f"no evaluation {pk}", ja=f"評価 {pk} はありません"))
    return cycle


def _export(args: argparse.Namespace) -> int:
    from kyoten.evaluation.export import cycle_workbook
    from kyoten.evaluation.pdf import result_pdf

    acting_user(args.as_user, "evaluation.manage")
    cycle = _cycle(args.cycle)
    content = (
        result_pdf(cycle, args.lang) if args.format == "pdf" else cycle_workbook(cycle, args.lang)
    )
    Path(args.out).write_bytes(content)
    print(f"{args.out}: {len(content)} bytes", file=sys.stderr)
    return EXIT_OK


def _publish(args: argparse.Namespace) -> int:
    from kyoten.evaluation import services

    user = acting_user(args.as_user, "evaluation.manage")
    cycle = _cycle(args.cycle)
    services.publish(cycle, user)
    print(f"{cycle.pk}\tpublished\t{cycle.published_at:%Y-%m-%d %H:%M %Z}")
    return EXIT_OK


def _remind(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from kyoten.audit.context import acting_as
    from kyoten.evaluation.notices import remind
    from kyoten.submissions import notices as reports

    today = timezone.localdate()
    with acting_as(None, "kyoten evaluation remind"):
        sent = remind(today) + reports.remind(today)
    print(f"reminders sent: {sent}")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``evaluation`` and its subcommands."""
    evaluation = subparsers.add_parser(
        "evaluation", help="evaluation cycles: open, export, publish, remind"
    )
    commands = evaluation.add_subparsers(dest="evaluation_command", required=True, metavar="ACTION")

    def command(
        name: str, help_text: str, run: Any, *, acting: bool = True
    ) -> argparse.ArgumentParser:
        parser = commands.add_parser(name, help=help_text)
        if acting:
            parser.add_argument(
                "--as", dest="as_user", required=True, help="the program-office account acting"
            )
        add_lang_option(parser)
        parser.set_defaults(handler=refusing(run))
        return parser

    opening = command("open", "open an evaluation with its phases' dates", _open)
    opening.add_argument("--type", required=True, help="annual_follow_up, interim_evaluation, …")
    opening.add_argument("--fiscal-year", type=int, required=True)
    opening.add_argument("--center", help="the center's code, for an evaluation of one center")
    opening.add_argument(
        "--phase", action="append", default=[], help="PHASE=FROM..UNTIL, once per phase in order"
    )
    exporting = command("export", "write an evaluation's results (PDF) or grades (Excel)", _export)
    exporting.add_argument("cycle", type=int)
    exporting.add_argument("--format", choices=("pdf", "xlsx"), default="pdf")
    exporting.add_argument("--out", required=True)
    publishing = command("publish", "publish an evaluation's results", _publish)
    publishing.add_argument("cycle", type=int)
    command(
        "remind",
        "send the day's e-mail notices (phases opening, reviews due)",
        _remind,
        acting=False,
    )
