"""The busy pages are cached as fragments, and never serve what a change made stale or what
another reader may see."""

import pytest

from kyoten.audit.models import ChangeCounter
from kyoten.bibliometrics.indicators import Options
from kyoten.bibliometrics.units import parse_unit
from kyoten.outcomes.services import publish
from kyoten.submissions import services
from web.outcomes import YEAR, ingest_ircn_snapshot, load_ircn_samples
from web.reporting import FY, ircn_data, stored

DAY = "2026-12-01"


def page(client, url, lang="en"):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode()


def supported(html):
    return html.split('<dd id="count-supported">')[1].split("<")[0]


def test_a_cached_overview_computes_nothing(client_as, django_assert_max_num_queries):
    client = client_as("hana")
    page(client, f"/?on={DAY}")
    with django_assert_max_num_queries(5):  # session, user, membership, counter, published?
        page(client, f"/?on={DAY}")


def test_a_cached_center_page_computes_nothing(client_as, django_assert_max_num_queries):
    client = client_as("hana")
    page(client, "/centers/ircn/")
    with django_assert_max_num_queries(6):
        page(client, "/centers/ircn/")


def test_a_recorded_decision_shows_at_once(client_as):
    client = client_as("hana")
    before = supported(page(client, f"/?on={DAY}"))
    counter = ChangeCounter.current()
    response = client.post(
        "/centers/qup/decisions/new/",
        {"kind": "support_terminated", "date": "2026-06-01", "precision": "day", "source": "x"},
    )
    assert response.status_code == 302
    assert ChangeCounter.current() > counter
    assert int(supported(page(client, f"/?on={DAY}"))) == int(before) - 1
    assert "support terminated" in page(client, "/centers/qup/").lower()


def test_an_accepted_report_shows_at_once_in_the_comparison(client_as, personas):
    office = client_as("hana")
    assert "comparison-table" not in page(office, f"/reports/compare/?from={FY}&to={FY}")
    assert f"<title>IRCN FY{FY}: " not in page(office, f"/?report_fy={FY}")
    version = stored(personas["ken"])
    services.act(version.report, "submit", personas["ken"])
    services.act(version.report, "accept", personas["hana"])
    assert "comparison-table" in page(office, f"/reports/compare/?from={FY}&to={FY}")
    assert f"<title>IRCN FY{FY}: " in page(office, f"/?report_fy={FY}")  # the overview's chart


def test_a_publish_shows_at_once(client_as, tmp_path):
    office = client_as("hana")
    assert "No outcome indicators have been published yet." in page(office, "/centers/ircn/")
    load_ircn_samples()
    publish(ingest_ircn_snapshot(tmp_path), Options(YEAR, YEAR), [parse_unit("world")])
    assert "No outcome indicators have been published yet." not in page(office, "/centers/ircn/")


@pytest.mark.parametrize("first", ["mori", "hana"])
def test_a_conflicted_member_is_never_served_what_another_reader_sees(client_as, personas, first):
    version = stored(personas["ken"])
    services.act(version.report, "submit", personas["ken"])
    services.act(version.report, "accept", personas["hana"])
    compare = f"/reports/compare/?from={FY}&to={FY}"
    assert '<th scope="row">IRCN</th>' in page(client_as(first), compare)
    assert f"<title>IRCN FY{FY}: " in page(client_as(first), f"/?report_fy={FY}")
    # the same pages, next asked for by Prof. Sato, who has a conflict with IRCN
    assert '<th scope="row">IRCN</th>' not in page(client_as("sato"), compare)
    assert f"<title>IRCN FY{FY}: " not in page(client_as("sato"), f"/?report_fy={FY}")


def test_each_language_has_its_own_fragments(client_as):
    client = client_as("anonymous")
    assert "Centers on" in page(client, f"/?on={DAY}", "en")
    assert "時点の拠点" in page(client, f"/?on={DAY}", "ja")


def test_the_comparison_export_is_cached_per_reader_and_follows_changes(client_as, personas):
    version = stored(personas["ken"])
    services.act(version.report, "submit", personas["ken"])
    services.act(version.report, "accept", personas["hana"])
    url = f"/reports/compare.csv?fiscal_year={FY}"
    member = client_as("mori").get(url).content.decode("utf-8-sig")
    assert "\r\nIRCN," in member
    conflicted = client_as("sato").get(url).content.decode("utf-8-sig")
    assert "IRCN" not in conflicted
    # another center's report accepted for the year shows at once
    office = client_as("hana")
    assert "QUP" not in office.get(url).content.decode("utf-8-sig")
    qup = ircn_data(center="QUP")
    qup["metadata"]["selection_fiscal_year"] = 2021
    other = stored(personas["hana"], center="qup", data=qup)
    services.act(other.report, "submit", personas["hana"])
    services.act(other.report, "accept", personas["hana"])
    assert "\r\nQUP," in office.get(url).content.decode("utf-8-sig")
