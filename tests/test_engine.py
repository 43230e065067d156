"""The engine's arithmetic: exact at boundaries, and the fix it names is the nearest one."""

import re
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyoten.program import Plan, evaluate, load_program


def plan_with(**counts):
    return Plan.model_validate({"track": "wpi", "fiscal_year": 2024, "people": {"counts": counts}})


@given(whole=st.integers(min_value=1, max_value=5000), data=st.data())
def test_the_named_number_of_researchers_from_abroad_is_the_fewest_that_meets_30_percent(
    whole, data
):
    part = data.draw(st.integers(min_value=0, max_value=whole))
    finding = evaluate(plan_with(researchers=whole, researchers_from_abroad=part)).finding(
        "people.researchers_from_abroad"
    )
    meets = Fraction(part, whole) >= Fraction(3, 10)
    assert finding.status == ("met" if meets else "not_met")
    if not meets:
        more = int(re.search(r"— (\d+) more researchers from abroad", finding.message.en).group(1))
        # adding `more` people from abroad grows both counts, and just reaches 30%
        assert Fraction(part + more, whole + more) >= Fraction(3, 10)
        assert Fraction(part + more - 1, whole + more - 1) < Fraction(3, 10)


@given(st.integers(min_value=0, max_value=40))
def test_the_named_number_of_pis_reaches_the_minimum_and_the_guideline(pis):
    finding = evaluate(plan_with(pis=pis)).finding("people.world_top_pis")
    expected = "not_met" if pis < 7 else "below_guideline" if pis < 10 else "met"
    assert finding.status == expected
    gap = re.search(r"— (\d+) more", finding.message.en)
    if expected == "not_met":
        assert pis + int(gap.group(1)) == 7
    elif expected == "below_guideline":
        assert pis + int(gap.group(1)) == 10


@pytest.mark.parametrize(
    ("part", "whole", "shown", "status"),
    [
        (30, 100, "30.0%", "met"),  # exactly 30% meets
        (299, 1000, "29.9%", "not_met"),
        (2999, 10000, "29.9%", "not_met"),  # rounded down: a miss never shows as 30.0%
        (1, 3, "33.3%", "met"),
        (2, 3, "66.6%", "met"),  # rounded down, like every share shown
    ],
)
def test_shares_are_exact_and_shown_to_one_decimal(part, whole, shown, status):
    finding = evaluate(plan_with(researchers=whole, researchers_from_abroad=part)).finding(
        "people.researchers_from_abroad"
    )
    assert finding.status == status
    assert f"({shown})" in finding.message.en


def test_one_finding_per_requirement_in_rulebook_order():
    verdict = evaluate(plan_with(pis=8))
    assert [f.rule for f in verdict.findings] == [r.id for r in load_program("wpi").requirements]


def test_a_verdict_records_era_track_and_rule_version():
    plan = Plan.model_validate(
        {
            "track": "core",
            "fiscal_year": 2028,
            "selection_fiscal_year": 2023,
            "stage_gate_passed_fiscal_year": 2027,
        }
    )
    verdict = evaluate(plan, name="core.yaml")
    record = verdict.to_dict("ja")
    assert (record["track_key"], record["era"], record["support_year"]) == (
        "core.after_step_up",
        "fy2023",
        6,
    )
    cap = next(f for f in record["findings"] if f["rule"] == "grant.annual_cap")
    assert cap["status"] == "missing_data"
    assert cap["era"] == "fy2023"
    assert (
        cap["message"]
        == "計画にWPI補助金の記載がありません。この要件を確認するには追記してください。"
    )
