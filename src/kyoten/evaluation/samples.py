"""A sample annual follow-up, so that a new installation shows a filled-in evaluation.

``kyoten load-samples`` adds it once: the follow-up of the last finished fiscal year for
every center supported then, reading each center's sample report of the year before, with
a working group of made-up experts (never the real committee: no review is attributed to a
real person), their submitted reviews, a consolidated assessment and the committee's
result — everything but the publication, so that no public page shows it. It also adds this
fiscal year's follow-up with the materials coming in and the working groups still to form
from the sample expert pool (:mod:`kyoten.conflicts.samples`), last year's groups being
their continuity. Both cycles are marked sample data on every page, and a real cycle of the
same year is opened beside them.
"""

from __future__ import annotations

import datetime

from kyoten.audit.context import acting_as
from kyoten.conflicts.samples import sample_pool
from kyoten.evaluation import services
from kyoten.evaluation.models import Case, Cycle, Phase, Recommendation, Review, Seat
from kyoten.fiscal import fiscal_year_of
from kyoten.people.models import Person
from kyoten.registry.models import Center
from kyoten.submissions.models import ReportVersion

JST = datetime.timezone(datetime.timedelta(hours=9))
# grades cycle through this pattern (reviewer i of center j takes PATTERN[i + j])
PATTERN = ["A", "S", "A", "B", "A", "A", "S"]
# last year's working groups are drawn from the first experts of the sample pool
SEATED_LAST_YEAR = 6


def _phases(fiscal_year: int) -> list[tuple[str, datetime.date, datetime.date]]:
    """The phases over the fiscal year, as a follow-up usually runs."""
    d = datetime.date
    spans = [
        (d(fiscal_year, 5, 1), d(fiscal_year, 6, 30)),
        (d(fiscal_year, 7, 1), d(fiscal_year, 9, 30)),
        (d(fiscal_year, 10, 1), d(fiscal_year, 10, 31)),
        (d(fiscal_year, 11, 1), d(fiscal_year, 12, 15)),
        (d(fiscal_year, 12, 16), d(fiscal_year + 1, 1, 31)),
    ]
    return [(p.id, *span) for p, span in zip(services.data().phases, spans, strict=True)]


def _noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=JST)


def _sample_version(case: Case) -> ReportVersion | None:
    return (
        ReportVersion.objects.filter(
            report__center=case.center,
            report__fiscal_year=case.cycle.fiscal_year - 1,
            report__is_sample=True,
        )
        .order_by("-number")
        .first()
    )


def load_sample_cycle(today: datetime.date) -> bool:
    """Add the sample follow-up of the last finished fiscal year; False if it is there."""
    fiscal_year = fiscal_year_of(today) - 1
    if Cycle.objects.filter(is_sample=True, fiscal_year=fiscal_year).exists():
        return False
    kind = services.data().cycle_type("annual_follow_up")
    centers = services.eligible_centers(kind, fiscal_year)
    if not centers:
        return False
    rubric = services.data().rubric_for(datetime.date(fiscal_year, 5, 1))
    with acting_as(None, "kyoten load-samples"):
        experts = sample_pool()[:SEATED_LAST_YEAR]
        cycle = Cycle.objects.create(
            cycle_type=kind.id,
            fiscal_year=fiscal_year,
            rubric=rubric.key,
            is_sample=True,
            actor_label="kyoten load-samples",
        )
        for order, (phase, starts, ends) in enumerate(_phases(fiscal_year)):
            Phase.objects.create(cycle=cycle, phase=phase, order=order, starts=starts, ends=ends)
        for j, center in enumerate(centers):
            _sample_case(cycle, center, j, experts, rubric.perspective_keys())
    return True


def _sample_case(
    cycle: Cycle, center: Center, j: int, experts: list[Person], keys: list[str]
) -> None:
    case = Case.objects.create(cycle=cycle, center=center)
    case.report_version = _sample_version(case)
    # answered when the materials came in, reviewed in the review phase (Japan time)
    phases = {p.phase: p for p in cycle.phases.all()}
    answered = _noon(phases["materials"].starts)
    reviewed = _noon(phases["review"].ends)
    overall = []
    # the chair one whose expert profile lets them chair (the page checks it), two others
    chairs = [p for p in experts if p.expert.may_chair]
    members = [p for p in experts if not p.expert.may_chair]
    seated = [chairs[j % len(chairs)], members[j % len(members)], members[(j + 1) % len(members)]]
    for i, person in enumerate(seated):
        seat = Seat.objects.create(
            case=case,
            person=person,
            role=Seat.Role.CHAIR if i == 0 else Seat.Role.MEMBER,
            state=Seat.State.ACCEPTED,
            responded_at=answered,
            no_conflict_confirmed_at=answered,
        )
        grades = {k: PATTERN[(i + j + n) % len(PATTERN)] for n, k in enumerate(keys)}
        overall.append(PATTERN[(i + j) % len(PATTERN)])
        Review.objects.create(
            seat=seat,
            grades=grades,
            overall=overall[-1],
            strengths="(Sample) Research output of high international visibility.",
            weaknesses="(Sample) The share of researchers from abroad fell this year.",
            improvements="(Sample) Recruit postdoctoral researchers internationally.",
            state=Review.State.SUBMITTED,
            submitted_at=reviewed,
        )
    case.consolidated_en = "(Sample) The working group finds the center on track."
    case.consolidated_ja = "（サンプル）作業部会は、拠点が計画どおり進捗していると評価した。"
    case.rating = max(set(overall), key=overall.count)
    case.decided_on = datetime.date(cycle.fiscal_year, 10, 20)
    case.comments_en = "(Sample) The committee commends the center's progress."
    case.comments_ja = "（サンプル）委員会は拠点の進捗を評価する。"
    case.save()
    Recommendation.objects.create(
        case=case,
        center=case.center,
        number=1,
        text_en="(Sample) Raise the share of researchers from abroad above 30% again.",
        text_ja="（サンプル）外国人研究者の比率を再び30%以上に高めること。",
    )


def _phases_from(today: datetime.date) -> list[tuple[str, datetime.date, datetime.date]]:
    """Phases around ``today``: the materials are coming in and the working groups are
    being formed."""
    day = datetime.timedelta(days=1)
    starts = [today - 14 * day, today + 22 * day, today + 91 * day, today + 121 * day,
              today + 151 * day]  # fmt: skip
    ends = [next_start - day for next_start in starts[1:]] + [today + 180 * day]
    return [
        (p.id, *span)
        for p, span in zip(services.data().phases, zip(starts, ends, strict=True), strict=True)
    ]


def load_sample_cycle_to_form(today: datetime.date) -> bool:
    """Add this fiscal year's sample follow-up, its materials coming in and its working
    groups still to form from the sample pool (False if it is there)."""
    fiscal_year = fiscal_year_of(today)
    if Cycle.objects.filter(is_sample=True, fiscal_year=fiscal_year).exists():
        return False
    kind = services.data().cycle_type("annual_follow_up")
    centers = services.eligible_centers(kind, fiscal_year)
    if not centers:
        return False
    with acting_as(None, "kyoten load-samples"):
        # the newest center's host, named by a sample expert: a conflict to decide first
        sample_pool(organisation=centers[-1].hosts[0].name_en)
        cycle = Cycle.objects.create(
            cycle_type=kind.id,
            fiscal_year=fiscal_year,
            rubric=services.data().rubric_for(today).key,
            is_sample=True,
            actor_label="kyoten load-samples",
        )
        for order, (phase, starts, ends) in enumerate(_phases_from(today)):
            Phase.objects.create(cycle=cycle, phase=phase, order=order, starts=starts, ends=ends)
        for center in centers:
            case = Case.objects.create(cycle=cycle, center=center)
            case.report_version = _sample_version(case)
            case.save(update_fields=["report_version"])
    return True
