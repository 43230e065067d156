"""An evaluation from opening to publication, through the pages, with the people who do it:
the office opens the FY2025 follow-up and forms IRCN's working group, members accept and
state no conflict, review (drafts kept, a submitted review locked, the others' reviews
hidden until one's own is in), the PO consolidates with the spread of the grades, the
committee's result is recorded (the conflicted member absent) and published; the public
sees the published part and nothing else."""

import datetime
import io

import pytest
from django.utils import timezone

from kyoten.accounts.models import Role
from kyoten.audit.models import AuditEvent
from kyoten.evaluation import services
from kyoten.evaluation.models import Case, Cycle, Review, Seat
from kyoten.people.models import Person
from kyoten.registry.models import Center, Decision
from kyoten.submissions import services as reports
from web.conftest import make_user
from web.reporting import stored

D = datetime.date
TODAY = timezone.localdate()
# The FY2025 follow-up (IRCN is supported in FY2025 and its FY2024 report is read), held on
# these days; the tests run after them, whatever the clock.
FY = 2025
PHASES = {
    "materials": (D(2025, 5, 1), D(2025, 6, 30)),
    "review": (D(2025, 7, 1), D(2025, 9, 30)),
    "committee": (D(2025, 10, 1), D(2025, 10, 31)),
    "consolidation": (D(2025, 11, 1), D(2025, 12, 15)),
    "publication": (D(2025, 12, 16), D(2026, 1, 31)),
}


def phase_fields():
    return {
        f"{phase}_{end}": day.isoformat()
        for phase, days in PHASES.items()
        for end, day in zip(("starts", "ends"), days, strict=True)
    }


@pytest.fixture
def accepted_2024(personas):
    """IRCN's report on the last fiscal year, uploaded, submitted and accepted."""
    version = stored(personas["ken"], fiscal_year=FY - 1)
    report = version.report
    reports.act(report, "submit", personas["ken"])
    reports.act(report, "accept", personas["hana"])
    return version


@pytest.fixture
def cycle(client_as, accepted_2024):
    response = client_as("hana").post(
        "/evaluation/new/",
        {"cycle_type": "annual_follow_up", "fiscal_year": FY, **phase_fields()},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Cycle.objects.get(cycle_type="annual_follow_up", fiscal_year=FY)


def ircn_case(cycle):
    return Case.objects.get(cycle=cycle, center__key="ircn")


def test_opening_a_follow_up_makes_a_case_per_supported_center_with_its_report_pinned(
    cycle, accepted_2024
):
    keys = set(cycle.cases.values_list("center__key", flat=True))
    # every center supported in FY2025: IRCN (to March 2027), not MANA (ended March 2017)
    assert {"ircn", "aimec"} <= keys and "mana" not in keys
    assert ircn_case(cycle).report_version == accepted_2024
    assert cycle.rubric == "missions-2020@1"
    assert [p.phase for p in cycle.phases.all()] == list(PHASES)
    assert AuditEvent.objects.filter(kind="cycle.opened").count() == 1


def test_a_later_upload_does_not_change_the_pinned_report(cycle, personas, accepted_2024):
    """The report is accepted, so no version can follow; the pin is the version, not the
    report: even the office re-pinning changes nothing."""
    case = ircn_case(cycle)
    assert services.pin_report(case, personas["hana"]) is False
    case.refresh_from_db()
    assert case.report_version == accepted_2024


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        # a second follow-up for the same year
        ({"cycle_type": "annual_follow_up", "fiscal_year": FY}, "already open"),
        # an interim evaluation for IRCN outside its 5th year (FY2021)
        (
            {"cycle_type": "interim_evaluation", "fiscal_year": 2025, "center": "ircn"},
            "the interim evaluation falls in FY2021",
        ),
        # a stage gate for a center that is not WPI CORE
        (
            {"cycle_type": "stage_gate_review", "fiscal_year": 2025, "center": "ircn"},
            "only a WPI CORE center has a stage-gate review",
        ),
    ],
)
def test_an_evaluation_that_cannot_be_held_is_refused(client_as, cycle, fields, message):
    if "center" in fields:
        fields["center"] = Center.objects.get(key=fields["center"]).pk
    before = Cycle.objects.count()
    response = client_as("hana").post(
        "/evaluation/new/", {**phase_fields(), **fields}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert message in response.content.decode()
    assert Cycle.objects.count() == before


def test_phases_out_of_order_are_refused(client_as, accepted_2024):
    fields = {**phase_fields(), "review_starts": "2025-04-01"}
    response = client_as("hana").post(
        "/evaluation/new/",
        {"cycle_type": "annual_follow_up", "fiscal_year": FY, **fields},
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert "各段階は順に設定してください" in response.content.decode()
    assert not Cycle.objects.exists()


def invite(client, case, person, role):
    """The office invites; its messages are written in English (the tests read them so)."""
    return client.post(
        f"/evaluation/cases/{case.pk}/seats/",
        {"person": person.pk, "role": role},
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.fixture
def group(client_as, personas, cycle):
    """IRCN's working group: Mori (committee) chairs, Emma (expert) and a new expert from
    abroad are members, Ito is the PO; all accept and state no conflict but the new one."""
    case = ircn_case(cycle)
    office = client_as("hana")
    lee = make_user("lee")
    Person.objects.create(family_name_en="Lee", given_name_en="Min", from_abroad=True, account=lee)
    for user, role in (
        (personas["mori"], "chair"),
        (personas["emma"], "member"),
        (lee, "member"),
        (personas["ito"], "program_officer"),
    ):
        assert invite(office, case, user.person, role).status_code == 302
    assert case.seats.count() == 4
    for name in ("mori", "emma", "ito"):
        seat = case.seats.get(person=personas[name].person)
        client = client_as(name)
        client.post(f"/evaluation/seats/{seat.pk}/answer/", {"answer": "accept"})
        client.post(f"/evaluation/seats/{seat.pk}/conflict/", {"statement": "none"})
    return case


def test_an_expert_is_given_the_working_group_role_for_the_cycle(group):
    lee = group.seats.get(person__account__username="lee").person
    role = lee.memberships.get(role=Role.WORKING_GROUP)
    # from the cycle's first day; given after the cycle, it runs to today
    assert (role.center.key, role.starts) == ("ircn", PHASES["materials"][0])
    assert role.ends == max(PHASES["publication"][1], TODAY) + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("who", "role", "message"),
    [
        ("sato", "member", "has a confirmed conflict of interest with IRCN"),
        ("ken", "program_officer", "This working group has its Program Officer already"),
        ("mori", "member", "already has a seat"),
    ],
)
def test_a_seat_the_rules_forbid_is_refused(client_as, personas, group, who, role, message):
    before = Seat.objects.count()
    response = invite(client_as("hana"), group, personas[who].person, role)
    page = client_as("hana").get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert message in page.content.decode()
    assert Seat.objects.count() == before


def test_the_group_is_checked_against_the_program_rules(client_as, group):
    page = client_as("hana").get(f"/evaluation/cases/{group.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "3 experts; working groups have 6–8: invite 3 more" in text
    assert "the center&#x27;s Program Officer: named" in text


def test_an_invited_expert_sees_only_the_invitation_until_they_state_no_conflict(client_as, group):
    lee = group.seats.get(person__account__username="lee")
    client = client_as("olivia")
    client.force_login(lee.person.account)
    page = client.get(f"/evaluation/cases/{group.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Accept the invitation" in page and "Materials" not in page
    assert client.get(f"/evaluation/cases/{group.pk}/review/").status_code == 404
    client.post(f"/evaluation/seats/{lee.pk}/answer/", {"answer": "accept"})
    page = client.get(f"/evaluation/cases/{group.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "I have no conflict of interest with IRCN" in page and "Materials" not in page
    client.post(f"/evaluation/seats/{lee.pk}/conflict/", {"statement": "none"})
    page = client.get(f"/evaluation/cases/{group.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Materials" in page and "Write your review" in page
    assert AuditEvent.objects.filter(kind="seat.no_conflict").count() == 4


def test_a_declared_conflict_closes_the_seat_and_the_center(client_as, personas, group):
    lee = group.seats.get(person__account__username="lee")
    client = client_as("olivia")
    client.force_login(lee.person.account)
    client.post(f"/evaluation/seats/{lee.pk}/answer/", {"answer": "accept"})
    client.post(f"/evaluation/seats/{lee.pk}/conflict/", {"statement": "conflict"})
    lee.refresh_from_db()
    assert lee.state == "declined"
    (finding,) = lee.person.findings.filter(center__key="ircn")
    assert (finding.rule, finding.status, finding.identified_by) == (
        "declared",
        "confirmed",
        "declaration",
    )
    assert client.get(f"/evaluation/cases/{group.pk}/review/").status_code == 404
    assert client.get("/centers/ircn/reports/").status_code == 403


def review_fields(grade="A", overall="A", **more):
    keys = Cycle.objects.get().rubric_data().perspective_keys()
    return {
        **{f"grade:{k}": grade for k in keys},
        "overall": overall,
        "strengths": "Strong neuro-AI integration.",
        "weaknesses": "Few women PIs.",
        "improvements": "Recruit PIs from abroad.",
        "language": "en",
        **more,
    }


def test_reviews_drafted_submitted_locked_and_hidden_until_ones_own_is_in(client_as, group):
    path = f"/evaluation/cases/{group.pk}/review/"
    emma = client_as("emma")
    assert emma.post(path, review_fields(grade="", overall="", save="1")).status_code == 302
    assert Review.objects.get().state == "draft"
    # submitting needs every grade
    page = emma.post(path, review_fields(grade="", submit="1"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Give a grade for every perspective" in page.content.decode()
    assert emma.post(path, review_fields(grade="S", overall="S", submit="1")).status_code == 302
    review = Review.objects.get()
    assert review.submitted and review.grades["excellence.impact"] == "S"
    # locked: a later post changes nothing
    emma.post(path, review_fields(grade="C", overall="C", submit="1"))
    review.refresh_from_db()
    assert review.overall == "S"
    # Mori has not submitted: Emma's review is hidden from him, shown to Emma and the PO
    case_page = f"/evaluation/cases/{group.pk}/"
    # (one test client: each client_as logs it in as that persona)
    assert "Strong neuro-AI integration." not in client_as("mori").get(case_page).content.decode()
    assert "Strong neuro-AI integration." in client_as("ito").get(case_page).content.decode()
    client_as("mori").post(path, review_fields(grade="B", overall="B", submit="1"))
    text = client_as("mori").get(case_page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Strong neuro-AI integration." in text
    assert "difference of opinion" in text  # S and B are two steps apart


def test_the_po_reopens_a_submitted_review(client_as, group):
    client_as("emma").post(f"/evaluation/cases/{group.pk}/review/", review_fields(submit="1"))
    review = Review.objects.get()
    assert client_as("emma").post(f"/evaluation/reviews/{review.pk}/reopen/").status_code == 404
    assert client_as("ito").post(f"/evaluation/reviews/{review.pk}/reopen/").status_code == 302
    review.refresh_from_db()
    assert review.state == "draft"
    assert AuditEvent.objects.filter(kind="review.reopened").exists()


@pytest.fixture
def reviewed(client_as, group):
    path = f"/evaluation/cases/{group.pk}/review/"
    client_as("emma").post(path, review_fields(grade="S", overall="S", submit="1"))
    client_as("mori").post(path, review_fields(grade="A", overall="A", submit="1"))
    client_as("ito").post(
        f"/evaluation/cases/{group.pk}/consolidation/",
        {"consolidated_en": "IRCN is on track.", "consolidated_ja": "IRCNは順調に進捗している。"},
    )
    return group


def decide_the_others(cycle, *done):
    """The committee's results for the cycle's other centers (their items of the meeting):
    rated A, commented in English only."""
    for case in cycle.cases.exclude(pk__in=[c.pk for c in done]):
        services.record_result(
            case,
            rating="A",
            outcome="",
            decided_on=D(2025, 10, 20),
            comments_en=f"{case.center.short_name} progresses well.",
            comments_ja="",
            points=[],
            by=None,
        )


def result_fields(**more):
    return {
        "rating": "S",
        "decided_on": "2025-10-20",
        "comments_en": "IRCN leads the field of neuro-intelligence.",
        "comments_ja": "IRCNはニューロインテリジェンス分野を牽引している。",
        "points_en": "Recruit more PIs from abroad.\nStrengthen the career path of young researchers.",
        "points_ja": "海外からのPIの採用を増やすこと。\n若手研究者のキャリアパスを強化すること。",
        **more,
    }


def test_the_committee_result_is_recorded_with_the_conflicted_member_absent(
    client_as, personas, reviewed
):
    response = client_as("hana").post(f"/evaluation/cases/{reviewed.pk}/result/", result_fields())
    assert response.status_code == 302
    reviewed.refresh_from_db()
    assert (reviewed.rating, reviewed.decided_on) == ("S", D(2025, 10, 20))
    assert list(reviewed.absent.all()) == [personas["sato"].person]
    assert [r.code for r in reviewed.recommendations.all()] == [
        f"R{reviewed.pk}-1",
        f"R{reviewed.pk}-2",
    ]
    assert (
        reviewed.recommendations.get(number=2).text_ja == "若手研究者のキャリアパスを強化すること。"
    )
    # the follow-up decides nothing on the course
    assert not reviewed.decisions.exists()


def test_publication_waits_for_every_center_then_shows_the_public_part_only(
    client_as, cycle, reviewed
):
    office = client_as("hana")
    office.post(f"/evaluation/cases/{reviewed.pk}/result/", result_fields())
    response = office.post(f"/evaluation/{cycle.pk}/publish/", HTTP_ACCEPT_LANGUAGE="en")
    assert (
        "The committee&#x27;s result is missing for"
        in office.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert Cycle.objects.get().published_at is None
    decide_the_others(cycle, reviewed)
    office.post(f"/evaluation/{cycle.pk}/publish/")
    assert Cycle.objects.get().published_at is not None
    office.logout()
    public = office.get("/centers/ircn/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "IRCNはニューロインテリジェンス分野を牽引している。" in public
    assert "海外からのPIの採用を増やすこと。" in public
    # the reviews, the consolidation and the grades of single reviewers stay internal
    assert "Strong neuro-AI integration." not in public
    assert "IRCN is on track." not in public
    assert office.get(f"/evaluation/cases/{reviewed.pk}/").status_code == 302  # to log in


@pytest.fixture
def interim(personas):
    """An interim evaluation of IRCN in FY2021 (its 5th year), opened by the service."""
    cycle = services.open_cycle(
        cycle_type="interim_evaluation",
        fiscal_year=2021,
        center=Center.objects.get(key="ircn"),
        phases=[(p, D(2021, 5, 1 + i), D(2021, 5, 1 + i)) for i, p in enumerate(PHASES)],
        by=personas["hana"],
    )
    return cycle.cases.get()


def test_an_interim_evaluation_that_terminates_a_center_changes_its_course(client_as, interim):
    fields = result_fields(
        rating="C", outcome="terminate", decided_on="2021-12-14", points_en="", points_ja=""
    )
    assert (
        client_as("hana").post(f"/evaluation/cases/{interim.pk}/result/", fields).status_code == 302
    )
    ircn = Center.objects.get(key="ircn")
    kinds = sorted(ircn.decisions.values_list("kind", "date"))
    assert kinds == [("interim_evaluation", D(2021, 12, 14)), ("support_terminated", D(2022, 4, 1))]
    # supported to the end of the fiscal year decided, then ended
    assert ircn.status_on(D(2022, 3, 31)) == "supported"
    assert ircn.status_on(D(2022, 4, 1)) == "ended"
    assert ircn.lifecycle().support_end == D(2022, 3, 31)


def test_a_result_that_contradicts_the_course_is_refused_and_nothing_written(client_as, interim):
    """IRCN's support was terminated from FY2020 meanwhile: a decision of December 2021
    falls outside its support."""
    ircn = Center.objects.get(key="ircn")
    Decision.objects.create(center=ircn, kind="support_terminated", date=D(2020, 4, 1))
    before = (Decision.objects.count(), AuditEvent.objects.count())
    fields = result_fields(outcome="continue", decided_on="2021-12-14")
    for lang, message in (
        ("en", "its support was terminated on 2020-03-31"),
        ("ja", "この拠点の支援は2020-03-31で打ち切られています"),
    ):
        page = client_as("hana").post(
            f"/evaluation/cases/{interim.pk}/result/", fields, HTTP_ACCEPT_LANGUAGE=lang
        )
        assert message in page.content.decode()
    assert (Decision.objects.count(), AuditEvent.objects.count()) == before
    interim.refresh_from_db()
    assert not interim.decided and not interim.recommendations.exists()


@pytest.mark.parametrize(
    ("persona", "answer"),
    [
        # the case page: the office, the PO, the chair (committee), a member; a conflicted
        # committee member and an expert of no seat here are refused as for no such case
        ("hana", 200),
        ("ito", 200),
        ("mori", 200),
        ("emma", 200),
        ("sato", 404),
        ("ken", 404),
        ("olivia", 404),
    ],
)
def test_who_opens_a_case(client_as, group, persona, answer):
    assert client_as(persona).get(f"/evaluation/cases/{group.pk}/").status_code == answer


VISIT = {
    "starts_at": "2025-07-14T10:00",
    "ends_at": "2025-07-14T17:30",
    "mode": "hybrid",
    "place": "IRCN, Faculty of Medicine Bldg., The University of Tokyo",
    "link": "https://meet.example.org/ircn-2025",
    "attendees": "Center director\nPresident of the host institution\nProgram Officer",
    "agenda": "10:00 Director's overview\n13:00 Lab tours\n16:00 Closed session",
}


@pytest.mark.parametrize(
    ("change", "lang", "message"),
    [
        ({"place": ""}, "en", "Give the place of a visit on site."),
        ({"link": ""}, "ja", "オンラインで行う場合は会議のリンクを入力してください。"),
        ({"ends_at": "2025-07-14T09:00"}, "en", "The visit ends after it starts."),
    ],
)
def test_a_visit_needs_its_place_or_link_and_an_end_after_its_start(
    client_as, group, change, lang, message
):
    response = client_as("ito").post(
        f"/evaluation/cases/{group.pk}/visits/", {**VISIT, **change}, HTTP_ACCEPT_LANGUAGE=lang
    )
    assert message in response.content.decode()
    assert not group.visits.exists()


def test_a_visit_is_scheduled_by_the_po_and_goes_into_the_members_calendars(client_as, group):
    from icalendar import Calendar

    assert client_as("ito").post(f"/evaluation/cases/{group.pk}/visits/", VISIT).status_code == 302
    visit = group.visits.get()
    assert timezone.localtime(visit.starts_at).hour == 10  # entered and kept in Japan time
    response = client_as("emma").get(f"/evaluation/visits/{visit.pk}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert (start.isoformat(), start.utcoffset()) == (
        "2025-07-14T10:00:00+09:00",
        datetime.timedelta(hours=9),
    )
    assert str(event["location"]) == VISIT["place"]
    assert str(event["url"]) == VISIT["link"]
    assert "IRCN" in str(event["summary"])
    again = Calendar.from_ical(client_as("mori").get(f"/evaluation/visits/{visit.pk}.ics").content)
    assert again.walk("VEVENT")[0]["uid"] == event["uid"]  # the same event, updated in place
    # the center's office and a conflicted member do not get it
    assert client_as("ken").get(f"/evaluation/visits/{visit.pk}.ics").status_code == 404
    assert client_as("sato").get(f"/evaluation/visits/{visit.pk}.ics").status_code == 404
    assert AuditEvent.objects.filter(kind="visit.scheduled").count() == 1


@pytest.fixture
def published(client_as, cycle, reviewed):
    """The FY2025 follow-up with every result recorded and published."""
    client_as("hana").post(f"/evaluation/cases/{reviewed.pk}/result/", result_fields())
    decide_the_others(cycle, reviewed)
    services.publish(cycle, None)
    return cycle


def pdf_text(poppler, content, tmp_path):
    import subprocess

    path = tmp_path / "r.pdf"
    path.write_bytes(content)
    done = subprocess.run(
        [poppler / "pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, check=True
    )
    return done.stdout.decode()


def test_the_published_result_is_a_pdf_in_japanese_and_in_english(
    client, published, poppler, tmp_path
):
    import subprocess

    ja = client.get(f"/evaluation/{published.pk}/results-ja.pdf")  # the public, no login
    assert ja["Content-Type"] == "application/pdf" and ja.content.startswith(b"%PDF-")
    text = pdf_text(poppler, ja.content, tmp_path)
    assert "IRCNはニューロインテリジェンス分野を牽引している。" in text
    assert "海外からのPIの採用を増やすこと。" in text
    assert "仮訳" in text  # the Japanese edition says what it is
    assert "ニューロインテリジェンス国際研究機構" in text  # the center's Japanese name
    # a center whose comments have no translation: the English master, said so
    assert "AIMEC progresses well." in text
    en = pdf_text(
        poppler, client.get(f"/evaluation/{published.pk}/results-en.pdf").content, tmp_path
    )
    assert "IRCN leads the field of neuro-intelligence." in en
    assert "Recruit more PIs from abroad." in en
    assert "牽引" not in en
    # what stays internal is not in either
    assert "Strong neuro-AI integration." not in text + en
    assert "IRCN is on track." not in text + en
    # and it renders: poppler draws the first page with ink on it
    (tmp_path / "r.pdf").write_bytes(ja.content)
    subprocess.run(
        [
            poppler / "pdftoppm",
            "-r",
            "40",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            tmp_path / "r.pdf",
            tmp_path / "p",
        ],
        check=True,
    )
    page = next(tmp_path.glob("p*.png")).read_bytes()
    assert len(page) > 5_000  # a blank A4 page at 40 dpi compresses to far less


@pytest.mark.parametrize(
    ("persona", "answer"), [("hana", 200), ("mori", 404), ("ken", 404), ("anonymous", 302)]
)
def test_before_publication_only_the_office_previews_the_pdf(client_as, cycle, persona, answer):
    client = client_as(persona)
    if persona == "anonymous":
        client.logout()  # the fixture opened the cycle as the office, on this client
    assert client.get(f"/evaluation/{cycle.pk}/results-en.pdf").status_code == answer


def test_a_pdf_in_another_language_is_not_found(client, published):
    assert client.get(f"/evaluation/{published.pk}/results-fr.pdf").status_code == 404


def test_the_office_exports_the_grades_and_comments_to_excel(
    client_as, published, soffice, tmp_path
):
    import subprocess

    from openpyxl import load_workbook

    review = Review.objects.get(seat__person__account__username="emma")
    review.strengths = '=HYPERLINK("http://evil")'
    review.save()
    response = client_as("hana").get(
        f"/evaluation/{published.pk}/export.xlsx", HTTP_ACCEPT_LANGUAGE="ja"
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["拠点一覧", "評価書", "改善を要する点"]
    centers = book["拠点一覧"]
    assert centers.freeze_panes == "B2"
    rows = {row[0]: row for row in centers.iter_rows(min_row=2, values_only=True)}
    assert rows["IRCN"][1] == "S"
    assert rows["IRCN"][5] == "IRCNはニューロインテリジェンス分野を牽引している。"
    reviews = list(book["評価書"].iter_rows(values_only=True))
    assert "最高水準の研究インパクト" in reviews[0]
    assert len(reviews) == 3  # a header and the two submitted reviews
    strengths = reviews[0].index("優れている点")
    assert any(r[strengths] == '\'=HYPERLINK("http://evil")' for r in reviews[1:])  # shown, not run
    points = list(book["改善を要する点"].iter_rows(min_row=2, values_only=True))
    assert [p[1] for p in points] == [
        f"R{ircn_case(published).pk}-1",
        f"R{ircn_case(published).pk}-2",
    ]
    # a real spreadsheet program opens it
    path = tmp_path / "cycle.xlsx"
    path.write_bytes(response.content)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "csv",
            "--outdir",
            tmp_path,
            path,
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert "IRCN" in (tmp_path / "cycle.csv").read_text(encoding="utf-8", errors="replace")


def tasks_of(client_as, persona):
    return client_as(persona).get("/tasks/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_each_person_finds_their_tasks_with_deadlines(client_as, group):
    """Lee is invited, Emma and Mori owe reviews due at the review phase's end, Ito schedules
    the visit; the office sees the reviews missing and the results to record."""
    lee = group.seats.get(person__account__username="lee")
    client = client_as("olivia")
    client.force_login(lee.person.account)
    page = client.get("/tasks/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Answer the invitation to IRCN&#x27;s working group" in page
    emma = tasks_of(client_as, "emma")
    assert "Write your review of IRCN" in emma and "2025-09-30" in emma
    assert "overdue" in emma  # the FY2025 review phase ended before the tests run
    ito = tasks_of(client_as, "ito")
    assert "Schedule the site visit or hearing of IRCN" in ito
    assert "Draft the consolidated assessment of IRCN" in ito
    office = tasks_of(client_as, "hana")
    assert "2 reviews of IRCN are not in" in office
    assert "Record the committee&#x27;s result for IRCN" in office
    assert "Nothing is waiting for you." in tasks_of(client_as, "olivia")


def test_the_worklist_is_the_home_page_after_logging_in(client, personas):
    from web.conftest import PASSWORD

    personas["ken"].set_password(PASSWORD)
    personas["ken"].save()
    response = client.post("/accounts/login/", {"username": "ken", "password": PASSWORD})
    assert response["Location"] == "/tasks/"


def test_the_center_answers_a_point_to_improve_and_the_office_closes_it(client_as, published):
    point = ircn_case(published).recommendations.get(number=1)
    assert "Answer the point to improve" in tasks_of(client_as, "ken")
    page = client_as("ken").get("/evaluation/recommendations/").content.decode()
    assert point.code in page and "AIMEC" not in page  # its own center's only
    client_as("ken").post(
        f"/evaluation/recommendations/{point.pk}/", {"response": "Two PIs from abroad joined."}
    )
    point.refresh_from_db()
    assert (point.status, point.response) == ("answered", "Two PIs from abroad joined.")
    # the center cannot close its own point; the office can
    client_as("ken").post(f"/evaluation/recommendations/{point.pk}/", {"status": "closed"})
    point.refresh_from_db()
    assert point.status == "answered"
    client_as("hana").post(f"/evaluation/recommendations/{point.pk}/", {"status": "closed"})
    point.refresh_from_db()
    assert point.status == "closed"
    assert AuditEvent.objects.filter(kind="recommendation.answered").count() == 1


def test_an_open_point_is_shown_to_the_next_cycles_reviewers(client_as, personas, published):
    point = ircn_case(published).recommendations.get(number=1)
    nxt = services.open_cycle(
        cycle_type="annual_follow_up",
        fiscal_year=2026,
        center=None,
        phases=[(p, D(2026, 5, 1 + i), D(2026, 5, 1 + i)) for i, p in enumerate(PHASES)],
        by=personas["hana"],
    )
    case = nxt.cases.get(center__key="ircn")
    page = client_as("hana").get(f"/evaluation/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "Points to improve from earlier evaluations, still open" in text
    assert point.code in text and "Recruit more PIs from abroad." in text
    # ... and on the case that made it, with its state as the page's language brackets it
    decided = f"/evaluation/cases/{point.case.pk}/"
    text = client_as("hana").get(decided, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Recruit more PIs from abroad.<small> (open)</small>" in text
    text = client_as("hana").get(decided, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "海外からのPIの採用を増やすこと。<small>（対応中）</small>" in text


def test_a_stage_gate_step_up_raises_the_core_cap_from_the_next_fiscal_year(client_as, personas):
    """A WPI CORE center of the FY2024 call passes its stage gate on 1 February 2027
    (FY2026): its cap is ¥500M up to FY2026 and ¥700M from FY2027."""
    from kyoten.registry.funding import center_funding

    core = Center.objects.create(
        key="core-test",
        short_name="CORE-T",
        name_en="Test CORE center",
        track="core",
        selection_fiscal_year=2024,
        support_start=D(2024, 10, 1),
        field_en="testing",
    )
    gate = services.open_cycle(
        cycle_type="stage_gate_review",
        fiscal_year=2026,
        center=core,
        phases=[(p, D(2026, 5, 1 + i), D(2026, 5, 1 + i)) for i, p in enumerate(PHASES)],
        by=personas["hana"],
    )
    fields = result_fields(rating="S", outcome="step_up", decided_on="2027-02-01")
    case = gate.cases.get()
    assert client_as("hana").post(f"/evaluation/cases/{case.pk}/result/", fields).status_code == 302
    caps = {row.fiscal_year: row.cap.value for row in center_funding(core)}
    assert (caps[2026], caps[2027]) == (500_000_000, 700_000_000)
    # a second stage gate cannot even be opened
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError, match="stage gate in FY2026"):
        services.open_cycle(
            cycle_type="stage_gate_review",
            fiscal_year=2027,
            center=core,
            phases=[(p, D(2027, 5, 1 + i), D(2027, 5, 1 + i)) for i, p in enumerate(PHASES)],
            by=personas["hana"],
        )


def test_open_points_come_back_with_the_next_report(client_as, personas, published):
    """The FY2025 report's template lists IRCN's open points with their ids in its
    Follow-up sheet; the actions the center writes there answer them when it is accepted."""
    from openpyxl import load_workbook

    from kyoten.submissions import services as reports
    from web.reporting import ircn_data

    ircn = Center.objects.get(key="ircn")
    points = list(ircn_case(published).recommendations.order_by("number"))
    template = reports.template_for(ircn, 2025, D(2026, 5, 1))
    sheet = load_workbook(io.BytesIO(template))["フォローアップ Follow-up"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3) if row[0].value]
    # last year's point not yet done, then the committee's open points with their ids
    assert rows[0][0] == "Hire more women." and rows[0][4] is None
    assert [(r[0], r[4]) for r in rows[1:]] == [(p.text_en, p.code) for p in points]
    data = ircn_data(2025)
    data["follow_up"] = [
        {
            "recommendation": points[0].text_en,
            "action": "Two PIs from abroad joined in FY2025.",
            "status": "in_progress",
            "recommendation_id": points[0].code,
        }
    ]
    version = stored(personas["ken"], fiscal_year=2025, data=data)
    reports.act(version.report, "submit", personas["ken"])
    reports.act(version.report, "accept", personas["hana"])
    points[0].refresh_from_db()
    points[1].refresh_from_db()
    assert (points[0].status, points[0].response) == (
        "answered",
        "Two PIs from abroad joined in FY2025.",
    )
    assert points[1].status == "open"  # not answered in the report: still open


def test_a_visit_text_past_its_bound_is_refused(client_as, group):
    fields = {**VISIT, "minutes": "x" * 20_001}
    response = client_as("ito").post(f"/evaluation/cases/{group.pk}/visits/", fields)
    assert response.status_code == 200 and not group.visits.exists()


def test_a_cycle_of_a_kind_the_data_no_longer_has_still_lists(client_as, cycle):
    cycle.cycle_type = "retired_kind"  # a kind dropped from the data after the cycle was held
    cycle.save()
    page = client_as("hana").get("/evaluation/").content.decode()
    assert "retired_kind" in page
