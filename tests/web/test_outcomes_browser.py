"""In a real browser (headless Chromium): a program officer finds IRCN's PP(top 10%) on the
overview, follows it to the center page and opens the table of every counting and tie method.
Skipped with the reason when Chromium is absent, unless KYOTEN_REQUIRE_BROWSER=1 (as in CI)."""

import re

import pytest
from playwright.sync_api import expect

from kyoten.accounts.models import Role
from kyoten.bibliometrics.indicators import Options
from kyoten.bibliometrics.units import parse_unit
from kyoten.outcomes.services import publish
from kyoten.registry.reference import load_reference
from web.conftest import PASSWORD, make_user
from web.outcomes import BENCH_UNIT, YEAR, ingest_ircn_snapshot, load_ircn_samples
from web.test_browser import logged_in_page, require_chromium


@pytest.mark.django_db(transaction=True)
def test_a_program_officer_reads_the_outcome_indicators_in_a_browser(
    live_server, monkeypatch, tmp_path
):
    require_chromium()
    load_reference()  # a transactional test starts from an empty database
    load_ircn_samples()
    units = [parse_unit(BENCH_UNIT), parse_unit("world")]
    publish(ingest_ircn_snapshot(tmp_path), Options(YEAR, YEAR), units)
    make_user("hana", Role.PROGRAM_OFFICE, password=PASSWORD)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    _run(live_server.url)


def _run(base):
    with logged_in_page(base, "hana") as page:
        page.get_by_role("link", name="Overview", exact=True).click()  # from the worklist
        overview = page.get_by_role("table", name=re.compile(r"against the program document"))
        ircn = overview.get_by_role("row").filter(has=page.get_by_role("link", name="IRCN"))
        expect(ircn).to_contain_text(
            re.compile(r"12\s+25\.0%\s+within the band"), use_inner_text=True
        )
        world = overview.get_by_role("row").filter(has_text="world")
        expect(world).to_contain_text("below the band")
        ircn.get_by_role("link", name="IRCN").click()
        page.wait_for_url(re.compile(r"/centers/ircn/"))

        outcomes = page.get_by_role("region", name="Outcome indicators")
        expect(outcomes).to_contain_text("25.0%")
        expect(outcomes.get_by_text("unconfirmed", exact=True).first).to_be_visible()
        every = outcomes.get_by_role("table", name=re.compile(r"under full and fractional"))
        expect(every).to_be_hidden()  # folded until asked for
        outcomes.get_by_text("Every counting and tie method").click()
        expect(every).to_be_visible()
        expect(every).to_contain_text("NISTEP")
