"""Passwords, login throttling, sessions, headers and the first account."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from kyoten.accounts.models import Membership
from kyoten.cli import main

from .conftest import PASSWORD


def test_passwords_are_hashed_with_argon2(db):
    user = get_user_model().objects.create_user("aiko", password=PASSWORD)
    assert user.password.startswith("argon2")


def test_login_through_the_form(client, db):
    get_user_model().objects.create_user("aiko", password=PASSWORD)
    response = client.post("/accounts/login/", {"username": "aiko", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get_expire_at_browser_close()


def test_login_is_throttled_after_repeated_failures(client, db):
    get_user_model().objects.create_user("aiko", password=PASSWORD)
    for _ in range(settings.LOGIN_FAILURES_MAX):
        response = client.post("/accounts/login/", {"username": "aiko", "password": "wrong"})
        assert response.status_code == 200
    # now even the right password is refused until the window has passed
    response = client.post(
        "/accounts/login/", {"username": "aiko", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "variant",
    [
        "aiko ",  # trailing space: stripped before authentication
        " aiko",  # leading space
        "ａｉｋｏ",  # full-width letters: NFKC-normalised to "aiko"
        "ａｉｋｏ ",  # both
    ],
)
def test_the_throttle_counts_the_normalised_user_name(client, db, variant):
    get_user_model().objects.create_user("aiko", password=PASSWORD)
    for _ in range(settings.LOGIN_FAILURES_MAX):
        client.post("/accounts/login/", {"username": "aiko", "password": "wrong"})
    # a variant of the same name gets no fresh attempts, even with the right password
    response = client.post(
        "/accounts/login/", {"username": variant, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_under_variants_add_up(client, db):
    get_user_model().objects.create_user("aiko", password=PASSWORD)
    variants = ["aiko ", "ａｉｋｏ", " aiko", "ａｉｋｏ ", "aiko"]
    for n in range(settings.LOGIN_FAILURES_MAX):
        client.post("/accounts/login/", {"username": variants[n % 5], "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "aiko", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Too many failed logins" in response.content.decode()


def test_sessions_expire():
    assert 0 < settings.SESSION_COOKIE_AGE <= 24 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_secure_headers(client, db):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_forms_carry_a_csrf_token(client, db):
    assert "csrfmiddlewaretoken" in client.get("/check/").content.decode()


def test_logout_needs_a_post(client_as):
    client = client_as("program_officer")
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302


def test_first_account_prints_a_random_password_once(db, capsys):
    assert main(["first-account"]) == 0
    out = capsys.readouterr().out
    password = re.search(r"password: (\S+)", out).group(1)
    user = get_user_model().objects.get(username="office")
    assert user.check_password(password)
    assert Membership.objects.get(user=user).role == "program_office"
    # a second run does not print it again, nor change it
    assert main(["first-account"]) == 0
    again = capsys.readouterr().out
    assert password not in again
    assert "exists" in again
    user.refresh_from_db()
    assert user.check_password(password)


def test_no_secret_in_the_repository():
    assert settings.SECRET_KEY
    assert len(settings.SECRET_KEY) >= 40


@pytest.mark.parametrize(
    ("role", "center_key", "valid"),
    [("center_office", "ircn", True), ("center_office", None, False), ("committee", "ircn", False)],
)
def test_a_center_office_belongs_to_exactly_one_center(personas, role, center_key, valid):
    from django.core.exceptions import ValidationError

    from kyoten.registry.models import Center

    center = Center.objects.get(key=center_key) if center_key else None
    membership = Membership(user=personas["outsider"], role=role, center=center)
    if valid:
        membership.clean()
    else:
        with pytest.raises(ValidationError):
            membership.clean()
