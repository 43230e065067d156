"""The office forms the working groups of the sample follow-up in a real browser: the
optimiser's proposal with its explanation; a potential conflict of interest must be decided
before the groups can be confirmed; then the members are invited."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from kyoten.accounts.models import Role
from kyoten.accounts.services import grant
from kyoten.audit.context import acting_as
from kyoten.conflicts.models import Finding
from kyoten.conflicts.services import detect
from kyoten.evaluation.models import Cycle, Seat
from kyoten.evaluation.samples import load_sample_cycle, load_sample_cycle_to_form
from kyoten.fiscal import fiscal_year_of
from kyoten.registry.reference import load_reference

from .conftest import PASSWORD
from .test_browser import chromium, require_chromium, shows
from .test_evaluation_browser import log_in


def this_years_seats():
    return Seat.objects.filter(case__cycle__fiscal_year=fiscal_year_of(timezone.localdate()))


@pytest.mark.django_db(transaction=True)
def test_the_office_forms_the_sample_follow_ups_working_groups(live_server, monkeypatch):
    require_chromium()
    load_reference()
    today = timezone.localdate()
    with acting_as(None, "kyoten load-samples"):
        load_sample_cycle(today)
        load_sample_cycle_to_form(today)
        detect()  # Sample Expert G names the newest center's host: potential with it
    hana = get_user_model().objects.create_user("hana", password=PASSWORD)
    grant(hana, Role.PROGRAM_OFFICE, None)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    base = live_server.url

    with chromium() as browser:
        page = browser.new_page(locale="en-GB")
        page.set_default_timeout(20_000)
        log_in(page, base, "hana")
        page.get_by_role("link", name="Evaluation", exact=True).first.click()
        page.get_by_role("link", name="Annual follow-up").first.click()
        page.get_by_role("link", name="Form the working groups").click()
        groups_page = page.url
        cycle = Cycle.objects.get(is_sample=True, fiscal_year=fiscal_year_of(today))
        (finding,) = Finding.objects.filter(
            status="potential", center__evaluation_cases__cycle=cycle
        )
        conflicted, first = finding.center, cycle.cases.select_related("center").first().center
        shows(page, "1 potential conflict of interest to decide first", "#blocking")
        shows(page, f"Sample Expert G — {conflicted.short_name}", "#blocking")

        # the optimiser proposes, and explains each pairing
        page.get_by_label("Experts per working group").select_option("6")
        page.get_by_role("button", name="Propose working groups").click()
        shows(page, "The optimiser proposed working groups")
        for reason in ("Why this expert", "Fit", "declares"):
            shows(page, reason, f"#members-{first.key}")
        shows(page, "in last year's group", "#proposal")
        expect(page.locator(f"#members-{conflicted.key}")).not_to_contain_text("Sample Expert G")

        # confirming is refused while the conflict waits for a decision
        page.get_by_role("button", name="Confirm these working groups").click()
        shows(page, "wait for a decision")
        assert not this_years_seats().exists()

        # the office decides it (dismissed, with the reason), proposes again and confirms
        page.locator("#blocking").get_by_role(
            "link", name=f"Sample Expert G — {conflicted.short_name}"
        ).click()
        shows(page, "a name alone: check that it is the same person")
        page.get_by_label("Dismiss: not a conflict").check()
        page.get_by_role("textbox", name="Reason").fill("Sample Expert G left in 2019.")
        page.get_by_role("button", name="Record the decision").click()
        shows(page, "The decision was recorded.")
        page.goto(groups_page)
        expect(page.locator("#blocking")).to_have_count(0)
        page.get_by_role("button", name="Propose working groups").click()
        page.get_by_role("button", name="Confirm these working groups").click()
        shows(page, "The working groups were confirmed")

    seats = this_years_seats()
    assert seats.filter(role="chair").count() == seats.values("case").distinct().count()
    assert set(seats.values_list("state", flat=True)) == {"invited"}
