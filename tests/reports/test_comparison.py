"""The comparison table: one row per report; formula injection neutralised in Excel and CSV."""

import csv
import io

import pytest

from kyoten.reports import comparison_csv, comparison_rows, comparison_xlsx, sample_report
from kyoten.reports.comparison import COLUMNS
from kyoten.reports.formulas import neutralise
from kyoten.reports.reading import report_from_data
from reports.helpers import report_data, workbook


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),  # a formula
        ("+81 3", "'+81 3"),  # a plus starts a formula too
        ("-2+3", "'-2+3"),  # and a minus
        ("@SUM(A1)", "'@SUM(A1)"),  # and an at sign
        ("\t=1", "'\t=1"),  # a leading tab can hide one
        ("IPMU", "IPMU"),  # plain text is unchanged
        ("'s-Hertogenbosch", "'s-Hertogenbosch"),  # shown as it is (escape doubles it for CSV)
        (-5, -5),  # numbers stay numbers, negative or not
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


@pytest.fixture
def reports():
    data = report_data()
    data["metadata"]["center"] = "=cmd|' /C calc'!A0"
    return [report_from_data(data, "r.json"), sample_report("DEMO", 2024, seed=1)]


def test_rows_are_sorted_and_hold_the_indicators(reports):
    rows = comparison_rows(reports)
    assert [row[0] for row in rows] == ["=cmd|' /C calc'!A0", "DEMO"]
    assert all(len(row) == len(COLUMNS) for row in rows)
    assert rows[0][4:7] == [2, 4, 5]  # PIs, researchers, total staff
    assert rows[0][7] == 50.0  # researchers from abroad, %
    assert rows[0][13] == round(6 / 7, 4)  # other funding per yen of WPI grant
    assert rows[0][18:] == ["no", 2]  # verdict: not all met, 2 requirements not met
    assert rows[1][3] == "yes"  # the sample is labelled


def test_csv_neutralises_formulas(reports):
    lines = list(csv.reader(io.StringIO(comparison_csv(reports, "ja").decode("utf-8-sig"))))
    assert lines[0][0] == "拠点"
    assert lines[1][0] == "'=cmd|' /C calc'!A0"
    assert lines[2][0] == "DEMO"


def test_excel_neutralises_formulas(reports):
    sheet = workbook(comparison_xlsx(reports)).active
    assert (sheet["A1"].value, sheet["A2"].value) == ("拠点", "Center")
    assert sheet["A3"].value == "'=cmd|' /C calc'!A0"
    assert sheet["A3"].data_type == "s"
    assert sheet["E3"].value == 2  # numbers stay numbers
