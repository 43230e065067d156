"""``kyoten assign``: working groups proposed from a problem file, or a proposal checked.

Exit codes as every command: 0 groups formed (or, with ``--check``, the proposal meets every
hard constraint), 1 no groups (infeasible, with the reasons; or nothing found within the
work limit) or a proposal that breaks a constraint, 2 an unreadable or invalid file.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from kyoten.cli import EXIT_NOT_MET, EXIT_OK, add_lang_option
from kyoten.text import Bilingual, KyotenError, Lang


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kyoten assign``."""
    assign = subparsers.add_parser(
        "assign",
        help="propose working groups from a problem file (JSON)",
        description="Propose the working groups of a problem file (experts, groups, fit, "
        "conflicts, pins; `kyoten schema assignment-problem`) and write the proposal with its "
        "explanation as JSON (`kyoten schema assignment-proposal`). Exit 0 when the groups were "
        "formed, 1 when they cannot be (the reasons are printed), 2 when a file is unreadable "
        "or invalid. With --check, check a proposal (e.g. one edited by hand) instead.",
    )
    assign.add_argument("problem", metavar="PROBLEM.json", help="the problem file")
    assign.add_argument(
        "--out", metavar="FILE", help="write the proposal here (default: standard output)"
    )
    assign.add_argument(
        "--check",
        metavar="PROPOSAL.json",
        help="check this proposal against the problem's hard constraints instead of solving",
    )
    assign.add_argument(
        "--stats",
        action="store_true",
        help="print the solve time and work to standard error (never in the proposal)",
    )
    add_lang_option(assign)
    assign.set_defaults(handler=run_assign)


def run_assign(args: argparse.Namespace) -> int:
    from kyoten.assignment import check, load_problem, parse_assignment, solve
    from kyoten.assignment.problem import read_bounded

    lang: Lang = args.lang
    problem = load_problem(args.problem)
    if args.check:
        assignment = parse_assignment(read_bounded(args.check), args.check)
        violations = check(problem, assignment)
        for violation in violations:
            print(violation.message.get(lang))
        if violations:
            return EXIT_NOT_MET
        print(
            Bilingual(
                en="the proposal meets every hard constraint",
                ja="この割当てはすべての必須条件を満たしています",
            ).get(lang)
        )
        return EXIT_OK
    solved = solve(problem)
    proposal = solved.proposal
    summary = sys.stdout
    if args.out:
        _write_whole(Path(args.out), proposal.to_json())
    else:
        sys.stdout.write(proposal.to_json())
        summary = sys.stderr
    print(proposal.message.get(lang), file=summary)
    for group in proposal.groups:
        if not group.members:
            continue
        names = ", " if lang == "en" else "、"
        members = names.join(
            m.name + (" (chair)" if lang == "en" else "（主査）") * (m.role == "chair")
            for m in group.members
        )
        if lang == "ja":
            line = (
                f"  {group.name}：{members}（{group.size}名中、海外の専門家{group.from_abroad}名）"
            )
        else:
            line = f"  {group.name}: {members} ({group.from_abroad} of {group.size} from abroad)"
        print(line, file=summary)
    if proposal.objective is not None:
        o = proposal.objective
        print(
            f"評価値 {o.value}（適合度の合計 {o.fit}、昨年度からの継続 {o.continuity}名、"
            f"担当の重なり {o.load_cost}）"
            if lang == "ja"
            else f"objective {o.value} (fit {o.fit}, {o.continuity} kept from last year, "
            f"load cost {o.load_cost})",
            file=summary,
        )
    if proposal.infeasibility is not None:
        for reason in proposal.infeasibility.reasons:
            print(f"  - {reason.text.get(lang)}", file=summary)
    if args.out:
        print(("書き出し先：" if lang == "ja" else "written to ") + args.out, file=summary)
    if args.stats:
        for line in solved.stats.lines():
            print(line, file=sys.stderr)
    return EXIT_OK if proposal.status in ("optimal", "feasible") else EXIT_NOT_MET


def _write_whole(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temporary file renamed over it)."""
    temporary: Path | None = None
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        temporary = Path(name)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        temporary.replace(path)
    except OSError as error:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise KyotenError(
            Bilingual(
                en=f"cannot write the proposal ({error.strerror})",
                ja=f"割当て案を書き出せません（{error.strerror}）",
            ),
            location=str(path),
        ) from None
