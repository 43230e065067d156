"""The `kyoten` command: exit codes, text and JSON output, the rules table, the schema."""

import argparse
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from kyoten.cli import build_parser, main

EXAMPLES = Path(__file__).parents[1] / "examples"
COMPLIANT = sorted(EXAMPLES.glob("*.yaml"))


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_compliant_examples_exit_0(capsys):
    code, out, _ = run(capsys, "check", *map(str, COMPLIANT), "--lang", "en")
    assert code == 0
    assert out.count("Result: every requirement is met") == len(COMPLIANT) == 4


def test_a_plan_with_an_unmet_requirement_exits_1_and_explains(capsys):
    code, out, _ = run(
        capsys, "check", str(EXAMPLES / "draft-proposal-roster.json"), "--lang", "en"
    )
    assert code == 1
    assert "✗ not met  budget.eligible_categories" in out
    assert "¥50,000,000 for research project costs is not eligible" in out
    assert "Result: 2 not met, 1 missing data" in out


def test_japanese_output(capsys):
    code, out, _ = run(
        capsys, "check", str(EXAMPLES / "draft-proposal-roster.json"), "--lang", "ja"
    )
    assert code == 1
    assert "拠点の総勢は12人です。50人以上が必要です（あと38人で満たします）。" in out
    assert "結果：未充足 2 件、データ不足 1 件" in out


def test_json_output_is_a_list_of_verdicts(capsys):
    code, out, _ = run(
        capsys,
        "check",
        str(COMPLIANT[0]),
        str(EXAMPLES / "draft-proposal-roster.json"),
        "--format",
        "json",
        "--lang",
        "en",
    )
    verdicts = json.loads(out)
    assert code == 1
    assert [v["all_met"] for v in verdicts] == [True, False]
    finding = next(f for f in verdicts[1]["findings"] if f["rule"] == "people.total_staff")
    assert finding["status"] == "not_met"
    assert finding["required"] == {"min": 50}
    assert finding["actual"] == 12
    assert finding["sources"][0]["id"] == "mext-2024"
    assert finding["message"].startswith("12 staff in total")


def test_a_malformed_file_exits_2_with_a_clear_message(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "track: wpi\nfiscal_year: 2024\npeople: {counts: {pis: many}}\n", encoding="utf-8"
    )
    code, out, err = run(capsys, "check", str(bad), str(COMPLIANT[0]), "--lang", "en")
    assert code == 2
    assert f"{bad}: people.counts.pis: expected a whole number (got 'many')" in err
    assert "Traceback" not in err
    assert "every requirement is met" in out  # the good file is still checked


def test_a_malformed_file_in_japanese(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("not: [yaml", encoding="utf-8")
    code, _, err = run(capsys, "check", str(bad), "--lang", "ja")
    assert code == 2
    assert "YAMLまたはJSONとして読み込めません" in err


def test_a_track_outside_its_era_exits_2(capsys, tmp_path):
    plan = tmp_path / "core2017.yaml"
    plan.write_text(
        "track: core\nfiscal_year: 2018\nselection_fiscal_year: 2017\n", encoding="utf-8"
    )
    code, _, err = run(capsys, "check", str(plan), "--lang", "en")
    assert code == 2
    assert "WPI CORE (staged) exists only from The FY2023 call (FY2023)" in err


def test_rules_in_japanese_show_the_program_documents_numbers(capsys):
    code, out, _ = run(capsys, "rules", "--lang", "ja")
    assert code == 0
    for figure in [
        "7億円",
        "5億円",
        "10億円",
        "7〜10人程度以上",
        "5〜7人程度以上",
        "10〜15人程度以上",
        "70〜100人程度以上",
        "50人以上",
        "150人以上",
        "30%以上",
        "原則2機関、最大3機関",
        "5年目まで",
        "研究プロジェクト費は除く",
    ]:
        assert figure in out, figure


def test_rules_for_one_track_and_an_earlier_era(capsys):
    code, out, _ = run(capsys, "rules", "--track", "wpi", "--fy", "平成19年度", "--lang", "en")
    assert code == 0
    assert "about ¥1,400M" in out
    assert "10–20 or more" in out
    assert "10 years (+5 if extended)" in out


def rules_json(capsys, *argv):
    code, out, _ = run(capsys, "rules", "--format", "json", *argv)
    assert code == 0
    table = json.loads(out)
    return table, {row["rule"]: row for row in table["requirements"]}


def test_rules_as_json_give_each_value_as_text(capsys):
    _, rows = rules_json(capsys, "--lang", "en")
    texts = {key: value["text"] for key, value in rows["grant.annual_cap"]["values"].items()}
    assert texts == {
        "wpi": "¥700M",
        "core.before_step_up": "¥500M",
        "core.after_step_up": "¥700M",
        "multiple_host": "¥1,000M",
    }


def test_rules_as_json_give_the_numbers_with_their_unit(capsys):
    table, rows = rules_json(capsys, "--lang", "ja")
    assert table["era"] == {"id": "fy2023", "label": "令和5年度公募", "selection_fiscal_year": 2023}
    cap = rows["grant.annual_cap"]["values"]["multiple_host"]
    assert (cap["text"], cap["unit"], cap["max"]) == ("10億円", "yen", 1_000_000_000)
    # 30% as an exact fraction, not a rounded float
    abroad = rows["people.researchers_from_abroad"]["values"]["wpi"]
    assert abroad["min"] == {"numerator": 3, "denominator": 10}
    assert abroad["text"] == "30%以上"
    # "7〜10人程度以上": a minimum of 7 people and a guideline of 10
    pis = rows["people.world_top_pis"]["values"]["wpi"]
    assert (pis["unit"], pis["min"], pis["guideline"]) == ("people", 7, 10)
    gate = rows["stage_gate.deadline"]["values"]
    assert gate["core.before_step_up"]["by_support_year"] == 5
    assert gate["wpi"] is None  # not a requirement of standard WPI
    eligible = rows["budget.eligible_categories"]["values"]["wpi"]["allowed"]
    assert "research_projects" not in eligible
    assert "personnel" in eligible


def test_rules_as_json_keep_the_marks_of_earlier_eras(capsys):
    _, rows = rules_json(capsys, "--fy", "2007", "--track", "wpi", "--lang", "en")
    cap = rows["grant.annual_cap"]["values"]["wpi"]
    assert cap["approximate"] is True
    assert cap["max"] == 1_400_000_000
    years = rows["period.support_years"]["values"]["wpi"]
    assert (years["max"], years["extension_years"]) == (10, 5)


@pytest.mark.parametrize(
    "argv",
    [(), ("--lang", "ja"), ("--fy", "2007"), ("--fy", "2015", "--track", "core")],
)
def test_rules_as_json_follow_their_published_schema(capsys, argv):
    code, out, _ = run(capsys, "schema", "rules")
    assert code == 0
    schema = json.loads(out)
    assert schema["title"] == "Kyoten requirement table"
    jsonschema.Draft202012Validator.check_schema(schema)
    table, _ = rules_json(capsys, *argv)
    jsonschema.validate(table, schema, cls=jsonschema.Draft202012Validator)


def test_schema_is_json_schema(capsys):
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0
    assert schema["title"] == "Kyoten plan"
    assert {"track", "fiscal_year", "people", "budget"} <= set(schema["properties"])


def test_the_installed_command_runs(tmp_path):
    """The console script, as a user runs it: exit code 2 and no traceback for a bad file."""
    bad = tmp_path / "x.yaml"
    bad.write_text("track: [", encoding="utf-8")
    script = str(Path(sys.executable).parent / "kyoten")  # installed beside the test's Python
    result = subprocess.run(
        [script, "check", str(bad), "--lang", "en"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "not valid YAML or JSON" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bug_is_reported_in_the_users_language_without_a_traceback(capsys, monkeypatch):
    import kyoten.program.cli as program_cli

    def broken(args):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(program_cli, "run_schema", broken)
    monkeypatch.delenv("KYOTEN_DEBUG", raising=False)
    monkeypatch.setenv("KYOTEN_LANG", "ja")
    code, _, err = run(capsys, "schema")
    assert code == 3
    assert "内部エラーです（ZeroDivisionError）" in err
    assert "Traceback" not in err


def _command_paths(parser, path=()):
    """Every command and subcommand of ``parser``, as the words that name it."""
    yield path
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                yield from _command_paths(subparser, (*path, name))


COMMAND_PATHS = list(_command_paths(build_parser()))


def test_every_command_is_listed():
    # the walk reaches the nested commands too (kyoten bib ingest, kyoten outcomes publish)
    assert {("check",), ("bib", "ingest"), ("outcomes", "publish")} <= set(COMMAND_PATHS)


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=" ".join)
def test_every_command_explains_itself_with_help(capsys, path):
    with pytest.raises(SystemExit) as exit_:
        main([*path, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: kyoten")


def test_output_closed_early_ends_quietly():
    """`kyoten rules --format json | head -1`: no internal error, no traceback."""
    script = str(Path(sys.executable).parent / "kyoten")
    with subprocess.Popen(
        [script, "rules", "--format", "json", "--lang", "en"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    ) as process:
        # The reader goes away, as head does after its lines; the command is still starting
        # (imports take far longer than this), so everything it prints meets a closed pipe.
        process.stdout.close()
        err = process.stderr.read().decode()
        code = process.wait()
    assert err == ""
    assert code == 141
