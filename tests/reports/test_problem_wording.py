"""How problems read: what is expected in words (never a pattern), values as people write
them (yes/no, はい/いいえ — never Python's True/False), places as people count them (sheet,
row and column with its header; a JSON list's entries from 1), sorted by sheet and row —
in both languages, one test per message."""

import json
import re

import pytest

from kyoten.program.plan import plan_json_schema
from kyoten.reports import dump_report, load_report, report_json_schema
from kyoten.reports.reading import report_from_data
from kyoten.sources import _PublisherSpec
from kyoten.text import KyotenErrors
from kyoten.validation import PATTERN_WORDS
from reports.helpers import person, report_data, save, workbook


def refused(data, name="r.json"):
    """The problems of ``data`` (a report's JSON data, or a file's bytes)."""
    read = load_report if isinstance(data, bytes) else report_from_data
    with pytest.raises(KyotenErrors) as excinfo:
        read(data, name)
    return excinfo.value


def in_both(error):
    return error.localized("en"), error.localized("ja")


def patterns(schema):
    found = set()
    if isinstance(schema, dict):
        if isinstance(schema.get("pattern"), str):
            found.add(schema["pattern"])
        for value in schema.values():
            found |= patterns(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= patterns(value)
    return found


def test_every_pattern_of_the_models_is_said_in_words():
    used = patterns(report_json_schema()) | patterns(plan_json_schema())
    used |= patterns(_PublisherSpec.model_json_schema())
    assert used and used <= set(PATTERN_WORDS)


@pytest.mark.parametrize(
    ("section", "field", "en", "ja"),
    [
        # an institution's country
        (
            "institutions",
            "country",
            "expected a two-letter country code such as JP",
            "JP のような2文字の国コードを入力してください",
        ),
        # a person's nationality
        (
            "roster",
            "nationality",
            "expected a two-letter country code such as JP",
            "JP のような2文字の国コードを入力してください",
        ),
    ],
)
def test_a_country_that_is_no_code_is_refused_in_words(section, field, en, ja):
    data = report_data()
    data[section][0][field] = "Japan"
    english, japanese = in_both(refused(data))
    assert f"{en} (got 'Japan')" in english and f"{ja}（入力値 'Japan'）" in japanese
    assert "[A-Z]" not in english + japanese


def test_a_person_whose_rows_disagree_is_told_in_yes_and_no():
    data = report_data()
    data["roster"].append(
        person("John Smith", "pi", site="overseas_satellite", effort_percent=0.5, from_abroad=False)
    )
    data["roster"][1]["effort_percent"] = 90
    english, japanese = in_both(refused(data))
    assert (
        "row 6, column from_abroad (From abroad): another row of the same person (John Smith) "
        "gives yes (got no)"
    ) not in english  # JSON has no rows: the entry is named instead
    assert (
        "r.json: roster, entry 6, from_abroad (From abroad): another row of the same person "
        "(John Smith) gives yes (got no)" in english
    )
    assert (
        "r.json: roster の6件目、from_abroad（外国からの研究者）：同じ人物（John Smith）の別の行では"
        "「はい」です（入力値 いいえ）" in japanese
    )
    assert "True" not in english + japanese and "False" not in english + japanese


def test_a_pi_flag_against_the_category_shows_the_value_as_words():
    data = report_data()
    data["roster"][2]["is_pi"] = True  # a researcher marked as PI
    english, japanese = in_both(refused(data))
    assert "PI must be yes exactly when the category is PI (got yes)" in english
    assert (
        "主任研究者欄は区分が主任研究者のときのみ「はい」にしてください（入力値 はい）" in japanese
    )


def test_a_postdoc_field_on_someone_else_shows_the_value_as_words():
    data = report_data()
    data["roster"][2]["international_recruitment"] = False
    english, japanese = in_both(refused(data))
    assert "international recruitment is stated for postdocs only; leave it empty (got no)" in (
        english
    )
    assert "国際公募欄はポスドクのみ記入します。空欄にしてください（入力値 いいえ）" in japanese


def test_a_duplicate_person_names_the_site_by_its_label():
    data = report_data()
    data["roster"].append(dict(data["roster"][2]))
    english, japanese = in_both(refused(data))
    assert "is already listed at this site (main site) for an overlapping period" in english
    assert "同じ拠点の場所（本拠点）・重なる期間ですでに記載されています" in japanese


def test_a_cell_is_named_by_sheet_row_column_and_header_never_by_a_path():
    report = report_from_data(report_data(), "r.json")
    book = workbook(dump_report(report, "xlsx"))
    book["名簿 Roster"]["H4"] = 120  # the second person's effort
    english, japanese = in_both(refused(save(book), "r.xlsx"))
    assert (
        "r.xlsx: sheet '名簿 Roster', row 4, column H (Effort at the center (%)): "
        "expected a value ≤ 100 (got 120)" in english
    )
    assert (
        "r.xlsx: シート「名簿 Roster」4行目H列（拠点でのエフォート（%））：≤ 100 の値を入力してください"
        in japanese
    )
    assert "roster[" not in english + japanese


def test_a_json_entry_is_counted_from_one():
    data = report_data()
    data["money"][0]["amount"] = "a lot"
    english, japanese = in_both(refused(data))
    assert english.startswith("r.json: money, entry 1, amount (Amount (yen)): ")
    assert japanese.startswith("r.json: money の1件目、amount（金額（円））：")


def test_problems_are_sorted_by_sheet_then_row_then_column():
    report = report_from_data(report_data(), "r.json")
    book = workbook(dump_report(report, "xlsx"))
    book["資金 Money"]["C4"] = "a lot"  # found first: money is read before the roster checks
    book["名簿 Roster"]["J5"] = "2025-05-01"  # a start after the year (a roster check)
    book["名簿 Roster"]["F4"] = "Japan"
    book["名簿 Roster"]["B4"] = "0000-0002-1825-0098"
    book["機関 Institutions"]["B3"] = "Japan"
    error = refused(save(book), "r.xlsx")
    places = [(p.where.sheet, p.where.row, p.where.column) for p in error.problems]
    assert places == [
        ("機関 Institutions", 3, "B"),
        ("名簿 Roster", 4, "B"),
        ("名簿 Roster", 4, "F"),
        ("名簿 Roster", 5, "J"),
        ("資金 Money", 4, "C"),
    ]


def test_the_json_records_keep_the_path_and_add_the_entry_and_header():
    from kyoten.reports import error_records

    data = report_data()
    data["roster"][1]["from_abroad"] = "maybe"
    (record,) = error_records(refused(data))
    assert record["field"] == "roster[1].from_abroad"  # for programs, as JSON counts
    assert record["item"] == 2
    assert record["header"] == {"ja": "外国からの研究者", "en": "From abroad"}
    json.dumps(record)


def test_no_message_of_a_bad_report_shows_python_words():
    data = report_data()
    data["roster"][0]["is_pi"] = False  # a PI marked as not a PI
    data["roster"][3]["international_recruitment"] = None
    text = "\n".join(in_both(refused(data)))
    assert not re.search(r"\bTrue\b|\bFalse\b|\bNone\b|Decimal\(", text), text
