"""Fuzz: thousands of generated plans and reports (1,200 each, and 1,000 files of random bytes) through the readers — every one is either
read or refused with a KyotenError (a bilingual message, no traceback); nothing else escapes,
and every refusal can be printed in both languages.

Each input starts from a valid plan or report and changes a few fields to values of any
shape (text with control characters, huge or negative numbers, nested lists, wrong types),
so that the checks deep inside are reached, not only the first type check.
"""

from __future__ import annotations

import copy
import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyoten.program.engine import evaluate
from kyoten.program.plan import parse_plan_text
from kyoten.reports import dump_report, indicators, load_report, report_verdict
from kyoten.reports.reading import report_from_data
from kyoten.text import KyotenError
from reports.helpers import report_data

FUZZ = settings(
    max_examples=1200,
    deadline=None,
    database=None,  # nothing written to the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces of text, odd and usual: control characters, a lone surrogate, a direction
# override, formula starts, and the Japanese forms of years and amounts the readers parse.
PIECES = st.text(alphabet=st.characters(codec="utf-8"), max_size=8) | st.sampled_from(
    [
        "\x00",
        "\x07",
        "\udc80",
        "\u202e",
        "=",
        "'",
        "\r\n",
        "億",
        "円",
        "年度",
        "令和6年度",
        "R6",
        "7億円",
        "5,000千円",
        "FY2024",
        "2024-04-01",
        "0000-0002-1825-0097",
        "10.1234/x",
        "-",
        "1e400",
    ]
)
ANY_TEXT = st.lists(PIECES, max_size=4).map("".join)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | ANY_TEXT
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=12,
)

PLAN = {
    "track": "core",
    "fiscal_year": "令和7年度",
    "selection_fiscal_year": 2023,
    "institutions": [{"name": "Example University", "country": "JP", "role": "host"}],
    "people": {
        "counts": {
            "pis": 6,
            "researchers": 40,
            "researchers_from_abroad": 13,
            "postdocs": 12,
            "postdocs_international": 12,
            "total_staff": 56,
        }
    },
    "budget": [{"category": "personnel", "source": "wpi_grant", "amount": "2億8,000万円"}],
    "language": {"english_working_language": True},
}
PLAN_PATHS = [
    ("track",),
    ("fiscal_year",),
    ("selection_fiscal_year",),
    ("support_year",),
    ("core_stage",),
    ("stage_gate_passed_fiscal_year",),
    ("institutions",),
    ("institutions", 0, "country"),
    ("institutions", 0, "role"),
    ("people",),
    ("people", "counts", "pis"),
    ("people", "counts", "researchers_from_abroad"),
    ("people", "roster"),
    ("budget", 0, "amount"),
    ("budget", 0, "category"),
    ("language",),
    ("name",),
]
REPORT_PATHS = [
    ("metadata", "center"),
    ("metadata", "fiscal_year"),
    ("metadata", "track"),
    ("metadata", "selection_fiscal_year"),
    ("metadata", "stage_gate_passed_fiscal_year"),
    ("roster",),
    ("roster", 0, "name"),
    ("roster", 0, "orcid"),
    ("roster", 0, "effort_percent"),
    ("roster", 0, "start_date"),
    ("roster", 1, "end_date"),
    ("roster", 2, "category"),
    ("money", 0, "amount"),
    ("money", 1, "source"),
    ("publications", 0, "doi"),
    ("publications",),
    ("meetings", 0, "participants"),
    ("follow_up",),
    ("institutions", 0, "country"),
]


def changed(base, changes):
    """``base`` with each (path, value) of ``changes`` put in place (where the path exists)."""
    data = copy.deepcopy(base)
    for path, value in changes:
        target = data
        for step in path[:-1]:
            try:
                target = target[step]
            except (KeyError, IndexError, TypeError):
                break
        else:
            last = path[-1]
            if isinstance(target, dict) or (
                isinstance(target, list) and isinstance(last, int) and last < len(target)
            ):
                target[last] = value
    return data


def refused_cleanly(error):
    """A refusal can be shown in both languages, and encoded (no lone surrogate)."""
    for lang in ("ja", "en"):
        error.localized(lang).encode("utf-8", "backslashreplace")


@FUZZ
@given(
    changes=st.lists(st.tuples(st.sampled_from(PLAN_PATHS), VALUES), min_size=1, max_size=4),
    as_json=st.booleans(),
)
def test_generated_plans_are_read_or_refused(changes, as_json):
    data = changed(PLAN, changes)
    try:
        text = json.dumps(data) if as_json else yaml.safe_dump(data)
    except (ValueError, TypeError, yaml.YAMLError):
        return  # the generated data has no form in that format (the test's input, not Kyoten)
    try:
        plan = parse_plan_text(text, "fuzz.yaml")
    except KyotenError as error:
        refused_cleanly(error)
        return
    evaluate(plan, name="fuzz")  # a plan that is read can be judged


@FUZZ
@given(changes=st.lists(st.tuples(st.sampled_from(REPORT_PATHS), VALUES), min_size=1, max_size=4))
def test_generated_reports_are_read_or_refused(changes):
    data = changed(report_data(), changes)
    try:
        report = report_from_data(data, "fuzz.json")
    except KyotenError as error:
        refused_cleanly(error)
        return
    # a report that is read has indicators and a verdict (or a clean refusal of one: a
    # selection year with no era), and exports and reads back the same
    indicators(report)
    try:
        report_verdict(report)
    except KyotenError as error:
        refused_cleanly(error)
    for fmt, name in (("json", "r.json"), ("csv_zip", "r.zip")):
        assert load_report(dump_report(report, fmt), name) == report


@settings(max_examples=1000, deadline=None, database=None)
@given(content=st.binary(max_size=400), name=st.sampled_from(["r.json", "r.xlsx", "r.zip", "r"]))
def test_arbitrary_bytes_are_refused_cleanly(content, name):
    try:
        load_report(content, name)
    except KyotenError as error:
        refused_cleanly(error)
