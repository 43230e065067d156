"""Edges of the report pages that once answered 500 or 405, or said the wrong thing."""

import pytest

from kyoten.submissions import services
from web.reporting import FY, stored


@pytest.mark.parametrize("value", ["²", "٢٠٢٤x", "1e9", "-1", "99999999999999999999", ""])
def test_any_report_year_in_the_address_shows_the_overview(client_as, value):
    response = client_as("hana").get(f"/?report_fy={value}")
    assert response.status_code == 200


@pytest.fixture
def submitted(personas):
    version = stored(personas["ken"])
    services.act(version.report, "submit", personas["ken"])
    return version


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Keep the comments to at most 5000 characters (these have 5001)."),
        ("ja", "コメントは5000文字以内にしてください（現在5001文字です）。"),
    ],
)
def test_a_return_comment_too_long_is_refused_naming_the_limit(client_as, submitted, lang, text):
    response = client_as("hana").post(
        f"/reports/{submitted.report.pk}/return/",
        {"comment": "x" * 5001, "version": 1},
        HTTP_ACCEPT_LANGUAGE=lang,
        follow=True,
    )
    assert text in response.content.decode()
    submitted.report.refresh_from_db()
    assert submitted.report.state == "submitted"


@pytest.mark.parametrize("fmt", ["json", "zip", "xlsx"])
def test_head_on_a_download_answers_like_get(client_as, submitted, fmt):
    client = client_as("ken")
    url = f"/reports/{submitted.report.pk}/versions/{submitted.number}.{fmt}"
    head, get = client.head(url), client.get(url)
    assert head.status_code == get.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]
    assert head.content == b""


def test_head_on_the_template_and_the_comparison(client_as, submitted):
    client = client_as("hana")
    assert client.head(f"/centers/ircn/reports/template/?fiscal_year={FY}").status_code == 200
    assert client.head("/reports/compare.csv?fiscal_year=2001").status_code == 404  # as GET
