"""Report pages and the report API. Views parse the request, call the services and render;
who may do what is asked of :mod:`kyoten.accounts.permissions`, what a report's state allows
of :mod:`kyoten.submissions.models`, on the server."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from kyoten.accounts.permissions import authorize, login_first, may, permitted
from kyoten.registry.lookup import with_center
from kyoten.registry.models import Center
from kyoten.reports import comparison_csv, comparison_xlsx, dump_report, error_records
from kyoten.submissions import presenters, services
from kyoten.submissions.forms import ComparisonRangeQuery, ReturnForm, UploadForm, YearForm
from kyoten.submissions.models import Action, AnnualReport
from kyoten.text import KyotenError
from kyoten.web.downloads import download
from kyoten.web.errors import ValidationMessages, api_error
from kyoten.web.language import page_lang as _lang
from kyoten.web.pagecache import FRAGMENT_SECONDS, fragment_key
from kyoten.web.uploads import limit_upload, read_body


def _upload_max_bytes() -> int:
    return services.limits().upload_max_bytes


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_IDS = "template-%s"  # the template form shares the page with the upload form
DOWNLOADS = {
    "json": ("json", "application/json", "json"),
    "zip": ("csv_zip", "application/zip", "zip"),
    "xlsx": ("xlsx", XLSX, "xlsx"),
}


def _center_page(
    request: HttpRequest,
    center: Center,
    upload_form: UploadForm | None = None,
    problems: Any = None,
    template_form: YearForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    years = services.reportable_years(center, today)
    editable = may(request.user, "report.edit", center)
    context = {
        "center": center,
        "reports": center.annual_reports.all(),
        "can_edit": editable,
        "template_form": template_form
        or (YearForm(years=years, lang=_lang(), auto_id=TEMPLATE_IDS) if editable else None),
        "upload_form": upload_form or (UploadForm(years=years, lang=_lang()) if editable else None),
        "problems": problems,
    }
    return render(request, "submissions/center_reports.html", context)


@with_center
@permitted("report.read")
def center_reports(request: HttpRequest, center: Center) -> HttpResponse:
    return _center_page(request, center)


@require_safe  # GET and HEAD
@with_center
@permitted("report.edit")
def report_template(request: HttpRequest, center: Center) -> HttpResponse:
    today = timezone.localdate()
    form = YearForm(
        request.GET,
        years=services.reportable_years(center, today),
        lang=_lang(),
        auto_id=TEMPLATE_IDS,
    )
    if not form.is_valid():
        return _center_page(request, center, template_form=form)
    fiscal_year = form.cleaned_data["fiscal_year"]
    content = services.template_for(center, fiscal_year, today, _lang())
    return download(content, XLSX, f"{center.key}-fy{fiscal_year}-report.xlsx")


@limit_upload(_upload_max_bytes)
@require_POST
@with_center
@permitted("report.edit")
def report_upload(request: HttpRequest, center: Center) -> HttpResponse:
    today = timezone.localdate()
    form = UploadForm(
        request.POST,
        request.FILES,
        years=services.reportable_years(center, today),
        lang=_lang(),
    )
    if not form.is_valid():
        return _center_page(request, center, form)
    upload = form.cleaned_data["file"]
    try:
        services.check_upload_size(upload.size, upload.name)
        version = services.upload(
            center,
            form.cleaned_data["fiscal_year"],
            upload.read(),
            upload.name,
            request.user,
            today,
        )
    except KyotenError as error:
        problems = presenters.problem_rows(error_records(error), _lang())
        return _center_page(request, center, form, problems)
    except ValidationError as error:
        form.add_error(None, error)
        return _center_page(request, center, form)
    messages.success(
        request,
        _("Version %(number)s was checked and saved; no problem was found.")
        % {"number": version.number},
    )
    return redirect(version.report.get_absolute_url())


def readable_report(request: HttpRequest, pk: int) -> AnnualReport:
    """The report numbered ``pk``, if the user may read its center's reports (404 as for a
    number that does not exist otherwise; see :mod:`kyoten.accounts.permissions`)."""
    login_first(request)
    report = get_object_or_404(AnnualReport.objects.select_related("center"), pk=pk)
    authorize(request, "report.read", report.center, hide=True)
    return report


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = readable_report(request, pk)
    latest = report.latest_version()
    return render(
        request,
        "submissions/report_detail.html",
        {
            "report": report,
            "center": report.center,
            "versions": report.versions.all(),
            "events": report.events.select_related("version"),
            "actions": report.allowed_actions(request.user),
            "return_form": ReturnForm(),
            "latest": latest,
            "summary": presenters.summary(latest, _lang()) if latest else None,
        },
    )


@require_POST
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = readable_report(request, pk)
    form = ReturnForm(request.POST) if action == Action.RETURN else None
    if form is not None and not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["comment"]))
        return redirect(report.get_absolute_url())
    try:
        services.act(report, action, request.user, form.cleaned_data["comment"] if form else "")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report is now %(state)s.") % {"state": _state(report)})
    return redirect(report.get_absolute_url())


def _state(report: AnnualReport) -> str:
    report.refresh_from_db()
    return str(report.get_state_display())


@require_safe  # GET and HEAD
def version_download(request: HttpRequest, pk: int, number: int, fmt: str) -> HttpResponse:
    """A version as JSON, a zip of CSV files or an Excel workbook (also the API's GET)."""
    report = readable_report(request, pk)
    version = get_object_or_404(report.versions, number=number)
    kind, content_type, extension = DOWNLOADS[fmt]
    content = dump_report(version.content, kind, _lang())  # type: ignore[arg-type]
    name = f"{report.center.key}-fy{report.fiscal_year}-v{version.number}.{extension}"
    return download(content, content_type, name)


@limit_upload(_upload_max_bytes)
@require_POST
@with_center
def api_upload(request: HttpRequest, center: Center, fiscal_year: int) -> JsonResponse:
    """POST a report as a JSON body, or as a file in the ``file`` field (session + CSRF).

    201 with the new version, 400 with every problem, 401/403 when not allowed, 409 when the
    report's state takes no upload, 413 past the size limit; every answer is JSON, and every
    message in both languages.
    """
    if not request.user.is_authenticated:
        return api_error(401, gettext_lazy("Log in first."))
    if not may(request.user, "report.edit", center):
        return api_error(403, REFUSED)
    lang = _lang()
    max_bytes = _upload_max_bytes()
    try:
        if request.content_type == "application/json":
            content, name = read_body(request, max_bytes), "request.json"
        elif (upload := request.FILES.get("file")) is not None:
            services.check_upload_size(upload.size or 0, upload.name or "upload")
            content, name = upload.read(), upload.name or "upload"
        else:
            return api_error(
                400, gettext_lazy("Send the report as a JSON body or as a file named 'file'.")
            )
        version = services.upload(
            center, fiscal_year, content, name, request.user, timezone.localdate()
        )
    except RequestDataTooBig:
        return api_error(
            413,
            format_lazy(
                gettext_lazy("The report is larger than the {max} bytes accepted."),
                max=f"{max_bytes:,}",
            ),
        )
    except KyotenError as error:
        records = error_records(error)
        return JsonResponse(
            {"errors": records, "messages": [r["message"][lang] for r in records]}, status=400
        )
    except ValidationError as error:
        return api_error(409, ValidationMessages(error))
    except PermissionDenied:
        return api_error(403, REFUSED)
    report = version.report
    return JsonResponse(
        {
            "report": report.pk,
            "center": center.key,
            "fiscal_year": report.fiscal_year,
            "version": version.number,
            "state": report.state,
            "url": request.build_absolute_uri(report.get_absolute_url()),
        },
        status=201,
    )


REFUSED = gettext_lazy("You may not upload reports for this center.")


@require_safe  # GET and HEAD
@permitted("reports.compare")
def comparison_page(request: HttpRequest) -> HttpResponse:
    """Every center the reader may compare, across a range of fiscal years: charts, the
    table, the exports (computed once per change, reader and range: see the page cache)."""
    first, last = ComparisonRangeQuery(request.GET).years()
    # computed on first use: a fragment served from the cache computes nothing
    table = SimpleLazyObject(lambda: presenters.comparison(first, last, _lang(), request.user))
    return render(
        request,
        "submissions/comparison_page.html",
        {
            "fragment_key": fragment_key(request.user, "comparison-page", first, last),
            "fragment_seconds": FRAGMENT_SECONDS,
            "table": table,
        },
    )


@require_safe  # GET and HEAD
@permitted("reports.compare")
def comparison_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The comparison from ``?from=`` to ``?to=`` (or of ``?fiscal_year=``) as Excel or CSV;
    a year without a report shown is not found."""
    first, last = ComparisonRangeQuery(request.GET).years()
    years = services.comparison_years()
    first, last = first or last, last or first
    if first is None or last is None or first not in years or last not in years:
        raise Http404
    first, last = min(first, last), max(first, last)

    def export() -> bytes:
        readable = services.readable_centers(request.user)
        reports = services.comparison_reports(first, readable, until=last)
        if fmt == "csv":
            return comparison_csv(reports, _lang())
        return comparison_xlsx(reports, _lang())

    key = fragment_key(request.user, "comparison", fmt, first, last)
    content = cache.get_or_set(key, export, FRAGMENT_SECONDS)
    assert isinstance(content, bytes)  # made by export(), now or by an earlier request
    span = f"{first}" if first == last else f"{first}-{last}"
    name = f"wpi-reports-fy{span}.{fmt}"
    return download(content, "text/csv; charset=utf-8" if fmt == "csv" else XLSX, name)
