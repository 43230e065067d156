"""Done when: a generated template, filled in by a script and saved by LibreOffice, is accepted.

LibreOffice rewrites the whole workbook (its own XML, styles, data validation and number
formats), as a center office's spreadsheet program would. Skipped when ``soffice`` is not
installed, unless KYOTEN_REQUIRE_SOFFICE=1 makes its absence a failure.
"""

import datetime
import os
import shutil
import subprocess

import pytest

from kyoten.reports import indicators, load_report, report_verdict, template_workbook
from kyoten.reports.layout import FIRST_DATA_ROW, METADATA, TABLES
from kyoten.reports.reading import report_from_data
from reports.helpers import report_data, save, workbook

SOFFICE = shutil.which("soffice")


@pytest.fixture
def soffice():
    if SOFFICE is None:
        if os.environ.get("KYOTEN_REQUIRE_SOFFICE") == "1":
            pytest.fail(
                "soffice (LibreOffice) is required (KYOTEN_REQUIRE_SOFFICE=1) but not found"
            )
        pytest.skip(
            "soffice (LibreOffice) is not installed; set KYOTEN_REQUIRE_SOFFICE=1 to fail instead"
        )
    return SOFFICE


def fill(template: bytes, data: dict) -> bytes:
    """Type ``data`` into the template the way a person would: cell by cell, dates as dates."""
    book = workbook(template)
    center = book[METADATA.sheet]
    for row, column in enumerate(METADATA.columns, start=2):
        value = data["metadata"].get(column.field)
        if value is not None:
            center.cell(row=row, column=3, value=value)
    for section in TABLES:
        sheet = book[section.sheet]
        for offset, record in enumerate(data.get(section.key, [])):
            for number, column in enumerate(section.columns, start=1):
                value = record.get(column.field)
                if isinstance(value, bool):
                    value = "yes" if value else "no"
                elif column.field in ("start_date", "end_date", "date") and value:
                    value = datetime.datetime.fromisoformat(value)
                sheet.cell(row=FIRST_DATA_ROW + offset, column=number, value=value)
    return save(book)


def test_a_template_filled_by_a_script_and_saved_by_libreoffice_is_accepted(tmp_path, soffice):
    data = report_data()
    template = template_workbook("TEST", 2024, track="wpi", selection_fiscal_year=2022)
    filled = tmp_path / "in" / "filled.xlsx"
    filled.parent.mkdir()
    filled.write_bytes(fill(template, data))
    out = tmp_path / "out"
    profile = tmp_path / "profile"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(filled),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    saved = (out / "filled.xlsx").read_bytes()
    assert saved != filled.read_bytes()  # LibreOffice wrote its own file

    # the drop-down lists survive LibreOffice
    lists = workbook(saved)["名簿 Roster"].data_validations.dataValidation
    assert any(v.formula1 == '"yes,no"' for v in lists)

    report = load_report(saved, "filled.xlsx")

    assert report == report_from_data(data, "r.json")
    assert indicators(report).researchers == 4
    assert report_verdict(report).fiscal_year == 2024
