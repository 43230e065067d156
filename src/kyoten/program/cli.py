"""``kyoten check``, ``kyoten rules`` and ``kyoten schema``."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the rulebook commands."""
