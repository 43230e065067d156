"""In a real browser (headless Chromium): log in, switch the language, open a center page,
check a plan. Skipped with the reason when Chromium is absent, unless
KYOTEN_REQUIRE_BROWSER=1 (as in CI), where its absence fails the test."""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from kyoten.accounts.models import Role
from kyoten.accounts.services import grant
from kyoten.registry.reference import load_reference

from .conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
EXAMPLE = Path(__file__).parents[2] / "examples" / "core-before-step-up-fy2025.yaml"


def require_chromium():
    """Skip with the reason when Chromium is absent; fail instead when CI requires it."""
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("KYOTEN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"KYOTEN_REQUIRE_BROWSER=1 but there is no Chromium at {CHROMIUM}")
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium to run this test)")


@contextmanager
def chromium():
    """Headless Chromium through Playwright's sync API, closed on leaving, with the database
    connections the test opened inside the block.

    Playwright runs an asyncio loop in the test's thread, and inside the block Django hands out
    other connections than outside it: left open, they keep PostgreSQL from dropping the test
    database at the end of the run.
    """
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()


def shows(page, text, where="main"):
    """Assert that ``where`` shows ``text``, waiting for it: after a click the next page may
    still be parsing, and reading it at once can miss what is further down."""
    expect(page.locator(where)).to_contain_text(text, use_inner_text=True)


@contextmanager
def logged_in_page(base, username):
    """A headless Chromium page in English, logged in as ``username`` through the login form.

    Playwright's sync API runs an event loop in the test's thread: set
    DJANGO_ALLOW_ASYNC_UNSAFE once the test is done with the ORM.
    """
    with chromium() as browser:
        page = browser.new_page(locale="en-GB")
        page.set_default_timeout(15_000)
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_label("Password").press("Enter")
        page.wait_for_url(f"{base}/tasks/")
        yield page


@pytest.mark.django_db(transaction=True)
def test_log_in_switch_language_open_a_center_and_check_a_plan(live_server, monkeypatch):
    require_chromium()
    load_reference()  # a transactional test starts from an empty database
    user = get_user_model().objects.create_user("hana", password=PASSWORD)
    grant(user, Role.PROGRAM_OFFICE)
    # Playwright's sync API runs an event loop in this thread; the ORM is done with by now.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    _run(live_server.url)


def _run(base):
    with chromium() as browser:
        page = browser.new_page(locale="ja-JP", viewport={"width": 390, "height": 844})
        page.set_default_timeout(15_000)

        # the first Tab reaches the skip link: the page is keyboard-navigable from the top
        page.goto(f"{base}/")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip"
        expect(page.locator("h1")).to_have_text(
            "世界トップレベル研究拠点プログラム（WPI）", use_inner_text=True
        )

        # log in through the labelled form, with the keyboard
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("ユーザー名").fill("hana")
        page.get_by_label("パスワード").fill(PASSWORD)
        page.get_by_label("パスワード").press("Enter")
        page.wait_for_url(f"{base}/tasks/")  # the worklist is the home page once logged in
        expect(page.locator(".who")).to_have_text("hana", use_inner_text=True)
        page.get_by_role("link", name="概要", exact=True).click()

        # switch the language to English
        page.get_by_label("言語").select_option("en")
        page.get_by_role("button", name="切り替え").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("#counts-h")).to_contain_text("Centers on")

        # open a center page from the table; the program office sees the internal sections
        page.get_by_role("link", name="IRCN", exact=True).first.click()
        page.wait_for_url(f"{base}/centers/ircn/")
        expect(page.locator("#funding-h")).to_be_visible()
        assert "International Research Center for Neurointelligence" in page.content()

        # check a plan
        page.get_by_role("link", name="Check a plan").click()
        page.get_by_label("Plan file (YAML or JSON)").set_input_files(str(EXAMPLE))
        page.get_by_role("button", name="Check", exact=True).click()
        page.wait_for_selector("#verdict-result")
        expect(page.locator("#verdict-result")).to_have_text(
            "Every requirement is met.", use_inner_text=True
        )
        expect(page.locator("code", has_text="grant.annual_cap")).to_have_count(1)
