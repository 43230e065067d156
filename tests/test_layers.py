"""The pure cores import neither Django nor any Django app (DESIGN: apps import the cores,
never the reverse) — checked in each core's source, and in a fresh interpreter that imports
every core."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src"
CORES = (
    "kyoten.text",
    "kyoten.identifiers",
    "kyoten.sources",
    "kyoten.validation",
    "kyoten.fiscal",
    "kyoten.lifecycle",
    "kyoten.cli",
    "kyoten.program",
    "kyoten.reports",
    "kyoten.bibliometrics",
    "kyoten.cycles",
    "kyoten.coi",
    "kyoten.assignment",
)
FORBIDDEN = (
    "django",
    "kyoten.accounts",
    "kyoten.people",
    "kyoten.audit",
    "kyoten.registry",
    "kyoten.submissions",
    "kyoten.outcomes",
    "kyoten.web",
)


def imported(source, module):
    """The absolute names of what ``source`` (the text of ``module``; a package's
    ``__init__`` is named ``<package>.__init__``) imports."""
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            yield base


def forbidden_imports(source, module):
    return sorted(
        name
        for name in imported(source, module)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    )


def core_files():
    for core in CORES:
        path = SRC / core.replace(".", "/")
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path.with_suffix(".py")]
        for file in files:
            relative = file.relative_to(SRC).with_suffix("")
            yield ".".join(relative.parts), file


CORE_FILES = list(core_files())


def test_every_core_module_is_checked():
    modules = {module for module, _ in CORE_FILES}
    assert {"kyoten.program.engine", "kyoten.program.__init__", "kyoten.lifecycle"} <= modules


@pytest.mark.parametrize(("module", "file"), CORE_FILES, ids=[m for m, _ in CORE_FILES])
def test_a_core_module_imports_no_django_and_no_app(module, file):
    assert forbidden_imports(file.read_text("utf-8"), module) == []


@pytest.mark.parametrize(
    ("source", "found"),
    [
        # what the check must catch, written as a core module would
        ("import django", ["django"]),
        ("from django.db import models", ["django.db"]),
        ("from kyoten.registry.models import Center", ["kyoten.registry.models"]),
        ("from ..registry import services", ["kyoten.registry"]),  # relative, from a core
        ("from . import engine", []),
        ("from .engine import evaluate", []),
        ("import duckdb\nfrom kyoten.text import Bilingual", []),
        ("def f():\n    from kyoten.web import settings", ["kyoten.web"]),  # inside a function
    ],
)
def test_the_check_catches_django_and_apps(source, found):
    assert forbidden_imports(source, "kyoten.program.engine") == found


def test_importing_every_core_loads_no_django():
    """Transitively too: a fresh interpreter imports the cores and lists what came with them."""
    script = (
        "import sys\n"
        + "".join(f"import {core}\n" for core in CORES)
        + f"print(sorted(m for m in sys.modules if m.startswith({FORBIDDEN!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
