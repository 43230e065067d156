"""Done when: a generated template, filled in by a script and saved by LibreOffice, is accepted.

LibreOffice rewrites the whole workbook (its own XML, styles, data validation and number
formats), as a center office's spreadsheet program would. Skipped when ``soffice`` is not
installed, unless KYOTEN_REQUIRE_SOFFICE=1 makes its absence a failure.
"""

import pytest

from kyoten.reports import (
    indicators,
    load_report,
    report_verdict,
    sample_report,
    template_workbook,
)
from kyoten.reports.reading import report_from_data
from reports.helpers import INSTITUTIONS, REGISTRY, last_years_report, report_data, workbook
from reports.libreoffice import fill, saved_by_libreoffice


def sample_data():
    return sample_report("TEST", 2024, seed=9).model_dump(mode="json")


@pytest.mark.parametrize(
    "make_data",
    [
        report_data,  # a small report touching every section
        sample_data,  # a full-size sample: ~120 people, ~150 publications
    ],
)
def test_a_template_filled_by_a_script_and_saved_by_libreoffice_is_accepted(
    tmp_path, soffice, make_data
):
    data = make_data()
    meta = data["metadata"]
    template = template_workbook(
        "TEST", 2024, track=meta["track"], selection_fiscal_year=meta["selection_fiscal_year"]
    )
    saved = saved_by_libreoffice(soffice, tmp_path, fill(template, data))

    # the drop-down lists survive LibreOffice
    lists = workbook(saved)["名簿 Roster"].data_validations.dataValidation
    assert any(v.formula1 == '"yes,no"' for v in lists)

    report = load_report(saved, "filled.xlsx")

    expected = report_from_data(data, "r.json")
    assert report == expected
    assert indicators(report) == indicators(expected)
    assert report_verdict(report).fiscal_year == 2024


def test_the_japanese_template_saved_by_libreoffice_reads_back_as_prefilled(tmp_path, soffice):
    """Japanese labels in the cells and drop-down lists survive LibreOffice, and what was
    pre-filled comes back as it was."""
    previous = last_years_report()
    template = template_workbook(
        "TEST", 2024, previous, details=REGISTRY, institutions=INSTITUTIONS, lang="ja"
    )
    saved = saved_by_libreoffice(soffice, tmp_path, template)
    lists = workbook(saved)["名簿 Roster"].data_validations.dataValidation
    assert any(v.formula1 == '"主任研究者,研究者,ポスドク,学生,事務職員,技術職員"' for v in lists)
    report = load_report(saved, "t.xlsx")
    assert report.roster == previous.roster
    assert report.institutions == load_report(template, "t.xlsx").institutions
    assert report.metadata.center_name == "テスト研究拠点"
