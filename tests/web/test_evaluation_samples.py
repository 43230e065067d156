"""The sample follow-up that `kyoten load-samples` adds: filled in, marked sample data on
every page, never published, never attributed to a real person, and no obstacle to the real
follow-up of the same year."""

import datetime
import re

import pytest
from django.utils import timezone

from kyoten.evaluation import services
from kyoten.evaluation.models import Cycle, Review, Seat
from kyoten.evaluation.samples import load_sample_cycle
from kyoten.fiscal import fiscal_year_of
from kyoten.registry.models import Center
from kyoten.submissions.samples import load_samples

TODAY = timezone.localdate()


@pytest.fixture
def sample(db):
    load_samples(TODAY, list(Center.objects.filter(key__in=["aimec", "qup"])))
    assert load_sample_cycle(TODAY) is True
    return Cycle.objects.get(is_sample=True)


def test_the_sample_is_the_last_finished_year_filled_in_and_unpublished(sample):
    assert sample.fiscal_year == fiscal_year_of(TODAY) - 1
    assert sample.published_at is None
    aimec = sample.cases.get(center__key="aimec")
    assert aimec.report_version.report.is_sample
    assert aimec.report_version.report.fiscal_year == sample.fiscal_year - 1
    assert aimec.rating and aimec.comments_en.startswith("(Sample)")
    assert Review.objects.filter(seat__case=aimec, state="submitted").count() == 3
    # the experts are made up, never the committee's real members
    names = {s.person.name_en for s in aimec.seats.all()}
    assert all(name.startswith("Sample Expert") for name in names)
    # each chair is one the sample pool's profiles let chair, as the groups page requires
    chairs = Seat.objects.filter(case__cycle=sample, role="chair")
    assert chairs.count() == sample.cases.count()
    assert all(seat.person.expert.may_chair for seat in chairs)


def test_loading_again_adds_nothing(sample):
    assert load_sample_cycle(TODAY) is False
    assert Cycle.objects.count() == 1


def test_the_sample_is_marked_and_stays_off_the_public_pages(client_as, sample):
    aimec = sample.cases.get(center__key="aimec")
    page = client_as("hana").get(f"/evaluation/cases/{aimec.pk}/").content.decode()
    assert "サンプルデータ" in page and "Sample data" in page
    # each review's heading in the page's language: role, day and the language it is in
    japanese = client_as("hana").get(f"/evaluation/cases/{aimec.pk}/", HTTP_ACCEPT_LANGUAGE="ja")
    assert re.search(r"（主査、\d{4}-\d\d-\d\d、英語）", japanese.content.decode())
    english = client_as("hana").get(f"/evaluation/cases/{aimec.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert re.search(
        r"<small> \(chair, \d{4}-\d\d-\d\d, in English\)</small>", english.content.decode()
    )
    listing = client_as("hana").get("/evaluation/").content.decode()
    assert "sample-badge" in listing
    public = client_as("anonymous").get("/centers/aimec/").content.decode()
    assert "(Sample) The committee commends" not in public


def test_the_real_follow_up_of_the_same_year_opens_beside_the_sample(personas, sample):
    day = datetime.date(sample.fiscal_year, 6, 1)
    real = services.open_cycle(
        cycle_type="annual_follow_up",
        fiscal_year=sample.fiscal_year,
        center=None,
        phases=[(p.id, day, day) for p in services.data().phases],
        by=personas["hana"],
    )
    assert not real.is_sample
    assert Cycle.objects.filter(fiscal_year=sample.fiscal_year).count() == 2


def test_a_sample_is_never_published(client_as, sample):
    page = client_as("hana").get(f"/evaluation/{sample.pk}/").content.decode()
    assert "Publish the results" not in page
    client_as("hana").post(f"/evaluation/{sample.pk}/publish/")
    sample.refresh_from_db()
    assert sample.published_at is None


def test_a_phase_whose_dates_have_passed_is_not_shown_as_now(client_as, sample):
    """Last year's sample is never published: its last phase stays the phase now, marked as
    past its dates rather than "now"."""
    client = client_as("hana")
    for lang, passed in (("en", "its dates have passed"), ("ja", "期間終了")):
        page = client.get(sample.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        current = page.split('aria-current="step"')[1].split("</li>")[0]
        assert passed in current
        listing = client.get("/evaluation/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        assert passed in listing
