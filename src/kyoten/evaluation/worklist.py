"""What a person must do, with deadlines: the home page of everyone who logs in.

Each item is found from the records, never stored: the office's reports waiting and the
open evaluations' missing pieces, the annual reports late or missing and the due dates to
set; a member's invitations, statements and reviews; a Program Officer's visits and
consolidations; a center office's reports to submit or returned, and open points to improve.
An evaluation's deadline is the end of the phase the item belongs to; a report's is the due
date the office set for its fiscal year.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kyoten.accounts.models import Role
from kyoten.accounts.permissions import finding_scope, may, standing
from kyoten.conflicts.models import Finding
from kyoten.conflicts.services import after_assignment
from kyoten.evaluation import services
from kyoten.evaluation.models import Case, Cycle, Recommendation, Seat
from kyoten.fiscal import fiscal_year_of, format_fiscal_year
from kyoten.submissions import services as reports
from kyoten.submissions.models import AnnualReport, Deadline
from kyoten.web.language import page_lang


@dataclass(frozen=True)
class Task:
    text: str
    link: str
    due: datetime.date | None = None

    def overdue(self, today: datetime.date) -> bool:
        return self.due is not None and self.due < today


def _fy(year: int) -> str:
    return format_fiscal_year(year, "nendo" if page_lang() == "ja" else "fy")


def tasks_for(user: Any, today: datetime.date) -> list[Task]:
    """The user's tasks, the earliest deadline first (those without one last)."""
    found: list[Task] = []
    who = standing(user)
    open_cases = list(
        services.cases()
        .filter(cycle__published_at__isnull=True, cycle__is_sample=False)
        .prefetch_related(Prefetch("cycle__phases"), "visits", "documents")
    )
    if may(user, "evaluation.manage"):
        found += _office(open_cases, today)
    if may(user, "reports.inbox"):
        found += _reports_due(today)
    found += _seated(who.person_id, open_cases, today)
    po_centers = {center for role, center in who.roles if role == Role.PROGRAM_OFFICER}
    found += _program_officer([c for c in open_cases if c.center_id in po_centers], today)
    office_centers = {center for role, center in who.roles if role == Role.CENTER_OFFICE}
    found += _center_office(office_centers, today)
    found += _documents_due([c for c in open_cases if c.center_id in office_centers], "center")
    found += _documents_due([c for c in open_cases if c.center_id in po_centers], "program_officer")
    if may(user, "conflicts.read"):
        found += _conflicts(user, open_cases)
    return sorted(found, key=lambda t: (t.due is None, t.due or today, t.text))


def _conflicts(user: Any, cases: list[Case]) -> list[Task]:
    """Potential conflicts of interest to decide, per center (before its working group is
    formed: the end of the materials phase), and conflicts found on a seated member."""
    readable = Finding.objects.filter(finding_scope(user))
    materials_end: dict[int, datetime.date] = {}
    for case in cases:
        ends = _phase_ends(case, "materials")
        if ends is not None:
            materials_end[case.center_id] = min(ends, materials_end.get(case.center_id, ends))
    waiting = (
        readable.filter(status=Finding.Status.POTENTIAL)
        .values("center_id", "center__short_name")
        .annotate(n=Count("pk"))
        .order_by("center__short_name")
    )
    found = [
        Task(
            ngettext(
                "Decide %(n)s potential conflict of interest with %(center)s",
                "Decide %(n)s potential conflicts of interest with %(center)s",
                row["n"],
            )
            % {"n": row["n"], "center": row["center__short_name"]},
            f"{reverse('findings')}?status=potential&center={row['center_id']}",
            materials_end.get(row["center_id"]),
        )
        for row in waiting
    ]
    found += [
        Task(
            _("A conflict of interest was found after %(person)s joined %(center)s's working group")
            % {"person": f.person.name, "center": f.center.short_name},
            f.get_absolute_url(),
        )
        for f in after_assignment(readable).select_related("person", "center")
    ]
    return found


def _phase_ends(case: Case, phase: str) -> datetime.date | None:
    return next((p.ends for p in case.cycle.phases.all() if p.phase == phase), None)


def _begun(case: Case, phase: str, today: datetime.date) -> bool:
    return any(p.phase == phase and p.starts <= today for p in case.cycle.phases.all())


def _office(cases: list[Case], today: datetime.date) -> list[Task]:
    found = [
        Task(
            _("Accept or return %(center)s's %(fy)s report")
            % {"center": r.center.short_name, "fy": _fy(r.fiscal_year)},
            r.get_absolute_url(),
        )
        for r in AnnualReport.objects.filter(
            state=AnnualReport.State.SUBMITTED, is_sample=False
        ).select_related("center")
    ]
    for case in cases:
        name = case.center.short_name
        if case.report_version_id is None:
            found.append(
                Task(
                    _("Pin %(center)s's accepted report") % {"center": name},
                    case.get_absolute_url(),
                    _phase_ends(case, "materials"),
                )
            )
        if any(f.status == "not_met" for f in services.group_findings(case)):
            found.append(
                Task(
                    _("Complete %(center)s's working group") % {"center": name},
                    case.get_absolute_url(),
                    _phase_ends(case, "materials"),
                )
            )
        missing = sum(1 for s in case.seats.all() if _owes_review(s))
        if missing and _begun(case, "review", today):
            found.append(
                Task(
                    ngettext(
                        "%(n)s review of %(center)s is not in",
                        "%(n)s reviews of %(center)s are not in",
                        missing,
                    )
                    % {"n": missing, "center": name},
                    case.get_absolute_url(),
                    _phase_ends(case, "review"),
                )
            )
        if not case.decided and _begun(case, "committee", today):
            found.append(
                Task(
                    _("Record the committee's result for %(center)s") % {"center": name},
                    reverse("case-result", args=[case.pk]),
                    _phase_ends(case, "committee"),
                )
            )
    cycles = {c.cycle_id: c.cycle for c in cases}
    for cycle in cycles.values():
        if all(c.decided for c in cases if c.cycle_id == cycle.pk) and _cycle_begun(
            cycle, "publication", today
        ):
            found.append(
                Task(
                    _("Publish the results of the %(cycle)s %(fy)s")
                    % {"cycle": cycle.title, "fy": _fy(cycle.fiscal_year)},
                    cycle.get_absolute_url(),
                    _cycle_phase_ends(cycle, "publication"),
                )
            )
    return found


def _cycle_begun(cycle: Cycle, phase: str, today: datetime.date) -> bool:
    return any(p.phase == phase and p.starts <= today for p in cycle.phases.all())


def _cycle_phase_ends(cycle: Cycle, phase: str) -> datetime.date | None:
    return next((p.ends for p in cycle.phases.all() if p.phase == phase), None)


def _owes_review(seat: Seat) -> bool:
    review = getattr(seat, "review", None)
    return seat.reviews and seat.state == Seat.State.ACCEPTED and not (review and review.submitted)


def _seated(person_id: int | None, cases: list[Case], today: datetime.date) -> list[Task]:
    found = []
    for case in cases:
        seat = (
            next((s for s in case.seats.all() if s.person_id == person_id), None)
            if person_id
            else None
        )
        if seat is None:
            continue
        name, link = case.center.short_name, case.get_absolute_url()
        if seat.state == Seat.State.INVITED:
            found.append(
                Task(
                    _("Answer the invitation to %(center)s's working group") % {"center": name},
                    link,
                    _phase_ends(case, "materials"),
                )
            )
        elif seat.state == Seat.State.ACCEPTED and seat.no_conflict_confirmed_at is None:
            found.append(
                Task(
                    _("State whether you have a conflict of interest with %(center)s")
                    % {"center": name},
                    link,
                    _phase_ends(case, "materials"),
                )
            )
        elif _owes_review(seat):
            found.append(
                Task(
                    _("Write your review of %(center)s") % {"center": name},
                    reverse("case-review", args=[case.pk]),
                    _phase_ends(case, "review"),
                )
            )
        if seat.state != Seat.State.DECLINED:
            for visit in case.visits.all():
                if visit.starts_at.date() >= today:
                    found.append(
                        Task(
                            _("Site visit or hearing of %(center)s") % {"center": name},
                            reverse("visit", args=[visit.pk]),
                            visit.starts_at.date(),
                        )
                    )
    return found


def _program_officer(cases: list[Case], today: datetime.date) -> list[Task]:
    found = []
    for case in cases:
        name, link = case.center.short_name, case.get_absolute_url()
        if not case.visits.all():
            found.append(
                Task(
                    _("Schedule the site visit or hearing of %(center)s") % {"center": name},
                    reverse("visit-new", args=[case.pk]),
                    _phase_ends(case, "review"),
                )
            )
        if not case.consolidated_en and _begun(case, "review", today):
            found.append(
                Task(
                    _("Draft the consolidated assessment of %(center)s") % {"center": name},
                    link,
                    _phase_ends(case, "consolidation"),
                )
            )
    return found


def _reports_due(today: datetime.date) -> list[Task]:
    """The office's: the reports late or missing, per fiscal year (see the inbox), and a due
    date to set for the reports of this fiscal year and the last one."""
    inbox = reverse("report-inbox")
    late: dict[int, tuple[int, datetime.date]] = {}
    for overdue in reports.inbox(today).overdue:
        count, _due = late.get(overdue.fiscal_year, (0, overdue.due))
        late[overdue.fiscal_year] = (count + 1, overdue.due)
    found = [
        Task(
            ngettext(
                "%(n)s report on %(fy)s is late or missing",
                "%(n)s reports on %(fy)s are late or missing",
                count,
            )
            % {"n": count, "fy": _fy(year)},
            inbox,
            due,
        )
        for year, (count, due) in sorted(late.items())
    ]
    this_year = fiscal_year_of(today)
    set_years = set(Deadline.objects.values_list("fiscal_year", flat=True))
    found += [
        Task(
            _("Set the due date of the reports on %(fy)s") % {"fy": _fy(year)},
            reverse("report-deadlines"),
        )
        for year in (this_year - 1, this_year)
        if year not in set_years
    ]
    return found


def _center_office(centers: set[int | None], today: datetime.date) -> list[Task]:
    deadlines = {d.fiscal_year: d.due for d in Deadline.objects.all()}
    mine = AnnualReport.objects.filter(center__in=centers, is_sample=False)
    found = [
        Task(
            _("Your %(fy)s report was returned: correct it and submit it again")
            % {"fy": _fy(r.fiscal_year)},
            r.get_absolute_url(),
            deadlines.get(r.fiscal_year),
        )
        for r in mine.filter(state=AnnualReport.State.RETURNED)
    ]
    handed_in = {
        (r.center_id, r.fiscal_year)
        for r in mine.exclude(state=AnnualReport.State.DRAFT)  # submitted, accepted, returned
    }
    for year, due in deadlines.items():
        for center in reports.expected_centers(year):
            if center.pk in centers and (center.pk, year) not in handed_in:
                opens = datetime.date(year + 1, 4, 1)
                text = (
                    _("Submit the %(fy)s report of %(center)s")
                    if today >= opens
                    else _(
                        "Write the %(fy)s report of %(center)s (it can be submitted from %(opens)s)"
                    )
                )
                found.append(
                    Task(
                        text % {"fy": _fy(year), "center": center.short_name, "opens": opens},
                        reverse("center-reports", args=[center.key]),
                        due,
                    )
                )
    open_points = Recommendation.objects.filter(
        center__in=centers,
        status=Recommendation.Status.OPEN,
        case__cycle__published_at__isnull=False,
    )
    found += [
        Task(
            _("Answer the point to improve %(code)s") % {"code": r.code},
            reverse("center", args=[r.center.key]),
        )
        for r in open_points.select_related("center")
    ]
    return found


def _documents_due(cases: list[Case], supplier: str) -> list[Task]:
    """The required documents a center's office or PO has not uploaded yet."""
    found = []
    lang = page_lang()
    for case in cases:
        present = {d.material for d in case.documents.all()}
        for need in case.cycle.kind.materials:
            material = services.data().material(need.id)
            if (
                need.required
                and material.form == "pdf"
                and need.id in services.SUPPLIERS[supplier]
                and need.id not in present
            ):
                found.append(
                    Task(
                        _("Upload %(document)s for %(center)s")
                        % {"document": material.title.get(lang), "center": case.center.short_name},
                        reverse("case-documents", args=[case.pk]),
                        _phase_ends(case, "materials"),
                    )
                )
    return found
