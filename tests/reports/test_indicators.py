"""Indicators derived from the roster and money, the plan they make and the verdict."""

from fractions import Fraction

import pytest

from kyoten.reports import indicators, report_plan, report_verdict
from kyoten.reports.reading import report_from_data
from reports.helpers import person, report_data


def derive(change=None):
    data = report_data()
    if change:
        change(data)
    return indicators(report_from_data(data, "r.json"))


def test_the_base_reports_indicators():
    numbers = derive()
    assert (numbers.pis, numbers.researchers, numbers.total_staff) == (2, 4, 5)
    assert numbers.headcount == {
        "pi": 2,
        "researcher": 1,
        "postdoc": 1,
        "student": 0,
        "administrative": 1,
        "technical": 0,
    }
    assert numbers.researchers_from_abroad.share == Fraction(1, 2)
    assert numbers.women_researchers.share == Fraction(1, 2)
    assert numbers.women_pis.share == Fraction(1, 2)
    assert numbers.postdocs_international.share == 1
    assert numbers.wpi_grant == 350_000_000
    assert numbers.non_wpi_funding == 300_000_000
    assert numbers.non_wpi_per_wpi_yen == Fraction(6, 7)
    assert numbers.money_by_source["host_institution"] == 100_000_000
    assert numbers.money_by_source_and_category["wpi_grant"]["travel"] == 50_000_000
    assert numbers.interdisciplinary_publications.percent() == 50.0
    assert numbers.meeting_participants_from_abroad.share == Fraction(2, 5)
    assert numbers.assets_by_kind["software"] == 1
    assert numbers.follow_up_by_status["in_progress"] == 1
    assert numbers.overcommitted == ()


@pytest.mark.parametrize(
    ("change", "researchers", "from_abroad", "total_staff"),
    [
        # someone who left during the year is listed but not counted on 31 March
        (
            lambda d: d["roster"].append(person("Left", from_abroad=True, end_date="2024-12-31")),
            4,
            2,
            5,
        ),
        # someone whose row ends on 31 March itself still counts
        (
            lambda d: d["roster"].append(
                person("Last day", from_abroad=True, end_date="2025-03-31")
            ),
            5,
            3,
            6,
        ),
        # someone who starts on 31 March counts
        (lambda d: d["roster"].append(person("First day", start_date="2025-03-31")), 5, 2, 6),
        # a person at two sites counts once
        (
            lambda d: d["roster"].append(
                person(
                    "John Smith",
                    "pi",
                    from_abroad=True,
                    nationality="US",
                    site="overseas_satellite",
                    effort_percent=20,
                )
            ),
            4,
            2,
            5,
        ),
        # a student is neither a researcher nor staff
        (lambda d: d["roster"].append(person("Student", "student")), 4, 2, 5),
        # technical staff count in total staff, not as researchers
        (lambda d: d["roster"].append(person("Tech", "technical")), 4, 2, 6),
    ],
)
def test_who_counts(change, researchers, from_abroad, total_staff):
    numbers = derive(change)
    assert numbers.researchers == researchers
    assert numbers.researchers_from_abroad.part == from_abroad
    assert numbers.total_staff == total_staff


@pytest.mark.parametrize(
    ("rows", "peak"),
    [
        # 100% at the main site plus 20% at a satellite at the same time: 120%
        ([{}, {"site": "overseas_satellite", "effort_percent": 20}], 120.0),
        # moving from one site to another: never more than 100% on one day
        (
            [
                {"end_date": "2024-09-30"},
                {"site": "domestic_satellite", "start_date": "2024-10-01"},
            ],
            None,
        ),
        # overlapping by one month: 100% + 100% in October
        (
            [
                {"end_date": "2024-10-31"},
                {"site": "domestic_satellite", "start_date": "2024-10-01"},
            ],
            200.0,
        ),
        # matched by name when there is no ORCID iD
        (
            [
                {"orcid": None},
                {
                    "orcid": None,
                    "name": "KAI  ONO",
                    "site": "domestic_satellite",
                    "effort_percent": 5,
                },
            ],
            105.0,
        ),
    ],
)
def test_people_over_100_percent_effort(rows, peak):
    def change(data):
        data["roster"][0]["orcid"] = None  # the ORCID iD is Kai Ono's alone here
        for row in rows:
            entry = person("Kai Ono", orcid="0000-0002-1825-0097")
            entry.update(row)
            data["roster"].append(entry)

    found = derive(change).overcommitted
    if peak is None:
        assert found == ()
    else:
        assert [(o.name, o.peak_effort_percent, o.rows) for o in found] == [
            ("Kai Ono", peak, (5, 6))
        ]


def test_no_grant_means_no_ratio():
    numbers = derive(lambda d: d.update(money=[]))
    assert numbers.non_wpi_per_wpi_yen is None
    assert numbers.to_dict()["non_wpi_per_wpi_yen"] is None


def test_the_plan_holds_persons_on_31_march_and_the_money():
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
    data["roster"].append(person("Left", end_date="2024-06-30"))
    plan = report_plan(report_from_data(data, "r.json"))
    assert plan.people is not None and plan.people.roster is not None
    assert [p.name for p in plan.people.roster] == [
        "Aiko Tanaka",
        "John Smith",
        "Mei Sato",
        "Li Wei",
        "Ken Ito",
    ]
    assert plan.people.roster[1].effort_percent == 100  # 120% is capped for the plan
    assert plan.budget is not None and sum(line.amount for line in plan.budget) == 650_000_000
    assert (plan.track, plan.fiscal_year, plan.support_year) == ("wpi", 2024, 3)


def test_the_verdict_uses_the_rulebook():
    verdict = report_verdict(report_from_data(report_data(), "r.json"))
    assert verdict.name == "TEST FY2024"
    # two PIs and five staff are far below the standard WPI minimums
    assert verdict.finding("people.world_top_pis").status == "not_met"
    assert verdict.finding("people.total_staff").status == "not_met"
    assert verdict.finding("people.researchers_from_abroad").status == "met"
    assert verdict.finding("language.english").status == "missing_data"
    assert not verdict.all_met


def test_research_project_costs_from_the_grant_are_flagged():
    data = report_data()
    data["money"].append(
        {"source": "wpi_grant", "category": "research_projects", "amount": 1_000_000}
    )
    verdict = report_verdict(report_from_data(data, "r.json"))
    assert verdict.finding("budget.eligible_categories").status == "not_met"
