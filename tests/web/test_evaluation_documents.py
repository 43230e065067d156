"""The documents of a case (PDFs): who uploads which, what is refused (not a PDF, active
content, too large — nothing written), and that they are only ever served as downloads to
those who may read them."""

import pytest
from django.test import override_settings
from django.utils import timezone

from kyoten.audit.models import AuditEvent
from kyoten.evaluation import services
from kyoten.evaluation.models import Document
from kyoten.registry.models import Center

from .test_evaluation import PHASES

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def interim(personas):
    cycle = services.open_cycle(
        cycle_type="interim_evaluation",
        fiscal_year=2021,
        center=Center.objects.get(key="ircn"),
        phases=[(p, *days) for p, days in PHASES.items()],
        by=personas["hana"],
    )
    return cycle.cases.get()


def upload(client, case, material, content=PDF, name="doc.pdf", lang="en"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"/evaluation/cases/{case.pk}/documents/",
        {"material": material, "document": SimpleUploadedFile(name, content, "application/pdf")},
        HTTP_ACCEPT_LANGUAGE=lang,
    )


def test_the_center_uploads_its_self_evaluation_and_the_reviewers_download_it(client_as, interim):
    assert (
        "Upload Self-evaluation report for IRCN"
        in client_as("ken").get("/tasks/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert (
        upload(client_as("ken"), interim, "self_evaluation", name="ircn-2021.pdf").status_code
        == 302
    )
    document = Document.objects.get()
    assert (document.material, document.size, document.actor.username) == (
        "self_evaluation",
        len(PDF),
        "ken",
    )
    event = AuditEvent.objects.get(kind="document.uploaded")
    assert event.data["sha256"] == document.sha256
    assert "content" not in str(event.entries.first().after)  # the file is not copied
    response = client_as("mori").get(f"/evaluation/documents/{document.pk}/")
    assert response.content == PDF
    assert response["Content-Disposition"].startswith("attachment")
    # listed on the case with its size and day, bracketed as the page's language does
    day = timezone.localdate(document.at).isoformat()

    def listed(lang):
        page = client_as("mori").get(f"/evaluation/cases/{interim.pk}/", HTTP_ACCEPT_LANGUAGE=lang)
        return page.content.decode()

    assert f"ircn-2021.pdf</a><small> ({len(PDF)}\xa0bytes, {day})</small>" in listed("en")
    assert f"ircn-2021.pdf</a><small>（{len(PDF)}\xa0バイト、{day}）</small>" in listed("ja")
    assert response["Content-Security-Policy"] == "sandbox"
    # a conflicted member and an outsider do not get it
    assert client_as("sato").get(f"/evaluation/documents/{document.pk}/").status_code == 404
    assert client_as("olivia").get(f"/evaluation/documents/{document.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "material", "message"),
    [
        # the center does not write the PO's report; the PO not the self-evaluation
        ("ken", "po_report", "Select a valid choice"),
        ("ito", "self_evaluation", "Select a valid choice"),
    ],
)
def test_each_supplies_only_their_own_documents(client_as, interim, persona, material, message):
    assert message in upload(client_as(persona), interim, material).content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("content", "lang", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "en", "is not a PDF file"),
        (PDF.replace(b"/Type /Catalog", b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), "en", "contains active content (/JavaScript)"),
        (PDF.replace(b"/Type /Catalog", b"/Names << /EmbeddedFiles 2 0 R >>"), "ja", "アクティブコンテンツ"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_a_plain_pdf_is_refused_and_nothing_written(
    client_as, interim, content, lang, message
):
    events = AuditEvent.objects.count()
    response = upload(client_as("ken"), interim, "self_evaluation", content, lang=lang)
    assert message in response.content.decode()
    assert not Document.objects.exists() and AuditEvent.objects.count() == events


@override_settings(DOCUMENT_MAX_BYTES=1000)
def test_a_file_too_large_is_refused_while_it_streams_in(client_as, interim):
    content = PDF[:-7] + b" " * 5000 + b"\n%%EOF\n"
    response = upload(client_as("ken"), interim, "self_evaluation", content)
    assert "the largest accepted is 1000 bytes" in response.content.decode()
    assert not Document.objects.exists()
