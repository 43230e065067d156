"""The narrative and the appendices of an annual report: written and previewed in the web
app, each change a new version that keeps the rest, every refusal leaving the database as it
was, and the whole report as a PDF with its Japanese text."""

import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from kyoten.registry.models import Center
from kyoten.reports.narrative import load_narrative
from kyoten.submissions import services
from kyoten.submissions.models import Appendix, ReportVersion
from web.reporting import FY, as_file, counts, ircn_data, post_upload, stored

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
NARRATIVE = f"/centers/ircn/reports/narrative/?fiscal_year={FY}"
APPENDICES = f"/centers/ircn/reports/appendices/?fiscal_year={FY}"
SUMMARY = "IRCNは**神経科学と人工知能**を融合する。\n\n- 学際研究12件\n\n<script>alert(1)</script>"


def rows():
    """The rows a change writes, the appendices too."""
    return (*counts(), Appendix.objects.count())


def ircn():
    return Center.objects.get(key="ircn")


def latest():
    return ReportVersion.objects.filter(report__is_sample=False).order_by("-number").first()


def attach(client, content=PDF, title="Appendix 1: Papers", name="papers.pdf"):
    return client.post(
        APPENDICES,
        {"title": title, "file": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_the_narrative_is_previewed_then_saved_as_a_version_that_keeps_the_tables(client_as):
    office = client_as("ken")
    post_upload(office, as_file(ircn_data()))
    tables = latest()
    before = rows()
    page = office.post(NARRATIVE, {"summary": SUMMARY, "preview": "1"}, HTTP_ACCEPT_LANGUAGE="ja")
    html = page.content.decode()
    assert page.status_code == 200 and rows() == before  # a preview writes nothing
    assert "<strong>神経科学と人工知能</strong>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "プレビューは各項目の下に表示しています" in html

    response = office.post(NARRATIVE, {"summary": SUMMARY, "save": "1"})
    assert response.status_code == 302
    version = latest()
    assert version.number == 2 and version.texts == {"summary": SUMMARY}
    assert (version.data, version.source_name) == (tables.data, tables.source_name)
    assert version.report.events.first().action == "write"
    # the same text again makes no version
    office.post(NARRATIVE, {"summary": SUMMARY, "save": "1"})
    assert latest().number == 2


def test_an_upload_keeps_the_narrative_and_the_appendices(client_as):
    office = client_as("ken")
    office.post(NARRATIVE, {"summary": SUMMARY, "save": "1"})
    assert latest().data is None  # written before any table
    report = latest().report
    assert office.get(f"/reports/{report.pk}/versions/1.xlsx").status_code == 404  # no tables
    assert office.get(f"/reports/{report.pk}/versions/1.ja.pdf").status_code == 200
    assert attach(office).status_code == 302
    post_upload(office, as_file(ircn_data()))
    version = latest()
    assert version.number == 3 and version.has_tables
    assert version.texts == {"summary": SUMMARY}
    assert [a.title for a in version.appendices.all()] == ["Appendix 1: Papers"]


def test_a_section_over_its_limit_writes_nothing_and_says_why_at_the_top(client_as):
    office = client_as("ken")
    post_upload(office, as_file(ircn_data()))
    before = rows()
    limit = load_narrative().sections_for(FY)[0].characters_max
    page = office.post(
        NARRATIVE, {"summary": "研" * (limit + 1), "save": "1"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    assert page.status_code == 400 and rows() == before
    assert 'role="alert" id="problems"' in html
    assert "1 section cannot be saved as it is" in html
    assert "6,402 characters; at most 6,400 characters (about 2 pages" in html


def test_a_narrative_is_not_written_into_a_submitted_report(client_as, personas):
    office = client_as("ken")
    report = stored(personas["ken"]).report
    services.act(report, "submit", personas["ken"])
    before = rows()
    page = office.get(NARRATIVE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This report takes no changes now" in page and "Save as a new version" not in page
    office.post(NARRATIVE, {"summary": "late words", "save": "1"})
    assert rows() == before
    assert attach(office).status_code == 400 and rows() == before


def test_a_year_the_center_does_not_report_for_is_not_found(client_as):
    assert (
        client_as("ken").get("/centers/ircn/reports/narrative/?fiscal_year=2016").status_code == 404
    )
    assert client_as("ken").get("/centers/ircn/reports/narrative/").status_code == 404


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"PK\x03\x04 a workbook", "papers.pdf", "papers.pdf is not a PDF file"),
        (b"%PDF-1.7\n/OpenAction << /S /JavaScript /JS (x) >>\n%%EOF", "a.pdf", "contains active content (/JavaScript)"),
        (b"%PDF-1.7\n/EmbeddedFile\n%%EOF", "b.pdf", "contains active content (/EmbeddedFile)"),
        (b"%PDF-1.7 but cut off", "c.pdf", "c.pdf is not a PDF file"),
    ],
)  # fmt: skip
def test_every_refused_appendix_leaves_the_database_as_it_was(client_as, content, name, message):
    office = client_as("ken")
    post_upload(office, as_file(ircn_data()))
    before = rows()
    page = attach(office, content, name=name)
    assert page.status_code == 400 and rows() == before
    assert message in page.content.decode()


@override_settings(DOCUMENT_MAX_BYTES=1000)
def test_an_appendix_past_the_limit_is_refused_while_it_streams_in(client_as):
    office = client_as("ken")
    before = rows()
    page = attach(office, PDF + b"%" * 2000)
    assert page.status_code == 400 and rows() == before
    assert "the largest accepted is 1000 bytes" in page.content.decode()


def test_the_number_of_appendices_is_bounded(client_as, personas, monkeypatch):
    monkeypatch.setattr(services, "APPENDICES_MAX", 2)
    office = client_as("ken")
    for number in (1, 2):
        assert attach(office, title=f"Appendix {number}").status_code == 302
    before = rows()
    page = attach(office, title="Appendix 3")
    assert page.status_code == 400 and rows() == before
    assert "A report takes at most 2 appendices" in page.content.decode()


def test_an_appendix_is_removed_from_the_next_version_and_kept_by_the_older(client_as):
    office = client_as("ken")
    attach(office)
    appendix = Appendix.objects.get()
    report = appendix.report
    response = office.post(f"/reports/{report.pk}/appendices/{appendix.pk}/remove/")
    assert response.status_code == 302
    assert list(latest().appendices.all()) == []
    assert list(report.versions.get(number=1).appendices.all()) == [appendix]
    # the older version's readers still download it, as a file only
    download = client_as("ito").get(f"/reports/{report.pk}/appendices/{appendix.pk}/")
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Security-Policy"] == "sandbox"
    assert b"".join(download.streaming_content if download.streaming else [download.content]) == PDF
    # a second removal changes nothing
    before = rows()
    office.post(f"/reports/{report.pk}/appendices/{appendix.pk}/remove/")
    assert rows() == before


def test_the_report_page_shows_the_narrative_escaped_and_the_appendices(client_as):
    office = client_as("ken")
    office.post(NARRATIVE, {"summary": SUMMARY, "save": "1"})
    attach(office)
    report = latest().report
    page = client_as("mori").get(report.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "<li>学際研究12件</li>" in html and "<script>alert" not in html
    assert "Appendix 1: Papers" in html
    assert f"/reports/{report.pk}/versions/2.ja.pdf" in html
    assert "section unconfirmed" in html  # the host institution's commitment


def test_the_whole_report_as_a_pdf_holds_the_japanese_narrative_and_the_tables(
    client_as, poppler, tmp_path
):
    office = client_as("ken")
    post_upload(office, as_file(ircn_data()))
    office.post(NARRATIVE, {"summary": SUMMARY, "research_level": "# 成果\n\n1. 論文", "save": "1"})
    attach(office)
    report = latest().report
    for lang, words in (
        ("ja", ["令和6年度 拠点構想進捗状況報告書", "神経科学と人工知能", "1. 世界最高水準の研究の実施", "別添"]),
        ("en", ["FY2024 WPI Project Progress Report", "神経科学と人工知能", "Tables from the data", "Appendix 1: Papers"]),
    ):  # fmt: skip
        response = client_as("ito").get(f"/reports/{report.pk}/versions/3.{lang}.pdf")
        assert response["Content-Type"] == "application/pdf"
        path = tmp_path / f"report-{lang}.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(
            [poppler / "pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, check=True
        ).stdout.decode()
        for word in words:
            assert word in text, word
        assert "<script>alert(1)</script>" in text  # the author's text, shown as text
        subprocess.run(
            [poppler / "pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", path, tmp_path / lang],
            check=True,
        )


def test_a_narrative_saved_is_an_audited_event(client_as, personas):
    from kyoten.audit.models import AuditEvent

    client_as("ken").post(NARRATIVE, {"summary": SUMMARY, "save": "1"})
    event = AuditEvent.objects.get(kind="report.narrative_saved")
    assert (event.actor, event.data["version"], event.data["sections"]) == (
        personas["ken"],
        1,
        ["summary"],
    )
    assert timezone.localdate(event.at) == timezone.localdate()
