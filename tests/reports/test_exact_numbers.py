"""Effort is read and summed as exact decimals: a person whose rows add up to exactly 100% is
never over 100% effort, whatever the order of the rows, and every export carries the value
that was typed (56, never 56.00000000000001).

In binary floating point, 0.56 * 100 + 0.14 * 100 + 0.3 * 100 is 100.00000000000001 and
20.1 + 49.7 + 30.2 is too, in two of the six orders of the rows; the tests below would fail
on a float reading.
"""

import datetime
import itertools
import json
from decimal import Decimal

import pytest

from kyoten.reports import dump_report, indicators, load_report, template_workbook
from kyoten.reports.exchange import csv_files
from kyoten.reports.model import AnnualReport
from kyoten.reports.reading import report_from_data
from kyoten.text import KyotenErrors
from reports.helpers import person, problems_of, report_data, save, workbook
from reports.libreoffice import fill, saved_by_libreoffice

SITES = ("main", "domestic_satellite", "overseas_satellite")


def split_across_sites(efforts):
    """The report's data with a fourth researcher, Mika Mori, working at three sites at once
    with ``efforts`` (in roster order)."""
    data = report_data()
    data["roster"] += [
        person("Mika Mori", "researcher", site=site, effort_percent=effort)
        for site, effort in zip(SITES, efforts, strict=True)
    ]
    return data


def mika(report):
    return [row for row in report.roster if row.name == "Mika Mori"]


def typed_as_percentage_cells(data, fractions):
    """The filled-in template with Mika's effort cells typed as percentages (56% is stored
    as 0.56 with the format 0%), as a person types them into a spreadsheet."""
    for row, fraction in zip(data["roster"][-3:], fractions, strict=True):
        row["effort_percent"] = fraction
    meta = data["metadata"]
    template = template_workbook(
        "TEST", 2024, track=meta["track"], selection_fiscal_year=meta["selection_fiscal_year"]
    )
    book = workbook(fill(template, data))
    sheet = book["名簿 Roster"]
    for row in range(3, 3 + len(data["roster"])):
        if sheet[f"A{row}"].value == "Mika Mori":
            sheet[f"H{row}"].number_format = "0%"
    return save(book)


@pytest.mark.parametrize(
    "fractions", list(itertools.permutations((0.56, 0.14, 0.3)))
)  # every order of the rows
def test_percentage_cells_adding_up_to_100_are_not_over_100_in_any_order(fractions):
    data = split_across_sites([100, 100, 100])
    report = load_report(typed_as_percentage_cells(data, fractions), "filled.xlsx")
    assert [row.effort_percent for row in mika(report)] == [
        Decimal(str(round(f * 100))) for f in fractions
    ]
    assert indicators(report).overcommitted == ()


@pytest.mark.parametrize("efforts", list(itertools.permutations((20.1, 49.7, 30.2))))
def test_decimals_adding_up_to_100_are_not_over_100_in_any_order(efforts):
    for fmt in ("xlsx", "json", "csv_zip"):
        typed = report_from_data(split_across_sites(efforts), "r.json")
        report = load_report(dump_report(typed, fmt), f"r.{fmt}")
        assert sum(row.effort_percent for row in mika(report)) == 100
        assert indicators(report).overcommitted == ()


def test_a_hundredth_of_a_percent_more_is_over_100():
    report = report_from_data(split_across_sites([20.1, 49.7, 30.21]), "r.json")
    (over,) = indicators(report).overcommitted
    assert (over.name, over.peak_effort_percent) == ("Mika Mori", Decimal("100.01"))
    assert over.to_dict()["peak_effort_percent"] == 100.01


def test_every_export_carries_the_value_as_typed():
    report = load_report(
        typed_as_percentage_cells(split_across_sites([100, 100, 100]), (0.56, 0.14, 0.3)),
        "filled.xlsx",
    )
    stored = json.loads(dump_report(report, "json"))
    assert [r["effort_percent"] for r in stored["roster"][-3:]] == [56, 14, 30]
    assert b"56.00000000000001" not in dump_report(report, "json")
    roster = csv_files(report)["roster.csv"].decode("utf-8-sig").splitlines()
    assert [line.split(",")[7] for line in roster[-3:]] == ["56", "14", "30"]
    sheet = workbook(dump_report(report, "xlsx"))["名簿 Roster"]
    assert [sheet[f"H{row}"].value for row in (8, 9, 10)] == [56, 14, 30]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("80%", Decimal(80)),  # text with a percent sign
        ("３３．５", Decimal("33.5")),  # full-width digits
        (33.33, Decimal("33.33")),  # a JSON number
        ("100.00", Decimal(100)),  # trailing zeros are no precision
    ],
)
def test_spellings_of_a_percentage(typed, read):
    data = report_data()
    data["roster"][0]["effort_percent"] = typed
    assert report_from_data(data, "r.json").roster[0].effort_percent == read


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        # finer than a hundredth of a percent: a formula's result, not an effort
        (33.333, "give the effort with at most 2 decimals, such as 33.33"),
        ("a third", "expected a percentage as a number, such as 80, 33.5 or 80%"),
        ("NaN", "expected a percentage as a number"),
        (True, "expected a percentage as a number"),
        (100.01, "expected a value ≤ 100"),
        (0, "expected a value > 0"),
    ],
)
def test_an_effort_that_is_no_percentage_is_refused(typed, message):
    data = report_data()
    data["roster"][1]["effort_percent"] = typed
    with pytest.raises(KyotenErrors) as excinfo:
        report_from_data(data, "r.json")
    (problem,) = problems_of(excinfo)
    assert problem[3] == "roster[1].effort_percent" and message in problem[4]


def test_a_stored_report_of_an_earlier_release_reads_its_floats_exactly():
    """Versions stored before effort was a decimal hold JSON floats, a percentage cell's as
    56.00000000000001: read in the stored context, they are the decimals that were typed
    (no data migration rewrites a stored version)."""
    data = report_from_data(split_across_sites([56, 14, 30]), "r.json").model_dump(mode="json")
    for row, noisy in zip(data["roster"][-3:], (0.56 * 100, 0.14 * 100, 0.3 * 100), strict=True):
        row["effort_percent"] = noisy
    data["roster"][0]["effort_percent"] = 33.333333333333336  # once accepted, kept as stored
    assert [r["effort_percent"] for r in data["roster"][-3:]][:2] == [
        56.00000000000001,
        14.000000000000002,
    ]
    report = AnnualReport.model_validate(data, context={"stored": True})
    assert [row.effort_percent for row in mika(report)] == [56, 14, 30]
    assert indicators(report).overcommitted == ()
    assert json.loads(dump_report(report, "json"))["roster"][-3]["effort_percent"] == 56
    assert report.roster[0].effort_percent == Decimal("33.3333333333333")


def test_a_template_saved_by_libreoffice_keeps_percentage_cells_exact(tmp_path, soffice):
    """The percentage cells, rewritten by LibreOffice (its own XML and number formats), are
    read as 56, 14 and 30: no float noise, not over 100%."""
    content = typed_as_percentage_cells(split_across_sites([100, 100, 100]), (0.56, 0.14, 0.3))
    saved = saved_by_libreoffice(soffice, tmp_path, content)
    sheet = workbook(saved)["名簿 Roster"]
    cells = [sheet[f"H{row}"] for row in (8, 9, 10)]
    # what LibreOffice wrote: doubles with a percentage format, as a person's 56% would be
    assert [(c.value, "%" in c.number_format) for c in cells] == [
        (0.56, True),
        (0.14, True),
        (0.3, True),
    ]
    report = load_report(saved, "filled.xlsx")
    assert [row.effort_percent for row in mika(report)] == [56, 14, 30]
    assert indicators(report).overcommitted == ()
    assert '"effort_percent": 56,' in dump_report(report, "json").decode()
    assert report.roster[0].start_date == datetime.date(2022, 4, 1)
