"""What each persona sees on the pages they may open (which pages they may open is the
table of test_routes.py)."""

import pytest


# Internal sections of a center page (funding, the verdict, who recorded a decision):
# the program office, committee members (not for a conflict), the center's PO, working
# group and office.
@pytest.mark.parametrize(
    ("center", "persona", "sees_internals"),
    [
        ("ircn", "hana", True),
        ("ircn", "mori", True),
        ("ircn", "sato", False),  # Prof. Sato's conflict of interest
        ("aimec", "sato", True),
        ("ircn", "ken", True),  # Ken's own center
        ("aimec", "ken", False),  # another center
        ("ircn", "ito", True),  # the center's Program Officer
        ("aimec", "ito", False),
        ("ircn", "emma", True),  # an expert of the center's working group
        ("aimec", "emma", False),
        ("ircn", "olivia", False),
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
        ("hana", {"/committee/", "/audit/", "/admin/", "/people/", "/accounts/"}),
        ("mori", {"/committee/"}),
        ("sato", {"/committee/"}),
        ("ito", {"/committee/"}),
        ("emma", set()),
        ("ken", set()),
        ("anonymous", set()),
    ],
)
def test_navigation_offers_only_what_the_role_may_open(client_as, persona, shown):
    page = client_as(persona).get("/centers/").content.decode()
    for url in ("/committee/", "/audit/", "/admin/", "/people/", "/accounts/"):
        assert (f'href="{url}"' in page) is (url in shown)


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("hana", True),
        ("mori", True),
        ("ito", True),
        ("emma", True),
        ("ken", True),
        ("sato", False),
        ("olivia", False),
        ("anonymous", False),
    ],
)
def test_the_center_page_names_its_program_officer_and_working_group(client_as, persona, sees):
    page = client_as(persona).get("/centers/ircn/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ('id="follow-up-h"' in page) is sees
    if sees:
        table = page.split('id="follow-up"')[1].split("</table>")[0]
        assert "Program Officer</td><td>ito</td>" in table
        assert "Working-group expert</td><td>emma</td>" in table
