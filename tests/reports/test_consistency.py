"""Checks across rows and against the fiscal year: every problem at once, each located."""

import pytest

from kyoten.reports.reading import report_from_data
from kyoten.text import KyotenErrors
from reports.helpers import person, problems_of, report_data


def test_the_base_report_is_valid():
    report = report_from_data(report_data(), "r.json")
    assert len(report.roster) == 5
    assert report.publications[1].doi == "10.1234/b"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        # a person who starts after 31 March belongs in next year's report
        (
            lambda d: d["roster"].append(person("Late", start_date="2025-04-01")),
            "roster[5].start_date",
            "starts after 2025-03-31",
        ),
        # a person who left before 1 April is not part of this year
        (
            lambda d: d["roster"].append(
                person("Gone", start_date="2020-04-01", end_date="2024-03-31")
            ),
            "roster[5].end_date",
            "ended before 2024-04-01",
        ),
        # an end before the start
        (
            lambda d: d["roster"].append(
                person("Odd", start_date="2024-06-01", end_date="2024-05-01")
            ),
            "roster[5].end_date",
            "ends before it starts",
        ),
        # the PI flag must agree with the category
        (
            lambda d: d["roster"].append(person("Flag", "researcher", is_pi=True)),
            "roster[5].is_pi",
            "PI must be yes exactly when",
        ),
        # every postdoc states international recruitment
        (
            lambda d: d["roster"].append(person("Doc", "postdoc", international_recruitment=None)),
            "roster[5].international_recruitment",
            "state for every postdoc",
        ),
        # and no one else does
        (
            lambda d: d["roster"].append(
                person("Adm", "administrative", international_recruitment=False)
            ),
            "roster[5].international_recruitment",
            "postdocs only",
        ),
        # the same person (same ORCID) twice at the same site for overlapping periods
        (
            lambda d: d["roster"].append(
                person(
                    "A. Tanaka",
                    "pi",
                    orcid="0000-0002-1825-0097",
                    gender="female",
                    effort_percent=10,
                )
            ),
            "roster[5].name",
            "duplicate person",
        ),
        # the same person (same name, no ORCID) twice at the same site
        (
            lambda d: d["roster"].append(
                person("Mei  SATO", "researcher", gender="female", effort_percent=10)
            ),
            "roster[5].name",
            "duplicate person",
        ),
        # rows of one person disagree on the category
        (
            lambda d: d["roster"].append(
                person("Mei Sato", "postdoc", gender="female", site="overseas_satellite")
            ),
            "roster[5].category",
            "another row of the same person",
        ),
        # a DOI listed twice (case does not matter)
        (
            lambda d: d["publications"].append(
                {"doi": "10.1234/A", "interdisciplinary": "no", "international_coauthorship": "no"}
            ),
            "publications[2].doi",
            "already listed",
        ),
        # a meeting outside the fiscal year
        (
            lambda d: d["meetings"][0].update(date="2025-04-01"),
            "meetings[0].date",
            "outside FY2024",
        ),
        # an asset dated outside the fiscal year
        (lambda d: d["assets"][0].update(date="2024-03-31"), "assets[0].date", "outside FY2024"),
        # more participants from abroad than participants
        (
            lambda d: d["meetings"][0].update(participants_from_abroad=101),
            "meetings[0].participants_from_abroad",
            "more participants from abroad",
        ),
        # selected after the report's year
        (
            lambda d: d["metadata"].update(selection_fiscal_year=2025),
            "metadata.selection_fiscal_year",
            "cannot be selected after",
        ),
        # only WPI CORE has a stage gate
        (
            lambda d: d["metadata"].update(stage_gate_passed_fiscal_year=2023),
            "metadata.stage_gate_passed_fiscal_year",
            "only a WPI CORE",
        ),
        # an empty roster
        (lambda d: d.update(roster=[]), "roster", "lists no one"),
    ],
)
def test_problems_across_rows(change, field, message):
    data = report_data()
    change(data)
    with pytest.raises(KyotenErrors) as excinfo:
        report_from_data(data, "r.json")
    found = [(f, m) for _, _, _, f, m in problems_of(excinfo)]
    assert any(f == field and message in m for f, m in found), found


def test_a_person_at_two_sites_is_not_a_duplicate():
    data = report_data()
    data["roster"].append(
        person(
            "John Smith",
            "pi",
            from_abroad=True,
            nationality="US",
            site="overseas_satellite",
            effort_percent=20,
        )
    )
    assert len(report_from_data(data, "r.json").roster) == 6


def test_every_problem_is_reported_at_once_in_both_languages():
    data = report_data()
    data["roster"][0]["orcid"] = "0000-0002-1825-0098"
    data["roster"][2]["effort_percent"] = "lots"
    data["money"][0]["amount"] = -5
    data["meetings"][0]["date"] = "2023-01-01"
    with pytest.raises(KyotenErrors) as excinfo:
        report_from_data(data, "r.json")
    fields = [f for _, _, _, f, _ in problems_of(excinfo)]
    assert fields == [
        "roster[0].orcid",
        "roster[2].effort_percent",
        "money[0].amount",
        "meetings[0].date",
    ]
    japanese = excinfo.value.localized("ja")
    assert "ORCID iD のチェックディジットが一致しません" in japanese
    assert (
        "r.json: money の1件目、amount（金額（円））：≥ 0 の値を入力してください（入力値 -5）"
        in japanese
    )


def test_unknown_fields_are_refused():
    data = report_data()
    data["roster"][0]["salary"] = 1
    data["extra"] = {}
    with pytest.raises(KyotenErrors) as excinfo:
        report_from_data(data, "r.json")
    assert {f for _, _, _, f, _ in problems_of(excinfo)} == {"extra", "roster[0].salary"}
