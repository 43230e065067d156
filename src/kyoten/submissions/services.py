"""Uploading, moving and reading annual reports (views and commands only call these).

An upload is all or nothing: the file is validated completely by :mod:`kyoten.reports`
first, then the version, the report's state and the history entry are written in one
transaction — or, on any problem, nothing is written.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from kyoten.accounts.permissions import may
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
from kyoten.reports.people import name_key
from kyoten.submissions.models import (
    Action,
    AnnualReport,
    ReportEvent,
    ReportVersion,
)
from kyoten.text import Bilingual, KyotenError, Lang


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
        if version is not None:
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
    """Keep a validated report as a new version of the center's report for its year."""
    fiscal_year = report.metadata.fiscal_year
    kind = "report.sample_loaded" if sample else "report.uploaded"
    with recording(kind, center, by=user, fiscal_year=fiscal_year) as event:
        version = _new_version(center, report, source_name, user, sample)
        event.note(version=version.number)
    return version


def _new_version(
    center: Center, report: ReportData, source_name: str, user: Any, sample: bool
) -> ReportVersion:
    fiscal_year = report.metadata.fiscal_year
    record, _new = AnnualReport.objects.select_for_update().get_or_create(
        center=center,
        fiscal_year=fiscal_year,
        is_sample=sample,
        defaults={"state": AnnualReport.State.ACCEPTED if sample else AnnualReport.State.DRAFT},
    )
    if not sample:
        record.check_action(Action.UPLOAD, user)
    number = (record.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    data = report.model_dump(mode="json")
    version = ReportVersion.objects.create(
        report=record,
        number=number,
        data=data,
        sha256=_digest(data),
        source_name=source_name[:255],
        **by(user, _label(user)),
    )
    if not sample:
        record.state = record.next_state(Action.UPLOAD)
        record.save()
    ReportEvent.objects.create(
        report=record,
        action=Action.LOAD_SAMPLE if sample else Action.UPLOAD,
        state=record.state,
        version=version,
        **by(user, _label(user)),
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


# a report's action -> the event it is recorded as
ACTION_EVENTS: dict[str, str] = {
    Action.SUBMIT: "report.submitted",
    Action.ACCEPT: "report.accepted",
    Action.RETURN: "report.returned",
}


def act(report: AnnualReport, action: str, user: Any, comment: str = "") -> AnnualReport:
    """Submit, accept or return ``report`` (returning needs a comment).

    Raises:
        PermissionDenied, ValidationError: see :meth:`AnnualReport.check_action`.
    """
    event = ACTION_EVENTS.get(action, f"report.{action}")
    with recording(
        event, report.center, by=user, fiscal_year=report.fiscal_year, comment=comment.strip()
    ):
        return _act(report, action, user, comment)


def _act(report: AnnualReport, action: str, user: Any, comment: str) -> AnnualReport:
    report = AnnualReport.objects.select_for_update().select_related("center").get(pk=report.pk)
    report.check_action(action, user)
    if action == Action.RETURN and not comment.strip():
        raise ValidationError(_("Say what the center office should change."))
    report.state = report.next_state(action)
    report.save()
    ReportEvent.objects.create(
        report=report,
        action=action,
        state=report.state,
        version=report.latest_version(),
        comment=comment.strip(),
        **by(user, _label(user)),
    )
    if action == Action.ACCEPT:
        accepted = report.latest_version()
        assert accepted is not None  # a report is submitted with a version
        join_pis(report.center, accepted.content, f"{report} v{accepted.number} (accepted)")
        from kyoten.evaluation.services import take_responses

        take_responses(report.center, accepted.content)
    return report


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


def comparison_reports(
    fiscal_year: int, centers: list[Center], until: int | None = None
) -> list[ReportData]:
    """The report shown for each of ``centers`` in ``fiscal_year`` (to ``until``, if given):
    the comparison table."""
    return [v.content for v in shown_versions(centers, fiscal_year, until=until)]
