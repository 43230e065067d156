"""Bad files: each refused with a bilingual message naming the sheet, row, column and value."""

import io
import json
import struct
import zipfile

import pytest

from kyoten.reports.exchange import dump_report, load_report
from kyoten.reports.limits import ReportLimits
from kyoten.reports.reading import report_from_data
from kyoten.text import KyotenError, KyotenErrors
from reports.helpers import problems_of, report_data, save, workbook


@pytest.fixture
def xlsx():
    return dump_report(report_from_data(report_data(), "r.json"), "xlsx")


def refusal(data, name="report.xlsx", limits=None):
    with pytest.raises(KyotenError) as excinfo:
        load_report(data, name, limits)
    assert not isinstance(excinfo.value, KyotenErrors)
    return excinfo.value


def rezip(xlsx, change):
    """The workbook's zip with ``change(name, content) -> (name, content)`` applied."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            name, content = change(item.filename, source.read(item.filename))
            target.writestr(name, content)
    return buffer.getvalue()


# --- the kind of file, by content ----------------------------------------------------------


def test_an_old_xls_file_is_refused():
    error = refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "report.xls")
    assert "old Excel 97–2003 workbook (.xls)" in error.localized("en")
    assert "旧形式のExcelブック（.xls）" in error.localized("ja")


def test_a_macro_enabled_workbook_is_refused(xlsx):
    def macro(name, content):
        if name == "[Content_Types].xml":
            content = content.replace(
                b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
            )
        return name, content

    error = refusal(rezip(xlsx, macro), "report.xlsx")  # named .xlsx, but holds macros
    assert "macro-enabled workbook (.xlsm)" in error.localized("en")
    assert "マクロ有効ブック" in error.localized("ja")


def test_a_workbook_with_a_vba_project_is_refused_even_without_the_content_type(xlsx):
    buffer = io.BytesIO(xlsx)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\0" * 64)
    assert "macro-enabled" in refusal(buffer.getvalue()).localized("en")


def test_a_csv_renamed_to_xlsx_is_refused():
    error = refusal(b"name,orcid,category\nA,,pi\n", "report.xlsx")
    assert "this is CSV text, not an Excel workbook" in error.localized("en")
    assert "CSV形式のテキストです" in error.localized("ja")
    assert error.location == "report.xlsx"


def test_a_file_that_is_no_report_is_refused():
    assert "not a report file" in refusal(b"\x89PNG\r\n\x1a\n\0\0", "r.xlsx").localized("en")


# --- size and zip bombs ----------------------------------------------------------------------


def test_an_oversized_file_is_refused(xlsx):
    error = refusal(xlsx, limits=ReportLimits(upload_max_bytes=1000))
    assert f"the file is too large: {len(xlsx):,} bytes, at most 1,000" in error.localized("en")
    assert "ファイルが大きすぎます" in error.localized("ja")


def test_a_zip_bomb_is_refused_before_anything_is_decompressed(xlsx):
    # 20 MB of zeros compresses to about 20 kB: a ratio near 1000.
    bomb = rezip(
        xlsx, lambda n, c: (n, b"\0" * 20_000_000 if n == "xl/worksheets/sheet4.xml" else c)
    )
    error = refusal(bomb)
    assert "would expand" in error.localized("en") and "zip bomb" in error.localized("en")
    assert "ZIP爆弾" in error.localized("ja")


def test_the_uncompressed_total_is_limited(xlsx):
    error = refusal(xlsx, limits=ReportLimits(uncompressed_max_bytes=10_000))
    assert "the archive would expand to" in error.localized("en")


def test_limits_come_from_the_environment_and_fail_loudly():
    assert ReportLimits.from_env({"KYOTEN_REPORT_ROWS_MAX": "5"}).rows_max == 5
    with pytest.raises(KyotenError, match="KYOTEN_REPORT_UPLOAD_MAX_BYTES"):
        ReportLimits.from_env({"KYOTEN_REPORT_UPLOAD_MAX_BYTES": "-1"})


# --- sheets, columns and cells ---------------------------------------------------------------


def located(data, name="report.xlsx", limits=None):
    with pytest.raises(KyotenErrors) as excinfo:
        load_report(data, name, limits)
    return problems_of(excinfo), excinfo.value


def test_a_renamed_sheet_is_named(xlsx):
    book = workbook(xlsx)
    book["資金 Money"].title = "Budget"
    problems, error = located(save(book))
    assert problems == [("資金 Money", None, None, None, problems[0][4])]
    assert "the sheet is missing or renamed" in problems[0][4] and "'Budget'" in problems[0][4]
    assert "シートがないか名前が変更されています" in error.localized("ja")


def test_a_missing_sheet_is_named(xlsx):
    book = workbook(xlsx)
    del book["名簿 Roster"]
    problems, _ = located(save(book))
    assert [(p[0], "missing" in p[4]) for p in problems] == [("名簿 Roster", True)]


def test_a_renamed_and_a_missing_column(xlsx):
    book = workbook(xlsx)
    sheet = book["名簿 Roster"]
    sheet["A1"].value, sheet["A2"].value = "名前", "Nmae"
    sheet.delete_cols(7)  # gender
    problems, error = located(save(book))
    # sorted by row, then column: the sheet's missing columns before the unknown one in A
    assert [(p[0], p[1], p[2]) for p in problems] == [
        ("名簿 Roster", 1, None),
        ("名簿 Roster", 1, None),
        ("名簿 Roster", 1, "A"),
    ]
    assert "'Name' (氏名) is missing" in problems[0][4]
    assert "'Gender' (性別) is missing" in problems[1][4]
    assert "unknown column" in problems[2][4]
    assert "列「性別」（Gender）がありません" in error.localized("ja")


def test_headers_in_either_language_or_as_field_names_are_accepted(xlsx):
    book = workbook(xlsx)
    sheet = book["名簿 Roster"]
    sheet["A1"].value = None  # Japanese header removed, English kept
    sheet["B1"].value, sheet["B2"].value = "orcid", None  # the field name
    assert len(load_report(save(book), "r.xlsx").roster) == 5


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "field", "message", "japanese"),
    [
        # a wrong type: text in a number column
        (
            "名簿 Roster",
            "H4",
            "full time",
            "roster[1].effort_percent",
            "expected a percentage as a number",
            "割合（%）を 80、33.5、80% のように数値で入力してください",
        ),
        # a bad ORCID checksum
        (
            "名簿 Roster",
            "B3",
            "0000-0002-1825-0098",
            "roster[0].orcid",
            "check digit is wrong",
            "チェックディジットが一致しません",
        ),
        # a negative amount
        (
            "資金 Money",
            "C3",
            -300_000_000,
            "money[0].amount",
            "expected a value ≥ 0",
            "≥ 0 の値を入力してください",
        ),
        # an absurd amount (more than ¥100 billion on one line)
        (
            "資金 Money",
            "C4",
            "5兆円",
            "money[1].amount",
            "expected a value ≤ 100000000000",
            "≤ 100000000000 の値を入力してください",
        ),
        # an amount that is not money
        (
            "資金 Money",
            "C5",
            "a lot",
            "money[2].amount",
            "expected an amount in yen",
            "金額は 700000000",
        ),
        # a code not in the drop-down list
        (
            "名簿 Roster",
            "C5",
            "professor",
            "roster[2].category",
            "expected one of",
            "次のいずれかを入力してください",
        ),
        # a date outside the fiscal year
        (
            "国際会議 Meetings",
            "B3",
            "2025-04-02",
            "meetings[0].date",
            "outside FY2024",
            "2024年度（2024-04-01〜2025-03-31）の範囲外です",
        ),
        # a person starting after the reporting date
        (
            "名簿 Roster",
            "J5",
            "2025-05-01",
            "roster[2].start_date",
            "starts after 2025-03-31",
            "年度末（2025-03-31）より後に着任しています",
        ),
        # a duplicate person: the second PI's row repeats the first one's name
        (
            "名簿 Roster",
            "A4",
            "Aiko Tanaka",
            "roster[1].name",
            "duplicate person",
            "重複：Aiko Tanaka は同じ拠点",
        ),
        # a required value left empty
        (
            "名簿 Roster",
            "G6",
            None,
            "roster[3].gender",
            "this field is required",
            "この項目は必須です",
        ),
        # a formula error
        ("名簿 Roster", "H3", "#VALUE!", "roster[0].effort_percent", "formula error", "数式エラー"),
    ],
)
def test_bad_cells_are_located(xlsx, sheet, cell, value, field, message, japanese):
    book = workbook(xlsx)
    book[sheet][cell].value = value
    if field == "roster[1].name":  # make the rows the same person in every respect
        for column in "BDEFGH":
            book[sheet][f"{column}4"].value = book[sheet][f"{column}3"].value
        book[sheet]["C4"].value = "pi"
    problems, error = located(save(book))
    row = int(cell[1:])
    assert any(
        p[0] == sheet and p[1] == row and p[2] == cell[0] and p[3] == field and message in p[4]
        for p in problems
    ), problems
    assert any(p.where.field == field and japanese in p.localized("ja") for p in error.problems), (
        error.localized("ja")
    )


def test_merged_cells_are_refused(xlsx):
    book = workbook(xlsx)
    book["名簿 Roster"].merge_cells("A3:B3")
    problems, error = located(save(book))
    assert problems[0][:3] == ("名簿 Roster", 3, "A")
    assert "merged cells A3:B3 are not allowed" in problems[0][4]
    assert "結合セル A3:B3 は使えません" in error.localized("ja")


def test_too_many_rows(xlsx):
    problems, _ = located(xlsx, limits=ReportLimits(rows_max=3))
    assert any("too many rows" in p[4] and p[1] == 6 for p in problems)


def test_problems_as_json_records(xlsx):
    from kyoten.reports.problems import error_records

    book = workbook(xlsx)
    book["資金 Money"]["C3"].value = -1
    _, error = located(save(book))
    record = error_records(error)[0]
    assert record["sheet"] == "資金 Money" and record["row"] == 3 and record["column"] == "C"
    assert record["value"] == -1 and record["message"]["ja"] == "≥ 0 の値を入力してください"
    json.dumps(record)  # serialisable as it stands


def test_an_oversized_file_on_disk_is_refused_before_it_is_read(tmp_path):
    from kyoten.reports import load_report_file

    path = tmp_path / "huge.xlsx"
    path.write_bytes(b"\0" * 2000)
    with pytest.raises(KyotenError, match="the file is too large: 2,000 bytes"):
        load_report_file(path, ReportLimits(upload_max_bytes=1000))


def test_a_deleted_header_row_is_named_instead_of_losing_a_record(xlsx):
    book = workbook(xlsx)
    book["名簿 Roster"].delete_rows(2)  # the English headers: the first person moves up to row 2
    problems, _ = located(save(book))
    first = next(p for p in problems if "rows 1 and 2 hold the headers" in p[4])
    assert first[:3] == ("名簿 Roster", 2, "A")


def test_an_upload_for_another_center_is_named_at_the_cell(xlsx):
    with pytest.raises(KyotenErrors) as excinfo:
        load_report(xlsx, "r.xlsx", expected={"center": "IPMU"})
    assert problems_of(excinfo) == [
        ("拠点 Center", 2, "C", "metadata.center", "this report is expected for IPMU")
    ]


def test_an_xml_entity_bomb_inside_the_workbook_is_refused(xlsx):
    # "billion laughs": nine levels of entities, each ten of the one below — 10⁹ copies
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (level, b"&lol%d;" % (level - 1) * 10) for level in range(1, 10)
    )
    doctype = b'<?xml version="1.0"?><!DOCTYPE workbook [' + entities + b"]>"

    def bomb(name, content):
        if name == "xl/workbook.xml":
            content = doctype + content.replace(
                b"<workbookPr />", b'<workbookPr codeName="&lol9;"/>'
            )
            assert b"&lol9;" in content
        return name, content

    error = refusal(rezip(xlsx, bomb))
    assert "the workbook cannot be read" in error.localized("en")
    assert "ブックを読み込めません" in error.localized("ja")


def understate_sizes(archive: bytes) -> bytes:
    """Every file's declared uncompressed size set to 10 bytes (a lying zip directory)."""
    data = bytearray(archive)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        while at != -1:
            struct.pack_into("<I", data, at + offset, 10)
            at = data.find(signature, at + 4)
    return bytes(data)


@pytest.mark.parametrize(
    "fmt",
    [
        "xlsx",  # a workbook whose directory understates its sizes is not read past them
        "csv_zip",  # nor is a CSV zip
    ],
)
def test_a_zip_that_lies_about_its_sizes_is_refused(fmt):
    data = dump_report(report_from_data(report_data(), "r.json"), fmt)
    error = refusal(understate_sizes(data), f"r.{fmt}")
    assert "damaged" in error.localized("en")
    assert "壊れています" in error.localized("ja")


@pytest.mark.parametrize("sheet", ["名簿 Roster", "拠点 Center"])
def test_a_cell_far_below_the_data_is_refused_without_reading_a_million_rows(xlsx, sheet):
    """One value in the sheet's last row: a 20 KB file that would build millions of empty cells."""
    book = workbook(xlsx)
    book[sheet]["A1048576"].value = "x"
    problems, error = located(save(book))
    assert any(
        p[0] == sheet and ("too many rows" in p[4] or "unexpected cells" in p[4]) for p in problems
    )
    assert "行" in error.localized("ja")
