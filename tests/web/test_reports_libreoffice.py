"""Done when: a template from the web page, filled in by a script and saved by LibreOffice, is
uploaded through the web page, accepted by the program office, and its indicators appear on
the center page.

Skipped when ``soffice`` is not installed, unless KYOTEN_REQUIRE_SOFFICE=1 makes its
absence a failure.
"""

from kyoten.reports import indicators, report_from_data
from reports.libreoffice import fill, saved_by_libreoffice
from web.reporting import FY, ircn_data, post_upload


def test_a_libreoffice_saved_template_is_uploaded_accepted_and_shown(client_as, soffice, tmp_path):
    office = client_as("ken")
    template = office.get(f"/centers/ircn/reports/template/?fiscal_year={FY}").content
    data = ircn_data()
    saved = saved_by_libreoffice(soffice, tmp_path, fill(template, data))

    response = post_upload(office, saved, "filled.xlsx")
    assert response.status_code == 302, response.content.decode()
    report_url = response["Location"]
    office.post(f"{report_url}submit/", {"version": 1})
    officer = client_as("hana")
    officer.post(f"{report_url}accept/", {"version": 1})
    page = officer.get(report_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="report-state" class="state-accepted"' in page

    numbers = indicators(report_from_data(data, "r.json"))
    center = officer.get("/centers/ircn/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    trends = center.split('id="report-trends"')[1].split("</table>")[0]
    row = next(r for r in trends.split("<tr>") if f"FY{FY}" in r)
    assert report_url in row
    assert f'<td class="num">{numbers.researchers}</td>' in row
    assert f'<td class="num">{numbers.researchers_from_abroad.percent()}</td>' in row
    assert f"Verdict for the latest report (FY{FY})" in center
