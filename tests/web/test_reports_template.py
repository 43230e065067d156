"""The template a center office downloads: the registry's details and institutions on the
report's day (names as they were then), last year's accepted roster (or the sample's, said
on the Instructions sheet), labels in the page's language — and it uploads as it was filled."""

import datetime
import io

import openpyxl
import pytest

from kyoten.registry.models import Center, Institution, InstitutionName
from kyoten.reports import load_report, sample_report
from kyoten.submissions import services
from web.reporting import FY, counts, ircn_data, post_upload, stored


def download(client, fiscal_year, lang, center="ircn"):
    response = client.get(
        f"/centers/{center}/reports/template/?fiscal_year={fiscal_year}",
        HTTP_ACCEPT_LANGUAGE=lang,
    )
    assert response.status_code == 200
    return response.content


def sheet_values(content, name):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [[c.value for c in row] for row in book[name].iter_rows(min_row=3) if row[0].value]


def center_values(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {
        row[1].value.rstrip(" *"): row[2].value for row in book["拠点 Center"].iter_rows(min_row=2)
    }


def instructions(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return "\n".join(str(c.value) for c in book["説明 Instructions"]["A"] if c.value)


def accepted(personas, fiscal_year):
    """IRCN's report of ``fiscal_year``, uploaded, submitted and accepted."""
    report = stored(personas["ken"], fiscal_year=fiscal_year, data=ircn_data(fiscal_year)).report
    services.act(report, "submit", personas["ken"])
    services.act(report, "accept", personas["hana"])
    return report


@pytest.mark.parametrize(
    ("lang", "details", "labels"),
    [
        (
            "ja",
            {
                "Center name": "ニューロインテリジェンス国際研究機構",
                "Host institution": "東京大学",
                "Center director": "Takao Kurt Hensch",
                "Track": "WPI",
                "Selection fiscal year": 2017,
                "Extension granted": "いいえ",
            },
            ("主任研究者", "はい", "いいえ", "女性", "本拠点"),
        ),
        (
            "en",
            {
                "Center name": "International Research Center for Neurointelligence",
                "Host institution": "The University of Tokyo",
                "Track": "WPI",
            },
            ("PI", "yes", "no", "female", "main site"),
        ),
    ],
)
def test_the_registry_and_last_years_accepted_report_fill_the_template(
    client_as, personas, lang, details, labels
):
    accepted(personas, FY - 1)
    content = download(client_as("ken"), FY, lang)
    center = center_values(content)
    assert {k: center[k] for k in details} == details
    assert center["Fiscal year"] == FY
    roster = sheet_values(content, "名簿 Roster")
    assert [row[0] for row in roster] == [p["name"] for p in ircn_data(FY - 1)["roster"]]
    assert (roster[0][2], roster[0][3], roster[0][4], roster[0][6], roster[0][8]) == labels
    institutions = sheet_values(content, "機関 Institutions")
    assert institutions[0][:2] == [details["Host institution"], "JP"]
    assert "Test University" in [row[0] for row in institutions]  # last year's, kept


def test_a_draft_of_last_year_is_not_carried_over_the_sample_is_and_says_so(client_as, personas):
    stored(personas["ken"], fiscal_year=FY - 1, data=ircn_data(FY - 1))  # a draft
    sample = sample_report("IRCN", FY - 1, seed=3, track="wpi", selection_fiscal_year=2017)
    services.store(Center.objects.get(key="ircn"), sample, "sample.json", None, sample=True)
    content = download(client_as("ken"), FY, "ja")
    names = {row[0] for row in sheet_values(content, "名簿 Roster")}
    assert names and names <= {row.name for row in sample.roster}
    assert "前年度の実際の報告がないため、名簿は2023年度のサンプルデータ" in instructions(content)
    english = download(client_as("ken"), FY, "en")
    assert "there is no real report of last year" in instructions(english)


def test_an_institution_is_named_as_it_was_on_the_reports_day(client_as, personas):
    utokyo = Institution.objects.get(key="utokyo")
    InstitutionName.objects.create(
        institution=utokyo,
        since=datetime.date(FY + 1, 1, 1),
        name_en="University of Tokyo (renamed)",
        name_ja="東京大学（改称後）",
    )
    before = center_values(download(client_as("ken"), FY - 1, "ja"))  # 31 March FY
    after = center_values(download(client_as("ken"), FY, "ja"))  # 31 March FY+1
    assert (before["Host institution"], after["Host institution"]) == (
        "東京大学",
        "東京大学（改称後）",
    )


def test_hosts_and_a_satellite_of_an_alliance(client_as, personas):
    content = download(client_as("hana"), FY, "en", center="aimec")
    rows = [row[:3] for row in sheet_values(content, "機関 Institutions")]
    assert [row[2] for row in rows] == ["host institution", "host institution", "satellite"]
    hosts = center_values(content)["Host institution"]
    assert all(row[0] in hosts for row in rows[:2])


def test_a_template_uploaded_as_it_was_prefilled_gives_back_what_was_filled_in(client_as, personas):
    last = accepted(personas, FY - 1)
    content = download(client_as("ken"), FY, "ja")
    before = counts()
    response = post_upload(client_as("ken"), content, "template.xlsx", fiscal_year=FY, lang="ja")
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert counts() != before
    version = last.center.annual_reports.get(fiscal_year=FY, is_sample=False).latest_version()
    assert version.content.roster == last.latest_version().content.roster
    assert load_report(content, "t.xlsx") == version.content


@pytest.mark.parametrize(("lang", "category"), [("ja", "主任研究者"), ("en", "PI")])
def test_a_version_downloads_as_a_workbook_in_the_pages_language(
    client_as, personas, lang, category
):
    version = stored(personas["ken"])
    response = client_as("ken").get(
        f"/reports/{version.report.pk}/versions/{version.number}.xlsx", HTTP_ACCEPT_LANGUAGE=lang
    )
    assert sheet_values(response.content, "名簿 Roster")[0][2] == category
    assert load_report(response.content, "v.xlsx") == version.content
