"""Uploads over the limit are refused while they stream in: nothing past the limit reaches the
handlers that keep files in memory or write them to disk, and the page says why."""

import io

import pytest
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler

from kyoten.registry.models import Plan
from web.reporting import as_file, counts, ircn_data, post_upload


@pytest.fixture
def kept(monkeypatch):
    """The bytes that reached Django's own upload handlers (memory or temporary file)."""
    seen = []
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        original = handler.receive_data_chunk

        def spy(self, raw_data, start, original=original):
            seen.append(len(raw_data))
            return original(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", spy)
    return seen


def _file(size, name="big.yaml"):
    upload = io.BytesIO(b"#" * size)
    upload.name = name
    return upload


@pytest.mark.parametrize(
    ("size", "lang", "message"),
    [
        # over the limit: refused with the size, in the page's language
        (5_000, "en", "The file is 5000 bytes; the largest accepted is 1000 bytes."),
        (5_000, "ja", "ファイルは5000バイトです"),
        # a body far over the limit (and the form's other fields) is refused before it is read
        (300_000, "en", "the largest accepted is 1000 bytes"),
        (300_000, "ja", "1000バイト"),
    ],
)
def test_the_check_page_refuses_a_file_over_the_limit(
    client, db, settings, kept, size, lang, message
):
    settings.UPLOAD_MAX_BYTES = 1_000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100  # anything larger would go to a temporary file
    response = client.post("/check/", {"plan": _file(size)}, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert sum(kept) == 0  # not a byte kept in memory or written to disk


def test_a_file_within_the_limit_is_checked_as_before(client, db, settings, kept):
    settings.UPLOAD_MAX_BYTES = 1_000
    response = client.post(
        "/check/", {"plan": _file(20)}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "largest accepted" not in response
    assert sum(kept) == 20


def test_the_plan_upload_refuses_a_file_over_the_limit(client_as, settings, kept):
    settings.UPLOAD_MAX_BYTES = 1_000
    response = client_as("ken").post(
        "/centers/ircn/plans/", {"plan": _file(300_000)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "the largest accepted is 1000 bytes" in response.content.decode()
    assert sum(kept) == 0
    assert not Plan.objects.exists()


def test_the_upload_still_needs_the_csrf_token(db, settings):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/check/", {"plan": _file(10)})
    assert response.status_code == 403


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_report_over_the_limit_is_refused_while_it_streams_in(client_as, monkeypatch, kept, lang):
    monkeypatch.setenv("KYOTEN_REPORT_UPLOAD_MAX_BYTES", "1000")
    content = as_file(ircn_data())
    office = client_as("ken")
    before = counts()
    page = post_upload(office, content, lang=lang).content.decode()
    expected = {"en": f"{len(content):,} bytes, at most 1,000", "ja": "ファイルが大きすぎます"}
    assert expected[lang] in page
    assert sum(kept) == 0
    assert counts() == before
