"""Due dates, the office's inbox, the e-mail notices and the confirmation before submitting or
accepting: a report is submitted only once its fiscal year has ended in Japan, whatever the
clock the suite runs at."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from kyoten.audit.models import AuditEvent
from kyoten.cli import main
from kyoten.registry.models import Center
from kyoten.submissions import notices, services
from kyoten.submissions.models import AnnualReport, Deadline
from web.reporting import counts, stored

JST = zoneinfo.ZoneInfo("Asia/Tokyo")
FY = 2026  # IRCN's last year of support (FY2017–FY2026)


def with_address(*users):
    for user in users:
        user.email = f"{user.username}@example.org"
        user.save()


def at(*args):
    """Travel to a Japan time, the clock standing still."""
    return time_machine.travel(datetime.datetime(*args, tzinfo=JST), tick=False)


@pytest.fixture(autouse=True)
def roles_since_2020(personas):
    """The personas' roles from 2020 on, so that the clock may travel to any day of FY2026
    whatever day the suite runs at (make test-clocks)."""
    from kyoten.accounts.models import Membership

    for membership in Membership.objects.all():
        membership.starts = datetime.date(2020, 4, 1)
        membership.save()


@pytest.fixture
def draft(personas):
    """IRCN's FY2026 report, drafted in February 2027."""
    with at(2027, 2, 1, 10):
        return stored(personas["ken"], fiscal_year=FY).report


@pytest.mark.parametrize(
    ("instant", "may_submit"),
    [
        # the last evening of the fiscal year in Japan: still FY2026
        ((2027, 3, 31, 23, 30), False),
        # half past midnight on 1 April in Japan (still 31 March in UTC): the year has ended
        ((2027, 4, 1, 0, 30), True),
        ((2026, 12, 2, 12), False),  # the case: a FY2026 report in December 2026
    ],
)
def test_a_report_is_submitted_once_its_fiscal_year_has_ended_in_japan(
    client_as, personas, draft, instant, may_submit
):
    with at(*instant):
        page = client_as("ken").get(draft.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja")
        html = page.content.decode()
        assert ("プログラム事務局に提出</button>" in html) == may_submit
        assert ("2027-04-01（日本時間）から提出できます" in html) != may_submit
        response = client_as("ken").post(
            f"/reports/{draft.pk}/submit/", {"version": 1}, HTTP_ACCEPT_LANGUAGE="en", follow=True
        )
    draft.refresh_from_db()
    assert draft.state == ("submitted" if may_submit else "draft")
    if not may_submit:
        assert (
            "A report is submitted once the fiscal year it reports on has ended: this one from "
            "2027-04-01 (Japan time)." in response.content.decode()
        )


def test_the_refusal_in_japanese(personas, draft):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with at(2027, 3, 31, 23, 30), pytest.raises(ValidationError) as caught:
        services.act(draft, "submit", personas["ken"])
    with translation.override("ja"):
        assert caught.value.messages == [
            "報告は対象年度の終了後に提出します。この報告は2027-04-01（日本時間）から提出できます。"
            "それまでは作成・保存のみ可能です。"
        ]


def test_submitting_and_accepting_ask_for_confirmation_of_the_version_seen(
    client_as, personas, draft
):
    with at(2027, 5, 1, 9):
        office = client_as("ken")  # logged in at the time travelled to
        page = office.get(f"/reports/{draft.pk}/submit/", HTTP_ACCEPT_LANGUAGE="en")
        html = page.content.decode()
        assert "Submit IRCN's FY2026 report to the program office?" in html
        assert "Yes, submit version 1" in html and 'name="version" value="1"' in html
        assert "These sections are not written:" in html  # no narrative yet
        before = counts()
        assert office.post(f"/reports/{draft.pk}/submit/").status_code == 200  # unconfirmed
        assert counts() == before
        # the report changed after the page was opened: version 2 is not what was confirmed
        stored(personas["ken"], fiscal_year=FY)
        office.post(f"/reports/{draft.pk}/submit/", {"version": 1})
        assert counts()[1:3] == (2, 2) and AnnualReport.objects.get(pk=draft.pk).state == "draft"
        assert office.post(f"/reports/{draft.pk}/submit/", {"version": 2}).status_code == 302
        page = client_as("hana").get(f"/reports/{draft.pk}/accept/", HTTP_ACCEPT_LANGUAGE="ja")
        assert "第2版を受理する" in page.content.decode()
        client_as("hana").post(f"/reports/{draft.pk}/accept/", {"version": 2})
    assert AnnualReport.objects.get(pk=draft.pk).state == "accepted"
    # the history names the version of each step, as the page's language brackets it
    history = {
        lang: client_as("hana").get(draft.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=lang)
        for lang in ("en", "ja")
    }
    assert "(version 2) → accepted" in history["en"].content.decode()
    assert "（第2版） → 受理済み" in history["ja"].content.decode()


def test_the_office_sets_a_due_date_after_the_year_and_it_is_audited(client_as, personas):
    office = client_as("hana")
    before = Deadline.objects.count()
    page = office.post(
        "/reports/deadlines/", {"fiscal_year": FY, "due": "2027-03-31"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 400 and Deadline.objects.count() == before
    assert "The reports on FY2026 can be submitted from 2027-04-01" in page.content.decode()
    office.post("/reports/deadlines/", {"fiscal_year": FY, "due": "2027-06-30"})
    office.post("/reports/deadlines/", {"fiscal_year": FY, "due": "2027-07-15"})
    assert Deadline.objects.get(fiscal_year=FY).due == datetime.date(2027, 7, 15)
    moved = AuditEvent.objects.filter(kind="deadline.set").order_by("-at", "-id").first()
    assert (moved.actor, moved.data["due"], moved.data["was"]) == (
        personas["hana"],
        "2027-07-15",
        "2027-06-30",
    )
    assert (
        client_as("ken")
        .post("/reports/deadlines/", {"fiscal_year": FY, "due": "2027-08-01"})
        .status_code
        == 403
    )


def test_the_inbox_lists_waiting_late_and_missing_reports(client_as, personas, draft):
    Deadline.objects.create(fiscal_year=FY, due=datetime.date(2027, 6, 30))
    qup = Center.objects.get(key="qup")
    with at(2027, 7, 2, 9):  # IRCN submits two days late
        services.act(draft, "submit", personas["ken"])
    with at(2027, 7, 5, 9):
        found = services.inbox(timezone.localdate())
        [waiting] = found.waiting
        assert (waiting.report, waiting.late) == (draft, True)
        overdue = {o.center.key: o for o in found.overdue}
        assert "ircn" not in overdue  # it is with the office
        assert overdue["qup"].report is None and overdue["qup"].days(timezone.localdate()) == 5
        # every center supported in FY2026 but IRCN is missing
        supported = {c.key for c in services.expected_centers(FY)}
        assert set(overdue) == supported - {"ircn"}
        assert qup.key in supported and "ifrec" not in supported  # IFReC's support ended in 2017
        page = client_as("hana").get("/reports/inbox/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "IRCN, FY2026</a>" in page and "late" in page
    assert page.count("no report") == len(supported) - 1


def test_a_returned_report_past_its_due_date_is_late(personas, draft):
    Deadline.objects.create(fiscal_year=FY, due=datetime.date(2027, 6, 30))
    with at(2027, 6, 1, 9):
        services.act(draft, "submit", personas["ken"])
        services.act(draft, "return", personas["hana"], "Add the meetings.")
    with at(2027, 7, 1, 9):
        overdue = {o.center.key: o for o in services.inbox(timezone.localdate()).overdue}
    assert overdue["ircn"].report.state == "returned"


def test_notices_on_submission_return_and_acceptance(
    personas, draft, django_capture_on_commit_callbacks
):
    with_address(personas["hana"], personas["ken"], personas["ito"])
    with at(2027, 5, 1, 9):
        with django_capture_on_commit_callbacks(execute=True):
            services.act(draft, "submit", personas["ken"])
        [submitted] = mail.outbox
        assert submitted.to == ["hana@example.org"]  # the program office
        assert "IRCNが2026年度の年次報告を提出しました" in submitted.body
        assert "IRCN submitted its FY2026 annual report" in submitted.body
        assert f"/reports/{draft.pk}/" in submitted.body
        with django_capture_on_commit_callbacks(execute=True):
            services.act(
                draft, "return", personas["hana"], "名簿に2026年度の着任者を追加してください。"
            )
        returned = mail.outbox[1]
        assert returned.to == ["ken@example.org"]  # the center's office, not its PO
        body = returned.body
        assert body.index("差し戻しました") < body.index("returned your FY2026")  # Japanese first
        assert body.count("名簿に2026年度の着任者を追加してください。") == 2
        stored(personas["ken"], fiscal_year=FY)
        services.act(draft, "submit", personas["ken"])
        with django_capture_on_commit_callbacks(execute=True):
            services.act(draft, "accept", personas["hana"])
        assert mail.outbox[-1].to == ["ken@example.org"]
        assert "accepted your FY2026 annual report" in mail.outbox[-1].body


def test_a_notice_is_not_sent_when_the_change_is_refused(
    personas, draft, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError

    with_address(personas["hana"])
    with (
        at(2027, 3, 1, 9),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError),
    ):
        services.act(draft, "submit", personas["ken"])
    assert mail.outbox == []


def test_a_week_before_the_due_date_each_center_office_is_reminded_once(personas, draft, capsys):
    with_address(personas["ken"])
    Deadline.objects.create(fiscal_year=FY, due=datetime.date(2027, 6, 30))
    with at(2027, 6, 22, 7):  # eight days ahead: not yet
        assert notices.remind(timezone.localdate()) == 0
    with at(2027, 6, 23, 7):
        assert main(["evaluation", "remind"]) == 0
        assert "reminders sent: 1" in capsys.readouterr().out
        [reminder] = mail.outbox
        assert reminder.to == ["ken@example.org"]
        assert (
            "IRCNの2026年度年次報告のプログラム事務局への提出期限は2027-06-30です" in reminder.body
        )
        assert "is due at the program office on 2027-06-30" in reminder.body
    with at(2027, 6, 24, 7):  # the next day's run sends it again to no one
        assert notices.remind(timezone.localdate()) == 0
    with at(2027, 6, 25, 7):
        services.act(draft, "submit", personas["ken"])
        Deadline.objects.filter(fiscal_year=FY).delete()
        Deadline.objects.create(fiscal_year=FY, due=datetime.date(2027, 6, 28))
        assert notices.remind(timezone.localdate()) == 0  # a report submitted is not reminded
    assert len(mail.outbox) == 1


def test_the_tasks_page_shows_due_dates_and_late_reports(client_as, personas, draft):
    with at(2027, 7, 2, 9):
        page = client_as("hana").get("/tasks/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Set the due date of the reports on FY2026" in page
        Deadline.objects.create(fiscal_year=FY, due=datetime.date(2027, 6, 30))
        page = client_as("hana").get("/tasks/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Set the due date of the reports on FY2026" not in page
        assert "reports on FY2026 are late or missing" in page
        mine = client_as("ken").get("/tasks/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
        assert "IRCNの2026年度報告を提出する" in mine and "2027-06-30" in mine
    with at(2027, 2, 1, 9):
        mine = client_as("ken").get("/tasks/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Write the FY2026 report of IRCN (it can be submitted from 2027-04-01)" in mine
