"""Every page × every role, allowed and refused, as one data table.

Refused means: an anonymous visitor is sent to log in (302 to the login page), a logged-in
user without the right role gets 403. Roles are checked on the server for every request.
"""

import pytest

from web.conftest import PERSONAS

OK, LOGIN, FORBIDDEN = 200, 302, 403

# page, then the expected status for each persona in PERSONAS order
PAGES = [
    # public pages: the overview, the center list and profiles, the rulebook, check a plan
    ("/", [OK, OK, OK, OK, OK, OK]),
    ("/centers/", [OK, OK, OK, OK, OK, OK]),
    ("/centers/aimec/", [OK, OK, OK, OK, OK, OK]),
    ("/rulebook/", [OK, OK, OK, OK, OK, OK]),
    ("/rulebook/?fy=2007&track=wpi", [OK, OK, OK, OK, OK, OK]),
    ("/check/", [OK, OK, OK, OK, OK, OK]),
    ("/accounts/login/", [OK, OK, OK, OK, OK, OK]),
    # the committee page: program office and committee members only
    ("/committee/", [OK, FORBIDDEN, OK, OK, FORBIDDEN, LOGIN]),
    # submitting a plan: the program office, and a center office for its own center only
    ("/centers/ircn/plans/", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN]),
    ("/centers/aimec/plans/", [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN]),
    # recording a decision, the audit trail and the back office: the program office only
    ("/centers/ircn/decisions/new/", [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN]),
    ("/audit/", [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN]),
    ("/admin/", [OK, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN]),  # the admin sends everyone else to log in
    ("/admin/registry/decision/", [OK, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN]),
]


@pytest.mark.parametrize(
    ("url", "persona", "expected"),
    [(url, p, code) for url, codes in PAGES for p, code in zip(PERSONAS, codes, strict=True)],
)
def test_page_access(client_as, url, persona, expected):
    response = client_as(persona).get(url)
    assert response.status_code == expected
    if expected == LOGIN:
        assert "login" in response["Location"]


# Internal sections of a center page (funding, the verdict, who recorded a decision):
# the program office, committee members, and the center's own office.
@pytest.mark.parametrize(
    ("center", "persona", "sees_internals"),
    [
        ("ircn", "program_officer", True),
        ("ircn", "committee_member", True),
        ("ircn", "conflicted_member", False),  # Prof. Sato's conflict of interest
        ("aimec", "conflicted_member", True),
        ("ircn", "center_office", True),  # Ken's own center
        ("aimec", "center_office", False),  # another center
        ("ircn", "outsider", False),
        ("ircn", "anonymous", False),
    ],
)
def test_center_internals(client_as, center, persona, sees_internals):
    page = client_as(persona).get(f"/centers/{center}/").content.decode()
    assert ('id="funding-h"' in page) is sees_internals
    assert ('id="verdict"' in page) is sees_internals


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("program_officer", {"/committee/", "/audit/", "/admin/"}),
        ("committee_member", {"/committee/"}),
        ("conflicted_member", {"/committee/"}),
        ("center_office", set()),
        ("anonymous", set()),
    ],
)
def test_navigation_offers_only_what_the_role_may_open(client_as, persona, shown):
    page = client_as(persona).get("/centers/").content.decode()
    for url in ("/committee/", "/audit/", "/admin/"):
        assert (f'href="{url}"' in page) is (url in shown)


def test_posting_a_plan_to_another_center_is_refused(client_as):
    response = client_as("center_office").post("/centers/aimec/plans/", {})
    assert response.status_code == FORBIDDEN
