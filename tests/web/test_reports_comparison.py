"""The comparison of all centers across fiscal years: a range of years, readable headers and
numbers, charts of the share from abroad against each center's minimum and of money by
source, and exports with labels, number formats and frozen headers (opened by LibreOffice);
looked at in Chromium in both languages and at a phone's width."""

import csv
import datetime
import io
import re
import subprocess

import openpyxl
import pytest

from kyoten.registry.models import Center
from kyoten.reports import indicators
from kyoten.submissions import services
from kyoten.submissions.samples import load_samples
from web.conftest import PASSWORD, make_user
from web.reporting import FY, ircn_data, stored

TODAY = datetime.date(2025, 6, 1)  # FY2024 is the last finished year


@pytest.fixture
def samples(db):
    """The samples of IRCN (FY2017–FY2024) and QUP (FY2022–FY2024)."""
    return load_samples(TODAY, list(Center.objects.filter(key__in=["ircn", "qup"])))


def table_rows(page):
    table = page.split('id="comparison-table"')[1].split("</table>")[0]
    return [
        re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        for row in table.split("<tbody>")[1].split("<tr>")[1:]
    ]


def test_the_last_five_years_by_default_and_any_range_asked_for(client_as, samples):
    client = client_as("hana")
    page = client.get("/reports/compare/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    years = {row[1] for row in table_rows(page)}
    assert years == {f"FY{y}" for y in range(FY - 4, FY + 1)}
    assert "Indicators and verdicts of every center, FY2020 to FY2024" in page
    page = client.get("/reports/compare/?from=2022&to=2023", HTTP_ACCEPT_LANGUAGE="en")
    rows = table_rows(page.content.decode())
    assert [(r[0], r[1]) for r in rows] == [
        ("IRCN", "FY2022"),
        ("IRCN", "FY2023"),
        ("QUP", "FY2022"),
        ("QUP", "FY2023"),
    ]
    # the range the other way round, or a year without reports, is no error
    assert client.get("/reports/compare/?from=2023&to=2022").status_code == 200
    assert client.get("/reports/compare/?from=1999&to=x").status_code == 200


@pytest.mark.parametrize(
    ("lang", "yes", "sample_header"),
    [("ja", "はい", "サンプル"), ("en", "yes", "Sample data")],
)
def test_numbers_with_separators_and_words_that_never_wrap(
    client_as, samples, lang, yes, sample_header
):
    page = client_as("mori").get(f"/reports/compare/?from={FY}&to={FY}", HTTP_ACCEPT_LANGUAGE=lang)
    text = page.content.decode()
    headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', text)
    assert sample_header in headers
    ircn = next(r for r in table_rows(text) if r[0] == "IRCN")
    report = services.comparison_reports(FY, [Center.objects.get(key="ircn")])[0]
    assert f"{indicators(report).wpi_grant:,}" in ircn  # 629,950,000
    assert f'<td class="word">{yes}</td>' in text  # the sample column, never wrapped


def test_the_charts_show_each_center_against_its_minimum_and_money_by_source(
    client_as, samples, personas
):
    data = ircn_data()
    data["roster"][1].update(from_abroad=False, nationality="JP")  # 1 researcher of 4 from abroad
    accepted = stored(personas["ken"], data=data)
    services.act(accepted.report, "submit", personas["ken"])
    services.act(accepted.report, "accept", personas["hana"])
    page = client_as("hana").get(
        f"/reports/compare/?from={FY - 2}&to={FY}", HTTP_ACCEPT_LANGUAGE="ja"
    )
    text = page.content.decode()
    abroad = text.split('id="compare-abroad-h"')[1].split("</figure>")[0]
    assert abroad.count('class="threshold"') == 2  # a 30% mark across each center's row
    assert re.search(f'<rect class="bar-below"[^>]*><title>IRCN FY{FY}: 25.0%', abroad)
    assert '<rect class="bar-actual"' in abroad  # QUP, above its minimum
    assert "必要な最低割合：30%" in abroad and "最低割合未満" in abroad
    money = text.split('id="compare-money-h"')[1].split("</section>")[0]
    assert "bar-source-wpi_grant" in money and "WPI補助金" in money
    assert "2022年度〜2024年度" in money  # every year of the range, summed


def test_the_overview_shows_the_share_from_abroad_and_leads_to_the_comparison(client_as, samples):
    page = client_as("hana").get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    section = page.split('id="report-comparison"')[1].split("</section>")[0]
    assert f"<title>IRCN FY{FY}: " in section and f"<title>QUP FY{FY}: " in section
    assert 'href="/reports/compare/"' in section


@pytest.mark.parametrize(
    ("query", "name"),
    [
        (f"from={FY - 2}&to={FY}", f"wpi-reports-fy{FY - 2}-{FY}"),
        (f"fiscal_year={FY}", f"wpi-reports-fy{FY}"),
    ],
)
def test_the_exports_cover_the_range(client_as, samples, query, name):
    client = client_as("hana")
    response = client.get(f"/reports/compare.csv?{query}", HTTP_ACCEPT_LANGUAGE="ja")
    assert response["Content-Disposition"] == f'attachment; filename="{name}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["拠点", "年度", "区分", "サンプル"]
    assert {row[3] for row in rows[1:]} == {"はい"}  # labels, not codes
    assert len(rows) - 1 == 2 * (3 if "from" in query else 1)
    assert client.get(f"/reports/compare.xlsx?{query}").status_code == 200
    assert client.get(f"/reports/compare.csv?from={FY}&to=2001").status_code == 404


def test_libreoffice_opens_the_downloaded_workbook(client_as, samples, soffice, tmp_path):
    content = (
        client_as("hana")
        .get(f"/reports/compare.xlsx?from={FY - 1}&to={FY}", HTTP_ACCEPT_LANGUAGE="ja")
        .content
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.freeze_panes == "C3" and sheet["L3"].number_format == '"¥"#,##0'
    path = tmp_path / "compare.xlsx"
    path.write_bytes(content)
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    shown = list(csv.reader(io.StringIO((tmp_path / "compare.csv").read_text("utf-8"))))
    first = dict(zip(shown[1], shown[2], strict=True))  # English headers, IRCN's first year
    assert re.fullmatch(r"¥\d{1,3}(,\d{3})+", first["WPI grant (yen)"])
    assert re.fullmatch(r"\d+\.\d%", first["Researchers from abroad (%)"])
    assert first["Sample data"] == "はい" and first["Track"] == "WPI"


@pytest.mark.django_db(transaction=True)
def test_the_comparison_reads_well_in_chromium(live_server, monkeypatch):
    """Headers wrap between words, never one character per line; はい/いいえ and yen stay on
    one line — in Japanese and English, at a desktop's and a phone's width."""

    from kyoten.accounts.models import Role
    from kyoten.registry.reference import load_reference
    from web.test_browser import chromium, require_chromium

    require_chromium()
    load_reference()
    load_samples(TODAY, list(Center.objects.filter(key__in=["ircn", "qup", "aimec"])))
    make_user("hana", Role.PROGRAM_OFFICE, password=PASSWORD)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    base = live_server.url
    with chromium() as browser:
        for locale, width in (("ja-JP", 1280), ("ja-JP", 390), ("en-GB", 1280), ("en-GB", 390)):
            page = browser.new_page(locale=locale, viewport={"width": width, "height": 900})
            page.set_default_timeout(15_000)
            page.goto(f"{base}/accounts/login/")
            page.locator("input[name=username]").fill("hana")
            page.locator("input[name=password]").fill(PASSWORD)
            page.locator("input[name=password]").press("Enter")
            page.wait_for_url(f"{base}/tasks/")
            page.goto(f"{base}/reports/compare/?from=2022&to={FY}")
            sizes = page.evaluate(
                """() => {
                  const line = c => parseFloat(getComputedStyle(c).lineHeight);
                  const lines = c => {
                    const range = document.createRange(); range.selectNodeContents(c);
                    return Math.round(range.getBoundingClientRect().height / line(c));
                  };
                  const heads = [...document.querySelectorAll('#comparison-table thead th')]
                    .filter(h => h.textContent.length >= 4);
                  const words = [...document.querySelectorAll('#comparison-table td.word, #comparison-table td.num')];
                  return {
                    fewest: Math.min(...heads.map(h => h.textContent.length / lines(h))),
                    most: Math.max(...words.map(lines)),
                    charts: document.querySelectorAll('figure.chart svg').length,
                  };
                }"""
            )
            # characters per line of the most wrapped header; lines of the tallest value
            assert sizes["fewest"] >= 3, (locale, width, sizes)
            assert sizes["most"] == 1, (locale, width, sizes)
            assert sizes["charts"] == 3
            page.close()
