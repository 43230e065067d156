"""Indicators and compliance on the center page and the overview; sample data labelled.

Sample reports fill the dashboards until a real report is accepted for the same center and
year, which then replaces the sample.
"""

import csv
import datetime
import io

import openpyxl
import pytest

from kyoten.cli import main
from kyoten.fiscal import fiscal_year_of
from kyoten.registry.models import Center
from kyoten.submissions import services
from kyoten.submissions.models import AnnualReport
from kyoten.submissions.samples import load_samples
from web.reporting import FY, ircn_data, stored

TODAY = datetime.date(2025, 6, 1)  # FY2025 runs; FY2024 is the last finished year


@pytest.fixture
def ircn_samples(db):
    return load_samples(TODAY, [Center.objects.get(key="ircn")])


def accepted(personas, **kwargs):
    version = stored(personas["ken"], **kwargs)
    services.act(version.report, "submit", personas["ken"])
    services.act(version.report, "accept", personas["hana"])
    return version


def test_samples_cover_each_supported_finished_year_and_load_once(db, monkeypatch, capsys):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: TODAY)
    assert main(["load-samples"]) == 0
    samples = AnnualReport.objects.filter(is_sample=True)
    assert f"{samples.count()} added" in capsys.readouterr().out
    # IRCN started in FY2017 (September 2017): FY2017 to FY2024
    ircn = samples.filter(center__key="ircn").values_list("fiscal_year", flat=True)
    assert sorted(ircn) == list(range(2017, 2025))
    # a center starting after TODAY's last finished year has none
    for center in Center.objects.all():
        started = fiscal_year_of(center.support_start)
        assert samples.filter(center=center).exists() is (started <= 2024)
    # every sample says so in its data, and is accepted with one version
    for report in samples.filter(center__key__in=["ircn", "aimr"]):
        assert report.state == "accepted"
        assert report.versions.get().data["metadata"]["is_sample"] is True
    loaded = samples.count()
    assert main(["load-samples"]) == 0
    assert "0 added" in capsys.readouterr().out
    assert AnnualReport.objects.filter(is_sample=True).count() == loaded


def test_sample_data_cannot_be_changed(client_as, ircn_samples):
    sample = AnnualReport.objects.get(center__key="ircn", fiscal_year=FY, is_sample=True)
    client = client_as("hana")
    page = client.post(
        f"/reports/{sample.pk}/accept/", {"version": 1}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Sample data cannot be changed; upload a real report." in page.content.decode()
    assert sample.events.count() == 1  # only its loading


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_sample_data_is_labelled_on_every_page_that_shows_it(client_as, ircn_samples, lang):
    client = client_as("hana")
    sample = AnnualReport.objects.get(center__key="ircn", fiscal_year=FY, is_sample=True)
    for url in ("/centers/ircn/", "/", f"/reports/{sample.pk}/", "/centers/ircn/reports/"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        assert "サンプル" in page and "ample" in page, url  # both languages, on every page
    center_page = client.get("/centers/ircn/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert 'class="sample-banner"' in center_page


def test_the_center_page_shows_trends_and_the_latest_verdict(client_as, ircn_samples):
    page = client_as("mori").get("/centers/ircn/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    section = text.split('id="annual-reports"')[1]
    assert section.count("<svg") == 3  # researchers from abroad, researchers and PIs, money
    assert 'class="threshold"' in text
    assert "required minimum: 30%" in text  # from the rulebook, not the template
    assert f"Verdict for the latest report (FY{FY})" in text
    assert 'id="verdict-result"' in text
    trends = text.split('id="report-trends"')[1].split("</table>")[0]
    assert trends.count("<tr>") == ircn_samples + 1  # a row per year, and the header


def test_an_accepted_real_report_replaces_the_sample(client_as, personas, ircn_samples):
    version = accepted(personas)
    page = client_as("ken").get("/centers/ircn/", HTTP_ACCEPT_LANGUAGE="en")
    trends = page.content.decode().split('id="report-trends"')[1].split("</table>")[0]
    row = next(r for r in trends.split("<tr>") if f"FY{FY}" in r)
    assert version.report.get_absolute_url() in row
    assert "sample-badge" not in row
    numbers = services.indicators(version.content)
    assert f'<td class="num">{numbers.researchers}</td>' in row
    # only the real report is compared for FY2024
    rows = services.comparison_reports(FY, list(Center.objects.all()))
    assert [r.metadata.is_sample for r in rows] == [False]


def test_a_real_report_not_yet_accepted_leaves_the_sample_shown(client_as, personas, ircn_samples):
    stored(personas["ken"])
    shown = services.shown_versions([Center.objects.get(key="ircn")], FY)
    assert [v.report.is_sample for v in shown] == [True]


def test_the_comparison_exports_neutralise_formulas(client_as, personas):
    data = ircn_data()
    data["metadata"]["center"] = '=HYPERLINK("http://x")'
    accepted(personas, data=data)
    client = client_as("hana")
    page = client.get(f"/reports/compare/?from={FY}&to={FY}", HTTP_ACCEPT_LANGUAGE="en")
    assert "comparison-table" in page.content.decode()
    response = client.get(f"/reports/compare.csv?fiscal_year={FY}", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Disposition"] == f'attachment; filename="wpi-reports-fy{FY}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Center"
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/reports/compare.xlsx?fiscal_year={FY}").content)
    )
    cell = book.active["A3"]
    assert cell.value == '\'=HYPERLINK("http://x")'
    assert cell.data_type == "s"


@pytest.mark.parametrize(("lang", "track", "sample"), [("ja", "WPI", "はい"), ("en", "WPI", "yes")])
def test_the_comparison_table_speaks_the_pages_language(
    client_as, ircn_samples, lang, track, sample
):
    page = client_as("mori").get(f"/reports/compare/?from={FY}&to={FY}", HTTP_ACCEPT_LANGUAGE=lang)
    table = page.content.decode().split('id="comparison-table"')[1].split("</table>")[0]
    [row] = table.split("<tbody>")[1].split("<tr>")[1:]
    cells = [cell.split("</td>")[0].split(">")[-1] for cell in row.split("<td")[1:]]
    year = f"{FY}年度" if lang == "ja" else f"FY{FY}"
    assert '<th scope="row">IRCN</th>' in row
    assert cells[:3] == [year, track, sample]


def test_a_year_without_reports_has_no_export(client_as, ircn_samples):
    response = client_as("hana").get("/reports/compare.csv?fiscal_year=2001")
    assert response.status_code == 404
