"""Registry pages. Views parse the request, call the services and render; who may do what is
asked of :mod:`kyoten.accounts.permissions` on the server for every request."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kyoten import lifecycle
from kyoten.accounts.models import Membership, Role
from kyoten.accounts.permissions import Permits, permitted
from kyoten.evaluation.models import Case
from kyoten.evaluation.services import published_cases
from kyoten.fiscal import (
    FiscalYearStyle,
    fiscal_year_of,
    format_fiscal_year,
    format_yen,
    format_yen_ja,
)
from kyoten.program import load_program
from kyoten.registry import charts, funding, grants, plans, services
from kyoten.registry.forms import (
    DayForm,
    DecisionForm,
    GrantForm,
    PlanUploadForm,
    RulebookForm,
    WithdrawDecisionForm,
)
from kyoten.registry.funding import FundingYear, ProgramYear
from kyoten.registry.lookup import with_center
from kyoten.registry.models import Center, CommitteeMember, Decision, Grant, Plan
from kyoten.submissions.forms import ComparisonYearQuery
from kyoten.text import KyotenError, Lang
from kyoten.web.language import page_lang as _lang
from kyoten.web.pagecache import FRAGMENT_SECONDS, fragment_key, lazily
from kyoten.web.uploads import limit_upload


def _upload_max_bytes() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


def _day(request: HttpRequest) -> tuple[DayForm, datetime.date]:
    form = DayForm(request.GET or None)
    day = timezone.localdate()
    if form.is_bound and form.is_valid() and form.cleaned_data["on"]:
        day = form.cleaned_data["on"]
    return form, day


def _timeline(rows: list[services.CenterRow], day: datetime.date) -> charts.Timeline:
    entries = [
        charts.TimelineEntry(
            label=r.center.short_name,
            url=r.center.get_absolute_url(),
            support_start=r.life.support_start,
            scheduled_end=r.life.scheduled_end,
            support_end=r.life.support_end,
            academy_since=r.life.academy_since,
            supported_title=_("%(center)s: WPI support %(start)s – %(end)s")
            % {
                "center": r.center.short_name,
                "start": r.life.support_start,
                "end": min(r.life.scheduled_end, r.life.support_end),
            },
            extension_title=_("%(center)s: extension %(start)s – %(end)s")
            % {
                "center": r.center.short_name,
                "start": r.life.scheduled_end,
                "end": r.life.support_end,
            },
            academy_title=_("%(center)s: WPI Academy from %(date)s")
            % {"center": r.center.short_name, "date": r.life.academy_since},
        )
        for r in rows
    ]
    last = max([r.life.support_end.year for r in rows] + [day.year])
    return charts.timeline(entries, day, last)


@dataclass(frozen=True)
class OverviewFigures:
    """Everything the overview computes (handed to its template lazily)."""

    rows: list[services.CenterRow]
    counts: dict[str, int]
    started: int
    tracks: list[tuple[str, str, int]]
    timeline: charts.Timeline
    totals: list[ProgramYear]
    money_chart: charts.BarChart


def _overview_figures(day: datetime.date, show_decided: bool) -> OverviewFigures:
    """Everything the overview computes: every center's lifecycle, the totals and charts."""
    rows = services.center_rows(day)
    counts = services.status_counts_of(rows)
    totals = funding.program_totals(
        [r.center for r in rows],
        include_decided=show_decided,
        lives={r.center.pk: r.life for r in rows},
    )
    series = [(_("sum of the caps"), "bar-cap", {t.fiscal_year: t.caps_total for t in totals})]
    if show_decided:
        series.append(
            (
                _("grants decided"),
                "bar-actual",
                {t.fiscal_year: t.decided_total for t in totals if t.decided_total is not None},
            )
        )
    series.append(
        (
            _("published program figure"),
            "bar-budget",
            {t.fiscal_year: t.published.amount_yen for t in totals if t.published},
        )
    )
    return OverviewFigures(
        rows=rows,
        counts=counts,
        started=len(rows) - counts["not_started"],
        tracks=services.track_counts(rows),
        timeline=_timeline(rows, day),
        totals=totals,
        money_chart=charts.bar_chart([t.fiscal_year for t in totals], series, _lang()),
    )


def overview(request: HttpRequest) -> HttpResponse:
    form, day = _day(request)
    # The grants decided are internal figures (center pages show them only to those who may
    # see the center's internals): on the public overview, to the program office only.
    permits = Permits(request.user)
    show_decided = "grants.read" in permits
    figures = lazily(lambda: _overview_figures(day, show_decided), OverviewFigures)
    report_fy = ComparisonYearQuery(request.GET).year()
    return render(
        request,
        "registry/overview.html",
        {
            "form": form,
            "day": day,
            "permits": permits,
            "fragment_key": fragment_key(request.user, "overview", day, report_fy),
            "fragment_seconds": FRAGMENT_SECONDS,
            **figures,
        },
    )


def center_list(request: HttpRequest) -> HttpResponse:
    form, day = _day(request)
    return render(
        request,
        "registry/center_list.html",
        {"form": form, "day": day, "rows": services.center_rows(day)},
    )


# Who follows a center for the program (the center page lists them, dated)
FOLLOW_UP_ROLES = (Role.PROGRAM_OFFICER, Role.WORKING_GROUP)


@dataclass(frozen=True)
class CenterFigures:
    """Everything a center page computes (handed to its template lazily); the funding and
    the verdict only for readers of the center's internals."""

    era: str
    status: str
    life: lifecycle.Lifecycle
    schedule: lifecycle.Schedule
    decisions: list[Decision]
    funding: list[FundingYear] | None = None
    funding_chart: charts.BarChart | None = None
    cap_sources: list[tuple[str, FundingYear]] | None = None
    grant_entries: list[Grant] | None = None
    plan: Plan | None = None
    checked: plans.Checked | None = None
    plan_error: str | None = None
    follow_up: list[Membership] | None = None
    evaluations: list[Case] | None = None


def _center_figures(center: Center, day: datetime.date, permits: Permits) -> CenterFigures:
    """Everything a center page computes: lifecycle, decisions, funding, the latest verdict
    (the last two as far as ``permits`` allow)."""
    lang = _lang()
    life = center.lifecycle()
    figures = CenterFigures(
        era=load_program("wpi").era_for(center.selection_fiscal_year).label.get(lang),
        status=center.status_on(day),
        life=life,
        schedule=center.schedule(),
        decisions=[
            d
            for d in center.recorded_decisions(life)
            if d.state == Decision.State.IN_FORCE or "center.internal.read" in permits
        ],
        evaluations=published_cases(center),
    )
    if "grants.read" in permits:
        years = funding.center_funding(center, life, funding.reported_spending(center))
        figures = _with_funding(figures, years, lang)
        # every entry, also one of a year no longer in the support period (a later decision
        # may have ended it earlier)
        figures = dataclasses.replace(
            figures,
            grant_entries=sorted(center.grants.all(), key=lambda g: (g.fiscal_year, g.number)),
        )
    if "center.internal.read" not in permits:
        return figures
    latest = plans.latest_verdict(center, lang)
    return dataclasses.replace(
        figures,
        follow_up=list(
            Membership.objects.filter(center=center, role__in=FOLLOW_UP_ROLES).select_related(
                "person"
            )
        ),
        plan=latest[0] if latest else None,
        checked=latest[1] if latest and isinstance(latest[1], plans.Checked) else None,
        plan_error=latest[1] if latest and isinstance(latest[1], str) else None,
    )


def _with_funding(figures: CenterFigures, years: list[FundingYear], lang: Lang) -> CenterFigures:
    return dataclasses.replace(
        figures,
        funding=years,
        funding_chart=charts.bar_chart(
            [y.fiscal_year for y in years],
            [
                (_("cap"), "bar-cap", {y.fiscal_year: y.cap.value for y in years}),
                (
                    _("grant decided"),
                    "bar-actual",
                    {y.fiscal_year: y.decided for y in years if y.decided is not None},
                ),
                (
                    _("WPI spending reported"),
                    "bar-reported",
                    {y.fiscal_year: y.reported.amount for y in years if y.reported is not None},
                ),
            ],
            lang,
        ),
        cap_sources=_cap_sources(years),
    )


def _cap_sources(years: list[FundingYear]) -> list[tuple[str, FundingYear]]:
    """Each distinct cap of the center with the fiscal years it applies to (``FY2017–FY2026``),
    so that its sources are listed once."""
    groups: dict[tuple[int, tuple[str, ...]], list[FundingYear]] = {}
    for year in years:
        key = (year.cap.value, tuple(s.id for s in year.cap.sources))
        groups.setdefault(key, []).append(year)
    return [
        (
            _fiscal_year_label(rows[0].fiscal_year)
            + (f"–{_fiscal_year_label(rows[-1].fiscal_year)}" if len(rows) > 1 else ""),
            rows[0],
        )
        for rows in groups.values()
    ]


@with_center
def center_detail(request: HttpRequest, center: Center) -> HttpResponse:
    day = timezone.localdate()
    permits = Permits(request.user, center)
    figures = lazily(lambda: _center_figures(center, day, permits), CenterFigures)
    context = {
        "center": center,
        "day": day,
        "permits": permits,
        "upload_form": PlanUploadForm() if "plan.upload" in permits else None,
        "fragment_key": fragment_key(request.user, "center", center.pk, day),
        "fragment_seconds": FRAGMENT_SECONDS,
        **figures,
    }
    return render(request, "registry/center_detail.html", context)


def _upload(form: PlanUploadForm) -> tuple[bytes, str]:
    upload = form.cleaned_data["plan"]
    return upload.read(), upload.name


@limit_upload(_upload_max_bytes)
@with_center
@permitted("plan.upload")
def plan_upload(request: HttpRequest, center: Center) -> HttpResponse:
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        content, name = _upload(form)
        try:
            plans.submit(center, content, name, request.user, _lang())
        except KyotenError as error:
            form.add_error("plan", error.localized(_lang()))
        else:
            messages.success(request, _("The plan was checked and kept as the latest plan."))
            return redirect(center.get_absolute_url() + "#verdict")
    return render(request, "registry/plan_upload.html", {"center": center, "form": form})


@limit_upload(_upload_max_bytes)
def check_plan(request: HttpRequest) -> HttpResponse:
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    checked = None
    if request.method == "POST" and form.is_valid():
        content, name = _upload(form)
        try:
            checked = plans.check(content, name, _lang())
        except KyotenError as error:
            form.add_error("plan", error.localized(_lang()))
    return render(request, "registry/check.html", {"form": form, "checked": checked})


def rulebook(request: HttpRequest) -> HttpResponse:
    program = load_program("wpi")
    lang = _lang()
    form = RulebookForm(request.GET or None, program=program, lang=lang)
    selection_year, track = form.selection()
    rows = program.requirement_rows(track, selection_year, lang)
    return render(
        request,
        "registry/rulebook.html",
        {
            "form": form,
            "program_title": program.title.get(lang),
            "era": program.era_for(selection_year).label.get(lang),
            "rows": rows,
            "columns": rows[0]["columns"] if rows else {},
        },
    )


@with_center
@permitted("decision.record")
def decision_new(request: HttpRequest, center: Center) -> HttpResponse:
    return _decision_form(request, center, None)


def _in_force_decision(center: Center, pk: int) -> Decision:
    """The decision ``pk`` of ``center`` still in force, or 404 (a corrected or withdrawn one
    is history: it is corrected or withdrawn no further)."""
    return get_object_or_404(Decision, pk=pk, center=center, state=Decision.State.IN_FORCE)


@with_center
@permitted("decision.record")
def decision_correct(request: HttpRequest, center: Center, pk: int) -> HttpResponse:
    return _decision_form(request, center, _in_force_decision(center, pk))


def _decision_form(
    request: HttpRequest, center: Center, correcting: Decision | None
) -> HttpResponse:
    form = DecisionForm(request.POST or None, center=center, correcting=correcting)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_decision(form, request.user)
        except services.DecisionChanged:
            messages.error(request, _("This decision was corrected or withdrawn meanwhile."))
        else:
            messages.success(
                request,
                _("The correction was recorded.")
                if correcting
                else _("The decision was recorded."),
            )
        return redirect(center.get_absolute_url())
    return render(
        request,
        "registry/decision_form.html",
        {"center": center, "form": form, "correcting": correcting},
    )


@with_center
@permitted("decision.record")
def decision_withdraw(request: HttpRequest, center: Center, pk: int) -> HttpResponse:
    decision = _in_force_decision(center, pk)
    form = WithdrawDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.withdraw_decision(
                decision, form.cleaned_data["reason"], request.user
            )
        except services.DecisionChanged:
            messages.error(request, _("This decision was corrected or withdrawn meanwhile."))
            return redirect(center.get_absolute_url())
        if problem is None:
            messages.success(request, _("The decision was withdrawn."))
            return redirect(center.get_absolute_url())
        form.add_error(None, problem.get(_lang()))
    return render(
        request,
        "registry/decision_withdraw.html",
        {"center": center, "decision": decision, "form": form},
    )


def _fiscal_year_label(fiscal_year: int) -> str:
    """``FY2024`` or ``2024年度``, as the page's ``fy`` filter writes it."""
    style: FiscalYearStyle = "nendo" if _lang() == "ja" else "fy"
    return format_fiscal_year(fiscal_year, style)


@with_center
@permitted("grant.record")
def grant_new(request: HttpRequest, center: Center) -> HttpResponse:
    """Enter the grant decided for a fiscal year, or an amendment (``?fiscal_year=`` chooses
    the year at first)."""
    years = funding.center_funding(center)
    choices = [(y.fiscal_year, _fiscal_year_label(y.fiscal_year)) for y in years]
    form = GrantForm(
        request.POST or None,
        years=choices,
        approximate=any(y.cap.approximate or y.cap.unconfirmed for y in years),
        initial={"fiscal_year": _initial_year(request, [y.fiscal_year for y in years])},
    )
    if request.method == "POST" and form.is_valid():
        entry = form.entry()
        try:
            grant = grants.record_grant(center, entry, request.user, timezone.localdate())
        except KyotenError as error:
            field = error.location if error.location in form.fields else None
            form.add_error(field, error.message.get(_lang()))
        else:
            messages.success(request, _grant_entered(grant, years))
            return redirect(center.get_absolute_url() + "#funding-h")
    return render(
        request, "registry/grant_form.html", {"center": center, "form": form, "years": years}
    )


def _initial_year(request: HttpRequest, years: list[int]) -> int:
    """The year asked for in the address, or else this fiscal year (or the last of support)."""
    asked = request.GET.get("fiscal_year", "")
    if asked.isdigit() and int(asked) in years:
        return int(asked)
    this_year = fiscal_year_of(timezone.localdate())
    return this_year if this_year in years else years[-1]


def _grant_entered(grant: Grant, years: list[FundingYear]) -> str:
    yen = format_yen_ja if _lang() == "ja" else format_yen
    values = {"fiscal_year": _fiscal_year_label(grant.fiscal_year), "amount": yen(grant.amount_yen)}
    amended = grant.center.grants.filter(fiscal_year=grant.fiscal_year, number=grant.number - 1)
    if grant.is_amendment and (previous := amended.first()) is not None:
        values["was"] = yen(previous.amount_yen)
        text = _("The amendment for %(fiscal_year)s was entered: %(amount)s, was %(was)s.")
    else:
        text = _("The grant decided for %(fiscal_year)s was entered: %(amount)s.")
    cap = next(y.cap for y in years if y.fiscal_year == grant.fiscal_year)
    if grant.amount_yen > cap.value:
        text += " " + _("It is above the approximate cap of the rulebook, as confirmed.")
    return text % values


@permitted("committee.read")
def committee(request: HttpRequest) -> HttpResponse:
    people = CommitteeMember.objects.all()
    return render(
        request,
        "registry/committee.html",
        {
            "members": [p for p in people if p.role != CommitteeMember.Role.PROGRAM_DIRECTOR],
            "directors": [p for p in people if p.role == CommitteeMember.Role.PROGRAM_DIRECTOR],
        },
    )
