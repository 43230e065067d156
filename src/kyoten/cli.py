"""The ``kyoten`` command: one entry point, subcommands contributed by each part.

Each module in ``COMMAND_MODULES`` has ``register(subparsers)``, which adds its subcommands
and sets ``handler`` (a function taking the parsed arguments and returning an exit code).
Exit codes are shared by every command: 0 success, 1 a requirement not met (or another
negative answer), 2 unreadable or invalid input, 3 an internal error (a bug), 141 when the
output was closed before it was all written (``| head``), without a message. A
:class:`~kyoten.text.KyotenError` is printed in the chosen language, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Protocol

from kyoten.text import Bilingual, KyotenError, Lang

EXIT_OK = 0
EXIT_NOT_MET = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL_ERROR = 3
EXIT_BROKEN_PIPE = 128 + 13  # as a shell reports a process ended by SIGPIPE

COMMAND_MODULES: tuple[str, ...] = (
    "kyoten.program.cli",
    "kyoten.web.cli",
    "kyoten.bibliometrics.cli",
    "kyoten.reports.cli",
    "kyoten.submissions.cli",
    "kyoten.outcomes.cli",
    "kyoten.evaluation.cli",
    "kyoten.conflicts.cli",
    "kyoten.assignment.cli",
)


class CommandModule(Protocol):
    def register(self, subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
        """Add this module's subcommands."""


def default_lang() -> Lang:
    """Japanese when ``KYOTEN_LANG`` or the locale says so, English otherwise."""
    setting = os.environ.get("KYOTEN_LANG") or os.environ.get("LANG", "")
    return "ja" if setting.lower().startswith("ja") else "en"


def add_lang_option(parser: argparse.ArgumentParser) -> None:
    """The ``--lang ja|en`` option every user-facing command takes."""
    parser.add_argument(
        "--lang",
        choices=("ja", "en"),
        default=default_lang(),
        help="language of labels and messages (default: from KYOTEN_LANG or LANG)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kyoten",
        description="Kyoten (拠点): rules, centers, reports and indicators of the WPI program.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        module: CommandModule = importlib.import_module(name)
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``kyoten`` with ``argv`` and return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    lang = getattr(args, "lang", default_lang())
    try:
        code: int = args.handler(args)
        sys.stdout.flush()  # inside the try: a reader that has gone away shows here
    except BrokenPipeError:
        return _reader_gone()
    except KyotenError as error:
        print(error.localized(lang), file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:  # a bug: say so plainly; KYOTEN_DEBUG=1 shows the traceback
        if os.environ.get("KYOTEN_DEBUG") == "1":
            raise
        message = Bilingual(
            en=f"internal error ({type(error).__name__}); please report it with the input that "
            "caused it (KYOTEN_DEBUG=1 shows the details)",
            ja=f"内部エラーです（{type(error).__name__}）。原因となった入力を添えて報告してください"
            "（KYOTEN_DEBUG=1 で詳細を表示します）",
        )
        print(message.get(lang), file=sys.stderr)
        return EXIT_INTERNAL_ERROR
    return code


def _reader_gone() -> int:
    """Exit quietly when the output is closed early (``kyoten rules | head``), as Unix tools
    do: no message, the exit status of a process ended by SIGPIPE."""
    # Python flushes stdout again at exit; point it at /dev/null so that flush cannot fail.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
