"""Bad input and server errors: a message in the page, never a traceback."""

import pytest
from django.test import Client

from kyoten.accounts import permissions
from kyoten.registry import services


@pytest.mark.parametrize(
    ("path", "lang", "message"),
    [
        # a day after 2100 is refused with a message, not drawn (no year 10000 in the charts)
        ("/?on=9999-12-31", "en", "outside the range shown: from 2007-01-01 to 2100-12-31"),
        ("/?on=9999-12-31", "ja", "表示できる範囲"),
        ("/centers/?on=9999-12-31", "en", "outside the range shown"),
        # nor one before the program's first call
        ("/?on=0001-01-01", "en", "outside the range shown"),
    ],
)
def test_a_day_out_of_range_is_refused_with_a_message(client, db, path, lang, message):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "day",
    ["2007-01-01", "2100-12-31"],  # the bounds themselves are shown
)
def test_the_bounds_are_accepted(client, db, day):
    response = client.get(f"/?on={day}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "outside the range shown" not in response.content.decode()


def site_page(response):
    """The page of an error response, checked to be the site's page: its stylesheet, the
    navigation and the language switch."""
    page = response.content.decode()
    assert "/static/kyoten/site.css" in page
    assert '<nav aria-label="' in page
    assert '<select name="language" id="language">' in page
    return page


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["<title>Not found ·", "There is no page at this address.", "Centers"]),
        (
            "ja",
            ["<title>ページが見つかりません ·", "このアドレスにはページがありません。", "拠点一覧"],
        ),
    ],
)
def test_a_missing_page_is_the_sites_page_in_its_language(client, db, lang, words):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 404
    page = site_page(response)
    for text in words:
        assert text in page


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Your role does not give access to this page."),
        ("ja", "このページへのアクセス権限がありません。"),
    ],
)
def test_a_refusal_is_the_sites_page_in_its_language(client_as, lang, text):
    response = client_as("olivia").get("/committee/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 403
    assert text in site_page(response)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "The form has expired"), ("ja", "フォームの有効期限が切れました")],
)
def test_a_failed_csrf_check_is_the_sites_page_in_its_language(db, lang, text):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/accounts/login/", {"username": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE=lang
    )
    assert response.status_code == 403
    page = site_page(response)
    assert text in page
    assert "DEBUG" not in page
    assert "style=" not in page  # nothing the Content-Security-Policy would block


def broken(*args, **kwargs):
    raise RuntimeError("broken on purpose")


@pytest.mark.parametrize(("lang", "text"), [("en", "Server error"), ("ja", "サーバーエラー")])
def test_a_server_error_is_the_sites_page_in_its_language(db, monkeypatch, lang, text):
    monkeypatch.setattr(services, "center_rows", broken)
    response = Client(raise_request_exception=False).get("/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 500
    page = site_page(response)
    assert f"<h1>{text} <small>(500)</small></h1>" in page
    assert "broken on purpose" not in page


def test_a_server_error_whose_page_fails_too_gets_the_fixed_page(db, monkeypatch):
    # the navigation reads the user's standing: with the database down, the site's page fails too
    monkeypatch.setattr(services, "center_rows", broken)
    monkeypatch.setattr(permissions, "standing", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Server error" in page
    assert "サーバーエラー" in page
    assert "/static/kyoten/site.css" in page
    assert "broken on purpose" not in page


def test_a_refusal_is_logged_in_one_line_naming_who_and_where(client_as, caplog):
    with caplog.at_level("WARNING", logger="django.request"):
        assert client_as("olivia").get("/committee/").status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is None
    assert record.getMessage() == "Forbidden (Permission denied): /committee/ (user: olivia)"
    assert "Traceback" not in caplog.text


def test_an_anonymous_refusal_is_logged_as_anonymous(db, caplog):
    with caplog.at_level("WARNING", logger="django.security.csrf"):
        Client(enforce_csrf_checks=True).post("/accounts/login/", {})
    [record] = [r for r in caplog.records if r.name == "django.security.csrf"]
    assert record.getMessage().endswith("/accounts/login/ (user: anonymous)")


def locked(*args, **kwargs):
    from django.db import OperationalError

    raise OperationalError("database is locked")


def test_a_write_that_cannot_get_the_lock_answers_503_in_json_on_the_api(client_as, monkeypatch):
    from kyoten.submissions import services as report_services

    monkeypatch.setattr(report_services, "upload", locked)
    response = client_as("ken").post(
        "/api/centers/ircn/reports/2024/", b"{}", content_type="application/json"
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["message"]["ja"].startswith("他の変更を保存中のため")


@pytest.mark.parametrize(
    ("lang", "text"), [("en", "Kyoten is busy"), ("ja", "他の変更を保存中のため")]
)
def test_a_write_that_cannot_get_the_lock_answers_503_on_a_page(client_as, monkeypatch, lang, text):
    monkeypatch.setattr(services, "record_decision", locked)
    response = client_as("hana").post(
        "/centers/qup/decisions/new/",
        {"kind": "interim_evaluation", "date": "2026-01-15", "precision": "day", "source": "x"},
        HTTP_ACCEPT_LANGUAGE=lang,
    )
    assert response.status_code == 503
    assert text in site_page(response)


def test_a_request_for_another_host_gets_the_sites_own_400_page(db):
    # refused before the user is known: the navigation offers the public's pages
    response = Client(raise_request_exception=False).get(
        "/", HTTP_HOST="evil.example", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    page = site_page(response)
    assert '<a href="/rulebook/">' in page
    assert "/audit/" not in page
