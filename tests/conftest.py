"""Collect the YAML scenario files in tests/scenarios as tests.

A scenario file is written the way a program officer would write a case (like OpenFisca's
YAML tests): a ``base`` plan, then ``scenarios``, each with a name, the changes to the base
plan, the status expected for each named requirement and, optionally, words its message
must contain. See tests/scenarios/README.md.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from kyoten.program import evaluate, plan_from_data


@pytest.fixture
def soffice() -> str:
    """LibreOffice's command, for tests that have a real spreadsheet program save a file.

    Skipped when it is not installed, unless KYOTEN_REQUIRE_SOFFICE=1 (as in CI) makes its
    absence a failure.
    """
    path = shutil.which("soffice")
    if path is None:
        if os.environ.get("KYOTEN_REQUIRE_SOFFICE") == "1":
            pytest.fail(
                "soffice (LibreOffice) is required (KYOTEN_REQUIRE_SOFFICE=1) but not found"
            )
        pytest.skip("soffice (LibreOffice) is not installed; set KYOTEN_REQUIRE_SOFFICE=1 to fail")
    return path


@pytest.fixture
def poppler() -> Path:
    """The folder of poppler's ``pdftotext`` and ``pdftoppm``, for tests that read and render
    a PDF as a person's viewer would.

    Skipped when they are not installed, unless KYOTEN_REQUIRE_POPPLER=1 (as in CI) makes
    their absence a failure.
    """
    path = shutil.which("pdftotext")
    if path is None or shutil.which("pdftoppm") is None:
        if os.environ.get("KYOTEN_REQUIRE_POPPLER") == "1":
            pytest.fail("pdftotext and pdftoppm (poppler-utils) are required but not found")
        pytest.skip("poppler-utils is not installed; set KYOTEN_REQUIRE_POPPLER=1 to fail")
    return Path(path).parent


def deep_merge(base: Any, changes: Any) -> Any:
    """``changes`` laid over ``base``; mappings merge, anything else replaces.

    A value of ``null`` in ``changes`` removes the key.
    """
    if not isinstance(base, dict) or not isinstance(changes, dict):
        return changes
    merged = dict(base)
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = deep_merge(base.get(key), value)
    return merged


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".yaml" and file_path.parent.name == "scenarios":
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self):  # type: ignore[no-untyped-def]
        content = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        base = content.get("base", {})
        for scenario in content["scenarios"]:
            yield ScenarioItem.from_parent(self, name=scenario["name"], base=base, spec=scenario)


class ScenarioItem(pytest.Item):
    def __init__(self, *, base: dict[str, Any], spec: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base = base
        self.spec = spec

    def runtest(self) -> None:
        plan = plan_from_data(deep_merge(self.base, self.spec.get("plan", {})), self.name)
        verdict = evaluate(plan, name=self.name)
        expected = self.spec["expect"]
        if not expected:
            raise ScenarioFailure("a scenario must expect at least one status")
        problems = []
        for rule, status in expected.items():
            finding = verdict.finding(rule)
            if finding.status != status:
                problems.append(
                    f"{rule}: expected {status}, got {finding.status} — {finding.message.en}"
                )
        for rule, words in self.spec.get("message", {}).items():
            for lang, text in words.items() if isinstance(words, dict) else [("en", words)]:
                message = verdict.finding(rule).message.get(lang)
                if text not in message:
                    problems.append(f"{rule} ({lang}): {text!r} not in {message!r}")
        if "all_met" in self.spec and verdict.all_met != self.spec["all_met"]:
            problems.append(f"all_met: expected {self.spec['all_met']}, got {verdict.all_met}")
        if problems:
            raise ScenarioFailure("\n".join(problems))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str:  # type: ignore[override]
        if isinstance(excinfo.value, ScenarioFailure):
            return f"scenario {self.name!r} in {self.path.name}:\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"scenario: {self.name}"


class ScenarioFailure(Exception):
    """A scenario's expectation was not met."""
