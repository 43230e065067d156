"""The comparison table: one row per report; formula injection neutralised in Excel and CSV."""

import csv
import io
from decimal import Decimal

import pytest

from kyoten.reports import (
    comparison_csv,
    comparison_rows,
    comparison_xlsx,
    indicators,
    sample_report,
)
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
    assert rows[0][7] == Decimal("50.0")  # researchers from abroad, %
    assert rows[0][13] == Decimal("0.8571")  # other funding per yen of WPI grant (6/7)
    assert rows[0][18:] == [False, 2]  # verdict: not all met, 2 requirements not met
    assert rows[1][3] is True  # the sample is marked


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


@pytest.mark.parametrize(
    ("lang", "track", "sample", "met"),
    [("ja", "WPI", "はい", "いいえ"), ("en", "WPI", "yes", "no")],
)
def test_exports_carry_labels_in_the_readers_language(reports, lang, track, sample, met):
    lines = list(csv.reader(io.StringIO(comparison_csv(reports, lang).decode("utf-8-sig"))))
    demo = dict(zip(lines[0], lines[2], strict=True))
    headers = {c.key: c.header.get(lang) for c in COLUMNS}
    assert demo[headers["track"]] == track and demo[headers["is_sample"]] == sample
    assert dict(zip(lines[0], lines[1], strict=True))[headers["all_met"]] == met
    assert demo[headers["researchers_from_abroad"]] == "42.3"  # exact, no float noise
    sheet = workbook(comparison_xlsx(reports, lang)).active
    assert (sheet["C4"].value, sheet["D4"].value, sheet["S3"].value) == (track, sample, met)


def test_excel_has_number_formats_frozen_headers_and_a_filter(reports):
    sheet = workbook(comparison_xlsx(reports)).active
    cells = {c.key: sheet.cell(row=4, column=n) for n, c in enumerate(COLUMNS, start=1)}
    assert (cells["wpi_grant"].number_format, cells["wpi_grant"].value) == (
        '"¥"#,##0',
        indicators(reports[1]).wpi_grant,
    )
    share = cells["researchers_from_abroad"]
    assert (share.number_format, share.value) == ("0.0%", 0.423)  # 42.3% as a fraction
    assert cells["pis"].number_format == "#,##0"
    assert cells["fiscal_year"].number_format == "0"  # 2024, not 2,024
    assert sheet.freeze_panes == "C3"  # both header rows, the center and the year
    assert sheet.auto_filter.ref == "A2:T4"


def test_a_share_just_below_30_percent_never_reads_as_30(reports):
    """2,999 of 10,000 is 29.9% in the exports, never 30.0% (rounded down, exactly)."""
    from kyoten.reports.comparison import _percent
    from kyoten.reports.indicators import Ratio

    assert _percent(Ratio(2999, 10000)) == Decimal("29.9")
    assert float(_percent(Ratio(2999, 10000)) / 100) == 0.299


def test_libreoffice_opens_the_export_and_shows_the_formats(tmp_path, soffice, reports):
    """LibreOffice renders the exported workbook's cells as a person sees them: yen with
    separators, shares as percentages, labels (converted to CSV, which writes the shown
    text)."""
    import subprocess

    path = tmp_path / "compare.xlsx"
    path.write_bytes(comparison_xlsx(reports, "ja"))
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true",
            "--outdir",
            str(tmp_path / "out"),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    shown = list(csv.reader(io.StringIO((tmp_path / "out" / "compare.csv").read_text("utf-8"))))
    demo = dict(zip(shown[1], shown[3], strict=True))
    grant = indicators(reports[1]).wpi_grant
    assert demo["WPI grant (yen)"] == f"¥{grant:,}"
    assert demo["Researchers from abroad (%)"] == "42.3%"
    assert demo["Track"] == "WPI" and demo["Sample data"] == "はい"
