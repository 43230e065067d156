"""Uploading, writing, moving and reading annual reports (views and commands only call these).

A change is all or nothing: the file or text is validated completely first (the tables by
:mod:`kyoten.reports`, the narrative by :mod:`kyoten.reports.narrative`, an appendix as a
PDF), then the new version, the report's state and the history entry are written in one
transaction — or, on any problem, nothing is written. A new version takes from the one before
it whatever the change does not replace (see :mod:`kyoten.submissions.models`).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyoten.accounts.permissions import may, standing
from kyoten.audit.context import recording
from kyoten.audit.models import by
from kyoten.fiscal import fiscal_year_end, fiscal_year_of
from kyoten.people.services import join_pis
from kyoten.program.verdict import Verdict
from kyoten.registry.models import Center, Decision
from kyoten.reports import (
    AnnualReport as ReportData,
)
from kyoten.reports import (
    Indicators,
    ReportLimits,
    indicators,
    load_report,
    report_verdict,
    template_workbook,
)
from kyoten.reports.filetype import check_size
from kyoten.reports.narrative import clean_texts
from kyoten.reports.people import name_key
from kyoten.submissions import notices
from kyoten.submissions.models import (
    Action,
    AnnualReport,
    Appendix,
    Deadline,
    ReportEvent,
    ReportVersion,
)
from kyoten.text import Bilingual, KyotenError, Lang
from kyoten.web.documents import check_pdf

# The most appendices one version lists (each a PDF of at most KYOTEN_DOCUMENT_MAX_BYTES).
APPENDICES_MAX = 20


def limits() -> ReportLimits:
    """The report file limits (``KYOTEN_REPORT_*`` settings, see docs/reports.md)."""
    return ReportLimits.from_env()


def report_code(center: Center) -> str:
    """How a report names its center (``metadata.center``): the center's short name."""
    return center.short_name


def reportable_years(center: Center, today: datetime.date) -> list[int]:
    """Fiscal years a report may be made for: from the first year of support to this one,
    newest first."""
    life = center.lifecycle()
    first = fiscal_year_of(life.support_start)
    last = min(fiscal_year_of(today), fiscal_year_of(life.support_end))
    return list(range(last, first - 1, -1))


def _check_year(center: Center, fiscal_year: int, today: datetime.date) -> None:
    years = reportable_years(center, today)
    if fiscal_year not in years:
        raise KyotenError(
            Bilingual(
                en=f"{center.short_name} reports for FY{years[-1]} to FY{years[0]}",
                ja=f"{center.short_name}の報告は{years[-1]}年度から{years[0]}年度までです",
            ),
            location="fiscal_year",
            value=fiscal_year,
        )


def _previous(center: Center, fiscal_year: int) -> ReportData | None:
    """Last year's report to carry the roster over from: the accepted real one, or else the
    sample (the template then says so)."""
    for sample in (False, True):
        report = AnnualReport.objects.filter(
            center=center,
            fiscal_year=fiscal_year - 1,
            is_sample=sample,
            state=AnnualReport.State.ACCEPTED,
        ).first()
        version = report.latest_version() if report else None
        if version is not None and version.has_tables:
            return version.content
    return None


def registry_template_details(center: Center, day: datetime.date) -> dict[str, Any]:
    """What the registry records of ``center`` on ``day``, as a template's center details
    (names in the active language, institutions by the name they had on ``day``)."""
    life = center.lifecycle()
    set_aside = {s.event for s in life.set_aside}
    extensions = [
        d
        for d in center.decisions_in_force()
        if d.kind == Decision.Kind.EXTENSION and d.date <= day and d.event() not in set_aside
    ]
    gate = life.stage_gate_passed_fiscal_year
    return {
        "center_name": center.name,
        "host_institution": "、".join(h.name_on(day) for h in center.hosts) or None,
        "center_director": center.director or None,
        "track": center.track,
        "selection_fiscal_year": center.selection_fiscal_year,
        "stage_gate_passed_fiscal_year": gate
        if gate is not None and gate <= fiscal_year_of(day)
        else None,
        "extension_granted": bool(extensions),
    }


def registry_template_institutions(
    center: Center, day: datetime.date, previous: ReportData | None
) -> list[dict[str, Any]]:
    """The center's institutions for a template: the registry's, by the names they had on
    ``day`` (a partner in Japan is a domestic one), with the organisation-level agreement
    that last year's real report gave each; then those of last year's report the registry
    does not hold."""
    carried = [] if previous is None or previous.metadata.is_sample else previous.institutions
    rows = []
    for link in center.links_set.all():
        institution = link.institution
        role = {"host": "host", "satellite": "satellite"}.get(link.role)
        if role is None:
            role = "domestic_partner" if institution.country == "JP" else "overseas_partner"
        names = {name_key(institution.name_en), name_key(institution.name_ja)}
        names |= {name_key(n) for r in institution.renames.all() for n in (r.name_en, r.name_ja)}
        matched = [row for row in carried if name_key(row.name) in names]
        carried = [row for row in carried if row not in matched]
        rows.append(
            {
                "name": institution.name_on(day),
                "country": institution.country,
                "role": role,
                "organisation_level_agreement": any(
                    row.organisation_level_agreement for row in matched
                ),
            }
        )
    return rows + [row.model_dump() for row in carried]


def template_for(
    center: Center, fiscal_year: int, today: datetime.date, lang: Lang = "en"
) -> bytes:
    """The Excel template for ``fiscal_year`` in ``lang``: the center's details and
    institutions from the registry on the report's day (31 March), the roster from last
    year's accepted report (or its sample), the committee's points to improve still open
    (evaluation imports this module, so it is imported here, when called)."""
    _check_year(center, fiscal_year, today)
    from kyoten.evaluation.services import open_points_of

    day = fiscal_year_end(fiscal_year)
    previous = _previous(center, fiscal_year)
    with translation.override(lang):  # the registry's names in the template's language
        details = registry_template_details(center, day)
        institutions = registry_template_institutions(center, day, previous)
    return template_workbook(
        report_code(center),
        fiscal_year,
        previous,
        details=details,
        institutions=institutions,
        open_points=open_points_of(center),
        lang=lang,
    )


def _digest(data: dict[str, Any]) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _label(user: Any) -> str:
    return user.get_username() if user is not None else "kyoten load-samples"


def store(
    center: Center,
    report: ReportData,
    source_name: str,
    user: Any,
    *,
    sample: bool = False,
) -> ReportVersion:
    """Keep validated tables as a new version of the center's report for their year (with
    the narrative and appendices of the version before)."""
    fiscal_year = report.metadata.fiscal_year
    kind = "report.sample_loaded" if sample else "report.uploaded"
    with recording(kind, center, by=user, fiscal_year=fiscal_year) as event:
        record = _open(center, fiscal_year, Action.LOAD_SAMPLE if sample else Action.UPLOAD, user)
        data = report.model_dump(mode="json")
        version = _add_version(
            record,
            Action.LOAD_SAMPLE if sample else Action.UPLOAD,
            user,
            tables=(data, source_name[:255]),
        )
        event.note(version=version.number)
    return version


def _open(center: Center, fiscal_year: int, action: str, user: Any) -> AnnualReport:
    """The center's report for the year, made a draft if there is none yet (a sample is
    accepted as made), locked for the change and checked that it takes ``action``."""
    sample = action == Action.LOAD_SAMPLE
    record, _new = AnnualReport.objects.select_for_update().get_or_create(
        center=center,
        fiscal_year=fiscal_year,
        is_sample=sample,
        defaults={"state": AnnualReport.State.ACCEPTED if sample else AnnualReport.State.DRAFT},
    )
    if not sample:
        record.check_action(action, user)
    return record


def _add_version(
    record: AnnualReport,
    action: str,
    user: Any,
    *,
    tables: tuple[dict[str, Any], str] | None = None,
    narrative: dict[str, str] | None = None,
    appendices: list[Appendix] | None = None,
) -> ReportVersion:
    """A new version of ``record``: what is given replaces, the rest comes from the latest
    version; then the report's state and its history."""
    previous = record.latest_version()
    number = (record.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    data: dict[str, Any] | None
    if tables is not None:
        data, source_name = tables
        digest = _digest(data)
    elif previous is not None:
        data, source_name, digest = previous.data, previous.source_name, previous.sha256
    else:
        data, source_name, digest = None, "", ""
    version = ReportVersion.objects.create(
        report=record,
        number=number,
        data=data,
        sha256=digest,
        source_name=source_name,
        narrative=narrative if narrative is not None else (previous.texts if previous else {}),
        **by(user, _label(user)),
    )
    kept = appendices if appendices is not None else (previous.appendices.all() if previous else [])
    version.appendices.set(kept)
    if action != Action.LOAD_SAMPLE:
        record.state = record.next_state(action)
        record.save()
    ReportEvent.objects.create(
        report=record, action=action, state=record.state, version=version, **by(user, _label(user))
    )
    return version


def upload(
    center: Center,
    fiscal_year: int,
    content: bytes,
    name: str,
    user: Any,
    today: datetime.date,
) -> ReportVersion:
    """Validate an uploaded file (Excel, CSV zip or JSON) and keep it as a new version.

    Raises:
        PermissionDenied: the user may not upload for this center.
        KyotenError: the file is refused, or (KyotenErrors) every problem of the report.
        ValidationError: the report's state takes no upload now.
    """
    _refuse_unless_editor(center, user)
    _check_year(center, fiscal_year, today)
    report = load_report(content, name, limits(), expected=registry_details(center, fiscal_year))
    return store(center, report, name, user)


def registry_details(center: Center, fiscal_year: int) -> dict[str, object]:
    """What a report of ``center`` for ``fiscal_year`` must say as the registry records it:
    a report under another track or selection year would be judged by other rules (and one
    for 1900 has no era at all)."""
    return {
        "center": report_code(center),
        "fiscal_year": fiscal_year,
        "track": center.track,
        "selection_fiscal_year": center.selection_fiscal_year,
    }


def check_upload_size(size: int, name: str) -> None:
    """Refuse a file larger than the limit before reading it (KyotenError)."""
    check_size(size, name, limits())


def _refuse_unless_editor(center: Center, user: Any) -> None:
    if not may(user, "report.edit", center):
        raise PermissionDenied


# --- the narrative and the appendices ---------------------------------------------------


def save_narrative(
    center: Center, fiscal_year: int, texts: dict[str, str], user: Any, today: datetime.date
) -> ReportVersion | None:
    """Keep the sections' texts as a new version (with the tables and appendices of the
    version before); None if they are what the latest version holds already.

    Raises:
        PermissionDenied: the user may not write this center's reports.
        KyotenError: the year is not one the center reports for, or (KyotenErrors) every
            section over its limit or holding a character that cannot be stored.
        ValidationError: the report's state takes no new version now.
    """
    _refuse_unless_editor(center, user)
    _check_year(center, fiscal_year, today)
    cleaned = clean_texts(texts, fiscal_year)
    report = AnnualReport.objects.filter(
        center=center, fiscal_year=fiscal_year, is_sample=False
    ).first()
    latest = report.latest_version() if report else None
    if cleaned == (latest.texts if latest else {}):
        return None  # nothing changed: no version, no event
    with recording("report.narrative_saved", center, by=user, fiscal_year=fiscal_year) as event:
        record = _open(center, fiscal_year, Action.WRITE, user)
        version = _add_version(record, Action.WRITE, user, narrative=cleaned)
        event.note(version=version.number, sections=sorted(cleaned))
    return version


def attach_appendix(
    center: Center,
    fiscal_year: int,
    title: str,
    name: str,
    content: bytes,
    user: Any,
    today: datetime.date,
) -> Appendix:
    """Attach a PDF to the center's report for the year, as a new version.

    Raises:
        PermissionDenied, KyotenError: as :func:`save_narrative`.
        ValidationError: not a PDF, too large, active content, too many appendices, or the
            report's state takes no new version now.
    """
    _refuse_unless_editor(center, user)
    _check_year(center, fiscal_year, today)
    check_pdf(content, name)
    digest = hashlib.sha256(content).hexdigest()
    with recording(
        "report.appendix_attached",
        center,
        by=user,
        fiscal_year=fiscal_year,
        title=title,
        name=name,
        size=len(content),
        sha256=digest,
    ) as event:
        record = _open(center, fiscal_year, Action.ATTACH, user)
        latest = record.latest_version()
        kept = list(latest.appendices.all()) if latest else []
        if len(kept) >= APPENDICES_MAX:
            raise ValidationError(
                gettext_lazy(
                    "A report takes at most %(max)d appendices; remove one before attaching "
                    "another, or combine them into one PDF."
                ),
                params={"max": APPENDICES_MAX},
            )
        appendix = Appendix.objects.create(
            report=record,
            title=title.strip()[:200],
            name=name[:255],
            content=content,
            size=len(content),
            sha256=digest,
            **by(user, _label(user)),
        )
        version = _add_version(record, Action.ATTACH, user, appendices=[*kept, appendix])
        event.note(version=version.number)
    return appendix


def remove_appendix(report: AnnualReport, appendix: Appendix, user: Any) -> ReportVersion:
    """A new version of ``report`` without ``appendix`` (older versions keep it).

    Raises:
        PermissionDenied: the user may not write this center's reports.
        ValidationError: the appendix is not in the latest version, or the report's state
            takes no new version now.
    """
    _refuse_unless_editor(report.center, user)
    with recording(
        "report.appendix_removed",
        report.center,
        by=user,
        fiscal_year=report.fiscal_year,
        title=appendix.title,
        name=appendix.name,
    ) as event:
        record = _open(report.center, report.fiscal_year, Action.DETACH, user)
        latest = record.latest_version()
        kept = list(latest.appendices.all()) if latest else []
        if appendix not in kept:
            raise ValidationError(gettext_lazy("This appendix is not in the latest version."))
        version = _add_version(
            record, Action.DETACH, user, appendices=[a for a in kept if a != appendix]
        )
        event.note(version=version.number)
    return version


# --- submitting, accepting, returning -----------------------------------------------------

# a report's action -> the event it is recorded as
ACTION_EVENTS: dict[str, str] = {
    Action.SUBMIT: "report.submitted",
    Action.ACCEPT: "report.accepted",
    Action.RETURN: "report.returned",
}


def act(
    report: AnnualReport,
    action: str,
    user: Any,
    comment: str = "",
    *,
    version: int | None = None,
    today: datetime.date | None = None,
) -> AnnualReport:
    """Submit, accept or return ``report`` (returning needs a comment); with ``version``,
    only if that is still its latest version (what the user confirmed having seen). The
    notices go out once the change is kept.

    Raises:
        PermissionDenied, ValidationError: see :meth:`AnnualReport.check_action`; or the
            report changed since the user looked at it.
    """
    event = ACTION_EVENTS.get(action, f"report.{action}")
    with recording(
        event, report.center, by=user, fiscal_year=report.fiscal_year, comment=comment.strip()
    ):
        return _act(report, action, user, comment, version, today)


def _act(
    report: AnnualReport,
    action: str,
    user: Any,
    comment: str,
    confirmed: int | None,
    today: datetime.date | None,
) -> AnnualReport:
    report = AnnualReport.objects.select_for_update().select_related("center").get(pk=report.pk)
    report.check_action(action, user, today)
    if action == Action.RETURN and not comment.strip():
        raise ValidationError(_("Say what the center office should change."))
    latest = report.latest_version()
    if confirmed is not None and (latest is None or latest.number != confirmed):
        raise ValidationError(
            gettext_lazy(
                "The report changed after you opened it: version %(latest)s is now the "
                "latest. Look at it again before you go on."
            ),
            params={"latest": latest.number if latest else "—"},
        )
    report.state = report.next_state(action)
    report.save()
    ReportEvent.objects.create(
        report=report,
        action=action,
        state=report.state,
        version=latest,
        comment=comment.strip(),
        **by(user, _label(user)),
    )
    if action == Action.ACCEPT:
        assert latest is not None  # a report is submitted with a version
        join_pis(report.center, latest.content, f"{report} v{latest.number} (accepted)")
        from kyoten.evaluation.services import take_responses

        take_responses(report.center, latest.content)
    notices.report_moved(report, action, comment.strip())
    return report


# --- deadlines and the office's inbox -----------------------------------------------------


def set_deadline(fiscal_year: int, due: datetime.date, user: Any) -> Deadline:
    """Set (or move) the day the reports on ``fiscal_year`` are due.

    Raises:
        PermissionDenied: the user is not of the program office.
        ValidationError: the day comes before the reports can be submitted.
    """
    if not may(user, "deadline.set"):
        raise PermissionDenied
    opens = datetime.date(fiscal_year + 1, 4, 1)
    if due < opens:
        raise ValidationError(
            gettext_lazy(
                "The reports on %(fy)s can be submitted from %(opens)s, once the fiscal year "
                "has ended: set a due date on or after it."
            ),
            params={"fy": f"FY{fiscal_year}", "opens": opens.isoformat()},
        )
    was = Deadline.objects.filter(fiscal_year=fiscal_year).first()
    with recording(
        "deadline.set",
        by=user,
        fiscal_year=fiscal_year,
        due=due.isoformat(),
        was=was.due.isoformat() if was else "",
    ):
        deadline = was or Deadline(fiscal_year=fiscal_year)
        deadline.due = due
        deadline.save()
    return deadline


def expected_centers(fiscal_year: int) -> list[Center]:
    """The centers that report on ``fiscal_year``: those supported during it."""
    found = []
    for center in Center.objects.prefetch_related("decisions"):
        life = center.lifecycle()
        if fiscal_year_of(life.support_start) <= fiscal_year <= fiscal_year_of(life.support_end):
            found.append(center)
    return found


@dataclass(frozen=True)
class Waiting:
    """A submitted report waiting for the office, and whether it came after its due date."""

    report: AnnualReport
    submitted_at: datetime.datetime
    due: datetime.date | None

    @property
    def late(self) -> bool:
        return self.due is not None and timezone.localdate(self.submitted_at) > self.due


@dataclass(frozen=True)
class Overdue:
    """A center whose report on a fiscal year is past its due date and not with the office:
    ``report`` None when there is none at all."""

    center: Center
    fiscal_year: int
    due: datetime.date
    report: AnnualReport | None

    def days(self, today: datetime.date) -> int:
        return (today - self.due).days


@dataclass(frozen=True)
class Upcoming:
    deadline: Deadline
    expected: int
    in_: int  # submitted or accepted


@dataclass(frozen=True)
class Inbox:
    waiting: list[Waiting]
    overdue: list[Overdue]
    upcoming: list[Upcoming]


def inbox(today: datetime.date) -> Inbox:
    """The program office's inbox on ``today``: the reports submitted and waiting (oldest
    first; late if submitted after their due date), the reports past their due date that are
    not with the office (missing: none or a draft never submitted; or returned and not yet
    submitted again), and the due dates to come with how many reports are in."""
    deadlines = {d.fiscal_year: d for d in Deadline.objects.all()}
    real = AnnualReport.objects.filter(is_sample=False).select_related("center")
    submitted_events = (
        ReportEvent.objects.filter(report__in=real, action=Action.SUBMIT)
        .order_by("report", "-at")
        .values_list("report_id", "at")
    )
    last_submitted: dict[int, datetime.datetime] = {}
    for report_id, at in submitted_events:
        last_submitted.setdefault(report_id, at)
    waiting = [
        Waiting(
            r,
            last_submitted[r.pk],
            deadlines[r.fiscal_year].due if r.fiscal_year in deadlines else None,
        )
        for r in real.filter(state=AnnualReport.State.SUBMITTED)
    ]
    waiting.sort(key=lambda w: w.submitted_at)
    by_center_year = {(r.center_id, r.fiscal_year): r for r in real}
    overdue: list[Overdue] = []
    upcoming: list[Upcoming] = []
    done = {AnnualReport.State.SUBMITTED, AnnualReport.State.ACCEPTED}
    for fiscal_year, deadline in sorted(deadlines.items()):
        centers = expected_centers(fiscal_year)
        reports = [by_center_year.get((c.pk, fiscal_year)) for c in centers]
        if deadline.due < today:
            overdue += [
                Overdue(c, fiscal_year, deadline.due, r)
                for c, r in zip(centers, reports, strict=True)
                if r is None or r.state not in done
            ]
        else:
            count = sum(1 for r in reports if r is not None and r.state in done)
            upcoming.append(Upcoming(deadline, len(centers), count))
    return Inbox(waiting, overdue, upcoming)


# --- dashboards --------------------------------------------------------------------------


def shown_versions(
    centers: list[Center], fiscal_year: int | None = None, *, until: int | None = None
) -> list[ReportVersion]:
    """The version dashboards show per center and year: the latest version of an accepted
    real report, or else of the sample — for ``fiscal_year`` (to ``until``, if given), or
    every year. Sorted by center order and year; the stored reports of the versions not
    shown are never loaded."""
    query = ReportVersion.objects.filter(
        report__center__in=centers, report__state=AnnualReport.State.ACCEPTED
    )
    if fiscal_year is not None:
        query = query.filter(
            report__fiscal_year__gte=fiscal_year,
            report__fiscal_year__lte=fiscal_year if until is None else until,
        )
    chosen: dict[tuple[int, int], int] = {}
    for pk, center_id, year in query.order_by("report__is_sample", "-number").values_list(
        "pk", "report__center_id", "report__fiscal_year"
    ):
        chosen.setdefault((center_id, year), pk)
    versions = ReportVersion.objects.filter(pk__in=chosen.values()).select_related(
        "report", "report__center"
    )
    order = {c.pk: i for i, c in enumerate(centers)}
    return sorted(versions, key=lambda v: (order[v.report.center_id], v.report.fiscal_year))


@dataclass(frozen=True)
class YearFigures:
    """A center's derived numbers for one fiscal year, and whether they are sample data."""

    fiscal_year: int
    version: ReportVersion
    numbers: Indicators

    @property
    def is_sample(self) -> bool:
        return self.version.report.is_sample or self.numbers.is_sample


def trends(center: Center) -> list[YearFigures]:
    """Indicators of every fiscal year shown for ``center``, oldest first."""
    return [
        YearFigures(v.report.fiscal_year, v, indicators(v.content))
        for v in shown_versions([center])
    ]


def verdict_of(version: ReportVersion) -> Verdict:
    return report_verdict(version.content)


def comparison_years() -> list[int]:
    """Fiscal years with a shown report, newest first."""
    years = AnnualReport.objects.filter(state=AnnualReport.State.ACCEPTED).values_list(
        "fiscal_year", flat=True
    )
    return sorted(set(years), reverse=True)


def readable_centers(user: Any) -> list[Center]:
    """The centers whose reports ``user`` may read (a committee member's conflicts excluded)."""
    return [c for c in Center.objects.all() if may(user, "report.read", c)]


def hidden_by_conflict(user: Any) -> int:
    """How many centers a comparison leaves out for ``user`` because of their conflicts of
    interest (said on the page, so that no one reads a gap as a missing report)."""
    return len(standing(user).conflicts)


def comparison_reports(
    fiscal_year: int, centers: list[Center], until: int | None = None
) -> list[ReportData]:
    """The report shown for each of ``centers`` in ``fiscal_year`` (to ``until``, if given):
    the comparison table."""
    return [v.content for v in shown_versions(centers, fiscal_year, until=until)]
