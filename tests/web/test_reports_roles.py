"""Who may do what with annual reports, beyond the route table of test_routes.py: uploads
through the API, the dashboards, accepting and returning, the comparison.

Ken is IRCN's center office; QUP is a center he does not belong to; Prof. Sato of the
committee has a conflict of interest with IRCN, so IRCN's reports stay closed to him (404 for
a report addressed by its number, as if there were none).
"""

import json

import pytest

from kyoten.registry.models import Center
from kyoten.submissions import services
from kyoten.submissions.models import AnnualReport
from web.reporting import FY, counts, ircn_data

CREATED, UNAUTHORISED, FORBIDDEN, NOT_FOUND = 201, 401, 403, 404


@pytest.mark.parametrize(
    ("center", "persona", "expected"),
    [
        ("ircn", "hana", CREATED),
        ("ircn", "ken", CREATED),  # Ken's own center
        ("qup", "ken", FORBIDDEN),  # another center
        ("ircn", "mori", FORBIDDEN),  # committee members only read
        ("qup", "sato", FORBIDDEN),
        ("ircn", "olivia", FORBIDDEN),
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
        ("hana", "ircn", True),
        ("mori", "ircn", True),
        ("ken", "ircn", True),
        ("ken", "qup", False),
        ("sato", "ircn", False),  # a conflict of interest
        ("sato", "qup", True),
        ("olivia", "ircn", False),
        ("anonymous", "ircn", False),
    ],
)
def test_report_dashboard_on_the_center_page(client_as, reports, persona, center, sees_reports):
    page = client_as(persona).get(f"/centers/{center}/").content.decode()
    assert ('id="reports-h"' in page) is sees_reports


@pytest.mark.parametrize(
    ("persona", "sees_comparison"),
    [
        ("hana", True),
        ("mori", True),
        ("sato", True),
        ("ken", False),  # sees its own center's reports only
        ("ito", False),
        ("emma", False),
        ("olivia", False),
        ("anonymous", False),
    ],
)
def test_comparison_on_the_overview(client_as, reports, persona, sees_comparison):
    client = client_as(persona)
    page = client.get("/").content.decode()
    assert ('id="report-comparison"' in page) is sees_comparison
    assert ('href="/reports/compare/"' in page) is sees_comparison
    compared = client.get(f"/reports/compare/?from={FY}&to={FY}")
    assert (compared.status_code == 200) is sees_comparison


@pytest.mark.parametrize("action", ["accept", "return"])
@pytest.mark.parametrize(
    ("persona", "refusal"),
    [
        ("ken", FORBIDDEN),
        ("mori", FORBIDDEN),
        ("ito", FORBIDDEN),
        ("emma", FORBIDDEN),
        ("sato", NOT_FOUND),  # IRCN's reports do not exist for him
        ("olivia", NOT_FOUND),
    ],
)
def test_only_the_program_office_decides(client_as, personas, reports, action, persona, refusal):
    client_as("ken").post(f"/reports/{reports['ircn']}/submit/", {"version": 1})
    client = client_as(persona)
    before = counts()
    response = client.post(
        f"/reports/{reports['ircn']}/{action}/", {"comment": "Please fix the roster.", "version": 1}
    )
    assert response.status_code == refusal
    assert counts() == before


@pytest.mark.parametrize(
    ("persona", "centers", "said"),
    [
        ("mori", ["IRCN", "QUP"], False),
        ("sato", ["QUP"], True),  # IRCN, his conflict of interest, is left out, and said so
    ],
)
def test_the_comparison_leaves_out_a_conflict_of_interest(
    client_as, personas, reports, persona, centers, said
):
    services.act(AnnualReport.objects.get(pk=reports["ircn"]), "submit", personas["ken"])
    services.act(AnnualReport.objects.get(pk=reports["ircn"]), "accept", personas["hana"])
    client = client_as(persona)
    csv_rows = client.get(f"/reports/compare.csv?fiscal_year={FY}").content.decode("utf-8-sig")
    assert [line.split(",")[0] for line in csv_rows.splitlines()[1:]] == centers
    page = client.get(f"/reports/compare/?from={FY}&to={FY}").content.decode()
    table = page.split('id="comparison-table"')[1].split("</table>")[0]
    rows = table.split("<tbody>")[1].split("<tr>")[1:]
    assert [r.split('<th scope="row">')[1].split("</th>")[0] for r in rows] == centers
    english = client.get(
        f"/reports/compare/?from={FY}&to={FY}", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert ("1 center is hidden because of a conflict of interest." in english) is said
