"""Statuses computed from the reference data on the dates the program documents talk about."""

import datetime
import re

import pytest

from kyoten.registry import services
from kyoten.registry.models import Center, Decision

D = datetime.date


@pytest.mark.parametrize(
    ("day", "supported", "academy", "not_started"),
    [
        # the FY2007 centers' 10 years ended on 31 March 2017; IPMU is in its extension;
        # I2CNER and the FY2012 centers are supported; the Academy holds the other four
        (D(2017, 4, 1), 5, 4, 9),
        # I2CNER joins the Academy on 1 April 2020; FY2017/FY2018 centers are supported
        (D(2020, 4, 1), 8, 5, 5),
        # the program document (MEXT, January 2024): "令和5年10月時点 支援中9拠点、アカデミー9拠点"
        (D(2023, 10, 1), 9, 9, 0),
    ],
)
def test_status_counts_on_a_date(db, day, supported, academy, not_started):
    counts = services.status_counts(day)
    assert counts == {
        "not_started": not_started,
        "supported": supported,
        "academy": academy,
        "ended": 0,
    }


def test_the_overview_shows_the_counts_of_the_day_asked_for(db, client):
    page = client.get("/?on=2023-10-01").content.decode()
    assert 'id="count-supported">9<' in page
    assert 'id="count-academy">9<' in page
    assert 'id="count-total">18<' in page
    assert page.count('class="status status-') == 18  # the table lists all 18 centers


def test_counts_follow_the_decisions_not_a_stored_number(db):
    """Recording that QUP's support was terminated changes the count at once."""
    day = D(2023, 10, 1)
    Decision.objects.create(
        center=Center.objects.get(key="qup"),
        kind="support_terminated",
        date=D(2023, 4, 1),
        actor_label="test",
    )
    counts = services.status_counts(day)
    assert (counts["supported"], counts["ended"]) == (8, 1)


@pytest.mark.parametrize(
    ("key", "end", "academy"),
    [
        ("kavli-ipmu", D(2022, 3, 31), D(2017, 4, 1)),  # 10 years + the 5-year extension
        ("ifrec", D(2017, 3, 31), D(2017, 4, 1)),
        ("i2cner", D(2020, 3, 31), D(2020, 4, 1)),
        ("elsi", D(2022, 3, 31), D(2022, 4, 1)),
        ("aimec", D(2033, 3, 31), None),  # Multiple Host WPI, FY2023: 10 years
    ],
)
def test_support_end_and_academy_per_center(db, key, end, academy):
    life = Center.objects.get(key=key).lifecycle()
    assert life.support_end == end
    assert life.academy_since == academy


def test_a_computed_milestone_is_marked_as_the_pages_language_brackets(client, db):
    """AIMR's end of support is computed from its schedule, not recorded."""

    def page(lang):
        return client.get("/centers/aimr/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()

    assert '<span class="computed"> (computed)</span>' in page("en")
    assert '<span class="computed">（算出）</span>' in page("ja")
    # and so is the count of a fact's sources
    assert re.search(r"<summary>Sources \(\d+\)</summary>", page("en"))
    assert re.search(r"<summary>出典（\d+）</summary>", page("ja"))


def test_interim_evaluation_in_the_5th_year(db):
    assert Center.objects.get(key="itbm").lifecycle().interim_evaluation_fiscal_year == 2016


def _center(**fields):
    values = {
        "key": "clean-test",
        "short_name": "CLEAN-T",
        "name_en": "Test center",
        "track": "wpi",
        "selection_fiscal_year": 2017,
        "support_start": datetime.date(2017, 10, 1),
        "field_en": "testing",
    }
    values.update(fields)
    return Center(**values)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        # WPI CORE began with the FY2023 call: a CORE center selected in FY2020 has no schedule
        ({"track": "core", "selection_fiscal_year": 2020}, "track", "no support period"),
        # Multiple Host WPI did not exist in the FY2012 era either
        ({"track": "multiple_host", "selection_fiscal_year": 2012}, "track", "no support period"),
        # the program's first call was in FY2007: no era before it
        ({"selection_fiscal_year": 2006}, "selection_fiscal_year", "first call was in FY2007"),
    ],
)
def test_a_center_whose_schedule_cannot_be_computed_is_refused(db, fields, field, message):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        _center(**fields).full_clean()
    assert field in caught.value.message_dict
    assert message in " ".join(caught.value.message_dict[field])


@pytest.mark.parametrize(
    ("track", "selection_fiscal_year"),
    [("wpi", 2017), ("core", 2023), ("multiple_host", 2024), ("wpi", 2007)],  # tracks in their eras
)
def test_a_center_in_a_track_of_its_era_is_accepted(db, track, selection_fiscal_year):
    _center(
        track=track,
        selection_fiscal_year=selection_fiscal_year,
        support_start=datetime.date(selection_fiscal_year, 10, 1),
    ).full_clean()


@pytest.mark.parametrize("persona", ["hana", "anonymous"])
def test_the_overview_queries_do_not_grow_with_the_centers(client_as, persona):
    """Each center's lifecycle is computed once and its grants prefetched: a center more
    (with grants and a decision) costs no query more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kyoten.registry.models import Grant

    client = client_as(persona)
    client.get("/")  # warm the caches (rulebook, session)
    with CaptureQueriesContext(connection) as before:
        first = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    center = _center(key="extra", short_name="EXTRA")
    center.save()
    Grant.objects.create(center=center, fiscal_year=2018, amount_yen=1)
    Grant.objects.create(center=Center.objects.get(key="ircn"), fiscal_year=2019, amount_yen=2)
    Decision.objects.create(center=center, kind="stage_gate_passed", date=datetime.date(2020, 1, 1))
    with CaptureQueriesContext(connection) as after:
        second = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "EXTRA" in second and "EXTRA" not in first
    assert len(after) == len(before)


def test_the_counts_of_the_overview_are_those_of_the_lifecycle(db):
    day = datetime.date(2024, 4, 1)
    rows = services.center_rows(day)
    from kyoten import lifecycle

    expected = lifecycle.count_by_status((r.center.facts() for r in rows), day)
    assert services.status_counts_of(rows) == expected
    assert services.status_counts(day) == expected
