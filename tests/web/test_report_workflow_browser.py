"""Done when, in a real browser (headless Chromium): the program office sets the due date of
the FY2026 reports; IRCN's office writes the narrative in Japanese, attaches an appendix,
uploads the tables from a template LibreOffice saved and submits once the year has ended;
the office finds the report in its inbox and returns it with a comment; IRCN's office
receives the e-mail, corrects the narrative and submits again; the office accepts; the PDF
holds the Japanese narrative.

The clock stands in May 2027, ticking — or later when the real day is later: the browser keeps
its cookies by the real clock, so the site's may not lag behind it. The real clock, not the
suite's pinned one (make test-clocks pins it years ahead): the FY2026 report is the year's."""

import datetime
import re
import subprocess
import time
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from kyoten.accounts.models import Role
from kyoten.registry.reference import load_reference
from kyoten.submissions.models import AnnualReport
from reports.libreoffice import fill, saved_by_libreoffice
from web.conftest import PASSWORD, make_user
from web.reporting import ircn_data

from .test_browser import chromium, require_chromium, shows

FY = 2026
JST = zoneinfo.ZoneInfo("Asia/Tokyo")
SUMMARY = (
    "IRCNは、**神経科学と人工知能の融合**により脳の知能の原理を解明する。\n\n"
    "- 学際的な共同研究を12件開始した\n- 海外からの研究者は42%である"
)
CORRECTED = SUMMARY + "\n\n令和8年度の会議は別添1に記載した。"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def log_in(page, base, name):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"{base}/tasks/")


@pytest.mark.django_db(transaction=True)
def real_now():
    """The real clock's time, also while the suite's clock is pinned."""
    hatch = time_machine.escape_hatch
    seconds = hatch.time.time() if hatch.is_travelling() else time.time()
    return datetime.datetime.fromtimestamp(seconds, tz=JST)


def test_a_report_from_its_due_date_to_acceptance(
    live_server, monkeypatch, soffice, poppler, tmp_path
):
    require_chromium()
    pin = max(real_now(), datetime.datetime(2027, 5, 10, 10, tzinfo=JST))
    with time_machine.travel(pin, tick=True):
        load_reference()
        for name, role, center in (("hana", Role.PROGRAM_OFFICE, None), ("ken", Role.CENTER_OFFICE, "ircn")):  # fmt: skip
            user = make_user(name, role, center, password=PASSWORD)
            user.email = f"{name}@example.org"
            user.save()
        due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
        (tmp_path / "papers.pdf").write_bytes(PDF)
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        _run(live_server.url, due, soffice, tmp_path)
        report = AnnualReport.objects.get(center__key="ircn", fiscal_year=FY, is_sample=False)
        assert report.state == "accepted"

    text = subprocess.run(
        [poppler / "pdftotext", "-enc", "UTF-8", tmp_path / "report.pdf", "-"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "令和8年度 拠点構想進捗状況報告書" in text
    assert "神経科学と人工知能の融合" in text
    assert "令和8年度の会議は別添1に記載した。" in text  # the corrected narrative
    assert "別添1：論文リスト" in text


def _run(base, due, soffice, files):
    with chromium() as browser:
        page = browser.new_page(locale="en-GB", accept_downloads=True)
        page.set_default_timeout(20_000)

        # the office sets the due date of the FY2026 reports
        log_in(page, base, "hana")
        page.get_by_role("link", name="Set the due date of the reports on FY2026").click()
        page.get_by_label("Reports on the fiscal year").fill(str(FY))
        page.get_by_label("Due at the program office on").fill(due)
        page.get_by_role("button", name="Set the due date").click()
        shows(page, f"The reports on FY2026 are due on {due}.")

        # IRCN's office writes the narrative in Japanese, previews it and saves it
        log_in(page, base, "ken")
        page.get_by_role("link", name="Submit the FY2026 report of IRCN").click()
        page.locator("#narrative-fiscal_year").select_option(str(FY))
        page.get_by_role("button", name="Open the narrative").click()
        page.get_by_role("textbox", name="Summary of State of WPI Center Project Progress").fill(
            SUMMARY
        )
        page.get_by_role("textbox", name="1. Conducting research of the highest world level").fill(
            "世界水準の論文を発表した。"
        )
        page.get_by_role("button", name="Preview").click()
        expect(page.locator(".preview strong").first).to_have_text(
            "神経科学と人工知能の融合", use_inner_text=True
        )
        page.get_by_role("button", name="Save as a new version").click()
        shows(page, "The narrative was saved as version 1.")
        # ... attaches an appendix
        page.get_by_label("Title of the appendix").fill("別添1：論文リスト")
        page.get_by_label("PDF file").set_input_files(str(files / "papers.pdf"))
        page.get_by_role("button", name="Attach the PDF").click()
        shows(page, "The appendix was attached.")

        # ... downloads the template, fills it in, has LibreOffice save it, uploads it
        page.get_by_role("link", name="Annual reports of IRCN").click()
        page.locator("#template-fiscal_year").select_option(str(FY))
        with page.expect_download() as download:
            page.get_by_role("button", name="Download the template").click()
        template = files / "template.xlsx"
        download.value.save_as(template)
        saved = saved_by_libreoffice(soffice, files, fill(template.read_bytes(), ircn_data(FY)))
        (files / "filled.xlsx").write_bytes(saved)
        upload = page.locator("form[action$='/upload/']")
        upload.get_by_label("Fiscal year").select_option(str(FY))
        upload.get_by_label("Report file").set_input_files(str(files / "filled.xlsx"))
        upload.get_by_role("button", name="Check and save as a new version").click()
        expect(page.locator("#report-state")).to_have_text("draft", use_inner_text=True)
        shows(page, "別添1：論文リスト", "#appendices")  # kept by the upload ...
        expect(page.locator("#appendices")).not_to_contain_text("Appendix 1")  # as written
        # ... and submits it, confirming what goes
        page.get_by_role("button", name="Submit to the program office").click()
        shows(page, "Submit IRCN's FY2026 report to the program office?")
        page.get_by_role("button", name="Yes, submit version 3").click()
        expect(page.locator("#report-state")).to_have_text("submitted", use_inner_text=True)
        assert mail.outbox[-1].to == ["hana@example.org"]

        # the office finds it in its inbox and returns it with a comment
        log_in(page, base, "hana")
        page.get_by_role("link", name="Report inbox").click()
        page.locator("#waiting").get_by_role("link", name="IRCN, FY2026").click()
        page.get_by_label("Comments for the center office").fill(
            "令和8年度の会議を本文に追記してください。"
        )
        page.get_by_role("button", name="Return with comments").click()
        expect(page.locator("#report-state")).to_have_text("returned", use_inner_text=True)

        # IRCN's office receives the e-mail, corrects the narrative and submits again
        returned = mail.outbox[-1]
        assert returned.to == ["ken@example.org"]
        assert "令和8年度の会議を本文に追記してください。" in returned.body
        link = re.search(r"http\S+/reports/\d+/", returned.body).group()
        log_in(page, base, "ken")
        page.goto(base + link[link.index("/reports/") :])
        page.get_by_role("link", name="Write the narrative, attach appendices").click()
        page.get_by_role("textbox", name="Summary of State of WPI Center Project Progress").fill(
            CORRECTED
        )
        page.get_by_role("button", name="Save as a new version").click()
        shows(page, "The narrative was saved as version 4.")
        page.get_by_role("link", name="The FY2026 report").click()
        page.get_by_role("button", name="Submit to the program office").click()
        page.get_by_role("button", name="Yes, submit version 4").click()
        expect(page.locator("#report-state")).to_have_text("submitted", use_inner_text=True)

        # the office accepts, confirming the version it read
        log_in(page, base, "hana")
        page.get_by_role("link", name="Accept or return IRCN's FY2026 report").click()
        page.get_by_role("button", name="Accept").click()
        page.get_by_role("button", name="Yes, accept version 4").click()
        expect(page.locator("#report-state")).to_have_text("accepted", use_inner_text=True)
        assert "accepted your FY2026 annual report" in mail.outbox[-1].body

        # the whole report, in Japanese
        href = page.get_by_role("link", name="PDF（日本語）").first.get_attribute("href")
        pdf = page.request.get(f"{base}{href}")
        assert pdf.headers["content-type"] == "application/pdf"
        (files / "report.pdf").write_bytes(pdf.body())
