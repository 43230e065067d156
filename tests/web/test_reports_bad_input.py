"""Bad uploads through the web: each refused with a clear message, the database unchanged.

Every test counts the reports, versions, history entries and audit records before and after:
an upload is all or nothing.
"""

import io
import json
import zipfile

import openpyxl
import pytest

from web.reporting import FY, as_file, counts, ircn_data, post_upload, upload_file


def rezip(xlsx, change):
    """The workbook's zip with ``change(name, content) -> content`` applied to each file."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, change(item.filename, source.read(item.filename)))
    return buffer.getvalue()


def edited(change):
    """The IRCN workbook with ``change(book)`` applied, as openpyxl would save it."""
    book = openpyxl.load_workbook(io.BytesIO(as_file(ircn_data())))
    change(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def macro_enabled():
    def change(name, content):
        if name == "[Content_Types].xml":
            return content.replace(
                b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
            )
        return content

    return rezip(as_file(ircn_data()), change)


def zip_bomb():
    # 20 MB of zeros compress to about 20 kB: a ratio near 1000
    return rezip(
        as_file(ircn_data()),
        lambda n, c: b"\0" * 20_000_000 if n == "xl/worksheets/sheet4.xml" else c,
    )


def without_roster(book):
    del book["名簿 Roster"]


def without_effort_column(book):
    book["名簿 Roster"].delete_cols(8)


def wrong_types(book):
    book["資金 Money"]["C3"] = "a lot"
    book["名簿 Roster"]["L3"] = "next year"


def other_center(book):
    for row in book["拠点 Center"].iter_rows(min_row=2):
        if row[0].value and "center" in str(row[1].value).lower() and row[2].value == "IRCN":
            row[2].value = "QUP"


def with_data(change):
    """IRCN's report as JSON, with ``change(data)`` applied."""
    data = ircn_data()
    change(data)
    return json.dumps(data).encode()


def nested(depth):
    return b'{"metadata": ' + b"[" * depth + b"]" * depth + b"}"


def csv_with_a_line_break_in_a_field():
    """The CSV zip of IRCN's report with a carriage return inside an unquoted roster field."""
    source = zipfile.ZipFile(io.BytesIO(as_file(ircn_data(), "csv_zip")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "roster.csv":
                header, first, *rest = content.split(b"\n")
                content = b"\n".join([header, first.replace(b",", b",ab\rcd", 1), *rest])
            target.writestr(name, content)
    return buffer.getvalue()


# Input that once answered 500 (a traceback): each gets the problem list instead.
HOSTILE = [
    ("report.json", lambda: nested(1_000), "nested too deeply", "入れ子が深すぎる"),
    ("report.json", lambda: nested(100_000), "nested too deeply", "入れ子が深すぎる"),
    (
        "report.json",
        lambda: b'{"metadata": {"fiscal_year": ' + b"1" * 5_000 + b"}}",
        "holds a number too long",
        "数値が長すぎる",
    ),
    (
        "report.zip",
        csv_with_a_line_break_in_a_field,
        "a line break inside a field",
        "改行があります",
    ),
    (
        "report.json",
        lambda: with_data(lambda d: d["metadata"].update(center_name="IRCN\udc80")),
        "contains the character U+DC80",
        "保存できない文字（U+DC80",
    ),
    (
        "report.json",
        lambda: with_data(lambda d: d["roster"][0].update(name="A\x00B")),
        "contains the character U+0000",
        "U+0000",
    ),
    (
        "report.json",
        lambda: with_data(lambda d: d["publications"][0].update(title="Bell\x07")),
        "contains the character U+0007",
        "U+0007",
    ),
    (
        "report.json",
        lambda: with_data(lambda d: d["roster"][0].update(name="evil\u202egnp.exe")),
        "contains the character U+202E",
        "U+202E",
    ),
]

# name, file name, content, words of the message in English and in Japanese
BAD = [
    *HOSTILE,
    # an old Excel 97–2003 workbook, whatever its name
    (
        "report.xls",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
        "old Excel 97–2003 workbook (.xls)",
        "旧形式のExcelブック（.xls）",
    ),
    # a macro-enabled workbook named .xlsx
    ("report.xlsx", macro_enabled, "macro-enabled workbook (.xlsm)", "マクロ有効ブック"),
    # CSV text renamed to .xlsx
    (
        "report.xlsx",
        lambda: b"name,orcid,category\nA,,pi\n",
        "this is CSV text, not an Excel workbook",
        "CSV形式のテキストです",
    ),
    # a zip bomb
    ("report.xlsx", zip_bomb, "zip bomb", "ZIP爆弾"),
    # a missing sheet
    ("report.xlsx", lambda: edited(without_roster), "名簿 Roster", "名簿 Roster"),
    # a missing column
    ("report.xlsx", lambda: edited(without_effort_column), "Effort at the center", "エフォート"),
    # wrong types: an amount and a date in words
    ("report.xlsx", lambda: edited(wrong_types), "a lot", "a lot"),
    # a report for another center than the one it is uploaded to
    ("report.xlsx", lambda: edited(other_center), "QUP", "QUP"),
]


@pytest.mark.parametrize(("name", "make", "en", "ja"), BAD)
def test_a_bad_file_is_refused_and_nothing_changes(client_as, name, make, en, ja):
    content = make()
    office = client_as("ken")
    before = counts()
    for lang, words in (("en", en), ("ja", ja)):
        response = post_upload(office, content, name, lang=lang)
        page = response.content.decode()
        assert response.status_code == 200
        assert 'class="problems"' in page
        assert words in page
    assert counts() == before


def test_an_oversized_file_is_refused_before_it_is_read(client_as, monkeypatch):
    monkeypatch.setenv("KYOTEN_REPORT_UPLOAD_MAX_BYTES", "1000")
    content = as_file(ircn_data())
    office = client_as("ken")
    before = counts()
    page = post_upload(office, content).content.decode()
    assert f"the file is too large: {len(content):,} bytes, at most 1,000" in page
    assert counts() == before


def test_an_oversized_json_body_is_refused_by_the_api(client_as, monkeypatch):
    monkeypatch.setenv("KYOTEN_REPORT_UPLOAD_MAX_BYTES", "100")
    office = client_as("ken")
    before = counts()
    response = office.post(
        f"/api/centers/ircn/reports/{FY}/",
        b"{" + b" " * 200 + b"}",
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["message"] == {
        "en": "The report is larger than the 100 bytes accepted.",
        "ja": "報告のサイズが上限（100バイト）を超えています。",
    }
    assert counts() == before


def test_a_json_body_has_the_limit_of_a_file(client_as):
    """One limit for both: a 2 MB JSON body (past Django's limit for form data) is read."""
    body = json.dumps(ircn_data()).encode() + b" " * 2_000_000
    response = client_as("ken").post(
        f"/api/centers/ircn/reports/{FY}/", body, content_type="application/json"
    )
    assert response.status_code == 201


def test_a_report_for_another_center_is_refused_to_a_center_office(client_as):
    office = client_as("ken")
    before = counts()
    response = post_upload(office, as_file(ircn_data(center="QUP")), center="qup")
    assert response.status_code == 403
    assert counts() == before


def test_a_report_for_another_year_than_chosen_is_refused(client_as):
    office = client_as("ken")
    before = counts()
    page = post_upload(office, as_file(ircn_data(FY - 1)), fiscal_year=FY).content.decode()
    assert 'class="problems"' in page
    assert str(FY - 1) in page
    assert counts() == before


@pytest.mark.parametrize(("name", "make", "en", "ja"), HOSTILE)
@pytest.mark.parametrize("how", ["body", "file"])
def test_the_api_answers_hostile_input_with_its_problems_in_json(
    client_as, name, make, en, ja, how
):
    content = make()
    office = client_as("ken")
    before = counts()
    url = f"/api/centers/ircn/reports/{FY}/"
    if how == "body" and name.endswith(".json"):
        response = office.post(url, content, content_type="application/json")
    else:
        response = office.post(url, {"file": upload_file(content, name)})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    messages = json.dumps(response.json(), ensure_ascii=False)
    assert en in messages
    assert ja in messages
    assert counts() == before
