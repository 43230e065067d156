"""In a real browser (headless Chromium): a center office uploads a report with a problem,
reads the problem table, uploads the corrected file and submits it. Skipped with the reason
when Chromium is absent, unless KYOTEN_REQUIRE_BROWSER=1 (as in CI)."""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import sync_playwright

from kyoten.accounts.models import Membership, Role
from kyoten.registry.models import Center
from kyoten.registry.reference import load_reference
from web.conftest import PASSWORD
from web.reporting import FY, as_file, ircn_data
from web.test_browser import ARGS, CHROMIUM, require_chromium


@pytest.mark.django_db(transaction=True)
def test_a_center_office_uploads_fixes_and_submits_in_a_browser(live_server, monkeypatch, tmp_path):
    require_chromium()
    load_reference()  # a transactional test starts from an empty database
    user = get_user_model().objects.create_user("ken", password=PASSWORD)
    Membership.objects.create(
        user=user, role=Role.CENTER_OFFICE, center=Center.objects.get(key="ircn")
    )
    bad = openpyxl.load_workbook(io.BytesIO(as_file(ircn_data())))
    bad["名簿 Roster"]["C3"] = "wizard"  # the first person's category
    bad.save(tmp_path / "bad.xlsx")
    (tmp_path / "good.xlsx").write_bytes(as_file(ircn_data()))
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    _run(live_server.url, tmp_path)


def _run(base, files):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="en-GB")
        page.set_default_timeout(15_000)
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Username").fill("ken")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_label("Password").press("Enter")
        page.wait_for_url(f"{base}/")

        page.goto(f"{base}/centers/ircn/")
        page.get_by_role("link", name="Reports, templates and uploads").click()
        upload = page.locator("form[action$='/upload/']")
        upload.get_by_label("Fiscal year").select_option(str(FY))
        upload.get_by_label("Report file").set_input_files(str(files / "bad.xlsx"))
        upload.get_by_role("button", name="Check and save as a new version").click()
        problems = page.get_by_role("alert")
        assert "1 problem was found" in problems.inner_text()
        assert "wizard" in page.locator("table.problems").inner_text()

        upload = page.locator("form[action$='/upload/']")
        upload.get_by_label("Fiscal year").select_option(str(FY))
        upload.get_by_label("Report file").set_input_files(str(files / "good.xlsx"))
        upload.get_by_role("button", name="Check and save as a new version").click()
        page.wait_for_selector("#report-state")
        assert page.locator("#report-state").inner_text() == "draft"
        page.get_by_role("button", name="Submit to the program office").click()
        page.wait_for_selector("#report-state")
        assert page.locator("#report-state").inner_text() == "submitted"
        browser.close()
