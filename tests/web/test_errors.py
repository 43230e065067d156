"""Bad input and server errors: a message in the page, never a traceback."""

import pytest
from django.test import Client

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


def test_a_missing_page_is_explained_in_both_languages(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Not found" in page
    assert "ページが見つかりません" in page


def test_a_server_error_is_explained_in_both_languages(db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(services, "center_rows", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Server error" in page
    assert "サーバーエラー" in page
    assert "broken on purpose" not in page
