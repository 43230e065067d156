"""The rulebook data: it loads, it says what the program document says, and a broken rulebook
is refused with a message naming the file, the requirement and the field."""

from pathlib import Path

import pytest
import yaml

from kyoten.program import load_program
from kyoten.program.rulebook import parse_program
from kyoten.text import KyotenError

RULEBOOK = Path(__file__).parents[1] / "src/kyoten/program/data/wpi.yaml"
SCENARIOS = Path(__file__).parent / "scenarios"


@pytest.fixture(scope="module")
def wpi():
    return load_program("wpi")


@pytest.mark.parametrize(
    ("track", "selection", "fiscal_year", "gate", "cap"),
    [
        ("wpi", 2023, 2024, None, 700_000_000),  # 最大7億円/年
        ("core", 2023, 2024, None, 500_000_000),  # ステップアップ前：5億円/年
        ("core", 2023, 2027, 2027, 500_000_000),  # still ¥500M in the year the gate is passed
        ("core", 2023, 2028, 2027, 700_000_000),  # ステップアップ後：7億円/年 from the next year
        ("multiple_host", 2023, 2024, None, 1_000_000_000),  # 10億円/年 per alliance
        ("wpi", 2012, 2015, None, 700_000_000),  # FY2012 onward: ≤ ¥700M
        ("wpi", 2022, 2023, None, 700_000_000),
        ("wpi", 2007, 2008, None, 1_400_000_000),  # FY2007/FY2010: about ¥1.3–1.4B
        ("wpi", 2010, 2011, None, 1_400_000_000),
    ],
)
def test_annual_grant_cap(wpi, track, selection, fiscal_year, gate, cap):
    value = wpi.annual_grant_cap(track, selection, fiscal_year, gate)
    assert value.value == cap
    assert value.sources  # every value carries its source


def test_the_fy2007_cap_is_marked_approximate(wpi):
    assert wpi.annual_grant_cap("wpi", 2007, 2008).approximate
    assert not wpi.annual_grant_cap("wpi", 2023, 2024).approximate


def test_every_value_has_a_source_with_a_place(wpi):
    for requirement in wpi.requirements:
        for value in requirement.values:
            assert value.sources, requirement.id
            for source in value.sources:
                assert source.url or source.document


def test_every_requirement_has_both_languages(wpi):
    for requirement in wpi.requirements:
        for text in (requirement.title, requirement.rule, requirement.noun):
            assert text.en and text.ja and text.en != text.ja


@pytest.mark.parametrize(
    ("selection", "era"),
    [
        (2007, "fy2007"),
        (2010, "fy2007"),
        (2012, "fy2012"),
        (2022, "fy2012"),
        (2023, "fy2023"),
        (2030, "fy2023"),
    ],
)
def test_eras(wpi, selection, era):
    assert wpi.era_for(selection).id == era


def test_no_call_before_fy2007(wpi):
    with pytest.raises(KyotenError, match="first call was in FY2007"):
        wpi.era_for(2006)


def test_every_requirement_is_tested_on_both_sides_of_its_threshold(wpi):
    """Each requirement appears in the scenarios as met and as not met or below guideline."""
    seen: dict[str, set[str]] = {}
    for path in SCENARIOS.glob("*.yaml"):
        for scenario in yaml.safe_load(path.read_text(encoding="utf-8"))["scenarios"]:
            for rule, status in scenario["expect"].items():
                seen.setdefault(rule, set()).add(status)
    for requirement in wpi.requirements:
        statuses = seen.get(requirement.id, set())
        assert "met" in statuses, requirement.id
        assert statuses & {"not_met", "below_guideline"}, requirement.id


# --- a broken rulebook ------------------------------------------------------------------


def broken(change):
    data = yaml.safe_load(RULEBOOK.read_text(encoding="utf-8"))
    change(data)
    return yaml.safe_dump(data, allow_unicode=True)


def requirement(data, rule):
    return next(r for r in data["requirements"] if r["id"] == rule)


@pytest.mark.parametrize(
    ("change", "where", "what"),
    [
        (
            lambda d: requirement(d, "grant.annual_cap")["values"][0].pop("max"),
            "requirements[grant.annual_cap].values[0].max",
            "a maximum value needs `max`",
        ),
        (
            lambda d: requirement(d, "people.world_top_pis")["values"][0].update(era="fy1999"),
            "requirements[people.world_top_pis].values[0].era",
            "unknown era",
        ),
        (
            lambda d: requirement(d, "hosts.count")["values"][0].update(tracks=["wpi", "standard"]),
            "requirements[hosts.count].values[0].tracks",
            "unknown track or stage",
        ),
        (
            lambda d: requirement(d, "language.english")["values"][0].update(sources=["nowhere"]),
            "requirements[language.english].values[0].sources",
            "unknown source id",
        ),
        (
            lambda d: requirement(d, "grant.annual_cap")["values"][2]["tracks"].append(
                "core.before_step_up"
            ),
            "requirements[grant.annual_cap].values[3].tracks",
            "a second value for the same era and track",
        ),
        (
            lambda d: requirement(d, "people.total_staff").update(kind="at_least"),
            "requirements[people.total_staff].kind",
            "expected one of",
        ),
        (
            lambda d: requirement(d, "people.total_staff")["values"][0].update(min="many"),
            "requirements[people.total_staff].values[0].min",
            "expected a whole number",
        ),
        (
            lambda d: requirement(d, "people.researchers_from_abroad")["values"][0].update(
                min="3/0"
            ),
            "requirements[people.researchers_from_abroad].values[0].min",
            "expected a fraction such as 3/10",
        ),
        (
            lambda d: requirement(d, "people.total_staff")["title"].pop("ja"),
            "requirements[people.total_staff].title.ja",
            "this field is required",
        ),
        (
            lambda d: d["sources"]["mext-2024"].pop("document"),
            "sources.mext-2024",
            "a source needs a url or a document",
        ),
    ],
)
def test_a_broken_rulebook_names_file_requirement_and_field(change, where, what):
    with pytest.raises(KyotenError) as caught:
        parse_program(broken(change), "wpi-broken.yaml")
    message = caught.value.localized("en")
    assert f"wpi-broken.yaml: {where}" in message
    assert what in message


def test_a_rulebook_that_is_not_yaml():
    with pytest.raises(KyotenError, match="not valid YAML"):
        parse_program("requirements: [", "bad.yaml")


def test_notes_are_in_the_table_language(wpi):
    rows = {row["rule"]: row for row in wpi.requirement_rows("wpi", 2007, "ja")}
    assert rows["grant.annual_cap"]["notes"] == [
        "出典は平成19・22年度採択拠点について年約13〜14億円としています。平成19年度の制度設計では年5〜20億円とされていました。Kyotenは14億円を用います。"
    ]
    assert rows["people.total_staff"]["notes"][-1].startswith("Kyotenの解釈")
    english = {row["rule"]: row for row in wpi.requirement_rows("wpi", 2007, "en")}
    assert english["people.total_staff"]["notes"][-1].startswith("Kyoten's reading")
