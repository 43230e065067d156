"""No input, however large or strange, costs unbounded work: plans and reports are refused
early with a bounded list of problems (the probe's 900 KB plan of 300,000 empty mappings
took 29 s and 1.8 GB, and listed 900,000 problems)."""

import json

import pytest
import yaml

from kyoten.program.plan import MAX_INSTITUTIONS, MAX_PLAN_ITEMS, parse_plan_text
from kyoten.reports import load_report
from kyoten.text import PROBLEMS_MAX, KyotenError

HEAD = "track: core\nfiscal_year: 2024\n"


def empty_mappings(count):
    return "[" + ", ".join(["{}"] * count) + "]"


def problems_of(error):
    return getattr(error, "problems", [error])


def test_the_probes_plan_is_refused_before_it_is_parsed(monkeypatch):
    def no_parsing(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(yaml, "load", no_parsing)
    text = f"{HEAD}institutions: {empty_mappings(300_000)}\n"
    with pytest.raises(KyotenError) as refused:
        parse_plan_text(text, "big.yaml")
    assert problems_of(refused.value) == [refused.value]
    assert refused.value.localized("en") == (
        "big.yaml: the file holds about 600,003 items; a plan holds at most "
        f"{MAX_PLAN_ITEMS:,} (a roster of up to 20,000 people)"
    )
    assert "計画の項目数は240,000件" in refused.value.localized("ja")


def test_a_list_longer_than_its_limit_is_one_problem_not_one_per_item():
    text = f"{HEAD}institutions: {empty_mappings(MAX_INSTITUTIONS + 1)}\n"
    with pytest.raises(KyotenError) as refused:
        parse_plan_text(text, "p.yaml")
    [problem] = problems_of(refused.value)
    assert problem.localized("en") == (
        "p.yaml: institutions: too many items: at most 100 are accepted"
    )
    assert "100件まで受け付けます" in problem.localized("ja")


def test_at_most_so_many_problems_are_listed_and_the_rest_counted():
    text = f"{HEAD}people: {{roster: {empty_mappings(19_000)}}}\n"
    with pytest.raises(KyotenError) as refused:
        parse_plan_text(text, "p.yaml")
    problems = problems_of(refused.value)
    assert len(problems) == PROBLEMS_MAX + 1
    # every entry lacks its category and from_abroad: 38,000 problems, 200 listed
    assert problems[-1].localized("en") == (
        "… and 37,800 more problems (only the first 200 are listed; fix these and try again)"
    )
    assert problems[-1].localized("ja").startswith("ほかに37,800件の問題があります")


def test_a_report_list_past_the_row_limit_is_refused_before_its_rows_are_read():
    data = {"metadata": {}, "roster": [{}] * 300_000}
    with pytest.raises(KyotenError) as refused:
        load_report(json.dumps(data).encode(), "r.json")
    messages = [p.localized("en") for p in problems_of(refused.value)]
    # sorted by section: the four missing center details, then the roster
    assert messages[-1] == (
        "r.json: roster: too many rows: at most 20,000 are accepted in one list (got 300000)"
    )
    assert len(messages) == 5


def test_a_report_with_20000_bad_rows_lists_200_problems_and_counts_the_rest():
    data = {"metadata": {}, "roster": [{"name": "x"}] * 20_000}
    with pytest.raises(KyotenError) as refused:
        load_report(json.dumps(data).encode(), "r.json")
    problems = problems_of(refused.value)
    assert len(problems) == PROBLEMS_MAX + 1
    # 4 missing center details, and 7 problems in each of the 20,000 rows
    assert problems[-1].localized("en").startswith("… and 139,804 more problems")


def test_the_readers_problem_list_keeps_200_and_counts_the_rest_however_added():
    from kyoten.reports.problems import ProblemList, ReportError, Where
    from kyoten.text import Bilingual

    problem = ReportError(Bilingual(en="bad", ja="不正"), Where("r.xlsx"), has_value=False)
    problems = ProblemList([problem] * 150)
    problems.append(problem)
    problems.extend([problem] * 100)
    problems += [problem] * 49  # as the workbook reader adds merged cells
    assert (len(problems), problems.total) == (PROBLEMS_MAX, 300)
    assert problems.error().problems[-1].localized("en").startswith("… and 100 more problems")
