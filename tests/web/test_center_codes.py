"""Center codes in URLs are case-insensitive: pages redirect to the canonical address, forms
and API calls posted under another case are served as they are."""

import json

import pytest

from web.reporting import FY, ircn_data


@pytest.mark.parametrize(
    ("asked", "canonical"),
    [
        ("/centers/IRCN/", "/centers/ircn/"),
        ("/centers/Ircn/reports/", "/centers/ircn/reports/"),
        ("/centers/KAVLI-IPMU/", "/centers/kavli-ipmu/"),
        # the query string is kept
        (
            "/centers/IRCN/reports/template/?fiscal_year=2024",
            "/centers/ircn/reports/template/?fiscal_year=2024",
        ),
    ],
)
def test_a_page_asked_for_in_another_case_redirects_to_the_canonical_address(
    client_as, asked, canonical
):
    response = client_as("ken").get(asked)
    assert response.status_code == 301
    assert response["Location"] == canonical


def test_the_canonical_address_is_served(client_as):
    assert client_as("anonymous").get("/centers/ircn/").status_code == 200


@pytest.mark.parametrize("asked", ["/centers/NOPE/", "/centers/ircnx/", "/centers/IRCN1/"])
def test_an_unknown_code_is_not_found_in_any_case(client_as, asked):
    assert client_as("anonymous").get(asked).status_code == 404


def test_an_api_upload_under_another_case_is_served_not_redirected(client_as):
    response = client_as("ken").post(
        f"/api/centers/IRCN/reports/{FY}/", json.dumps(ircn_data()), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["center"] == "ircn"


def test_the_redirect_does_not_bypass_roles(client_as):
    # an outsider is redirected to the canonical address, which refuses them as before
    client = client_as("olivia")
    response = client.get("/centers/IRCN/reports/", follow=True)
    assert response.redirect_chain[0] == ("/centers/ircn/reports/", 301)
    assert response.status_code == 403
