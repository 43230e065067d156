"""Bad plans: each gets a clear error naming the file, the field, the value and what was expected."""

import pytest

from kyoten.program import load_plan
from kyoten.text import KyotenError, KyotenErrors

VALID = """\
track: wpi
fiscal_year: 2024
people: {counts: {pis: 8}}
"""


def write(tmp_path, text, name="plan.yaml"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def test_a_valid_plan_loads(tmp_path):
    plan = load_plan(write(tmp_path, VALID))
    assert plan.track == "wpi"
    assert plan.selection_fiscal_year == 2024  # a proposal: selected in the call's year
    assert plan.support_year == 1


@pytest.mark.parametrize(
    ("text", "location", "english", "japanese"),
    [
        # an unknown track names the known ones
        (
            "track: standard\nfiscal_year: 2024\n",
            "plan.yaml: track",
            "expected one of 'wpi', 'core' or 'multiple_host' (got 'standard')",
            "次のいずれかを入力してください",
        ),
        # a missing field
        ("fiscal_year: 2024\n", "plan.yaml: track", "this field is required", "この項目は必須です"),
        # an impossible era year
        (
            "track: wpi\nfiscal_year: 令和0年度\n",
            "plan.yaml: fiscal_year",
            "there is no year 0 (got '令和0年度')",
            "0年はありません",
        ),
        # a negative amount
        (
            "track: wpi\nfiscal_year: 2024\nbudget: [{category: travel, source: wpi_grant, amount: -5}]\n",
            "plan.yaml: budget[0].amount",
            "expected a value ≥ 0 (got -5)",
            "≥ 0 の値を入力してください",
        ),
        # a wrong type
        (
            "track: wpi\nfiscal_year: 2024\npeople: {counts: {pis: many}}\n",
            "plan.yaml: people.counts.pis",
            "expected a whole number (got 'many')",
            "整数を入力してください",
        ),
        # a typo in a field name
        (
            "track: wpi\nfiscal_year: 2024\nlanguag: {}\n",
            "plan.yaml: languag",
            "unknown field",
            "不明な項目です",
        ),
        # an unknown person category, deep in a roster
        (
            "track: wpi\nfiscal_year: 2024\npeople:\n  roster:\n    - {category: pi, from_abroad: true}\n    - {category: professor, from_abroad: false}\n",
            "plan.yaml: people.roster[1].category",
            "(got 'professor')",
            "次のいずれかを入力してください",
        ),
        # a count that contradicts another
        (
            "track: wpi\nfiscal_year: 2024\npeople: {counts: {researchers: 10, researchers_from_abroad: 11}}\n",
            "plan.yaml: people.counts",
            "researchers_from_abroad (11) cannot exceed researchers (10)",
            "超えられません",
        ),
        # both forms of people at once
        (
            "track: wpi\nfiscal_year: 2024\npeople: {roster: [], counts: {pis: 1}}\n",
            "plan.yaml: people",
            "either a roster or counts",
            "どちらか一方",
        ),
        # an amount split at a comma inside a YAML flow mapping
        (
            "track: wpi\nfiscal_year: 2024\nbudget: [{category: travel, source: wpi_grant, amount: 3億8,000万円}]\n",
            "plan.yaml: budget[0].000万円",
            "put amounts such as '3億8,000万円' in quotes",
            "引用符で囲んでください",
        ),
        # a stage gate outside WPI CORE
        (
            "track: wpi\nfiscal_year: 2026\nselection_fiscal_year: 2023\nstage_gate_passed_fiscal_year: 2025\n",
            "plan.yaml",
            "only a WPI CORE center has a stage-gate review",
            "WPI COREのみ",
        ),
        # a stated stage that contradicts the stage gate's year
        (
            "track: core\nfiscal_year: 2027\nselection_fiscal_year: 2023\nstage_gate_passed_fiscal_year: 2027\ncore_stage: after_step_up\n",
            "plan.yaml",
            "the step-up takes effect from FY2028, so FY2027 is before_step_up",
            "2028年度からのため",
        ),
        # years that disagree
        (
            "track: wpi\nfiscal_year: 2024\nselection_fiscal_year: 2022\nsupport_year: 2\n",
            "plan.yaml",
            "disagree",
            "一致しません",
        ),
        # an amount with a fraction of a yen
        (
            "track: wpi\nfiscal_year: 2024\nbudget: [{category: travel, source: wpi_grant, amount: '0.5円'}]\n",
            "plan.yaml: budget[0].amount",
            "whole number of yen (got '0.5円')",
            "1円単位",
        ),
    ],
)
def test_bad_plans_are_explained(tmp_path, text, location, english, japanese):
    with pytest.raises(KyotenError) as caught:
        load_plan(write(tmp_path, text), name="plan.yaml")
    assert location in caught.value.localized("en")
    assert english in caught.value.localized("en")
    assert japanese in caught.value.localized("ja")


def test_every_problem_is_reported_at_once(tmp_path):
    text = "track: nope\nfiscal_year: someday\npeople: {counts: {pis: -1}}\n"
    with pytest.raises(KyotenErrors) as caught:
        load_plan(write(tmp_path, text), name="plan.yaml")
    locations = [problem.location for problem in caught.value.problems]
    assert locations == [
        "plan.yaml: track",
        "plan.yaml: fiscal_year",
        "plan.yaml: people.counts.pis",
    ]


@pytest.mark.parametrize(
    ("content", "english"),
    [
        ("track: wpi\n  fiscal_year: [2024\n", "not valid YAML or JSON"),  # broken YAML
        ('{"track": "wpi", ', "not valid YAML or JSON"),  # truncated JSON
        ("just a sentence", "a plan must be a mapping"),  # YAML, but not a mapping
        ("- a\n- list\n", "a plan must be a mapping"),
        ("", "a plan must be a mapping"),  # empty file
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a text file in UTF-8"),  # a picture
    ],
)
def test_files_that_are_not_plans(tmp_path, content, english):
    with pytest.raises(KyotenError, match=english):
        load_plan(write(tmp_path, content), name="upload")


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(KyotenError) as caught:
        load_plan(tmp_path / "nowhere.yaml")
    assert "nowhere.yaml" in caught.value.localized("en")
    assert "cannot read the file" in caught.value.localized("en")
    assert "ファイルを読み込めません" in caught.value.localized("ja")


def test_a_broken_yaml_file_names_the_line(tmp_path):
    with pytest.raises(KyotenError) as caught:
        load_plan(
            write(tmp_path, "track: wpi\nfiscal_year: 2024\npeople: {counts: [\n"), name="p.yaml"
        )
    assert caught.value.location.startswith("p.yaml:")
    assert caught.value.location != "p.yaml:"


def test_json_and_utf8_bom_are_accepted(tmp_path):
    path = write(tmp_path, b'\xef\xbb\xbf{"track": "core", "fiscal_year": "R6"}', name="p.json")
    assert load_plan(path).fiscal_year == 2024


def test_uploaded_bytes_load_like_a_file():
    assert load_plan(VALID.encode(), name="upload.yaml").people.counts.pis == 8


@pytest.mark.parametrize(
    ("content", "english"),
    [
        ("[" * 5000 + "]" * 5000, "nested too deeply"),  # deeper than Python's stack
        (
            "track: wpi\nfiscal_year: 2024\npeople: {counts: {pis: 1" + "0" * 5000 + "}}\n",
            "number too long",
        ),
    ],
)
def test_hostile_files_get_an_error_not_a_crash(tmp_path, content, english):
    with pytest.raises(KyotenError, match=english):
        load_plan(write(tmp_path, content), name="upload")


@pytest.mark.parametrize(
    ("text", "english"),
    [
        # a head count no center could have
        (
            "track: wpi\nfiscal_year: 2024\npeople: {counts: {pis: 100001}}\n",
            "expected a value ≤ 100000",
        ),
        # an amount far longer than any real one
        (
            "track: wpi\nfiscal_year: 2024\nbudget: [{category: travel, source: wpi_grant, amount: '"
            + "9" * 4400
            + "'}]\n",
            "at most 40 characters",
        ),
    ],
)
def test_absurd_values_are_refused_before_arithmetic(tmp_path, text, english):
    with pytest.raises(KyotenError, match=english):
        load_plan(write(tmp_path, text), name="plan.yaml")
