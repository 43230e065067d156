"""In a real browser: the program office invites an expert of IRCN's working group; the
expert receives the e-mail, sets a password from its link, logs in, and sees what the role
allows — IRCN's internals — and nothing more."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from kyoten.accounts.models import Role
from kyoten.accounts.services import grant
from kyoten.registry.models import Center
from kyoten.registry.reference import load_reference

from .conftest import PASSWORD
from .test_browser import chromium, logged_in_page, require_chromium, shows

EXPERT_PASSWORD = "fjords and galaxies 2026"


@pytest.mark.django_db(transaction=True)
def test_an_invited_expert_sets_a_password_logs_in_and_sees_what_the_role_allows(
    live_server, monkeypatch
):
    require_chromium()
    load_reference()
    hana = get_user_model().objects.create_user("hana", password=PASSWORD)
    grant(hana, Role.PROGRAM_OFFICE)
    ircn = Center.objects.get(key="ircn").pk
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    base = live_server.url

    with logged_in_page(base, "hana") as page:
        page.get_by_role("link", name="Accounts").click()
        page.get_by_role("link", name="Invite a person").click()
        page.get_by_label("Family name (English)").fill("Lindqvist")
        page.get_by_label("Given name (English)").fill("Astrid")
        page.get_by_label("E-mail address").fill("astrid@example.org")
        page.get_by_label("Role").select_option(Role.WORKING_GROUP)
        page.get_by_label("Center").select_option(str(ircn))
        page.get_by_role("button", name="Invite").click()
        shows(page, "An invitation was sent to astrid@example.org.")
        shows(page, "Working-group expert", "#roles")

    [message] = mail.outbox
    assert message.to == ["astrid@example.org"]
    link = re.search(r"(http://\S+/accounts/welcome/\S+/)", message.body).group(1)

    with chromium() as browser:
        page = browser.new_page(locale="en-GB")
        page.set_default_timeout(15_000)
        page.goto(link)
        assert "You log in to Kyoten with the user name astrid@example.org." in page.inner_text(
            "main"
        )
        page.get_by_label("New password:", exact=True).fill(EXPERT_PASSWORD)
        page.get_by_label("New password confirmation").fill(EXPERT_PASSWORD)
        page.get_by_role("button", name="Set the password").click()
        page.wait_for_url(f"{base}/accounts/login/")
        shows(page, "Your password is set.")
        page.get_by_label("Username").fill("astrid@example.org")
        page.get_by_label("Password").fill(EXPERT_PASSWORD)
        page.get_by_label("Password").press("Enter")
        page.wait_for_url(f"{base}/tasks/")

        # the navigation offers no committee, accounts, audit trail or back office
        nav = page.inner_text("header nav")
        for absent in ("Committee", "Accounts", "Audit trail", "Back office"):
            assert absent not in nav
        # IRCN's internals are open to its working group; AIMEC's are not
        page.goto(f"{base}/centers/ircn/")
        expect(page.locator("#funding-h")).to_have_count(1)
        expect(page.locator("#reports-h")).to_have_count(1)
        page.goto(f"{base}/centers/aimec/")
        expect(page.locator("#funding-h")).to_have_count(0)
        for refused in ("/accounts/", "/committee/", "/audit/", "/centers/aimec/reports/"):
            response = page.goto(f"{base}{refused}")
            assert response.status == 403, refused
        # the link worked once
        page.goto(link)
        shows(page, "This link no longer works")
