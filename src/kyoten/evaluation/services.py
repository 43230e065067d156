"""The evaluation's business actions, each done the same way every time: check, refuse with
a translated message naming the problem, change inside one audited event.

Which report a case reads: the accepted annual report of the fiscal year before the cycle's
(a cycle held in FY2026 reads the report on FY2025, the last year ended), pinned when the
cycle opens or when the office pins it later — never a later upload.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max, Min, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyoten import cycles
from kyoten.accounts.models import Membership, Role
from kyoten.accounts.permissions import OVERSEERS
from kyoten.audit.context import recording
from kyoten.audit.models import by as attribution
from kyoten.conflicts import services as conflicts
from kyoten.evaluation import notices
from kyoten.evaluation.models import (
    Case,
    Cycle,
    Document,
    Phase,
    Recommendation,
    Review,
    Seat,
    Visit,
)
from kyoten.fiscal import fiscal_year_of
from kyoten.people.models import Person
from kyoten.registry.models import Center, Decision
from kyoten.submissions.models import Action, AnnualReport, ReportEvent, ReportVersion
from kyoten.text import Bilingual
from kyoten.web.documents import check_pdf
from kyoten.web.language import page_lang


class InPageLanguage:
    """A text in both languages (a Bilingual, a text of the cycle data) that reads in the
    language it is shown in: a refusal's message, translated when the page or the API
    renders it, so that the API can give it in both languages."""

    def __init__(self, text: Any) -> None:
        self.text = text

    def __str__(self) -> str:
        return str(self.text.get(page_lang()))


def _name(person: Person) -> InPageLanguage:
    return InPageLanguage(Bilingual(en=person.name_en, ja=person.name_ja or person.name_en))


def data() -> cycles.Cycles:
    return cycles.load_cycles("wpi")


def fiscal_year_today() -> int:
    return fiscal_year_of(timezone.localdate())


def cases() -> QuerySet[Case]:
    """Cases with what the permission rules and pages read of them loaded."""
    return Case.objects.select_related(
        "cycle", "center", "report_version__report"
    ).prefetch_related(
        Prefetch("seats", queryset=Seat.objects.select_related("person", "review")),
        "absent",
    )


# --- opening a cycle --------------------------------------------------------------------


def accepted_version(center: Center, fiscal_year: int) -> ReportVersion | None:
    """The version accepted of the center's real report on ``fiscal_year`` (None if none)."""
    accepted = (
        ReportEvent.objects.filter(
            report__center=center,
            report__fiscal_year=fiscal_year,
            report__is_sample=False,
            report__state=AnnualReport.State.ACCEPTED,
            action=Action.ACCEPT,
        )
        .select_related("version")
        .order_by("-at")
        .first()
    )
    return accepted.version if accepted else None


def _check_phases(phases: Sequence[tuple[str, datetime.date, datetime.date]]) -> None:
    previous: tuple[str, datetime.date] | None = None
    titles = {p.id: InPageLanguage(p.title) for p in data().phases}
    for phase, starts, ends in phases:
        if ends < starts:
            raise ValidationError(
                gettext_lazy("%(phase)s: the phase ends (%(ends)s) before it starts (%(starts)s)."),
                params={"phase": titles[phase], "ends": ends, "starts": starts},
            )
        if previous is not None and starts < previous[1]:
            raise ValidationError(
                gettext_lazy(
                    "%(phase)s starts (%(starts)s) before %(previous)s does: phases run in order."
                ),
                params={"phase": titles[phase], "starts": starts, "previous": titles[previous[0]]},
            )
        previous = (phase, starts)


def eligible_centers(cycle_type: cycles.CycleType, fiscal_year: int) -> list[Center]:
    """The centers a cycle of ``cycle_type`` in ``fiscal_year`` is held for."""
    found = []
    for center in Center.objects.prefetch_related("decisions"):
        facts, schedule = center.facts(), center.schedule()
        if cycles.ineligibility(cycle_type, facts, schedule, fiscal_year) is None:
            found.append(center)
    return found


def open_cycle(
    *,
    cycle_type: str,
    fiscal_year: int,
    center: Center | None,
    phases: Sequence[tuple[str, datetime.date, datetime.date]],
    by: Any,
) -> Cycle:
    """Open a cycle with its phases' dates and a case per center it is held for (for one
    center, that center must be due), pinning today's rubric and each accepted report."""
    kind = data().cycle_type(cycle_type)
    if kind.scope == "center":
        if center is None:
            raise ValidationError(gettext_lazy("Choose the center this evaluation is for."))
        problem = cycles.ineligibility(kind, center.facts(), center.schedule(), fiscal_year)
        if problem is not None:
            raise ValidationError(
                gettext_lazy("%(center)s cannot be evaluated so: %(reason)s"),
                params={"center": center.short_name, "reason": InPageLanguage(problem)},
            )
        centers = [center]
    else:
        center = None
        centers = eligible_centers(kind, fiscal_year)
        if not centers:
            raise ValidationError(gettext_lazy("No center is supported in that fiscal year."))
    existing = Cycle.objects.filter(
        cycle_type=cycle_type, fiscal_year=fiscal_year, center=center, is_sample=False
    )
    if existing.exists():
        raise ValidationError(gettext_lazy("This evaluation is already open for that fiscal year."))
    _check_phases(phases)
    rubric = data().rubric_for(timezone.localdate())
    with recording("cycle.opened", center, by=by, cycle_type=cycle_type, fiscal_year=fiscal_year):
        cycle = Cycle.objects.create(
            cycle_type=cycle_type,
            fiscal_year=fiscal_year,
            center=center,
            rubric=rubric.key,
            **attribution(by),
        )
        for order, (phase, starts, ends) in enumerate(phases):
            Phase.objects.create(cycle=cycle, phase=phase, order=order, starts=starts, ends=ends)
        for each in centers:
            Case.objects.create(
                cycle=cycle, center=each, report_version=accepted_version(each, fiscal_year - 1)
            )
    return cycle


def pin_report(case: Case, by: Any) -> bool:
    """Pin the accepted report to a case that has none yet; False if there is none to pin."""
    if case.report_version_id is not None:
        return False
    version = accepted_version(case.center, case.cycle.fiscal_year - 1)
    if version is None:
        return False
    with recording(
        "case.report_pinned", case.center, by=by, fiscal_year=case.cycle.fiscal_year - 1
    ):
        case.report_version = version
        case.save(update_fields=["report_version"])
    return True


# --- working groups ---------------------------------------------------------------------


def _holds(person: Person, roles: Iterable[str], center: Center | None = None) -> bool:
    held = Membership.objects.filter(person=person, role__in=list(roles)).in_force(
        timezone.localdate()
    )
    return held.filter(center=center).exists() if center is not None else held.exists()


def seat(case: Case, person: Person, role: str, by: Any) -> Seat:
    """Invite ``person`` to the case's working group as chair, member or the center's PO.
    An expert from outside the committee is given the working-group role of the center for
    the cycle's dates, so that their account opens the case once they accept."""
    found = conflicts.blocking(person, case.center)
    if found is not None and found.status == found.Status.CONFIRMED:
        raise ValidationError(
            gettext_lazy("%(person)s has a confirmed conflict of interest with %(center)s."),
            params={"person": _name(person), "center": case.center.short_name},
        )
    if found is not None:
        raise ValidationError(
            gettext_lazy(
                "%(person)s has a potential conflict of interest with %(center)s "
                "(%(rule)s): decide it before the seat is given."
            ),
            params={
                "person": _name(person),
                "center": case.center.short_name,
                "rule": InPageLanguage(found.rule_text()),
            },
        )
    if case.seats.filter(person=person).exists():
        raise ValidationError(
            gettext_lazy("%(person)s already has a seat in this working group."),
            params={"person": _name(person)},
        )
    taken = case.seats.exclude(state=Seat.State.DECLINED).filter(role=role)
    if role in (Seat.Role.CHAIR, Seat.Role.PROGRAM_OFFICER) and taken.exists():
        raise ValidationError(
            gettext_lazy("This working group has its %(role)s already."),
            params={"role": Seat.Role(role).label},
        )
    if role == Seat.Role.PROGRAM_OFFICER and not _holds(
        person, [Role.PROGRAM_OFFICER], case.center
    ):
        raise ValidationError(
            gettext_lazy(
                "%(person)s is not the Program Officer of %(center)s: record the role first."
            ),
            params={"person": _name(person), "center": case.center.short_name},
        )
    days = case.cycle.phases.aggregate(first=Min("starts"), last=Max("ends"))
    with recording(
        "seat.invited",
        case.center,
        by=by,
        person_en=person.name_en,
        person_ja=person.name_ja,
        seat_role=role,
        fiscal_year=case.cycle.fiscal_year,
    ):
        if (
            role != Seat.Role.PROGRAM_OFFICER
            and not _holds(person, OVERSEERS)
            and not _holds(person, [Role.WORKING_GROUP], case.center)
        ):
            # for the cycle's days, and from today at least to today (a seat entered late,
            # for a cycle under way or past, is open from the day it is given)
            today = timezone.localdate()
            Membership.objects.create(
                person=person,
                role=Role.WORKING_GROUP,
                center=case.center,
                starts=min(days["first"], today),
                ends=max(days["last"], today) + datetime.timedelta(days=1),
            )
        created = Seat.objects.create(case=case, person=person, role=role)
        notices.invited(created)
    return created


def seat_program_officer(case: Case, by: Any) -> int:
    """Invite the center's Program Officer in force today to the case's working group, if
    there is one and they have no seat yet (1 if invited, 0 if not)."""
    if (
        case.seats.filter(role=Seat.Role.PROGRAM_OFFICER)
        .exclude(state=Seat.State.DECLINED)
        .exists()
    ):
        return 0
    officer = (
        Membership.objects.filter(role=Role.PROGRAM_OFFICER, center=case.center)
        .in_force(timezone.localdate())
        .select_related("person")
        .first()
    )
    if officer is None or case.seats.filter(person=officer.person).exists():
        return 0
    seat(case, officer.person, Seat.Role.PROGRAM_OFFICER, by)
    return 1


def respond(seat: Seat, accept: bool, by: Any) -> None:
    """The seated person accepts or declines the invitation."""
    if seat.state != Seat.State.INVITED:
        raise ValidationError(gettext_lazy("This invitation was answered already."))
    with recording("seat.answered", seat.case.center, by=by, accepted=accept):
        seat.state = Seat.State.ACCEPTED if accept else Seat.State.DECLINED
        seat.responded_at = timezone.now()
        seat.save(update_fields=["state", "responded_at"])


def confirm_no_conflict(seat: Seat, by: Any) -> None:
    """The member states that they have no conflict of interest with the center (recorded;
    the materials open to them from then)."""
    if seat.state != Seat.State.ACCEPTED:
        raise ValidationError(gettext_lazy("Accept the invitation first."))
    with recording("seat.no_conflict", seat.case.center, by=by):
        seat.no_conflict_confirmed_at = timezone.now()
        seat.save(update_fields=["no_conflict_confirmed_at"])
        cycle = seat.case.cycle
        conflicts.stated_no_conflict(
            seat.person, seat.case.center, f"FY{cycle.fiscal_year} {cycle.kind.title.en}", by
        )


def declare_conflict(seat: Seat, by: Any) -> None:
    """The member declares a conflict of interest with the center: the seat closes and the
    conflict is a confirmed finding of the person's, closing the center's internals to them."""
    with recording("seat.conflict_declared", seat.case.center, by=by):
        seat.state = Seat.State.DECLINED
        seat.responded_at = timezone.now()
        seat.no_conflict_confirmed_at = None
        seat.save(update_fields=["state", "responded_at", "no_conflict_confirmed_at"])
        cycle = seat.case.cycle
        conflicts.declared_at_seat(
            seat.person, seat.case.center, f"FY{cycle.fiscal_year} {cycle.kind.title.en}", by
        )


def group_findings(case: Case) -> list[cycles.GroupFinding]:
    """The working group (its seats not declined) against the program's rules."""
    members = [
        cycles.GroupMember(s.role, s.person.from_abroad)  # type: ignore[arg-type]
        for s in case.seats.all()
        if s.state != Seat.State.DECLINED
    ]
    return cycles.check_working_group(members, data().working_group, data().sources)


# --- reviews ----------------------------------------------------------------------------


def grade_choices() -> list[tuple[str, str]]:
    return [(g.id, g.id) for g in data().rating_scale.grades]


def save_review(seat: Seat, fields: dict[str, Any], *, submit: bool, by: Any) -> Review:
    """Keep the member's draft, or submit it (then it is locked): grades must be on the
    scale and, to submit, every perspective and the overall rating given."""
    review = getattr(seat, "review", None) or Review(seat=seat)
    if review.submitted:
        raise ValidationError(
            gettext_lazy("This review is submitted and locked; the Program Officer can reopen it.")
        )
    rubric = seat.case.cycle.rubric_data()
    keys = rubric.perspective_keys() if rubric else []
    grades = {k: fields["grades"].get(k, "") for k in keys}
    scale = {g.id for g in data().rating_scale.grades}
    for grade in grades.values():
        if grade and grade not in scale:
            raise ValidationError(
                gettext_lazy("%(grade)s is not a grade of the scale."), params={"grade": grade}
            )
    if submit:
        missing = [k for k, g in grades.items() if not g]
        if missing or not fields.get("overall"):
            raise ValidationError(
                gettext_lazy(
                    "Give a grade for every perspective and the overall rating before submitting."
                )
            )
    with recording("review.submitted" if submit else "review.saved", seat.case.center, by=by):
        review.grades = grades
        for name in ("overall", "strengths", "weaknesses", "improvements", "language"):
            setattr(review, name, fields.get(name, "") or getattr(review, name))
        if submit:
            review.state = Review.State.SUBMITTED
            review.submitted_at = timezone.now()
        review.save()
    return review


def reopen_review(review: Review, by: Any) -> None:
    if not review.submitted:
        raise ValidationError(gettext_lazy("This review is a draft already."))
    with recording(
        "review.reopened",
        review.seat.case.center,
        by=by,
        person_en=review.seat.person.name_en,
        person_ja=review.seat.person.name_ja,
    ):
        review.state = Review.State.DRAFT
        review.submitted_at = None
        review.save(update_fields=["state", "submitted_at"])


@dataclass(frozen=True)
class SpreadRow:
    """One line of the consolidation table: a perspective (or the overall rating), each
    submitted review's grade, and their spread."""

    key: str
    title: str
    mission: str
    grades: list[str | None]
    spread: cycles.Spread


def spread_rows(case: Case) -> tuple[list[Seat], list[SpreadRow]]:
    """The submitted reviews side by side, a row per perspective and one for the overall
    rating, each with its spread and "difference of opinion" flag."""
    lang = page_lang()
    scale, steps = data().rating_scale, data().consolidation.disagreement_steps
    seats = [s for s in case.seats.all() if getattr(s, "review", None) and s.review.submitted]
    rows = []
    rubric = case.cycle.rubric_data()
    for mission in rubric.missions if rubric else []:
        for perspective in mission.perspectives:
            key = f"{mission.id}.{perspective.id}"
            grades = [s.review.grade_of(key) for s in seats]
            rows.append(
                SpreadRow(
                    key,
                    perspective.title.get(lang),
                    mission.title.get(lang),
                    grades,
                    cycles.spread(grades, scale, steps),
                )
            )
    overall = [s.review.overall or None for s in seats]
    rows.append(
        SpreadRow("overall", _("Overall rating"), "", overall, cycles.spread(overall, scale, steps))
    )
    return seats, rows


def save_consolidation(case: Case, text_en: str, text_ja: str, by: Any) -> None:
    if case.decided:
        raise ValidationError(
            gettext_lazy("The committee has decided this case; its assessment is final.")
        )
    with recording("case.consolidated", case.center, by=by):
        case.consolidated_en, case.consolidated_ja = text_en, text_ja
        case.save(update_fields=["consolidated_en", "consolidated_ja"])


# --- the committee and publication ------------------------------------------------------


def conflicted_committee(case: Case) -> list[Person]:
    """Committee members, the PD and the DPD with a confirmed conflict with the center: they
    are absent for the item, and their absence is recorded."""
    in_force = Membership.objects.filter(role__in=list(OVERSEERS)).in_force(timezone.localdate())
    conflicted = conflicts.conflicted_persons(case.center)
    return list(conflicted.filter(memberships__in=in_force).distinct())


def record_result(
    case: Case,
    *,
    rating: str,
    outcome: str,
    decided_on: datetime.date,
    comments_en: str,
    comments_ja: str,
    points: Sequence[tuple[str, str, str]],
    by: Any,
) -> list[Decision]:
    """Record the committee's rating and decision for a case: the decision's lifecycle
    events become the center's dated decisions (checked like any other: a contradiction
    is refused with its reason and nothing is written), the points to improve become
    recommendations, and the conflicted members are recorded absent."""
    kind = case.cycle.kind
    if case.decided:
        raise ValidationError(
            gettext_lazy(
                "The committee's result is recorded already; correct the decisions on the center page."
            )
        )
    if kind.rated and rating not in {g.id for g in data().rating_scale.grades}:
        raise ValidationError(gettext_lazy("Choose the committee's rating."))
    chosen = None
    if kind.outcomes:
        try:
            chosen = kind.outcome(outcome)
        except KeyError:
            raise ValidationError(gettext_lazy("Choose the committee's decision.")) from None
    center = Center.objects.prefetch_related("decisions").get(pk=case.center_id)
    events = (
        cycles.outcome_events(chosen, decided_on, center.facts(), center.schedule())
        if chosen
        else []
    )
    source = f"{kind.title.en}, FY{case.cycle.fiscal_year} (Kyoten cycle {case.cycle_id})"
    recorded: list[Decision] = []
    with recording(
        "case.decided",
        case.center,
        by=by,
        cycle_type=case.cycle.cycle_type,
        rating=rating or "—",
        outcome=outcome,
        fiscal_year=case.cycle.fiscal_year,
    ):
        for event in events:
            decision = Decision(
                **attribution(by),
                center=center,
                kind=event.kind,
                date=event.date,
                years=event.years,
                sources=[source],
                summary=f"{kind.title.en}: {chosen.title.en if chosen else ''}",
                summary_ja=f"{kind.title.ja}：{chosen.title.ja if chosen else ''}",
            )
            problem = center.change_problem(adding=decision)
            if problem is not None:
                raise ValidationError("%(reason)s", params={"reason": InPageLanguage(problem)})
            decision.save()
            center = Center.objects.prefetch_related("decisions").get(pk=center.pk)
            recorded.append(decision)
        case.rating, case.outcome, case.decided_on = rating, outcome, decided_on
        case.comments_en, case.comments_ja = comments_en, comments_ja
        case.save(update_fields=["rating", "outcome", "decided_on", "comments_en", "comments_ja"])
        case.decisions.set(recorded)
        case.absent.set(conflicted_committee(case))
        for number, (text_en, text_ja, mission) in enumerate(points, start=1):
            Recommendation.objects.create(
                case=case,
                center=case.center,
                number=number,
                text_en=text_en,
                text_ja=text_ja,
                mission=mission,
            )
    return recorded


def publish(cycle: Cycle, by: Any) -> None:
    """Publish the cycle's results: every case must have the committee's result."""
    if cycle.published_at is not None:
        raise ValidationError(gettext_lazy("This evaluation is published already."))
    if cycle.is_sample:
        raise ValidationError(gettext_lazy("A sample evaluation is never published."))
    waiting = [c.center.short_name for c in cycle.cases.select_related("center") if not c.decided]
    if waiting:
        raise ValidationError(
            gettext_lazy("The committee's result is missing for %(centers)s."),
            params={"centers": ", ".join(waiting)},
        )
    with recording(
        "cycle.published",
        cycle.center,
        by=by,
        cycle_type=cycle.cycle_type,
        fiscal_year=cycle.fiscal_year,
    ):
        cycle.published_at = timezone.now()
        cycle.save(update_fields=["published_at"])
        notices.published(cycle)


def published_cases(center: Center) -> list[Case]:
    """The center's cases in published cycles, newest first (what the public sees)."""
    return list(
        Case.objects.filter(center=center, cycle__published_at__isnull=False)
        .select_related("cycle")
        .prefetch_related("recommendations")
        .order_by("-cycle__fiscal_year", "-cycle__published_at")
    )


def open_recommendations(case: Case) -> list[Recommendation]:
    """The center's points to improve from earlier cycles not yet closed, with the center's
    responses: what this cycle's reviewers read beside them."""
    return list(
        Recommendation.objects.filter(center=case.center)
        .exclude(case=case)
        .exclude(status=Recommendation.Status.CLOSED)
        .select_related("case__cycle")
    )


def save_visit(form: Any, case: Case, by: Any) -> Visit:
    """Save a valid :class:`~kyoten.evaluation.forms.VisitForm` for ``case`` (new or changed)."""
    visit = form.save(commit=False)
    visit.case = case
    kind = "visit.changed" if visit.pk else "visit.scheduled"
    with recording(
        kind,
        case.center,
        by=by,
        starts=f"{timezone.localtime(visit.starts_at):%Y-%m-%d %H:%M}",
        mode=visit.mode,
    ):
        visit.save()
    return visit


RESPONSE_MAX = 5_000  # characters of a center's response to one point


def answer(recommendation: Recommendation, response: str, by: Any) -> None:
    """The center's response to a point to improve: it is then answered, for the office to
    close (or to leave open for the next cycle)."""
    text = response.strip()
    if not text:
        raise ValidationError(gettext_lazy("Write the center's response."))
    if len(text) > RESPONSE_MAX:
        raise ValidationError(
            gettext_lazy("The response is %(n)s characters long; at most %(max)s fit."),
            params={"n": len(text), "max": RESPONSE_MAX},
        )
    if recommendation.status == Recommendation.Status.CLOSED:
        raise ValidationError(gettext_lazy("This point to improve is closed."))
    with recording(
        "recommendation.answered", recommendation.center, by=by, code=recommendation.code
    ):
        recommendation.response = text
        recommendation.status = Recommendation.Status.ANSWERED
        recommendation.save(update_fields=["response", "status"])


def set_status(recommendation: Recommendation, status: str, by: Any) -> None:
    if status not in Recommendation.Status.values:
        raise ValidationError(gettext_lazy("Choose the status."))
    with recording(
        "recommendation.status_changed",
        recommendation.center,
        by=by,
        code=recommendation.code,
        status=status,
    ):
        recommendation.status = status
        recommendation.save(update_fields=["status"])


# who supplies which material of a case
SUPPLIERS = {
    "center": {"self_evaluation", "extension_application", "center_response", "other"},
    "program_officer": {"po_report", "other"},
}


def upload_document(
    case: Case, material: str, name: str, content: bytes, *, supplier: str, by: Any
) -> Document:
    """Keep a PDF of the case's materials, if the cycle asks for that material, the uploader
    supplies it (the office: any; the PO: its report; the center: its own) and the file is
    a PDF without active content."""
    kind = case.cycle.kind
    wanted = [m.id for m in kind.materials if data().material(m.id).form == "pdf"]
    allowed = set(wanted) if supplier == "office" else SUPPLIERS.get(supplier, set()) & set(wanted)
    if material not in allowed:
        raise ValidationError(
            gettext_lazy("You cannot upload this kind of document to this evaluation.")
        )
    check_pdf(content, name)
    digest = hashlib.sha256(content).hexdigest()
    with recording(
        "document.uploaded", case.center, by=by, name=name, material=material, sha256=digest
    ):
        return Document.objects.create(
            case=case,
            material=material,
            name=name[:255],
            content=content,
            size=len(content),
            sha256=digest,
            **attribution(by),
        )


def open_points_of(center: Center) -> list[dict[str, str]]:
    """The center's points to improve still open from published evaluations, as the annual
    report template's Follow-up sheet lists them (English, the master text)."""
    points = Recommendation.objects.filter(
        center=center,
        status=Recommendation.Status.OPEN,
        case__cycle__published_at__isnull=False,
        case__cycle__is_sample=False,
    ).select_related("case__cycle")
    return [
        {
            "recommendation_id": p.code,
            "recommendation": p.text_en,
            "evaluation": f"FY{p.case.cycle.fiscal_year} {p.case.cycle.kind.title.en}",
        }
        for p in points
    ]


def take_responses(center: Center, report: Any) -> int:
    """When a report is accepted: each Follow-up row naming an open point of the center by
    its id gives the point the center's action as its response (answered, for the office to
    close). Returns how many points were answered."""
    rows = {row.recommendation_id: row for row in report.follow_up if row.recommendation_id}
    answered = 0
    for point in Recommendation.objects.filter(center=center, status=Recommendation.Status.OPEN):
        row = rows.get(point.code)
        if row is not None:
            point.response = row.action[:RESPONSE_MAX]
            point.status = Recommendation.Status.ANSWERED
            point.save(update_fields=["response", "status"])
            answered += 1
    return answered
