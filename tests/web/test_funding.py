"""Caps from the rulebook per center and fiscal year, grants decided, program totals."""

import datetime

import pytest

from kyoten.registry.funding import center_funding, program_totals
from kyoten.registry.models import Center, Decision, Grant, Institution


@pytest.mark.parametrize(
    ("key", "fiscal_year", "cap"),
    [
        ("aimec", 2024, 1_000_000_000),  # Multiple Host WPI: ¥1B per alliance
        ("ircn", 2018, 700_000_000),  # FY2012–FY2022 centers: ¥700M
        ("mana", 2010, 1_400_000_000),  # FY2007 centers: about ¥1.4B (approximate)
    ],
)
def test_cap_per_center_and_year(db, key, fiscal_year, cap):
    rows = {r.fiscal_year: r for r in center_funding(Center.objects.get(key=key))}
    assert rows[fiscal_year].cap.value == cap
    assert rows[fiscal_year].cap.sources


def test_the_years_are_the_support_period(db):
    years = [r.fiscal_year for r in center_funding(Center.objects.get(key="kavli-ipmu"))]
    assert years == list(range(2007, 2022))  # 10 years and the 5-year extension


@pytest.fixture
def core_center(db):
    """A WPI CORE center selected in FY2023 (none was; this one is for the test only)."""
    center = Center.objects.create(
        key="core-test",
        short_name="CORE-T",
        name_en="Test CORE center",
        track="core",
        selection_fiscal_year=2023,
        support_start=datetime.date(2024, 1, 1),
        field_en="testing",
    )
    center.links_set.create(institution=Institution.objects.get(key="kanazawa"), role="host")
    return center


def test_wpi_core_steps_up_from_the_year_after_the_stage_gate(core_center):
    caps = {r.fiscal_year: r.cap.value for r in center_funding(core_center)}
    assert set(caps.values()) == {500_000_000}  # no stage gate passed: ¥500M throughout
    Decision.objects.create(
        center=core_center,
        kind="stage_gate_passed",
        date=datetime.date(2026, 2, 1),  # in FY2025
        actor_label="test",
    )
    caps = {r.fiscal_year: r.cap.value for r in center_funding(core_center)}
    assert caps[2025] == 500_000_000
    assert caps[2026] == 700_000_000  # the next fiscal year


def test_a_grant_over_the_cap_is_flagged(client_as):
    center = Center.objects.get(key="ircn")
    Grant.objects.create(center=center, fiscal_year=2019, amount_yen=650_000_000)
    Grant.objects.create(center=center, fiscal_year=2020, amount_yen=750_000_000)
    rows = {r.fiscal_year: r for r in center_funding(center)}
    assert not rows[2019].over_cap
    assert rows[2020].over_cap
    page = client_as("hana").get("/centers/ircn/", HTTP_ACCEPT_LANGUAGE="en")
    assert "over the cap" in page.content.decode()


def test_program_totals_sum_the_caps_of_the_centers_supported(db):
    totals = {t.fiscal_year: t for t in program_totals(list(Center.objects.all()))}
    # FY2023: IRCN, NanoLSI, ICReDD, ASHBi, QUP, PRIMe, SKCM2, Bio2Q at ¥700M; AIMEC ¥1B
    assert totals[2023].centers_supported == 9
    assert totals[2023].caps_total == 8 * 700_000_000 + 1_000_000_000
    assert totals[2013].published.amount_yen == 9_600_000_000
    assert totals[2013].caps_approximate  # FY2007/FY2010 caps are approximate


def test_the_overview_draws_the_money_chart(client, db):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="bar-cap"' in page
    assert 'class="bar-budget"' in page
    assert "FY2013 published program figure: ¥9,600,000,000" in page


@pytest.mark.parametrize(
    ("persona", "sees_grants"),
    [
        ("hana", True),  # the program office watches budgets across all centers
        ("ken", False),  # the grants decided are internal: not on the public overview
        ("mori", False),
        ("sato", False),
        ("olivia", False),
        ("anonymous", False),
    ],
)
def test_only_the_program_office_sees_the_grants_decided_on_the_overview(
    client_as, persona, sees_grants
):
    Grant.objects.create(
        center=Center.objects.get(key="ircn"), fiscal_year=2019, amount_yen=654_321_987
    )
    page = client_as(persona).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ("654,321,987" in page) is sees_grants
    assert ("Grants decided (yen)" in page) is sees_grants
    assert ('class="bar-actual"' in page) is sees_grants
    assert 'class="bar-cap"' in page  # the caps stay public
    assert (
        "FY2013 published program figure: ¥9,600,000,000" in page
    )  # and so does the published figure
    if sees_grants:  # the note on the grants follows the note on the caps, as Japanese writes
        japanese = client_as(persona).get("/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
        assert "1年分として計上しています。交付決定額の合計は" in japanese
