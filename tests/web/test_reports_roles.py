"""Who may do what with annual reports: every page × every persona, as one data table.

Refused means: an anonymous visitor is sent to log in (302 to the login page; 401 from the
API), a logged-in user without the right gets 403. Ken is IRCN's center office; QUP is a
center he does not belong to; Prof. Sato of the committee has a conflict of interest with
IRCN, so IRCN's reports stay closed to him.
"""

import json

import pytest

from kyoten.registry.models import Center
from kyoten.reports import sample_report
from kyoten.submissions import services
from kyoten.submissions.models import AnnualReport
from web.conftest import PERSONAS
from web.reporting import FY, counts, ircn_data, stored

OK, FOUND, CREATED, LOGIN, UNAUTHORISED, FORBIDDEN = 200, 302, 201, "login", 401, 403


@pytest.fixture
def reports(personas):
    """IRCN's FY2024 report (a draft, version 1) and QUP's FY2024 sample (accepted)."""
    ircn = stored(personas["program_officer"]).report
    qup = Center.objects.get(key="qup")
    sample = sample_report("QUP", FY, track="wpi", selection_fiscal_year=2021)
    qup_sample = services.store(qup, sample, "sample.json", None, sample=True).report
    return {"ircn": ircn.pk, "qup": qup_sample.pk}


# url, then the expected status for each persona in PERSONAS order
PAGES = [
    # a center's reports: the program office, committee members, the center's own office
    ("/centers/ircn/reports/", [OK, OK, OK, FORBIDDEN, FORBIDDEN, LOGIN]),
    ("/centers/qup/reports/", [OK, FORBIDDEN, OK, OK, FORBIDDEN, LOGIN]),
    ("/reports/{ircn}/", [OK, OK, OK, FORBIDDEN, FORBIDDEN, LOGIN]),
    ("/reports/{qup}/", [OK, FORBIDDEN, OK, OK, FORBIDDEN, LOGIN]),
    # versions as JSON, CSV zip or Excel: whoever may read the report
    ("/reports/{ircn}/versions/1.json", [OK, OK, OK, FORBIDDEN, FORBIDDEN, LOGIN]),
    ("/reports/{ircn}/versions/1.zip", [OK, OK, OK, FORBIDDEN, FORBIDDEN, LOGIN]),
    ("/reports/{qup}/versions/1.xlsx", [OK, FORBIDDEN, OK, OK, FORBIDDEN, LOGIN]),
    # templates: the program office and the center's own office (committee members only read)
    (
        "/centers/ircn/reports/template/?fiscal_year=2024",
        [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN],
    ),
    (
        "/centers/qup/reports/template/?fiscal_year=2024",
        [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN],
    ),
    # the comparison of all centers: the program office and committee members (a member with
    # a conflict gets it without that center, see below)
    ("/reports/compare.xlsx?fiscal_year=2024", [OK, FORBIDDEN, OK, OK, FORBIDDEN, LOGIN]),
    ("/reports/compare.csv?fiscal_year=2024", [OK, FORBIDDEN, OK, OK, FORBIDDEN, LOGIN]),
]


@pytest.mark.parametrize(
    ("url", "persona", "expected"),
    [(url, p, code) for url, codes in PAGES for p, code in zip(PERSONAS, codes, strict=True)],
)
def test_report_page_access(client_as, reports, url, persona, expected):
    response = client_as(persona).get(url.format(**reports))
    if expected == LOGIN:
        assert response.status_code == 302
        assert "login" in response["Location"]
    else:
        assert response.status_code == expected


# url, then the expected status for each persona; a refusal saves nothing
ACTIONS = [
    # submitting: the program office and the center's own office
    ("/reports/{ircn}/submit/", [FOUND, FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN]),
    # uploading a file from the page: likewise
    ("/centers/ircn/reports/upload/", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN]),
    ("/centers/qup/reports/upload/", [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN]),
]


@pytest.mark.parametrize(
    ("url", "persona", "expected"),
    [(url, p, code) for url, codes in ACTIONS for p, code in zip(PERSONAS, codes, strict=True)],
)
def test_report_action_access(client_as, reports, url, persona, expected):
    client = client_as(persona)  # logging in is audited too: count after it
    before = counts()
    response = client.post(url.format(**reports), {"fiscal_year": FY})
    if expected == LOGIN:
        assert response.status_code == 302
        assert "login" in response["Location"]
    else:
        assert response.status_code == expected
    if expected != FOUND:
        assert counts() == before


@pytest.mark.parametrize(
    ("center", "persona", "expected"),
    [
        ("ircn", "program_officer", CREATED),
        ("ircn", "center_office", CREATED),  # Ken's own center
        ("qup", "center_office", FORBIDDEN),  # another center
        ("ircn", "committee_member", FORBIDDEN),  # committee members only read
        ("qup", "conflicted_member", FORBIDDEN),
        ("ircn", "outsider", FORBIDDEN),
        ("ircn", "anonymous", UNAUTHORISED),
    ],
)
def test_api_upload_access(client_as, personas, center, persona, expected):
    data = ircn_data(2023, center=Center.objects.get(key=center).short_name)
    data["metadata"]["selection_fiscal_year"] = Center.objects.get(key=center).selection_fiscal_year
    client = client_as(persona)
    before = counts()
    response = client.post(
        f"/api/centers/{center}/reports/2023/", json.dumps(data), content_type="application/json"
    )
    assert response.status_code == expected
    if expected != CREATED:
        assert counts() == before
        assert response.json()["error"]


@pytest.mark.parametrize(
    ("persona", "center", "sees_reports"),
    [
        ("program_officer", "ircn", True),
        ("committee_member", "ircn", True),
        ("center_office", "ircn", True),
        ("center_office", "qup", False),
        ("conflicted_member", "ircn", False),  # a conflict of interest
        ("conflicted_member", "qup", True),
        ("outsider", "ircn", False),
        ("anonymous", "ircn", False),
    ],
)
def test_report_dashboard_on_the_center_page(client_as, reports, persona, center, sees_reports):
    page = client_as(persona).get(f"/centers/{center}/").content.decode()
    assert ('id="reports-h"' in page) is sees_reports


@pytest.mark.parametrize(
    ("persona", "sees_comparison"),
    [
        ("program_officer", True),
        ("committee_member", True),
        ("conflicted_member", True),
        ("center_office", False),  # sees its own center's reports only
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_comparison_on_the_overview(client_as, reports, persona, sees_comparison):
    page = client_as(persona).get("/").content.decode()
    assert ('id="comparison-table"' in page) is sees_comparison


@pytest.mark.parametrize("action", ["accept", "return"])
@pytest.mark.parametrize(
    "persona", ["center_office", "committee_member", "conflicted_member", "outsider"]
)
def test_only_the_program_office_decides(client_as, personas, reports, action, persona):
    client_as("center_office").post(f"/reports/{reports['ircn']}/submit/")
    client = client_as(persona)
    before = counts()
    response = client.post(
        f"/reports/{reports['ircn']}/{action}/", {"comment": "Please fix the roster."}
    )
    assert response.status_code == FORBIDDEN
    assert counts() == before


@pytest.mark.parametrize(
    ("persona", "centers"),
    [
        ("committee_member", ["IRCN", "QUP"]),
        ("conflicted_member", ["QUP"]),  # IRCN, his conflict of interest, is left out
    ],
)
def test_the_comparison_leaves_out_a_conflict_of_interest(
    client_as, personas, reports, persona, centers
):
    services.act(AnnualReport.objects.get(pk=reports["ircn"]), "submit", personas["center_office"])
    services.act(
        AnnualReport.objects.get(pk=reports["ircn"]), "accept", personas["program_officer"]
    )
    client = client_as(persona)
    csv_rows = client.get(f"/reports/compare.csv?fiscal_year={FY}").content.decode("utf-8-sig")
    assert [line.split(",")[0] for line in csv_rows.splitlines()[1:]] == centers
    page = client.get(f"/?report_fy={FY}").content.decode()
    table = page.split('id="comparison-table"')[1].split("</table>")[0]
    assert [r.split("<td>")[1].split("</td>")[0] for r in table.split("<tr>")[2:]] == centers
