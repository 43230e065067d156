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
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kyoten.accounts.permissions import authorize, login_first, may, permitted
from kyoten.fiscal import format_fiscal_year
from kyoten.registry.lookup import with_center
from kyoten.registry.models import Center
from kyoten.reports import comparison_csv, comparison_xlsx, dump_report, error_records
from kyoten.reports.narrative import (
    load_narrative,
)
from kyoten.submissions import presenters, services
from kyoten.submissions.forms import (
    AppendixForm,
    ComparisonRangeQuery,
    ConfirmForm,
    DeadlineForm,
    NarrativeForm,
    ReturnForm,
    UploadForm,
    YearForm,
)
from kyoten.submissions.models import EDITS, Action, AnnualReport, Deadline
from kyoten.submissions.pdf import report_pdf
from kyoten.text import KyotenError
from kyoten.web.documents import max_bytes as document_max_bytes
from kyoten.web.documents import pdf_download, read_upload
from kyoten.web.downloads import download
from kyoten.web.errors import ValidationMessages, api_error
from kyoten.web.language import page_lang as _lang
from kyoten.web.pagecache import FRAGMENT_SECONDS, fragment_key
from kyoten.web.uploads import limit_upload, read_body


def _upload_max_bytes() -> int:
    return services.limits().upload_max_bytes


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_IDS = "template-%s"  # the template form shares the page with the upload form
NARRATIVE_IDS = "narrative-%s"  # ... and so does the narrative's year
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
        "narrative_form": YearForm(years=years, lang=_lang(), auto_id=NARRATIVE_IDS)
        if editable
        else None,
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
    lang = _lang()
    today = timezone.localdate()
    actions = report.allowed_actions(request.user, today)
    events = list(report.events.select_related("version"))
    changes = {e.version_id: e.get_action_display() for e in events if e.action in EDIT_ACTIONS}
    return render(
        request,
        "submissions/report_detail.html",
        {
            "report": report,
            "center": report.center,
            "versions": [(v, changes.get(v.pk, "")) for v in report.versions.all()],
            "events": events,
            "actions": actions,
            "can_edit": Action.WRITE in actions,
            "submit_from": report.submittable_from()
            if Action.WRITE in actions and today < report.submittable_from()
            else None,
            "return_form": ReturnForm(),
            "confirm_form": ConfirmForm(initial={"version": latest.number}) if latest else None,
            "latest": latest,
            "sections": presenters.written_sections(
                report.fiscal_year, latest.texts if latest else {}
            ),
            "appendices": latest.appendices.defer("content") if latest else [],
            "summary": presenters.summary(latest, lang) if latest and latest.has_tables else None,
            "deadline": Deadline.objects.filter(fiscal_year=report.fiscal_year).first(),
        },
    )


# the history entries that made a version, named beside it in the versions table
EDIT_ACTIONS = {*EDITS, Action.LOAD_SAMPLE}


@require_http_methods(["GET", "HEAD", "POST"])
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Submit, accept or return a report, after a confirmation page that shows what is
    being submitted or accepted (no script needed: the page's form is the confirmation)."""
    report = readable_report(request, pk)
    try:
        report.check_action(action, request.user)  # PermissionDenied: 403
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report.get_absolute_url())
    latest = report.latest_version()
    assert latest is not None  # a report that may be submitted, accepted or returned has one
    returning = action == Action.RETURN
    if request.method == "POST":
        confirm = ConfirmForm(request.POST)
        return_form = ReturnForm(request.POST) if returning else None
        if confirm.is_valid() and (return_form is None or return_form.is_valid()):
            comment = return_form.cleaned_data["comment"] if return_form else ""
            try:
                services.act(
                    report, action, request.user, comment, version=confirm.cleaned_data["version"]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("The report is now %(state)s.") % {"state": _state(report)}
                )
            return redirect(report.get_absolute_url())
    else:
        confirm = ConfirmForm(initial={"version": latest.number})
        return_form = ReturnForm() if returning else None
    sections = presenters.written_sections(report.fiscal_year, latest.texts)
    return render(
        request,
        "submissions/confirm.html",
        {
            "report": report,
            "center": report.center,
            "action": action,
            "latest": latest,
            "confirm_form": confirm,
            "return_form": return_form,
            "empty_sections": [row.section for row in sections if not row.html],
            "appendices": latest.appendices.defer("content"),
            "deadline": Deadline.objects.filter(fiscal_year=report.fiscal_year).first(),
        },
    )


def _state(report: AnnualReport) -> str:
    report.refresh_from_db()
    return str(report.get_state_display())


@require_safe  # GET and HEAD
def version_download(request: HttpRequest, pk: int, number: int, fmt: str) -> HttpResponse:
    """A version as JSON, a zip of CSV files or an Excel workbook (also the API's GET)."""
    report = readable_report(request, pk)
    # the tables of a version written before the first upload do not exist
    version = get_object_or_404(report.versions, number=number, data__isnull=False)
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


# --- the narrative and the appendices ------------------------------------------------------


def _edited_year(request: HttpRequest, center: Center) -> int:
    """The fiscal year the narrative page and its forms are for (``?fiscal_year=`` in the
    address), among those the center reports for; 404 otherwise."""
    years = services.reportable_years(center, timezone.localdate())
    form = YearForm(request.GET, years=years, lang=_lang())
    if not form.is_valid():
        raise Http404
    year: int = form.cleaned_data["fiscal_year"]
    return year


def _narrative_page(
    request: HttpRequest,
    center: Center,
    fiscal_year: int,
    *,
    posted: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
    appendix_form: AppendixForm | None = None,
    status: int = 200,
) -> HttpResponse:
    lang = _lang()
    sections = load_narrative().sections_for(fiscal_year)
    report = AnnualReport.objects.filter(
        center=center, fiscal_year=fiscal_year, is_sample=False
    ).first()
    latest = report.latest_version() if report else None
    texts = posted if posted is not None else (latest.texts if latest else {})
    form = NarrativeForm(initial=texts, sections=sections, lang=lang, auto_id="section-%s")
    rows = presenters.narrative_rows(form, texts, problems or {}, posted is not None, lang)
    editable = report is None or Action.WRITE in report.allowed_actions(request.user)
    narrative = load_narrative().data
    return render(
        request,
        "submissions/narrative.html",
        {
            "center": center,
            "fiscal_year": fiscal_year,
            "report": report,
            "latest": latest,
            "rows": rows,
            "editable": editable,
            "previewing": posted is not None,
            "problems": [row for row in rows if row.problem],
            "title": load_narrative().title(fiscal_year, lang),
            "instructions": narrative.instructions,
            "instruction_sources": load_narrative().instruction_sources(),
            "language_note": narrative.language_note,
            "conversion": narrative.characters_per_page,
            "report_pages": narrative.report_pages,
            "appendix_data": narrative.appendices,
            "appendices": latest.appendices.defer("content") if latest else [],
            "appendix_form": appendix_form or AppendixForm(),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_center
@permitted("report.edit")
def report_narrative(request: HttpRequest, center: Center) -> HttpResponse:
    """Write the report's sections in Markdown: preview them, save them as a new version."""
    fiscal_year = _edited_year(request, center)
    if request.method != "POST":
        return _narrative_page(request, center, fiscal_year)
    sections = load_narrative().sections_for(fiscal_year)
    form = NarrativeForm(request.POST, sections=sections, lang=_lang())
    form.is_valid()  # every field is optional text: only the service's checks can refuse
    posted = {s.id: form.cleaned_data.get(s.id) or "" for s in sections}
    problems = presenters.section_problems(posted, fiscal_year, _lang())
    if "save" in request.POST and not problems:
        try:
            version = services.save_narrative(
                center, fiscal_year, posted, request.user, timezone.localdate()
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if version is None:
                messages.info(request, _("Nothing changed: no new version was made."))
            else:
                messages.success(
                    request,
                    _("The narrative was saved as version %(number)s.")
                    % {"number": version.number},
                )
            return redirect(_narrative_url(center, fiscal_year))
    return _narrative_page(
        request,
        center,
        fiscal_year,
        posted=posted,
        problems=problems,
        status=400 if problems else 200,
    )


def _narrative_url(center: Center, fiscal_year: int) -> str:
    return f"{reverse('report-narrative', args=[center.key])}?fiscal_year={fiscal_year}"


@limit_upload(document_max_bytes)
@require_POST
@with_center
@permitted("report.edit")
def appendix_upload(request: HttpRequest, center: Center) -> HttpResponse:
    fiscal_year = _edited_year(request, center)
    form = AppendixForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.attach_appendix(
                center,
                fiscal_year,
                form.cleaned_data["title"],
                upload.name,
                read_upload(upload),
                request.user,
                timezone.localdate(),
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The appendix was attached."))
            return redirect(_narrative_url(center, fiscal_year) + "#appendices-h")
    return _narrative_page(request, center, fiscal_year, appendix_form=form, status=400)


@require_POST
def appendix_remove(request: HttpRequest, pk: int, appendix: int) -> HttpResponse:
    report = readable_report(request, pk)
    found = get_object_or_404(report.appendix_files.defer("content"), pk=appendix)
    try:
        services.remove_appendix(report, found, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The appendix was removed from the report."))
    return redirect(_narrative_url(report.center, report.fiscal_year) + "#appendices-h")


@require_safe  # GET and HEAD
def appendix_download(request: HttpRequest, pk: int, appendix: int) -> HttpResponse:
    """An appendix, as a download only (sandboxed), for the readers of the report."""
    report = readable_report(request, pk)
    found = get_object_or_404(report.appendix_files, pk=appendix)
    return pdf_download(bytes(found.content), found.name)


@require_safe  # GET and HEAD
def version_pdf(request: HttpRequest, pk: int, number: int, lang: str) -> HttpResponse:
    """A version of the report as one PDF, its headings in ``lang``."""
    report = readable_report(request, pk)
    version = get_object_or_404(report.versions, number=number)
    name = f"{report.center.key}-fy{report.fiscal_year}-v{version.number}-{lang}.pdf"
    content = report_pdf(version, "ja" if lang == "ja" else "en")
    return download(content, "application/pdf", name)


# --- the program office's inbox and deadlines ----------------------------------------------


@require_safe  # GET and HEAD
@permitted("reports.inbox")
def inbox(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    found = services.inbox(today)
    return render(
        request,
        "submissions/inbox.html",
        {
            "inbox": found,
            "overdue": [(o, o.days(today)) for o in found.overdue],
            "today": today,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permitted("deadline.set")
def deadlines(request: HttpRequest) -> HttpResponse:
    form = DeadlineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            deadline = services.set_deadline(
                form.cleaned_data["fiscal_year"], form.cleaned_data["due"], request.user
            )
        except ValidationError as error:
            form.add_error("due", error)
        else:
            messages.success(
                request,
                _("The reports on %(fy)s are due on %(due)s.")
                % {"fy": _fy(deadline.fiscal_year), "due": deadline.due.isoformat()},
            )
            return redirect("report-deadlines")
    return render(
        request,
        "submissions/deadlines.html",
        {"form": form, "deadlines": Deadline.objects.all()},
        status=400 if form.errors else 200,
    )


def _fy(year: int) -> str:
    return format_fiscal_year(year, "nendo" if _lang() == "ja" else "fy")
