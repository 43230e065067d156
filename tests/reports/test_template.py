"""The Excel template: layout, drop-down lists, pre-filling from last year, round trip."""

import datetime

import pytest

from kyoten.reports.exchange import dump_report, load_report
from kyoten.reports.layout import SECTIONS
from kyoten.reports.reading import report_from_data
from kyoten.reports.xlsx import choice_labels, template_workbook
from kyoten.text import KyotenError
from reports.helpers import (
    INSTITUTIONS,
    REGISTRY,
    last_years_report,
    person,
    report_data,
    save,
    workbook,
)


@pytest.mark.parametrize(
    ("lang", "categories", "yes_no", "words"),
    [
        (
            "en",
            '"PI,researcher,postdoc,student,administrative staff,technical staff"',
            '"yes,no"',
            "Do not merge cells",
        ),
        (
            "ja",
            '"主任研究者,研究者,ポスドク,学生,事務職員,技術職員"',
            '"はい,いいえ"',
            "セルを結合しないでください",
        ),
    ],
)
def test_sheets_headers_and_lists_in_the_templates_language(lang, categories, yes_no, words):
    template = template_workbook("TEST", 2024, track="core", selection_fiscal_year=2023, lang=lang)
    book = workbook(template)
    assert book.sheetnames == ["説明 Instructions", *(s.sheet for s in SECTIONS)]
    roster = book["名簿 Roster"]
    assert roster["A1"].value == "氏名 *" and roster["A2"].value == "Name *"  # both, always
    assert roster["B2"].value == "ORCID iD"
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in roster.data_validations.dataValidation}
    assert lists["C3"] == categories
    assert lists["D3"] == yes_no
    center = book["拠点 Center"]
    assert [center[f"C{r}"].value for r in (2, 8, 9, 10)] == ["TEST", 2024, "WPI CORE", 2023]
    instructions = "\n".join(str(c.value) for c in book["説明 Instructions"]["A"] if c.value)
    assert "2025-03-31" in instructions and words in instructions


def test_no_label_of_a_drop_down_list_holds_a_comma_or_repeats():
    """A list is written as "a,b,c": a comma inside a label would split it, and two equal
    labels of one list would read as one code."""
    for section in SECTIONS:
        for column in section.columns:
            for lang in ("ja", "en"):
                labels = choice_labels(column, lang)
                assert not any("," in label for label in labels), (column.field, labels)
                assert len(set(labels)) == len(labels)


def test_last_years_report_prefills_who_is_still_there():
    last = report_data()
    last["metadata"]["fiscal_year"] = 2023
    last["meetings"][0]["date"] = "2023-11-05"
    last["assets"][0]["date"] = "2023-10-01"
    last["roster"].append(person("Left", start_date="2020-04-01", end_date="2024-01-31"))
    last["follow_up"].append({"recommendation": "Done one.", "action": "Did it.", "status": "done"})
    previous = report_from_data(last, "last.json")
    book = workbook(template_workbook("TEST", 2024, previous))
    names = [c.value for c in book["名簿 Roster"]["A"][2:] if c.value]
    assert names == ["Aiko Tanaka", "John Smith", "Mei Sato", "Li Wei", "Ken Ito"]  # not "Left"
    assert book["名簿 Roster"]["B3"].value == "0000-0002-1825-0097"
    assert book["拠点 Center"]["C8"].value == 2024  # this year, not last year
    assert book["資金 Money"].max_row == 2  # money is new each year
    follow_up = [c.value for c in book["フォローアップ Follow-up"]["D"][2:] if c.value]
    assert follow_up == ["in progress"]  # done recommendations are not carried over


def test_a_report_round_trips_through_excel():
    report = report_from_data(report_data(), "r.json")
    assert load_report(dump_report(report, "xlsx"), "r.xlsx") == report


def test_text_that_looks_like_a_formula_stays_text():
    data = report_data()
    data["roster"][4]["name"] = '=HYPERLINK("http://x")'
    report = report_from_data(data, "r.json")
    xlsx = dump_report(report, "xlsx")
    assert workbook(xlsx)["名簿 Roster"]["A7"].data_type == "s"
    assert load_report(xlsx, "r.xlsx").roster[4].name == '=HYPERLINK("http://x")'


def test_a_filled_in_template_is_read_with_excel_typed_cells():
    book = workbook(template_workbook("TEST", 2024, track="wpi", selection_fiscal_year=2022))
    roster = book["名簿 Roster"]
    values = [
        "Aiko Tanaka",
        None,
        "pi",
        "yes",
        "no",
        "JP",
        "female",
        0.8,
        "main",
        datetime.datetime(2022, 4, 1),
    ]
    for column, value in enumerate(values, start=1):
        roster.cell(row=3, column=column, value=value)
    roster["H3"].number_format = "0%"  # effort typed as 80%
    for column, value in enumerate(["wpi_grant", "personnel", 280_000_000.0], start=1):
        book["資金 Money"].cell(row=3, column=column, value=value)
    report = load_report(save(book), "filled.xlsx")
    assert report.roster[0].effort_percent == 80
    assert report.roster[0].start_date == datetime.date(2022, 4, 1)
    assert report.money[0].amount == 280_000_000


@pytest.mark.parametrize(
    ("center", "year", "message"),
    [
        # last year's report must be the same center's
        ("OTHER", 2025, "is for center 'TEST', not 'OTHER'"),
        # and for an earlier year than the template
        ("TEST", 2024, "is for FY2024; give a report of a year before FY2024"),
    ],
)
def test_the_previous_report_must_fit(center, year, message):
    previous = report_from_data(report_data(), "r.json")
    with pytest.raises(KyotenError, match=message):
        template_workbook(center, year, previous)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_what_is_prefilled_reads_back_identically(lang):
    previous = last_years_report()
    template = template_workbook(
        "TEST", 2024, previous, details=REGISTRY, institutions=INSTITUTIONS, lang=lang
    )
    report = load_report(template, "t.xlsx")
    assert report.roster == previous.roster  # everyone was still there on 1 April 2024
    assert [row.model_dump() for row in report.institutions] == [
        {"organisation_level_agreement": False, **row} for row in INSTITUTIONS
    ]
    metadata = report.metadata.model_dump()
    assert {k: metadata[k] for k in REGISTRY} == REGISTRY
    assert metadata["host_head"] == "Hanako Yamada"  # what the registry does not hold
    assert metadata["english_administration"] is False
    assert report.follow_up == previous.follow_up
    assert (report.metadata.fiscal_year, report.metadata.is_sample) == (2024, False)


def test_the_japanese_template_writes_every_code_as_its_japanese_label():
    template = template_workbook(
        "TEST", 2024, last_years_report(), details=REGISTRY, institutions=INSTITUTIONS, lang="ja"
    )
    book = workbook(template)
    roster = [
        [c.value for c in row] for row in book["名簿 Roster"].iter_rows(min_row=3, max_row=10)
    ]
    assert roster[0][2:5] == ["主任研究者", "はい", "いいえ"]
    assert {row[8] for row in roster} == {"本拠点", "海外サテライト", "国内サテライト"}
    assert {row[6] for row in roster} == {"女性", "男性", "無回答", "その他"}
    assert book["機関 Institutions"]["C4"].value == "海外連携機関"
    assert book["フォローアップ Follow-up"]["D3"].value == "対応中"
    center = {row[1].value: row[2].value for row in book["拠点 Center"].iter_rows(min_row=2)}
    assert center["Track *"] == "WPI CORE" and center["Extension granted"] == "いいえ"
    codes = {"pi", "yes", "no", "female", "main", "host", "in_progress", "wpi_grant"}
    values = {c.value for sheet in book.worksheets[1:] for row in sheet.iter_rows() for c in row}
    assert not values & codes


@pytest.mark.parametrize(
    ("lang", "warning"),
    [
        ("ja", "注意：前年度の実際の報告がないため、名簿は2023年度のサンプルデータ"),
        (
            "en",
            "Note: there is no real report of last year, so the roster is taken from the FY2023 sample data",
        ),
    ],
)
def test_a_sample_gives_the_roster_only_and_the_instructions_say_so(lang, warning):
    from kyoten.reports import sample_report

    sample = sample_report("TEST", 2023, seed=2)
    book = workbook(template_workbook("TEST", 2024, sample, details=REGISTRY, lang=lang))
    lines = [c for c in book["説明 Instructions"]["A"] if c.value]
    (note,) = [c for c in lines if warning in c.value]
    assert note.font.bold  # set apart from the other lines
    names = [c.value for c in book["名簿 Roster"]["A"][2:] if c.value]
    assert names and set(names) <= {row.name for row in sample.roster}
    center = {row[1].value: row[2].value for row in book["拠点 Center"].iter_rows(min_row=2)}
    assert center["Head of the host institution"] is None  # a made-up name is not carried
    assert center["Center name"] == "テスト研究拠点"
    assert book["フォローアップ Follow-up"].max_row == 2  # made-up recommendations neither
    assert book["機関 Institutions"].max_row == 2


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ja", "名簿・指摘事項への対応等は2023年度の報告（受理済み）から引き継いでいます"),
        ("en", "carried over from the FY2023 report (accepted)"),
    ],
)
def test_the_instructions_name_where_the_roster_comes_from(lang, words):
    book = workbook(template_workbook("TEST", 2024, last_years_report(), lang=lang))
    assert any(words in str(c.value) for c in book["説明 Instructions"]["A"])
