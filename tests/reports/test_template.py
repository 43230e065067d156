"""The Excel template: layout, drop-down lists, pre-filling from last year, round trip."""

import datetime

import pytest

from kyoten.reports.exchange import dump_report, load_report
from kyoten.reports.layout import SECTIONS
from kyoten.reports.reading import report_from_data
from kyoten.reports.xlsx import template_workbook
from kyoten.text import KyotenError
from reports.helpers import person, report_data, save, workbook


def test_sheets_headers_and_lists():
    book = workbook(template_workbook("TEST", 2024, track="core", selection_fiscal_year=2023))
    assert book.sheetnames == ["説明 Instructions", *(s.sheet for s in SECTIONS)]
    roster = book["名簿 Roster"]
    assert roster["A1"].value == "氏名 *" and roster["A2"].value == "Name *"
    assert roster["B2"].value == "ORCID iD"
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in roster.data_validations.dataValidation}
    assert lists["C3"] == '"pi,researcher,postdoc,student,administrative,technical"'
    assert lists["D3"] == '"yes,no"'
    center = book["拠点 Center"]
    assert [center[f"C{r}"].value for r in (2, 8, 9, 10)] == ["TEST", 2024, "core", 2023]
    instructions = "\n".join(str(c.value) for c in book["説明 Instructions"]["A"] if c.value)
    assert "2025-03-31" in instructions and "Do not merge cells" in instructions


def test_last_years_report_prefills_who_is_still_there():
    last = report_data()
    last["metadata"]["fiscal_year"] = 2023
    last["meetings"][0]["date"] = "2023-11-05"
    last["assets"][0]["date"] = "2023-10-01"
    last["roster"].append(person("Left", start_date="2020-04-01", end_date="2024-01-31"))
    last["follow_up"].append({"recommendation": "Done one.", "action": "Did it.", "status": "done"})
    previous = report_from_data(last, "last.json")
    book = workbook(template_workbook("TEST", 2024, previous))
    names = [c.value for c in book["名簿 Roster"]["A"][2:] if c.value]
    assert names == ["Aiko Tanaka", "John Smith", "Mei Sato", "Li Wei", "Ken Ito"]  # not "Left"
    assert book["名簿 Roster"]["B3"].value == "0000-0002-1825-0097"
    assert book["拠点 Center"]["C8"].value == 2024  # this year, not last year
    assert book["資金 Money"].max_row == 2  # money is new each year
    follow_up = [c.value for c in book["フォローアップ Follow-up"]["D"][2:] if c.value]
    assert follow_up == ["in_progress"]  # done recommendations are not carried over


def test_a_report_round_trips_through_excel():
    report = report_from_data(report_data(), "r.json")
    assert load_report(dump_report(report, "xlsx"), "r.xlsx") == report


def test_text_that_looks_like_a_formula_stays_text():
    data = report_data()
    data["roster"][4]["name"] = '=HYPERLINK("http://x")'
    report = report_from_data(data, "r.json")
    xlsx = dump_report(report, "xlsx")
    assert workbook(xlsx)["名簿 Roster"]["A7"].data_type == "s"
    assert load_report(xlsx, "r.xlsx").roster[4].name == '=HYPERLINK("http://x")'


def test_a_filled_in_template_is_read_with_excel_typed_cells():
    book = workbook(template_workbook("TEST", 2024, track="wpi", selection_fiscal_year=2022))
    roster = book["名簿 Roster"]
    values = [
        "Aiko Tanaka",
        None,
        "pi",
        "yes",
        "no",
        "JP",
        "female",
        0.8,
        "main",
        datetime.datetime(2022, 4, 1),
    ]
    for column, value in enumerate(values, start=1):
        roster.cell(row=3, column=column, value=value)
    roster["H3"].number_format = "0%"  # effort typed as 80%
    for column, value in enumerate(["wpi_grant", "personnel", 280_000_000.0], start=1):
        book["資金 Money"].cell(row=3, column=column, value=value)
    report = load_report(save(book), "filled.xlsx")
    assert report.roster[0].effort_percent == 80
    assert report.roster[0].start_date == datetime.date(2022, 4, 1)
    assert report.money[0].amount == 280_000_000


@pytest.mark.parametrize(
    ("center", "year", "message"),
    [
        # last year's report must be the same center's
        ("OTHER", 2025, "is for center 'TEST', not 'OTHER'"),
        # and for an earlier year than the template
        ("TEST", 2024, "is for FY2024; give a report of a year before FY2024"),
    ],
)
def test_the_previous_report_must_fit(center, year, message):
    previous = report_from_data(report_data(), "r.json")
    with pytest.raises(KyotenError, match=message):
        template_workbook(center, year, previous)
