"""Every limit is a documented setting with its unit in its name."""

from dataclasses import fields
from pathlib import Path

import pytest

from kyoten.reports.limits import ReportLimits

DOCS = (Path(__file__).parents[2] / "docs" / "reports.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [f.name for f in fields(ReportLimits)])
def test_each_limit_is_documented_with_its_default(name):
    default = getattr(ReportLimits(), name)
    assert f"| `{name}` | {default:,} |" in DOCS


@pytest.mark.parametrize("name", [f.name for f in fields(ReportLimits)])
def test_each_limit_names_its_unit(name):
    assert name.endswith(("_bytes", "_max")), name
