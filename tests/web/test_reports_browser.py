"""In a real browser (headless Chromium): a center office uploads a report with a problem,
reads the problem table, uploads the corrected file and submits it (confirming). Skipped with the reason
when Chromium is absent, unless KYOTEN_REQUIRE_BROWSER=1 (as in CI)."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from kyoten.accounts.models import Role
from kyoten.registry.reference import load_reference
from web.conftest import PASSWORD, make_user
from web.reporting import FY, as_file, ircn_data
from web.test_browser import logged_in_page, require_chromium


@pytest.mark.django_db(transaction=True)
def test_a_center_office_uploads_fixes_and_submits_in_a_browser(live_server, monkeypatch, tmp_path):
    require_chromium()
    load_reference()  # a transactional test starts from an empty database
    make_user("ken", Role.CENTER_OFFICE, "ircn", password=PASSWORD)
    bad = openpyxl.load_workbook(io.BytesIO(as_file(ircn_data())))
    bad["名簿 Roster"]["C3"] = "wizard"  # the first person's category
    bad.save(tmp_path / "bad.xlsx")
    (tmp_path / "good.xlsx").write_bytes(as_file(ircn_data()))
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    _run(live_server.url, tmp_path)


def _run(base, files):
    with logged_in_page(base, "ken") as page:
        page.goto(f"{base}/centers/ircn/")
        page.get_by_role("link", name="Reports, templates and uploads").click()
        upload = page.locator("form[action$='/upload/']")
        upload.get_by_label("Fiscal year").select_option(str(FY))
        upload.get_by_label("Report file").set_input_files(str(files / "bad.xlsx"))
        upload.get_by_role("button", name="Check and save as a new version").click()
        problems = page.get_by_role("alert")
        expect(problems).to_contain_text("1 problem was found")
        expect(page.locator("table.problems")).to_contain_text("wizard")

        upload = page.locator("form[action$='/upload/']")
        upload.get_by_label("Fiscal year").select_option(str(FY))
        upload.get_by_label("Report file").set_input_files(str(files / "good.xlsx"))
        upload.get_by_role("button", name="Check and save as a new version").click()
        page.wait_for_selector("#report-state")
        expect(page.locator("#report-state")).to_have_text("draft", use_inner_text=True)
        page.get_by_role("button", name="Submit to the program office").click()
        page.get_by_role("button", name="Yes, submit version 1").click()  # the confirmation
        page.wait_for_selector("#report-state")
        expect(page.locator("#report-state")).to_have_text("submitted", use_inner_text=True)
