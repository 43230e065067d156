"""CSV (a zip, one file per section) and JSON in and out; problems located by file and line."""

import csv
import io
import zipfile

import pytest

from kyoten.reports import dump_report, load_report
from kyoten.reports.exchange import csv_files, read_csv_files
from kyoten.reports.reading import assemble, report_from_data
from kyoten.text import KyotenError, KyotenErrors
from reports.helpers import problems_of, report_data


@pytest.fixture
def report():
    return report_from_data(report_data(), "r.json")


def zipped(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["json", "csv_zip", "xlsx"])
def test_every_format_round_trips(report, fmt):
    assert load_report(dump_report(report, fmt), f"r.{fmt}") == report


def test_csv_files_are_named_after_sections_and_open_in_excel_as_utf8(report):
    files = csv_files(report)
    assert sorted(files) == sorted(
        [
            "metadata.csv",
            "institutions.csv",
            "roster.csv",
            "money.csv",
            "publications.csv",
            "assets.csv",
            "meetings.csv",
            "follow_up.csv",
        ]
    )
    roster = files["roster.csv"].decode("utf-8")
    assert roster.startswith("\ufeffname,orcid,category,is_pi,")
    assert "Aiko Tanaka,0000-0002-1825-0097,pi,yes,no,JP,female,80,main,2022-04-01,,\r\n" in roster


def test_csv_with_the_templates_japanese_headers(report):
    files = csv_files(report)
    text = (
        files["money.csv"]
        .decode("utf-8-sig")
        .replace("source,category,amount,description", "財源,費目,金額（円）,内訳")
    )
    files["money.csv"] = text.encode("utf-8")
    assert assemble(read_csv_files(files, "r.zip")).money == report.money


def test_a_bad_csv_cell_is_located_by_file_line_and_column(report):
    files = csv_files(report)
    files["roster.csv"] = files["roster.csv"].replace(
        b"Mei Sato,,researcher,no", b"Mei Sato,,researcher,perhaps"
    )
    with pytest.raises(KyotenErrors) as excinfo:
        load_report(zipped(files), "r.zip")
    assert problems_of(excinfo) == [
        ("roster.csv", 4, "is_pi", "roster[2].is_pi", "expected yes or no")
    ]
    assert "r.zip: ファイル「roster.csv」4行目「is_pi」列（主任研究者）" in excinfo.value.localized(
        "ja"
    )
    assert "r.zip: file 'roster.csv', line 4, column is_pi" in excinfo.value.localized("en")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # the roster file is required
        (lambda f: f.pop("roster.csv"), ("roster.csv", None, None, None, "the file is missing")),
        # a file that is not a section
        (
            lambda f: f.update({"budget.csv": b"a\n"}),
            ("budget.csv", None, None, None, "unknown file"),
        ),
        # a column that is not a field
        (
            lambda f: f.update({"money.csv": b"source,category,amount,note\n"}),
            ("money.csv", 1, "4", None, "unknown or repeated column"),
        ),
        # not UTF-8
        (
            lambda f: f.update({"meetings.csv": "title\n会議\n".encode("shift_jis")}),
            ("meetings.csv", None, None, None, "not UTF-8"),
        ),
    ],
)
def test_bad_csv_files(report, change, expected):
    files = csv_files(report)
    change(files)
    with pytest.raises(KyotenErrors) as excinfo:
        load_report(zipped(files), "r.zip")
    found = problems_of(excinfo)
    assert any(f[:4] == expected[:4] and expected[4] in f[4] for f in found), found


def test_a_zip_with_other_files_is_refused():
    with pytest.raises(KyotenError, match="holds files other than CSV"):
        load_report(zipped({"roster.csv": b"", "notes.txt": b""}), "r.zip")


def test_broken_json_names_the_line():
    with pytest.raises(KyotenError) as excinfo:
        load_report(b'{"metadata":\n  {,}}', "r.json")
    assert excinfo.value.location == "r.json:2"


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://x")',
        "+81 3 1234",
        "-Taro",
        "@SUM(A1)",
        "'s-Hertogenbosch",
        "''",
        "plain",
    ],
)
def test_csv_cells_are_neutralised_and_read_back_exactly(text):
    data = report_data()
    data["roster"][0]["name"] = text
    data["publications"][0]["title"] = text
    report = report_from_data(data, "r.json")
    rows = list(csv.DictReader(io.StringIO(csv_files(report)["roster.csv"].decode("utf-8-sig"))))
    if text.startswith(("=", "+", "-", "@")):
        assert rows[0]["name"] == f"'{text}"  # shown in a spreadsheet, never run
    assert load_report(dump_report(report, "csv_zip"), "r.zip") == report
