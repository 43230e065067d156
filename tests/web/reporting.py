"""Reports, uploads and row counts shared by the report tests (tests/web/test_reports_*.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from kyoten.audit.models import AuditEntry
from kyoten.registry.models import Center
from kyoten.reports import dump_report, report_from_data
from kyoten.submissions import services
from kyoten.submissions.models import AnnualReport, ReportEvent, ReportVersion
from reports.helpers import report_data

FY = 2024


def ircn_data(fiscal_year=FY, center="IRCN"):
    """The small report of the core's tests, as IRCN's (selected FY2017) for ``fiscal_year``."""
    data = report_data()
    data["metadata"].update(center=center, fiscal_year=fiscal_year, selection_fiscal_year=2017)
    for row in data["roster"]:
        row["start_date"] = f"{fiscal_year - 2}-04-01"
    for meeting in data["meetings"]:
        meeting["date"] = f"{fiscal_year}-11-05"
    for asset in data["assets"]:
        asset["date"] = f"{fiscal_year}-10-01"
    return data


def as_file(data, fmt="xlsx"):
    return dump_report(report_from_data(data, "r.json"), fmt)


def upload_file(content, name="report.xlsx"):
    return SimpleUploadedFile(name, content)


def post_upload(client, content, name="report.xlsx", fiscal_year=FY, center="ircn", lang="en"):
    return client.post(
        f"/centers/{center}/reports/upload/",
        {"fiscal_year": fiscal_year, "file": upload_file(content, name)},
        HTTP_ACCEPT_LANGUAGE=lang,
    )


def counts():
    """Rows of every table an upload writes: reports, versions, history, audit trail."""
    return (
        AnnualReport.objects.count(),
        ReportVersion.objects.count(),
        ReportEvent.objects.count(),
        AuditEntry.objects.count(),
    )


def stored(user, center="ircn", fiscal_year=FY, data=None):
    """A version stored through the service, as ``user`` would upload it."""
    center = Center.objects.get(key=center)
    report = report_from_data(data or ircn_data(fiscal_year), "r.json")
    return services.store(center, report, "r.json", user)
