"""A whole annual follow-up in a real browser, for two centers: the office opens the cycle and
forms IRCN's and QUP's working groups; each member accepts, states no conflict and reviews;
the PO (IRCN) and the chair (QUP) consolidate; the office records the committee's results
and publishes; the public page shows the published part and nothing else, and the PDF holds
the Japanese text."""

import subprocess

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from kyoten.accounts.models import Role
from kyoten.accounts.services import grant
from kyoten.evaluation.models import Cycle
from kyoten.registry.models import Center
from kyoten.registry.reference import load_reference
from web.conftest import record_conflict

from .conftest import PASSWORD
from .test_browser import chromium, require_chromium, shows
from .test_evaluation import decide_the_others

PHASES = {
    "Materials": ("2025-05-01", "2025-06-30"),
    "Working-group review and site visit or hearing": ("2025-07-01", "2025-09-30"),
    "Committee meeting": ("2025-10-01", "2025-10-31"),
    "Consolidation of the results": ("2025-11-01", "2025-12-15"),
    "Publication": ("2025-12-16", "2026-01-31"),
}
REVIEWS = {"emma": "A", "mori": "S", "lee": "A"}


def people():
    """The office, two committee members (Mori; Sato, conflicted with IRCN), IRCN's PO and
    two experts, each with a password."""
    users = {}
    for name, role, center in (
        ("hana", Role.PROGRAM_OFFICE, None),
        ("mori", Role.COMMITTEE, None),
        ("sato", Role.COMMITTEE, None),
        ("ito", Role.PROGRAM_OFFICER, "ircn"),
        ("emma", Role.WORKING_GROUP, "ircn"),
        ("lee", Role.WORKING_GROUP, "qup"),
    ):
        users[name] = get_user_model().objects.create_user(name, password=PASSWORD)
        grant(users[name], role, Center.objects.get(key=center) if center else None)
    record_conflict(users["sato"].person, "ircn")
    for name in ("emma", "lee"):
        person = users[name].person
        person.from_abroad = True
        person.save()
    return users


def perspectives():
    """How many perspectives the open cycle's rubric grades."""
    rubric = Cycle.objects.get().rubric_data()
    return sum(len(mission.perspectives) for mission in rubric.missions)


def log_in(page, base, name):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"{base}/tasks/")


def open_case(page, center):
    page.get_by_role("link", name="Evaluation", exact=True).first.click()
    page.get_by_role("link", name="Annual follow-up").click()
    page.locator("#cases").get_by_role("link", name=center, exact=True).click()


def review(page, base, name, center):
    """``name`` answers the invitation from the worklist, states no conflict, reviews."""
    log_in(page, base, name)
    page.get_by_role("link", name=f"Answer the invitation to {center}'s working group").click()
    page.get_by_role("button", name="Accept the invitation").click()
    no_conflict = page.get_by_role("button", name=f"I have no conflict of interest with {center}")
    expect(no_conflict).to_be_visible()
    if name != "mori":  # an expert sees nothing before the statement (a committee member
        expect(page.locator("main")).not_to_contain_text("Materials")  # reads every center)
    no_conflict.click()
    shows(page, "Materials")
    page.get_by_role("link", name="Write your review").click()
    grade = REVIEWS[name]
    # wait for the whole form: ``all()`` lists only what the page has parsed so far
    selects = page.locator("select[name^='grade:']")
    expect(selects).to_have_count(perspectives())
    for select in selects.all():
        select.select_option(grade)
    page.get_by_label("Overall rating").select_option(grade)
    page.get_by_label("Strengths").fill(f"{name}: strong interdisciplinary output.")
    page.get_by_label("Points to improve").fill("Recruit more PIs from abroad.")
    page.get_by_role("button", name="Save the draft").click()
    shows(page, "Your draft was saved.")
    page.get_by_role("button", name="Submit the review").click()
    shows(page, "Your review was submitted.")


@pytest.mark.django_db(transaction=True)
def test_a_whole_follow_up_for_two_centers(live_server, monkeypatch, poppler, tmp_path):
    require_chromium()
    load_reference()
    people()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    base = live_server.url

    with chromium() as browser:
        page = browser.new_page(locale="en-GB")
        page.set_default_timeout(15_000)

        # the office opens the FY2025 follow-up
        log_in(page, base, "hana")
        page.get_by_role("link", name="Evaluation", exact=True).first.click()
        page.get_by_role("link", name="Open an evaluation").click()
        page.get_by_label("Kind of evaluation").select_option("annual_follow_up")
        page.get_by_label("Fiscal year").fill("2025")
        for phase, (first, last) in PHASES.items():
            page.get_by_label(f"{phase}: from").fill(first)
            page.get_by_label(f"{phase}: until").fill(last)
        page.get_by_role("button", name="Open the evaluation").click()
        shows(page, "The evaluation was opened.")

        # ... and forms the two working groups
        for center, seats in (
            ("IRCN", [("mori", "chair"), ("emma", "member"), ("ito", "Program Officer")]),
            ("QUP", [("mori", "chair"), ("lee", "member")]),
        ):
            open_case(page, center)
            for name, role in seats:
                page.get_by_label("Person").select_option(label=name)
                page.get_by_label("Role in the working group").select_option(label=role)
                page.get_by_role("button", name="Invite", exact=True).click()
                shows(page, f"{name} was invited.")
            shows(page, "a chair: named", "#group-h ~ div table.findings")

        # the members review: Emma (IRCN), Lee (QUP), Mori (both, as chair)
        review(page, base, "emma", "IRCN")
        review(page, base, "lee", "QUP")
        review(page, base, "mori", "IRCN")
        # a reviewer sees the others' reviews once theirs is in
        shows(page, "emma: strong interdisciplinary output.")
        # A and S are one step apart: no difference of opinion to flag
        expect(page.locator("#spread")).not_to_contain_text("difference of opinion")
        review(page, base, "mori", "QUP")
        # the chair consolidates QUP
        page.get_by_label("Consolidated assessment (English, the master)").fill("QUP advances.")
        page.get_by_role("button", name="Save the consolidated assessment").click()
        shows(page, "The consolidated assessment was saved.")

        # the PO consolidates IRCN beside the reviews side by side
        log_in(page, base, "ito")
        page.get_by_role("link", name="Draft the consolidated assessment of IRCN").click()
        expect(page.locator("#spread tbody tr")).to_have_count(9)  # 8 perspectives and the overall
        page.get_by_label("Consolidated assessment (English, the master)").fill("IRCN is on track.")
        page.get_by_label("Japanese provisional translation").fill("IRCNは順調に進捗している。")
        page.get_by_role("button", name="Save the consolidated assessment").click()

        # the committee's results, recorded by the office (Sato, conflicted, absent for IRCN)
        log_in(page, base, "hana")
        for center, rating, comments, comments_ja in (
            ("IRCN", "S", "IRCN leads neuro-intelligence.", "IRCNはニューロインテリジェンス分野を牽引している。"),
            ("QUP", "A", "QUP advances steadily.", "QUPは着実に進展している。"),
        ):  # fmt: skip
            open_case(page, center)
            page.get_by_role("link", name="Record the committee's result").click()
            if center == "IRCN":
                shows(page, "sato")
            page.get_by_label("Rating").select_option(rating)
            page.get_by_label("The committee's comments (English, the master)").fill(comments)
            page.locator("#id_comments_ja").fill(comments_ja)
            page.get_by_label("Points to improve (English), one per line").fill(
                "Hire more PIs from abroad."
            )
            page.get_by_role("button", name="Record the result").click()
            shows(page, "The committee's result was recorded.")
        # the committee's other items (the other supported centers), then publication
        cycle = Cycle.objects.get()
        decide_the_others(cycle, *cycle.cases.filter(center__key__in=["ircn", "qup"]))
        page.get_by_role("link", name="Evaluation", exact=True).first.click()
        page.get_by_role("link", name="Annual follow-up").click()
        page.get_by_role("button", name="Publish the results").click()
        shows(page, "The results were published.")

        # the public: the published part on the center page, nothing internal
        page.context.clear_cookies()
        page.goto(f"{base}/centers/ircn/")
        public = page.inner_text("main")
        assert "IRCN leads neuro-intelligence." in public and "Hire more PIs from abroad." in public
        for internal in ("IRCN is on track.", "strong interdisciplinary output", "emma", "mori"):
            assert internal not in public
        # the PDF, downloaded as the public would, holds the Japanese text
        link = page.get_by_role("link", name="日本語").first.get_attribute("href")
        pdf = page.request.get(f"{base}{link}")
        assert pdf.headers["content-type"] == "application/pdf"
        path = tmp_path / "result.pdf"
        path.write_bytes(pdf.body())

    text = subprocess.run(
        [poppler / "pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "IRCNはニューロインテリジェンス分野を牽引している。" in text
    assert "QUPは着実に進展している。" in text
