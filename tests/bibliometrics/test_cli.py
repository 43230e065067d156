"""``kyoten bib``: the commands end to end, their outputs and their errors (exit 2)."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest

from kyoten.cli import main


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    assert main(["bib", "synth", "--works", "3000", "--seed", "2", "--out", str(root / "snap"),
                 "--part-size", "1500", "--malformed", "1"]) == 0  # fmt: skip
    assert main(["bib", "ingest", str(root / "snap"), "--out", str(root / "data"),
                 "--on-error", "skip", "--threads", "1"]) == 0  # fmt: skip
    return root


def test_ingest_reports_the_skipped_line(data, capsys):
    assert main(["bib", "ingest", str(data / "snap"), "--out", str(data / "again"),
                 "--on-error", "skip"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "malformed lines skipped: 1" in out
    assert "part_00" in out


def test_ingest_fails_on_the_malformed_line_by_default(data, capsys):
    assert main(["bib", "ingest", str(data / "snap"), "--out", str(data / "fail")]) == 2
    err = capsys.readouterr().err
    assert ".gz:" in err
    assert "malformed work record" in err


def test_indicators_as_json_csv_and_parquet(data, capsys):
    base = ["bib", "indicators", str(data / "data"), "--years", "2016-2021", "--unit", "world"]
    assert main([*base, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["counting"], r["method"]) for r in rows} == {
        ("full", "cwts"), ("full", "nistep"), ("fractional", "cwts"), ("fractional", "nistep")
    }  # fmt: skip
    assert all(r["pp_top10"] == pytest.approx(0.1) for r in rows if r["counting"] == "full")
    assert main([*base, "--format", "csv", "--counting", "full", "--method", "cwts"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(table) == 1
    assert float(table[0]["pp_top1"]) == pytest.approx(0.01)
    out = data / "world.parquet"
    assert main([*base, "--format", "parquet", "--out", str(out), "--bootstrap", "50"]) == 0
    assert "pp_top10_lb" in pq.read_table(out).column_names


def test_compare_shows_the_band(data, tmp_path, capsys):
    dois = tmp_path / "center.txt"
    dois.write_text("# our papers\n" + "\n".join(f"10.99999/synth.{n}" for n in range(1, 400)))
    args = ["bib", "compare", str(data / "data"), "--years", "2014-2023", "--center",
            f"WPI-X={dois}", "--benchmark", "country:JP", "--counting", "full"]  # fmt: skip
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "20%–25%" in captured.out
    assert "[unconfirmed] the document does not say which database" in captured.out
    assert "vs_band" in captured.out
    assert "WPI-X:" in captured.err  # how many DOIs were found
    assert main([*args, "--lang", "ja"]) == 0
    japanese = capsys.readouterr().out
    assert "（プログラム資料：概ね20〜25%）：20%–25%" in japanese
    assert "［未確認］" in japanese


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--years", "20x9"], "--years: expected a publication year"),
        (["--years", "2022-2019"], "years: the year window is empty"),
        (["--years", "2020", "--unit", "ror:nonsense"], "not a ROR id"),
        (["--years", "2020", "--unit", "planet:mars"], "unknown unit"),
        (["--years", "2020", "--unit", "country:ZZ"], "unknown unit: no institution"),
        (["--years", "2020", "--format", "parquet"], "Parquet output needs a file"),
    ],
)
def test_bad_input_exits_2_with_a_message(data, capsys, argv, message):
    assert main(["bib", "indicators", str(data / "data"), *argv]) == 2
    assert message in capsys.readouterr().err


def test_missing_data_folder_exits_2(tmp_path, capsys):
    assert main(["bib", "indicators", str(tmp_path), "--years", "2020"]) == 2
    assert "kyoten bib ingest" in capsys.readouterr().err
