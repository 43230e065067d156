"""Evaluation pages. Each view fetches its object and asks the permission rules in one step
(a case or seat the user may not open answers 404, as a number that does not exist), then
calls a service and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyoten.accounts.permissions import Permits, authorize, login_first, may, permitted, standing
from kyoten.evaluation import services, worklist
from kyoten.evaluation.calendar import visit_calendar
from kyoten.evaluation.export import cycle_workbook
from kyoten.evaluation.forms import (
    ConsolidationForm,
    CycleForm,
    DocumentForm,
    ResultForm,
    ReviewForm,
    SeatForm,
    VisitForm,
)
from kyoten.evaluation.models import (
    Case,
    Cycle,
    Document,
    Recommendation,
    Review,
    Seat,
    Visit,
)
from kyoten.evaluation.pdf import result_pdf
from kyoten.web.documents import max_bytes as document_max_bytes
from kyoten.web.documents import pdf_download, read_upload
from kyoten.web.downloads import download
from kyoten.web.language import page_lang
from kyoten.web.uploads import limit_upload

CASE_ACTIONS = (
    "case.read",
    "case.supply",
    "visit.schedule",
    "review.write",
    "reviews.read",
    "review.reopen",
    "case.consolidate",
    "committee.record",
    "evaluation.manage",
)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _readable_cases(request: HttpRequest, cycle: Cycle) -> list[Case]:
    """The cycle's cases the user may open (their own seat's, for an invited expert)."""
    found = services.cases().filter(cycle=cycle)
    return [c for c in found if may(request.user, "case.read", c) or _own_seat(request, c)]


def _own_seat(request: HttpRequest, case: Case) -> Seat | None:
    person_id = standing(request.user).person_id
    return next((s for s in case.seats.all() if s.person_id == person_id), None)


@permitted("evaluation.read")
def cycle_list(request: HttpRequest) -> HttpResponse:
    cycles = Cycle.objects.select_related("center").prefetch_related("phases")
    office = may(request.user, "evaluation.manage")
    rows = [(c, c.phase_now()) for c in cycles if office or _readable_cases(request, c)]
    return render(request, "evaluation/cycle_list.html", {"rows": rows, "may_open": office})


@permitted("evaluation.manage")
def cycle_new(request: HttpRequest) -> HttpResponse:
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.open_cycle(
                cycle_type=data["cycle_type"],
                fiscal_year=data["fiscal_year"],
                center=data["center"],
                phases=form.phases(),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The evaluation was opened."))
            return redirect(cycle)
    return render(request, "evaluation/cycle_form.html", {"form": form})


def _cycle(request: HttpRequest, pk: int) -> tuple[Cycle, list[Case]]:
    login_first(request)
    cycle = get_object_or_404(Cycle.objects.select_related("center"), pk=pk)
    readable = _readable_cases(request, cycle)
    if not readable and not may(request.user, "evaluation.manage"):
        raise Http404
    return cycle, readable


def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle, readable = _cycle(request, pk)
    rows = [
        {
            "case": case,
            "findings": services.group_findings(case),
            "seats": [s for s in case.seats.all() if s.state != Seat.State.DECLINED],
            "submitted": sum(
                1 for s in case.seats.all() if getattr(s, "review", None) and s.review.submitted
            ),
            "reviewers": sum(
                1 for s in case.seats.all() if s.reviews and s.state == Seat.State.ACCEPTED
            ),
        }
        for case in readable
    ]
    return render(
        request,
        "evaluation/cycle_detail.html",
        {
            "cycle": cycle,
            "rows": rows,
            "phase_now": cycle.phase_now(),
            "phases": cycle.phases.all(),
            "may_manage": may(request.user, "evaluation.manage"),
        },
    )


@require_POST
@permitted("evaluation.manage")
def cycle_publish(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(Cycle, pk=pk)
    try:
        services.publish(cycle, request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The results were published."))
    return redirect(cycle)


def _case(request: HttpRequest, pk: int, action: str | None = "case.read") -> Case:
    """The case ``pk`` if the user may do ``action`` on it (None: if they hold a seat in it)."""
    login_first(request)
    case = get_object_or_404(services.cases(), pk=pk)
    if action is None:
        if _own_seat(request, case) is None and not may(request.user, "case.read", case):
            raise Http404
    else:
        authorize(request, action, case, hide=True)
    return case


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, None)
    permits = Permits(request.user, case, CASE_ACTIONS)
    context: dict[str, Any] = {
        "case": case,
        "cycle": case.cycle,
        "permits": permits,
        "own_seat": _own_seat(request, case),
        "findings": services.group_findings(case),
        "seats": case.seats.all(),
        "recommendations": case.recommendations.all(),
        "outcome": case.outcome_data(),
    }
    if "case.read" in permits:
        context["previous"] = services.open_recommendations(case)
        context["documents"] = case.documents.defer("content")
    if "reviews.read" in permits:
        context["reviewers"], context["spread_rows"] = services.spread_rows(case)
        context["reviews"] = [s.review for s in context["reviewers"]]
    if "case.consolidate" in permits:
        context["consolidation_form"] = ConsolidationForm(
            initial={
                "consolidated_en": case.consolidated_en,
                "consolidated_ja": case.consolidated_ja,
            }
        )
    if "evaluation.manage" in permits:
        context["seat_form"] = SeatForm()
    context["may_schedule"] = "visit.schedule" in permits
    return render(request, "evaluation/case_detail.html", context)


def _after(request: HttpRequest, case: Case, done: str, call: Any) -> HttpResponse:
    """Run a service call; say ``done`` or why it was refused; back to the case."""
    try:
        call()
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, done)
    return redirect(case)


@require_POST
def case_seat(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "evaluation.manage")
    form = SeatForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a person and a role."))
        return redirect(case)
    person, role = form.cleaned_data["person"], form.cleaned_data["role"]
    return _after(
        request,
        case,
        _("%(person)s was invited.") % {"person": person.name},
        lambda: services.seat(case, person, role, request.user),
    )


@require_POST
def case_pin(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "evaluation.manage")
    if services.pin_report(case, request.user):
        messages.success(request, _("The accepted report was pinned."))
    else:
        messages.error(request, _("There is no accepted report to pin yet."))
    return redirect(case)


def _own(request: HttpRequest, pk: int) -> Seat:
    """The user's own seat ``pk`` (404 for anyone else's)."""
    login_first(request)
    seat = get_object_or_404(Seat.objects.select_related("case__center", "person"), pk=pk)
    if seat.person_id is None or seat.person_id != standing(request.user).person_id:
        raise Http404
    return seat


@require_POST
def seat_answer(request: HttpRequest, pk: int) -> HttpResponse:
    seat = _own(request, pk)
    accept = request.POST.get("answer") == "accept"
    done = _("You accepted the invitation.") if accept else _("You declined the invitation.")
    return _after(request, seat.case, done, lambda: services.respond(seat, accept, request.user))


@require_POST
def seat_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    seat = _own(request, pk)
    statement = request.POST.get("statement")
    if statement not in ("none", "conflict"):
        messages.error(request, _("State whether you have a conflict of interest."))
        return redirect(seat.case)
    if statement == "none":
        return _after(
            request,
            seat.case,
            _("Your statement was recorded: the materials are open to you."),
            lambda: services.confirm_no_conflict(seat, request.user),
        )
    services.declare_conflict(seat, request.user)
    messages.success(
        request,
        _("Your conflict of interest was recorded; this center's materials are closed to you."),
    )
    return redirect("cycles")


def case_review(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "review.write")
    seat = _own_seat(request, case)
    assert seat is not None  # review.write holds only for a seat in the case
    review = getattr(seat, "review", None)
    initial: dict[str, Any] = {}
    if review is not None:
        initial = {
            f: getattr(review, f)
            for f in ("overall", "strengths", "weaknesses", "improvements", "language")
        }
        initial |= {f"grade:{k}": v for k, v in review.grades.items()}
    form = ReviewForm(request.POST or None, case=case, initial=initial)
    locked = review is not None and review.submitted
    if request.method == "POST" and not locked and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.save_review(seat, form.review_fields(), submit=submit, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your review was submitted.") if submit else _("Your draft was saved.")
            )
            return redirect(case if submit else request.path)
    return render(
        request,
        "evaluation/review_form.html",
        {"case": case, "form": form, "review": review, "locked": locked},
    )


@require_POST
def review_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    login_first(request)
    review = get_object_or_404(Review.objects.select_related("seat"), pk=pk)
    case = _case(request, review.seat.case_id, "review.reopen")
    return _after(
        request,
        case,
        _("The review was reopened."),
        lambda: services.reopen_review(review, request.user),
    )


@require_POST
def case_consolidate(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "case.consolidate")
    form = ConsolidationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _error_text(ValidationError(list(form.errors.values()))))
        return redirect(case)
    data = form.cleaned_data
    return _after(
        request,
        case,
        _("The consolidated assessment was saved."),
        lambda: services.save_consolidation(
            case, data["consolidated_en"], data["consolidated_ja"], request.user
        ),
    )


def case_result(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "committee.record")
    form = ResultForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_result(
                case,
                rating=data.get("rating", ""),
                outcome=data.get("outcome", ""),
                decided_on=data["decided_on"],
                comments_en=data["comments_en"],
                comments_ja=data["comments_ja"],
                points=data["points"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The committee's result was recorded."))
            return redirect(case)
    return render(
        request,
        "evaluation/result_form.html",
        {"case": case, "form": form, "absent": services.conflicted_committee(case)},
    )


def case_visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "visit.schedule")
    return _visit_form(request, case, None)


def _visit(request: HttpRequest, pk: int, action: str) -> Visit:
    login_first(request)
    visit = get_object_or_404(Visit, pk=pk)
    visit.case = _case(request, visit.case_id, action)
    return visit


def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The visit: a form for those who schedule it, its facts and minutes for the others."""
    visit = _visit(request, pk, "visit.schedule" if request.method == "POST" else "case.read")
    if may(request.user, "visit.schedule", visit.case):
        return _visit_form(request, visit.case, visit)
    return render(request, "evaluation/visit_detail.html", {"visit": visit, "case": visit.case})


def _visit_form(request: HttpRequest, case: Case, visit: Visit | None) -> HttpResponse:
    form = VisitForm(request.POST or None, instance=visit)
    if request.method == "POST" and form.is_valid():
        services.save_visit(form, case, request.user)
        messages.success(request, _("The visit was saved."))
        return redirect(case)
    return render(
        request, "evaluation/visit_form.html", {"form": form, "case": case, "visit": visit}
    )


def visit_ics(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk, "case.read")
    body = visit_calendar(visit, page_lang(), request.get_host())
    name = f"visit-{visit.case.center.key}-{visit.pk}.ics"
    return download(body, "text/calendar; charset=utf-8", name)


def cycle_pdf(request: HttpRequest, pk: int, lang: str) -> HttpResponse:
    """The published result as a PDF, for anyone; before publication, a preview for the
    office (anyone else is answered as for a cycle that does not exist)."""
    if lang not in ("ja", "en"):
        raise Http404
    cycle = get_object_or_404(Cycle, pk=pk)
    if cycle.published_at is None:
        login_first(request)
        if not may(request.user, "evaluation.manage"):
            raise Http404
    name = f"wpi-{cycle.cycle_type.replace('_', '-')}-fy{cycle.fiscal_year}-{lang}.pdf"
    return download(result_pdf(cycle, lang), "application/pdf", name)


@permitted("evaluation.manage")
def cycle_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The cycle's grades and comments as an Excel workbook (the program office)."""
    cycle = get_object_or_404(Cycle, pk=pk)
    name = f"wpi-{cycle.cycle_type.replace('_', '-')}-fy{cycle.fiscal_year}.xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return download(cycle_workbook(cycle, page_lang()), content_type, name)


def tasks(request: HttpRequest) -> HttpResponse:
    """The logged-in person's tasks with their deadlines (the home page after logging in)."""
    login_first(request)
    today = timezone.localdate()
    found = worklist.tasks_for(request.user, today)
    return render(request, "evaluation/tasks.html", {"tasks": found, "today": today})


def recommendations(request: HttpRequest) -> HttpResponse:
    """Every point to improve across the years, with its status and the center's response:
    all of them for the office and those who follow every center, their own for a center."""
    login_first(request)
    found = [
        r
        for r in Recommendation.objects.select_related("center", "case__cycle").order_by(
            "-case__cycle__fiscal_year", "center__short_name", "number"
        )
        if may(request.user, "recommendation.read", r)
    ]
    if not found and not may(request.user, "evaluation.read"):
        authorize(request, "evaluation.read")
    return render(
        request,
        "evaluation/recommendations.html",
        {
            "rows": [
                (
                    r,
                    may(request.user, "recommendation.answer", r),
                    may(request.user, "evaluation.manage"),
                )
                for r in found
            ]
        },
    )


@require_POST
def recommendation_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The center's response (its office), or the office closing or reopening the point."""
    login_first(request)
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("center", "case__cycle"), pk=pk
    )
    authorize(request, "recommendation.read", recommendation, hide=True)
    try:
        if "response" in request.POST:
            authorize(request, "recommendation.answer", recommendation, hide=True)
            services.answer(recommendation, request.POST["response"], request.user)
        else:
            authorize(request, "evaluation.manage", hide=True)
            services.set_status(recommendation, request.POST.get("status", ""), request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The point to improve was updated."))
    return redirect("recommendations")


def _supplier(request: HttpRequest, case: Case) -> str:
    """Who supplies documents to the case, as :data:`services.SUPPLIERS` names them."""
    if may(request.user, "evaluation.manage"):
        return "office"
    if standing(request.user).holds("program_officer", case.center_id):
        return "program_officer"
    return "center"


@limit_upload(document_max_bytes)
def case_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's documents: upload one (the office, the PO, the center's office) and list
    those the user supplies or may read."""
    case = _case(request, pk, "case.supply")
    supplier = _supplier(request, case)
    lang = page_lang()
    kinds = [services.data().material(m.id) for m in case.cycle.kind.materials]
    allowed = {m.id for m in kinds if m.form == "pdf"}
    if supplier != "office":
        allowed &= services.SUPPLIERS[supplier]
    choices = [(m.id, m.title.get(lang)) for m in kinds if m.id in allowed]
    form = DocumentForm(request.POST or None, request.FILES or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            services.upload_document(
                case,
                form.cleaned_data["material"],
                upload.name,
                read_upload(upload),
                supplier=supplier,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("document", error)
        else:
            messages.success(request, _("The document was uploaded."))
            return redirect("case-documents", pk=case.pk)
    documents = [d for d in case.documents.all() if d.material in allowed]
    return render(
        request, "evaluation/documents.html", {"case": case, "form": form, "documents": documents}
    )


def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A document, as a download only (never shown inline, sandboxed): for readers of the
    case, and for whoever may supply its kind."""
    login_first(request)
    document = get_object_or_404(Document, pk=pk)
    case = get_object_or_404(services.cases(), pk=document.case_id)
    readable = may(request.user, "case.read", case)
    if not readable and may(request.user, "case.supply", case):
        supplier = _supplier(request, case)
        readable = document.material in services.SUPPLIERS.get(supplier, set())
    if not readable:
        raise Http404
    return pdf_download(bytes(document.content), document.name)
