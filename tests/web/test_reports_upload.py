"""A center office's year: template, upload, problems, versions, submit, return, accept.

Every upload is a new version; the state moves draft → submitted → accepted or returned;
each step is kept in the report's history and in the audit trail.
"""

import io
import json
import zipfile

import openpyxl
import pytest
from django.test import Client

from kyoten.audit.models import AuditEntry
from kyoten.reports import indicators, load_report, report_from_data
from kyoten.submissions import services
from kyoten.submissions.models import AnnualReport, ReportEvent, ReportVersion
from web.reporting import FY, as_file, counts, ircn_data, post_upload, stored


def report():
    return AnnualReport.objects.get(center__key="ircn", fiscal_year=FY, is_sample=False)


def test_a_report_goes_from_upload_to_acceptance(client_as, personas):
    office = client_as("ken")
    response = post_upload(office, as_file(ircn_data()))
    assert response.status_code == 302
    assert response["Location"] == f"/reports/{report().pk}/"
    assert report().state == "draft"
    assert report().versions.get().actor == personas["ken"]

    assert office.post(f"/reports/{report().pk}/submit/", {"version": 1}).status_code == 302
    assert report().state == "submitted"
    # a submitted report takes no upload until the program office returns it
    before = counts()
    page = post_upload(office, as_file(ircn_data())).content.decode()
    assert "This report is submitted: it takes no new version" in page
    assert counts() == before

    officer = client_as("hana")
    # returning needs a comment
    officer.post(f"/reports/{report().pk}/return/", {"comment": " ", "version": 1})
    assert report().state == "submitted"
    officer.post(
        f"/reports/{report().pk}/return/", {"comment": "Add the FY2024 meetings.", "version": 1}
    )
    assert report().state == "returned"

    office = client_as("ken")
    page = office.get(f"/reports/{report().pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Add the FY2024 meetings." in page
    assert post_upload(office, as_file(ircn_data()), "second.xlsx").status_code == 302
    assert report().state == "draft"
    assert list(report().versions.values_list("number", flat=True)) == [2, 1]
    office.post(f"/reports/{report().pk}/submit/", {"version": 2})
    client_as("hana").post(f"/reports/{report().pk}/accept/", {"version": 2})
    assert report().state == "accepted"

    actions = list(report().events.order_by("id").values_list("action", "state"))
    assert actions == [
        ("upload", "draft"),
        ("submit", "submitted"),
        ("return", "returned"),
        ("upload", "draft"),
        ("submit", "submitted"),
        ("accept", "accepted"),
    ]
    # an accepted report is final
    office = client_as("ken")
    before = counts()
    page = post_upload(office, as_file(ircn_data())).content.decode()
    assert "This report is accepted: it takes no new version" in page
    assert counts() == before


def test_versions_and_state_changes_are_audited(client_as, personas):
    office = client_as("ken")
    post_upload(office, as_file(ircn_data()))
    office.post(f"/reports/{report().pk}/submit/", {"version": 1})
    version = ReportVersion.objects.get()
    entry = AuditEntry.objects.get(model="submissions.ReportVersion", action="create")
    assert entry.actor == personas["ken"]
    assert entry.after["sha256"] == version.sha256
    assert "data" not in entry.after  # the report is kept once, in the version
    change = AuditEntry.objects.get(model="submissions.AnnualReport", action="update")
    assert (change.before["state"], change.after["state"]) == ("draft", "submitted")
    assert change.actor_label == "ken"
    assert AuditEntry.objects.filter(model="submissions.ReportEvent").count() == 2


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "expected a percentage as a number"),
        ("ja", "割合（%）を 80、33.5、80% のように数値で入力してください"),
    ],
)
def test_every_problem_is_listed_with_its_place_in_the_users_language(client_as, lang, message):
    book = openpyxl.load_workbook(io.BytesIO(as_file(ircn_data())))
    sheet = book["名簿 Roster"]
    sheet["H4"] = "lots"  # effort of the second person (row 4)
    sheet["K5"] = "someday"  # start date of the third person (row 5)
    buffer = io.BytesIO()
    book.save(buffer)
    office = client_as("ken")
    before = counts()
    response = post_upload(office, buffer.getvalue(), lang=lang)
    page = response.content.decode()
    assert response.status_code == 200
    assert counts() == before
    table = page[page.index('<table class="problems">') :]
    rows = table.split("<tr>")[2:]  # after the header row
    assert len(rows) == 2
    header = {"en": "Effort at the center (%)", "ja": "拠点でのエフォート（%）"}[lang]
    assert "名簿 Roster" in rows[0] and ">4<" in rows[0] and ">H<" in rows[0]
    assert f"<td>{header}</td>" in rows[0]
    assert "lots" in rows[0] and message in rows[0]
    assert ">5<" in rows[1] and ">K<" in rows[1] and "someday" in rows[1]
    assert "roster[" not in table


def test_the_template_carries_over_last_years_report(client_as, personas):
    last = stored(personas["ken"], fiscal_year=FY - 1, data=ircn_data(FY - 1)).report
    services.act(last, "submit", personas["ken"])
    services.act(last, "accept", personas["hana"])
    response = client_as("ken").get(f"/centers/ircn/reports/template/?fiscal_year={FY}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="ircn-fy{FY}-report.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    names = [row[0].value for row in book["名簿 Roster"].iter_rows(min_row=3) if row[0].value]
    assert names == [p["name"] for p in ircn_data(FY - 1)["roster"]]
    center = {row[1].value: row[2].value for row in book["拠点 Center"].iter_rows(min_row=2)}
    assert any(v in (FY, str(FY)) for v in center.values())


def test_a_year_outside_the_support_period_offers_no_template(client_as):
    response = client_as("ken").get(
        "/centers/ircn/reports/template/?fiscal_year=2010", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


# --- the API: JSON in, JSON/CSV zip/Excel out -------------------------------------------------


def test_the_api_takes_json_and_gives_every_format_back(client_as):
    client = client_as("ken")
    data = ircn_data()
    response = client.post(
        f"/api/centers/ircn/reports/{FY}/", json.dumps(data), content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["version"], body["state"], body["fiscal_year"]) == (1, "draft", FY)
    expected = report_from_data(data, "r.json")
    base = f"/reports/{body['report']}/versions/1"
    assert report_from_data(client.get(f"{base}.json").json(), "v.json") == expected
    assert load_report(client.get(f"{base}.xlsx").content, "v.xlsx") == expected
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"{base}.zip").content))
    assert "roster.csv" in archive.namelist()
    assert load_report(client.get(f"{base}.zip").content, "v.zip") == expected


def test_the_api_takes_a_file_too(client_as):
    response = client_as("ken").post(
        f"/api/centers/ircn/reports/{FY}/",
        {"file": io.BytesIO(as_file(ircn_data(), "csv_zip"))},
    )
    assert response.status_code == 201


def test_the_api_lists_every_problem_as_records(client_as):
    data = ircn_data()
    data["roster"][0]["category"] = "wizard"
    client = client_as("ken")
    before = counts()
    response = client.post(
        f"/api/centers/ircn/reports/{FY}/",
        json.dumps(data),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert response.status_code == 400
    assert counts() == before
    [record] = response.json()["errors"]
    assert record["value"] == "wizard"
    assert record["field"] == "roster[0].category"
    assert set(record["message"]) == {"ja", "en"}
    assert response.json()["messages"] == [record["message"]["ja"]]


def test_the_api_needs_the_csrf_token(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["ken"])
    before = counts()
    response = client.post(
        f"/api/centers/ircn/reports/{FY}/",
        json.dumps(ircn_data()),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert counts() == before


def test_stored_indicators_are_those_of_the_core(client_as, personas):
    version = stored(personas["ken"])
    assert indicators(version.content) == indicators(report_from_data(ircn_data(), "r.json"))
    assert ReportEvent.objects.get().version == version


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ['<th scope="col">Field</th>', "<td>From abroad</td>", "<td>yes</td>", "gives no"]),
        (
            "ja",
            [
                '<th scope="col">項目</th>',
                "<td>外国からの研究者</td>",
                "<td>はい</td>",
                "「いいえ」",
            ],
        ),
    ],
)
def test_the_problem_table_reads_as_people_write(client_as, lang, words):
    """The header of the item column is 項目 (not 専門分野, the research field), values are
    yes/no (はい/いいえ, never True/False), problems come sorted by sheet and row."""
    book = openpyxl.load_workbook(io.BytesIO(as_file(ircn_data())))
    book["資金 Money"]["C3"] = "a lot"
    book["名簿 Roster"]["E4"] = "no"  # John Smith, from abroad on his other row below
    row = 8  # below the five people
    for column, cell in enumerate(book["名簿 Roster"][4], start=1):
        book["名簿 Roster"].cell(row=row, column=column, value=cell.value)
    book["名簿 Roster"].cell(row=row, column=5, value="yes")
    book["名簿 Roster"].cell(row=row, column=8, value=0.1)  # the effort, and another site
    book["名簿 Roster"].cell(row=row, column=9, value="overseas_satellite")
    book["名簿 Roster"].cell(row=4, column=8, value=90)
    buffer = io.BytesIO()
    book.save(buffer)
    page = post_upload(client_as("ken"), buffer.getvalue(), lang=lang).content.decode()
    table = page[page.index('<table class="problems">') :]
    for word in words:
        assert word in table
    assert "専門分野" not in table and "True" not in table and "False" not in table
    rows = table.split("<tr>")[2:]
    assert [("名簿 Roster" in r, "資金 Money" in r) for r in rows] == [(True, False), (False, True)]
