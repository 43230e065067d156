"""Conflicts of interest: finding them, deciding them, and the one answer every check reads.

:func:`conflicted_centers` is what enforcement reads — the permission rules (no internal page
of the center), the working-group seats, the committee's absences: a person's *confirmed*
findings. :func:`blocking` is what assignment reads: a confirmed or a potential finding (a
potential one blocks assignment until the PD/PO decides it).

Detection (:func:`detect`) reads the persons who review — the expert pool, the committee, the
PD and Deputy PD, the working groups' experts — and, for each center, its host and partner
institutions, its director and PIs from the latest accepted annual report, the persons
affiliated with it, and the publications ingested by ``kyoten bib ingest`` (the folder of the
latest published indicator run, or the one given). It keeps the findings it makes up to date:
new evidence on a finding a person decided is flagged for a second look, a finding no longer
found is removed unless a person decided it. Declarations and the office's records are never
touched by detection.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from kyoten import coi
from kyoten.accounts.models import Membership, Role
from kyoten.audit.context import recording
from kyoten.bibliometrics.coauthors import works_with
from kyoten.coi import detect as found
from kyoten.conflicts.models import RULE_DECIDER, Expert, Finding, rules
from kyoten.outcomes.models import IndicatorRun
from kyoten.people.models import Person
from kyoten.registry.models import Center
from kyoten.submissions.models import Action, AnnualReport, ReportEvent

REASON_MAX = 5_000  # characters of a decision's reason or a declaration's note
# roles whose holders are checked: they read or review centers not their own
REVIEWING_ROLES = (
    Role.COMMITTEE,
    Role.PROGRAM_DIRECTOR,
    Role.DEPUTY_PROGRAM_DIRECTOR,
    Role.WORKING_GROUP,
)
DAY = datetime.timedelta(days=1)


# --- what enforcement and assignment read ------------------------------------------------


def conflicted_centers(person_ids: Iterable[int]) -> frozenset[int]:
    """The centers the persons have a confirmed conflict of interest with."""
    return frozenset(
        Finding.objects.filter(
            person__in=list(person_ids), status=Finding.Status.CONFIRMED
        ).values_list("center_id", flat=True)
    )


def blocking(person: Person, center: Center) -> Finding | None:
    """A finding that keeps ``person`` out of ``center``'s working group: confirmed, or
    potential until decided (the confirmed one first)."""
    return (
        Finding.objects.filter(
            person=person,
            center=center,
            status__in=[Finding.Status.CONFIRMED, Finding.Status.POTENTIAL],
        )
        .order_by("status")  # "confirmed" sorts before "potential"
        .first()
    )


def standing_findings(person: Person) -> QuerySet[Finding]:
    """The person's confirmed and potential findings (what their pages list)."""
    return person.findings.filter(
        status__in=[Finding.Status.CONFIRMED, Finding.Status.POTENTIAL]
    ).select_related("center")


def conflicted_persons(center: Center) -> QuerySet[Person]:
    """Persons with a confirmed conflict with ``center``."""
    return Person.objects.filter(
        findings__center=center, findings__status=Finding.Status.CONFIRMED
    ).distinct()


# --- detection ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Detected:
    """What a detection run changed."""

    new: int
    updated: int
    removed: int
    flagged: int
    persons: int
    works: int
    data_folder: str | None


def reviewers(day: datetime.date) -> QuerySet[Person]:
    """The persons detection checks: the expert pool, the program committee as listed, and
    whoever holds a reviewing role."""
    holders = Membership.objects.in_force(day).filter(role__in=list(REVIEWING_ROLES))
    return Person.objects.filter(
        Q(expert__active=True)
        | Q(committee_seat__isnull=False)
        | Q(pk__in=holders.values("person"))
    ).distinct()


def _span(starts: datetime.date | None, last_day: datetime.date | None) -> found.Span:
    """A span from its first and last day (a roster's end date is its last day)."""
    return found.Span(starts, last_day + DAY if last_day else None)


def _person_facts(person: Person) -> found.Person:
    affiliations = tuple(
        found.Affiliation(
            name=a.organisation_en
            or (a.institution.name_en if a.institution else "")
            or (a.center.name_en if a.center else ""),
            source="; ".join(a.sources) or f"Kyoten person {person.pk}",
            institution=a.institution.key if a.institution else None,
            center=a.center.key if a.center else None,
            ror=a.ror_id or (a.institution.ror_id if a.institution else "") or None,
            position=a.position_en,
            span=found.Span(a.starts, a.ends),
            name_ja=a.organisation_ja
            or (a.institution.name_ja if a.institution else "")
            or (a.center.name_ja if a.center else ""),
            position_ja=a.position_ja,
        )
        for a in person.affiliations.all()
    )
    names = (
        person.family_name_en,
        person.given_name_en,
        person.family_name_ja,
        person.given_name_ja,
    )
    return found.Person(
        str(person.pk), names, person.orcid or None, person.openalex_id or None, affiliations
    )


def _latest_accepted(center: Center) -> Any:
    event = (
        ReportEvent.objects.filter(
            report__center=center,
            report__is_sample=False,
            report__state=AnnualReport.State.ACCEPTED,
            action=Action.ACCEPT,
        )
        .select_related("version", "report")
        .order_by("-report__fiscal_year", "-at")
        .first()
    )
    return event.version if event else None


def _center_facts(center: Center) -> found.Center:
    institutions = tuple(
        found.Institution(
            key=link.institution.key,
            names=tuple(
                filter(
                    None,
                    [
                        link.institution.name_en,
                        link.institution.name_ja,
                        *(
                            n
                            for r in link.institution.renames.all()
                            for n in (r.name_en, r.name_ja)
                        ),
                    ],
                )
            ),
            ror=link.institution.ror_id or None,
            role=link.role,
        )
        for link in center.links_set.all()
    )
    members: list[found.Member] = []
    version = _latest_accepted(center)
    if version is not None:
        source = f"{center.short_name} FY{version.report.fiscal_year} report v{version.number}"
        report = version.content
        if report.metadata.center_director:
            members.append(found.Member("director", report.metadata.center_director, source))
        members += [
            found.Member(
                "pi", row.name, source, row.orcid, span=_span(row.start_date, row.end_date)
            )
            for row in report.roster
            if row.is_pi
        ]
    for affiliation in center.affiliations.select_related("person"):
        person = affiliation.person
        members.append(
            found.Member(
                "pi" if affiliation.position_en == "PI" else "member",
                person.name_en,
                "; ".join(affiliation.sources) or f"Kyoten person {person.pk}",
                person.orcid or None,
                person.openalex_id or None,
                found.Span(affiliation.starts, affiliation.ends),
            )
        )
    return found.Center(center.key, center.short_name, institutions, tuple(members))


def publication_run() -> IndicatorRun | None:
    """The latest published indicator run, if the publication data it was computed from is
    still in its folder (co-authorship is found there)."""
    run = IndicatorRun.objects.order_by("-at").first()
    if run is None or not (Path(run.data_folder) / "authorships.parquet").is_file():
        return None
    return run


def publication_folder() -> Path | None:
    """The folder of the latest run's publication data, if it is still there."""
    run = publication_run()
    return Path(run.data_folder) if run else None


def _works(
    rule_set: coi.RuleSet, day: datetime.date, persons: list[found.Person],
    centers: list[found.Center], folder: Path | None,
) -> list[found.Work]:  # fmt: skip
    if folder is None:
        return []
    since = min(
        (r.window_start(day) or datetime.date.min for r in rule_set.rules if r.evidence == "works"),
        default=day,
    )
    anchors = {i for c in centers for m in c.members for i in (m.orcid, m.openalex) if i}
    candidates = {i for p in persons for i in (p.orcid, p.openalex) if i}
    shared = works_with(folder, anchors=anchors, candidates=candidates, since_year=since.year)
    return [
        found.Work(
            w.doi,
            w.year,
            w.authors_total,
            tuple(found.Author(a.name, a.orcid, a.openalex) for a in w.authors),
        )
        for w in shared
    ]


def _digest(evidence: list[dict[str, Any]]) -> str:
    """What the evidence says, leaving out the Japanese wording of names (kept for the page
    since 2026-12: a finding decided before is not new evidence for gaining it)."""
    said = [{k: v for k, v in item.items() if not k.endswith("_ja")} for item in evidence]
    return hashlib.sha256(json.dumps(said, sort_keys=True).encode()).hexdigest()


def detect(
    *, on: datetime.date | None = None, folder: Path | None = None, by: Any = None
) -> Detected:
    """Find conflicts of interest as the module says, in one audited event."""
    day = on or timezone.localdate()
    rule_set = rules().version_for(day)
    folder = folder or publication_folder()
    checked = list(
        reviewers(day).prefetch_related("affiliations__institution", "affiliations__center")
    )
    persons = [_person_facts(p) for p in checked]
    centers_by_key = {
        c.key: c for c in Center.objects.prefetch_related("links_set__institution__renames")
    }
    centers = [_center_facts(c) for c in centers_by_key.values()]
    works = _works(rule_set, day, persons, centers, folder)
    results = found.detect(rule_set, day, persons, centers, works)
    new = updated = removed = flagged = 0
    with recording("conflicts.detected", by=by, on=day.isoformat()) as event:
        existing = {
            (f.rule, str(f.person_id), f.center.key): f
            for f in Finding.objects.filter(detected=True).select_related("center")
        }
        for result in results:
            finding = existing.pop(result.key, None)
            if finding is None:
                new += 1
                _create(result, rule_set, day, centers_by_key[result.center])
            elif _digest(finding.evidence) == _digest(result.evidence):
                if finding.evidence != result.evidence:  # only the Japanese wording is new
                    finding.evidence = result.evidence
                    finding.save(update_fields=["evidence"])
            else:
                updated += 1
                finding.evidence = result.evidence
                finding.identified_by = result.identified_by
                finding.found_on = day
                if finding.decided_by_person:
                    finding.evidence_changed = True
                    flagged += 1
                elif finding.status != result.status:
                    finding.status = result.status
                    _decided_by_rule(finding, result.status)
                finding.save()
        for stale in existing.values():
            if not stale.decided_by_person:
                removed += 1
                stale.delete()
        event.data.update(new=new, updated=updated, removed=removed, flagged=flagged)
        event.save(update_fields=["data"])
    return Detected(
        new, updated, removed, flagged, len(persons), len(works), str(folder) if folder else None
    )


def _decided_by_rule(finding: Finding, status: str) -> None:
    confirmed = status == Finding.Status.CONFIRMED
    finding.decided_at = timezone.now() if confirmed else None
    finding.decided_by_label = RULE_DECIDER if confirmed else ""


def _create(
    result: found.Finding, rule_set: coi.RuleSet, day: datetime.date, center: Center
) -> None:
    finding = Finding(
        rule=result.rule,
        rules_version=rule_set.key,
        person_id=int(result.person),
        center=center,
        status=result.status,
        identified_by=result.identified_by,
        evidence=result.evidence,
        detected=True,
        found_on=day,
    )
    _decided_by_rule(finding, result.status)
    finding.save()


# --- decisions and declarations ----------------------------------------------------------

DECISIONS = (Finding.Status.CONFIRMED, Finding.Status.WAIVED, Finding.Status.DISMISSED)


def decide(finding: Finding, status: str, reason: str, by: Any) -> None:
    """The PD/PO's decision on a finding: confirm it, waive it or dismiss it (a waiver or a
    dismissal says why). A relation only to disclose is never decided."""
    reason = reason.strip()
    if finding.status == Finding.Status.NOTED:
        raise ValidationError(
            gettext_lazy("This relation is recorded only; it is not a conflict to decide.")
        )
    if status not in DECISIONS:
        raise ValidationError(gettext_lazy("Choose confirm, waive or dismiss."))
    if status != Finding.Status.CONFIRMED and not reason:
        raise ValidationError(gettext_lazy("Give the reason for a waiver or a dismissal."))
    if len(reason) > REASON_MAX:
        raise ValidationError(
            gettext_lazy("The reason is %(n)s characters long; at most %(max)s fit."),
            params={"n": len(reason), "max": REASON_MAX},
        )
    with recording(
        "conflict.decided",
        finding.center,
        by=by,
        person_en=finding.person.name_en,
        person_ja=finding.person.name_ja,
        rule=finding.rule,
        was_status=finding.status,
        finding_status=status,
    ):
        finding.status = status
        finding.reason = reason
        finding.decided_at = timezone.now()
        finding.decided_by = by
        finding.decided_by_label = by.get_username()
        finding.evidence_changed = False
        finding.save()


def declare(person: Person, center: Center, rule_id: str, note: str, *, by: Any) -> Finding:
    """A conflict declared by the person (or recorded by the office on their word): confirmed
    at once. A rule the person cannot declare is refused."""
    rule_set = rule_set_for_today()
    note = note.strip()
    if rule_id not in {r.id for r in rule_set.declarable()}:
        raise ValidationError(gettext_lazy("Choose the kind of conflict."))
    if len(note) > REASON_MAX:
        raise ValidationError(
            gettext_lazy("The note is %(n)s characters long; at most %(max)s fit."),
            params={"n": len(note), "max": REASON_MAX},
        )
    return _declared(person, center, rule_set, rule_id, note, by, "conflict.declared")


def rule_set_for_today() -> coi.RuleSet:
    return rules().version_for(timezone.localdate())


def declared_at_seat(person: Person, center: Center, context: str, by: Any) -> Finding:
    """A conflict the person declared when invited to a working group (inside the seat's
    own audited event): a confirmed finding of rule ``declared``."""
    return _declared(person, center, rule_set_for_today(), "declared", context, by, None)


def stated_no_conflict(person: Person, center: Center, context: str, by: Any) -> Finding:
    """Keep a person's statement that they have no conflict with ``center`` (made before
    reading a case's materials) with the findings: noted, never a conflict. Called inside
    the statement's own audited event."""
    return _declared(
        person, center, rule_set_for_today(), "no_conflict_statement", context, by, None
    )


def _declared(
    person: Person, center: Center, rule_set: coi.RuleSet, rule_id: str, note: str, by: Any,
    event: str | None,
) -> Finding:  # fmt: skip
    day = timezone.localdate()
    status = (
        Finding.Status.NOTED
        if rule_set.rule(rule_id).effect == "disclose"
        else Finding.Status.CONFIRMED
    )
    item = {
        "kind": "declaration",
        "note": note,
        "on": day.isoformat(),
        "by": by.get_username() if by else "",
        "identified_by": "declaration",
    }

    def save() -> Finding:
        finding = Finding.objects.filter(rule=rule_id, person=person, center=center).first()
        if finding is None:
            finding = Finding(
                rule=rule_id, person=person, center=center, rules_version=rule_set.key, found_on=day
            )
        finding.evidence = [*finding.evidence, item][-20:]  # the latest statements, bounded
        finding.status = status
        finding.identified_by = Finding.Identified.DECLARATION
        finding.detected = False
        finding.decided_at = timezone.now()
        finding.decided_by = by
        finding.decided_by_label = by.get_username() if by else "system"
        finding.save()
        return finding

    if event is None:
        return save()
    with recording(
        event,
        center,
        by=by,
        person_en=person.name_en,
        person_ja=person.name_ja,
        rule=rule_id,
    ):
        return save()


def after_assignment(findings: QuerySet[Finding]) -> QuerySet[Finding]:
    """Of ``findings``, those (confirmed or potential) of a person seated in a working group
    of the center in an unpublished cycle: the office replaces the member or decides."""
    from kyoten.evaluation.models import Seat

    seated = Seat.objects.exclude(state=Seat.State.DECLINED).filter(
        case__cycle__published_at__isnull=True
    )
    pairs = Q(pk__in=[])
    for person_id, center_id in seated.values_list("person_id", "case__center_id").distinct():
        pairs |= Q(person_id=person_id, center_id=center_id)
    return findings.filter(pairs).filter(
        status__in=[Finding.Status.CONFIRMED, Finding.Status.POTENTIAL]
    )


def pool() -> QuerySet[Expert]:
    return Expert.objects.filter(active=True).select_related("person")


def save_expert(form: Any, person: Person, *, by: Any) -> Expert:
    """Save a valid :class:`~kyoten.conflicts.forms.ExpertForm` as ``person``'s profile in the
    expert pool (new or changed)."""
    expert = form.save(commit=False)
    expert.person = person
    with recording("expert.saved", by=by, person_en=person.name_en, person_ja=person.name_ja):
        expert.save()
    return expert
