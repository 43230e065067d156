"""`kyoten report …`: every subcommand, its output files and its exit codes."""

import csv
import io
import json

import pytest

from kyoten.cli import main
from kyoten.reports import load_report_file, sample_report
from kyoten.reports.exchange import report_json
from reports.helpers import save, workbook


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def last_year(tmp_path):
    path = tmp_path / "fy2023.json"
    path.write_text(report_json(sample_report("DEMO", 2023, seed=4)), encoding="utf-8")
    return path


@pytest.fixture
def real_last_year(tmp_path):
    """A generated report standing for a real one (not marked sample data)."""
    report = sample_report("DEMO", 2023, seed=4)
    metadata = report.metadata.model_copy(update={"is_sample": False})
    path = tmp_path / "real-fy2023.json"
    path.write_text(report_json(report.model_copy(update={"metadata": metadata})), "utf-8")
    return path


def test_template_then_import_of_an_unfilled_template_lists_what_is_missing(tmp_path, capsys):
    template = tmp_path / "t.xlsx"
    code, _, _ = run(
        capsys, "report", "template", "--center", "DEMO", "--fy", "令和6年度", "-o", template
    )
    assert code == 0
    code, out, err = run(capsys, "report", "import", template, "--lang", "en")
    assert code == 2 and out == ""
    assert "t.xlsx: sheet '拠点 Center', row 9, column C (Track): this field is required" in err


def test_import_problems_as_json(tmp_path, capsys):
    template = tmp_path / "t.xlsx"
    run(capsys, "report", "template", "--center", "DEMO", "--fy", "2024", "-o", template)
    code, out, _ = run(capsys, "report", "import", template, "--format", "json")
    assert code == 2
    records = json.loads(out)
    assert records[0]["sheet"] == "拠点 Center" and records[0]["field"] == "metadata.track"
    assert records[0]["message"] == {"ja": "この項目は必須です", "en": "this field is required"}


def test_previous_years_report_prefills_the_template_which_imports_for_the_new_year(
    tmp_path, capsys, real_last_year
):
    template = tmp_path / "fy2024.xlsx"
    code, _, _ = run(
        capsys,
        "report",
        "template",
        "--center",
        "DEMO",
        "--fy",
        "2024",
        "--previous",
        real_last_year,
        "-o",
        template,
    )
    assert code == 0
    output = tmp_path / "fy2024.json"
    code, _, err = run(capsys, "report", "import", template, "-o", output)
    assert code == 0, err
    report = load_report_file(output)
    previous = load_report_file(real_last_year)
    assert report.metadata.fiscal_year == 2024 and not report.metadata.is_sample
    assert {p.name for p in report.roster} <= {p.name for p in previous.roster}
    assert report.money == []


@pytest.mark.parametrize(
    ("to", "name"), [("xlsx", "out.xlsx"), ("json", "out.json"), ("csv", "out.zip")]
)
def test_export_round_trips(tmp_path, capsys, last_year, to, name):
    code, _, _ = run(capsys, "report", "export", last_year, "--to", to, "-o", tmp_path / name)
    assert code == 0
    assert load_report_file(tmp_path / name) == load_report_file(last_year)


def test_export_csv_to_a_directory_writes_one_file_per_section(tmp_path, capsys, last_year):
    code, _, _ = run(capsys, "report", "export", last_year, "--to", "csv", "-o", tmp_path / "csv")
    assert code == 0
    assert len(list((tmp_path / "csv").glob("*.csv"))) == 8


def test_check_gives_the_verdict_and_its_exit_code(capsys, last_year):
    code, out, _ = run(capsys, "report", "check", last_year, "--lang", "en")
    assert code in (0, 1)
    assert out.startswith("DEMO FY2023 — WPI (standard), FY2023")
    assert ("Result: every requirement is met" in out) == (code == 0)
    code, out, _ = run(capsys, "report", "check", last_year, "--format", "json")
    assert json.loads(out)["fiscal_year"] == 2023


def test_check_of_a_broken_file_exits_2(tmp_path, capsys):
    bad = tmp_path / "old.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    code, _, err = run(capsys, "report", "check", bad, "--lang", "ja")
    assert code == 2
    assert "旧形式のExcelブック（.xls）" in err


def test_indicators_in_text_and_json(capsys, last_year):
    code, out, _ = run(capsys, "report", "indicators", last_year, "--lang", "en")
    assert code == 0
    assert out.startswith("DEMO FY2023 — sample data\n")
    assert "Researchers from abroad: " in out
    code, out, _ = run(capsys, "report", "indicators", last_year, "--format", "json")
    assert json.loads(out)[0]["fiscal_year"] == 2023


def test_compare_writes_csv_and_excel(tmp_path, capsys, last_year):
    other = tmp_path / "other.xlsx"
    run(
        capsys,
        "report",
        "sample",
        "--center",
        "OTHER",
        "--fy",
        "2023",
        "--format",
        "xlsx",
        "-o",
        other,
    )
    code, _, _ = run(capsys, "report", "compare", last_year, other, "-o", tmp_path / "c.csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "c.csv").read_text(encoding="utf-8-sig"))))
    assert [r[0] for r in rows] == ["Center", "DEMO", "OTHER"]
    code, _, _ = run(capsys, "report", "compare", last_year, other, "-o", tmp_path / "c.xlsx")
    assert code == 0
    assert workbook((tmp_path / "c.xlsx").read_bytes()).active["A4"].value == "OTHER"


def test_sample_to_stdout_is_a_labelled_report(capsys):
    code, out, _ = run(capsys, "report", "sample", "--center", "X", "--fy", "2024", "--seed", "3")
    assert code == 0
    assert json.loads(out)["metadata"]["is_sample"] is True


def test_schema(capsys):
    code, out, _ = run(capsys, "report", "schema")
    assert code == 0
    assert json.loads(out)["title"] == "Kyoten annual progress report"


def test_merged_cells_through_the_cli(tmp_path, capsys, last_year):
    path = tmp_path / "merged.xlsx"
    run(capsys, "report", "export", last_year, "--to", "xlsx", "-o", path)
    book = workbook(path.read_bytes())
    book["資金 Money"].merge_cells("C3:D3")
    path.write_bytes(save(book))
    code, _, err = run(capsys, "report", "import", path, "--lang", "en")
    assert code == 2
    assert "sheet '資金 Money', row 3, column C: merged cells C3:D3 are not allowed" in err


def test_import_refuses_a_report_for_another_year(capsys, last_year):
    code, _, err = run(
        capsys, "report", "import", last_year, "--fy", "2024", "--center", "DEMO", "--lang", "en"
    )
    assert code == 2
    assert err.strip().endswith(
        "fy2023.json: metadata, fiscal_year (Fiscal year): this report is expected for 2024 (got 2023)"
    )


def test_import_reads_a_directory_of_csv_files(tmp_path, capsys, last_year):
    run(capsys, "report", "export", last_year, "--to", "csv", "-o", tmp_path / "csv")
    code, out, _ = run(capsys, "report", "import", tmp_path / "csv", "--fy", "2023")
    assert code == 0
    assert json.loads(out)["metadata"]["fiscal_year"] == 2023


def test_sample_in_excel_needs_an_output_file(capsys):
    code, out, err = run(
        capsys,
        "report",
        "sample",
        "--center",
        "X",
        "--fy",
        "2024",
        "--format",
        "xlsx",
        "--lang",
        "en",
    )
    assert code == 2 and out == ""
    assert "--format: give -o FILE to write xlsx" in err


@pytest.mark.parametrize(("lang", "first"), [("ja", "主任研究者"), ("en", "PI")])
def test_the_template_is_written_in_the_chosen_language(tmp_path, capsys, lang, first):
    template = tmp_path / "t.xlsx"
    args = ["report", "template", "--center", "DEMO", "--fy", "2024", "--lang", lang]
    code, _, _ = run(capsys, *args, "-o", template)
    assert code == 0
    lists = workbook(template.read_bytes())["名簿 Roster"].data_validations.dataValidation
    assert any(v.formula1.startswith(f'"{first},') for v in lists)
