"""A center's lifecycle: support period, evaluations, stage gate, end of support, WPI Academy.

Nothing here is stored as a count or a status. A center is described by its track, the fiscal
year it was selected in, the day its support began and the decisions recorded for it (dated
events); everything else — when support ends, which fiscal year the interim evaluation falls
in, whether the center is supported or a WPI Academy center on a given day — is computed.
The schedule is data with its sources: the support period and the WPI CORE stage-gate deadline
come from the rulebook (``period.support_years``, ``stage_gate.deadline``) for the center's
era and track; the year of the interim evaluation, which the rulebook does not hold, from
``kyoten/data/lifecycle.yaml``.

Fiscal years run April to March: support for a center selected in FY2007 covers FY2007 to
FY2016 (10 fiscal years) and ends on 31 March 2017.

Example:
    >>> import datetime
    >>> schedule = Schedule(support_years=10, interim_year=5, stage_gate_by_year=5,
    ...                     extension_max_years=5)
    >>> ipmu = CenterFacts(
    ...     track="wpi",
    ...     selection_fiscal_year=2007,
    ...     support_start=datetime.date(2007, 10, 1),
    ...     events=(Event("extension", datetime.date(2015, 2, 1), years=5),),
    ... )
    >>> life = compute(ipmu, schedule)
    >>> life.support_end, life.interim_evaluation_fiscal_year, life.final_evaluation_fiscal_year
    (datetime.date(2022, 3, 31), 2011, 2021)
    >>> status_on(ipmu, schedule, datetime.date(2020, 4, 1))
    'supported'
    >>> status_on(ipmu, schedule, datetime.date(2022, 4, 1))
    'ended'
"""

from __future__ import annotations

import datetime
import functools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Literal, get_args

import yaml

from kyoten.fiscal import fiscal_year_end, fiscal_year_of, fiscal_year_start
from kyoten.program import load_program
from kyoten.text import Bilingual, KyotenError

TrackId = Literal["wpi", "core", "multiple_host"]
EventKind = Literal[
    "interim_evaluation",
    "final_evaluation",
    "extension",
    "stage_gate_passed",
    "support_terminated",
    "academy_admission",
]
Status = Literal["not_started", "supported", "academy", "ended"]

TRACKS: tuple[TrackId, ...] = get_args(TrackId)
EVENT_KINDS: tuple[EventKind, ...] = get_args(EventKind)
STATUSES: tuple[Status, ...] = get_args(Status)


@dataclass(frozen=True)
class Schedule:
    """The program's timetable, in years counted from the selection fiscal year (1 = first).

    Attributes:
        support_years: how many fiscal years support lasts before any extension.
        interim_year: the year of support in which the interim evaluation is held.
        stage_gate_by_year: for WPI CORE, the year of support by which the stage gate is held
            (None for tracks without a stage gate).
        sources: where each value comes from (addresses).
        extension_max_years: the most years of extension the rulebook allows (0: none).
    """

    support_years: int
    interim_year: int
    stage_gate_by_year: int | None
    sources: tuple[str, ...] = ()
    extension_max_years: int = 0


# The days the program's pages can show (the overview's day range), and within which a
# decision takes effect: the program's first call to 2100.
FIRST_DAY = datetime.date(2007, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)


@dataclass(frozen=True)
class Event:
    """A decision recorded for a center, effective on ``date``.

    ``years`` is the length of an extension and only set for ``extension``.
    """

    kind: EventKind
    date: datetime.date
    years: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in EVENT_KINDS:
            raise KyotenError(
                Bilingual(
                    en=f"unknown kind of decision; expected one of {', '.join(EVENT_KINDS)}",
                    ja=f"決定の種類が不明です。{', '.join(EVENT_KINDS)} のいずれかを指定してください",
                ),
                location="event.kind",
                value=self.kind,
            )
        if (self.kind == "extension") != (self.years is not None):
            raise KyotenError(
                Bilingual(
                    en="an extension needs its length in years, and only an extension has one",
                    ja="延長には年数が必要です（延長以外には年数を指定しません）",
                ),
                location=f"event.{self.kind}.years",
                value=self.years,
            )
        if self.years is not None and self.years < 1:
            raise KyotenError(
                Bilingual(
                    en="an extension lasts at least one year",
                    ja="延長は1年以上です",
                ),
                location="event.extension.years",
                value=self.years,
            )


@dataclass(frozen=True)
class CenterFacts:
    """What the lifecycle is computed from: the center's track, selection and decisions."""

    track: TrackId
    selection_fiscal_year: int
    support_start: datetime.date
    events: tuple[Event, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.track not in TRACKS:
            raise KyotenError(
                Bilingual(
                    en=f"unknown track; expected one of {', '.join(TRACKS)}",
                    ja=f"枠組みが不明です。{', '.join(TRACKS)} のいずれかを指定してください",
                ),
                location="center.track",
                value=self.track,
            )
        if fiscal_year_of(self.support_start) < self.selection_fiscal_year:
            raise KyotenError(
                Bilingual(
                    en="support cannot start before the fiscal year of selection",
                    ja="支援開始日は採択年度より前にはできません",
                ),
                location="center.support_start",
                value=self.support_start.isoformat(),
            )


@dataclass(frozen=True)
class Milestone:
    """A point on a center's timeline: recorded (a decision) or scheduled (computed)."""

    date: datetime.date
    kind: str
    recorded: bool


def event_problem(
    facts: CenterFacts, schedule: Schedule, event: Event, earlier: Sequence[Event] = ()
) -> Bilingual | None:
    """Why ``event`` cannot apply to the center (None if it can), given the decisions already
    applied before it (``earlier``, in date order): the bounds of the program and the
    rulebook, and the center's state on the decision's date.

    - every decision takes effect within the program's days and not before support started;
    - the WPI Academy is joined once, after the regular support period (a center in its
      extension may already be a member, as Kavli IPMU was);
    - every other decision takes effect while the center is supported (not after its support
      ended or was terminated);
    - an extension stays within the rulebook's years for the center's era and track;
    - only a WPI CORE center passes a stage gate, and only once.

    >>> ipmu = CenterFacts("wpi", 2007, datetime.date(2007, 10, 1))
    >>> event_problem(ipmu, schedule_for("wpi", 2007), Event("extension", datetime.date(2015, 2, 1), 5))
    >>> event_problem(ipmu, schedule_for("wpi", 2007), Event("extension", datetime.date(2015, 2, 1), 99999)).en
    'an extension lasts at most 5 years in all for this center (the rulebook for its era and track)'
    >>> event_problem(ipmu, schedule_for("wpi", 2007), Event("academy_admission", datetime.date(2012, 4, 1))).en
    'a center joins the WPI Academy once its regular support period has ended (2017-03-31 for this center)'
    """
    if not FIRST_DAY <= event.date <= LAST_DAY:
        return Bilingual(
            en=f"a decision takes effect between {FIRST_DAY} and {LAST_DAY}",
            ja=f"決定の効力発生日は{FIRST_DAY}から{LAST_DAY}までの日付です",
        )
    if event.date < facts.support_start:
        return Bilingual(
            en=f"a decision cannot take effect before support started ({facts.support_start})",
            ja=f"支援開始日（{facts.support_start}）より前の決定は記録できません",
        )
    before = _state(facts, schedule, earlier)
    if event.kind == "academy_admission":
        if before.academy_since is not None:
            return Bilingual(
                en=f"this center already joined the WPI Academy on {before.academy_since}",
                ja=f"この拠点は{before.academy_since}にWPIアカデミー拠点になっています",
            )
        if event.date <= before.scheduled_end:
            return Bilingual(
                en="a center joins the WPI Academy once its regular support period has ended "
                f"({before.scheduled_end} for this center)",
                ja="WPIアカデミーへの移行は、通常の支援期間の終了後です"
                f"（この拠点は{before.scheduled_end}まで支援中）",
            )
        return None
    if event.date > before.support_end:
        ended = "was terminated" if before.terminated else "ended"
        ended_ja = "打ち切られています" if before.terminated else "終了しています"
        return Bilingual(
            en=f"this decision must take effect while the center is supported; its support "
            f"{ended} on {before.support_end}",
            ja=f"この決定は支援期間中の日付が必要です。この拠点の支援は{before.support_end}で"
            f"{ended_ja}",
        )
    if event.kind == "extension":
        allowed = schedule.extension_max_years - before.extension_years
        if schedule.extension_max_years == 0:
            return Bilingual(
                en="the rulebook allows no extension for this center's era and track",
                ja="この拠点の採択時期・枠組みではルールブック上延長がありません",
            )
        if (event.years or 0) > allowed:
            return Bilingual(
                en=f"an extension lasts at most {schedule.extension_max_years} years in all for "
                "this center (the rulebook for its era and track)",
                ja=f"この拠点の延長は通算{schedule.extension_max_years}年までです"
                "（採択時期・枠組みのルールブックによる）",
            )
    if event.kind == "stage_gate_passed":
        if facts.track != "core" or schedule.stage_gate_by_year is None:
            return Bilingual(
                en="only a WPI CORE center passes a stage gate",
                ja="ステージゲート審査はWPI COREの拠点のみです",
            )
        passed = [e.date for e in earlier if e.kind == "stage_gate_passed"]
        if passed:
            return Bilingual(
                en=f"this center already passed its stage gate on {passed[0]} (a center steps "
                "up once)",
                ja=f"この拠点は{passed[0]}にステージゲート審査を通過済みです（ステップアップは1回のみ）",
            )
    return None


@dataclass(frozen=True)
class _State:
    """Where a center stands after some decisions: what :func:`event_problem` checks."""

    scheduled_end: datetime.date
    support_end: datetime.date
    extension_years: int
    terminated: bool
    academy_since: datetime.date | None


def _state(facts: CenterFacts, schedule: Schedule, applied: Sequence[Event]) -> _State:
    first = facts.selection_fiscal_year
    extension_years = sum(e.years or 0 for e in applied if e.kind == "extension")
    scheduled_end = fiscal_year_end(first + schedule.support_years - 1)
    support_end = fiscal_year_end(first + schedule.support_years - 1 + extension_years)
    terminations = [e for e in applied if e.kind == "support_terminated"]
    if terminations:
        support_end = min(support_end, terminations[0].date - datetime.timedelta(days=1))
    academy = [e.date for e in applied if e.kind == "academy_admission"]
    return _State(
        scheduled_end=scheduled_end,
        support_end=support_end,
        extension_years=extension_years,
        terminated=bool(terminations),
        academy_since=academy[0] if academy else None,
    )


@dataclass(frozen=True)
class SetAside:
    """A recorded decision the lifecycle does not apply, and why."""

    event: Event
    reason: Bilingual


@dataclass(frozen=True)
class Lifecycle:
    """Everything derived from a center's facts (see :func:`compute`)."""

    support_start: datetime.date
    scheduled_end: datetime.date
    support_end: datetime.date
    extension_years: int
    interim_evaluation_fiscal_year: int
    final_evaluation_fiscal_year: int
    stage_gate_due_fiscal_year: int | None
    stage_gate_passed_fiscal_year: int | None
    academy_since: datetime.date | None
    terminated: bool
    milestones: tuple[Milestone, ...]
    set_aside: tuple[SetAside, ...] = ()


def _applicable(facts: CenterFacts, schedule: Schedule) -> tuple[list[Event], list[SetAside]]:
    """The decisions in date order, split into those that apply and those set aside."""
    applied: list[Event] = []
    set_aside: list[SetAside] = []
    for event in sorted(facts.events, key=lambda e: (e.date, EVENT_KINDS.index(e.kind))):
        reason = event_problem(facts, schedule, event, applied)
        if reason is None:
            applied.append(event)
        else:
            set_aside.append(SetAside(event, reason))
    return applied, set_aside


def compute(facts: CenterFacts, schedule: Schedule) -> Lifecycle:
    """Derive the support period, evaluations, stage gate and Academy membership.

    - Support runs from ``support_start`` to the end of fiscal year
      ``selection + support_years - 1``, plus the years of every extension granted, unless a
      ``support_terminated`` decision ends it earlier (on the day before that decision).
    - The interim evaluation falls in year ``interim_year``; the final evaluation in the last
      fiscal year of support.
    - WPI CORE only: the stage gate is due by year ``stage_gate_by_year``; the fiscal year it
      was passed is that of the ``stage_gate_passed`` decision (the higher cap applies from the
      next fiscal year — the rulebook's business).
    - WPI Academy membership starts with an ``academy_admission`` decision.
    - A decision out of bounds (see :func:`event_problem`) is set aside, not applied: no
      stored decision can make the lifecycle, or a page, fail.

    >>> facts = CenterFacts("core", 2024, datetime.date(2024, 10, 1),
    ...                     (Event("stage_gate_passed", datetime.date(2027, 2, 1)),))
    >>> life = compute(facts, Schedule(10, 5, 5))
    >>> life.stage_gate_due_fiscal_year, life.stage_gate_passed_fiscal_year
    (2028, 2026)
    """
    events, set_aside = _applicable(facts, schedule)
    state = _state(facts, schedule, events)
    first = facts.selection_fiscal_year
    stage_passed = [e for e in events if e.kind == "stage_gate_passed"]
    interim_fy = first + schedule.interim_year - 1
    final_fy = fiscal_year_of(state.support_end)
    gate_year = schedule.stage_gate_by_year if facts.track == "core" else None
    stage_due = first + gate_year - 1 if gate_year is not None else None
    support_end = state.support_end

    milestones = [
        Milestone(facts.support_start, "support_start", recorded=True),
        Milestone(fiscal_year_start(interim_fy), "interim_evaluation_due", recorded=False),
        Milestone(fiscal_year_start(final_fy), "final_evaluation_due", recorded=False),
        Milestone(support_end, "support_end", recorded=False),
    ]
    if stage_due is not None:
        milestones.append(Milestone(fiscal_year_end(stage_due), "stage_gate_due", False))
    milestones.extend(Milestone(e.date, e.kind, recorded=True) for e in events)
    return Lifecycle(
        support_start=facts.support_start,
        scheduled_end=state.scheduled_end,
        support_end=support_end,
        extension_years=state.extension_years,
        interim_evaluation_fiscal_year=interim_fy,
        final_evaluation_fiscal_year=final_fy,
        stage_gate_due_fiscal_year=stage_due,
        stage_gate_passed_fiscal_year=fiscal_year_of(stage_passed[0].date)
        if stage_passed
        else None,
        academy_since=state.academy_since,
        terminated=state.terminated,
        milestones=tuple(sorted(milestones, key=lambda m: (m.date, m.kind))),
        set_aside=tuple(set_aside),
    )


def status_on(facts: CenterFacts, schedule: Schedule, day: datetime.date) -> Status:
    """The center's status on ``day``.

    ``supported`` while WPI support runs (a center in an extension that is also an Academy
    member counts as supported), then ``academy`` from its admission to the WPI Academy, or
    ``ended`` if support ended without it; ``not_started`` before support starts (not yet
    selected, or selected and not yet launched).

    >>> facts = CenterFacts("wpi", 2010, datetime.date(2010, 12, 1),
    ...                     (Event("academy_admission", datetime.date(2020, 4, 1)),))
    >>> [status_on(facts, Schedule(10, 5, 5), datetime.date(y, 4, 1)) for y in (2010, 2019, 2020)]
    ['not_started', 'supported', 'academy']
    """
    life = compute(facts, schedule)
    if day < life.support_start:
        return "not_started"
    if day <= life.support_end:
        return "supported"
    if life.academy_since is not None and day >= life.academy_since:
        return "academy"
    return "ended"


def count_by_status(centers: Iterable[CenterFacts], day: datetime.date) -> dict[Status, int]:
    """How many centers are in each status on ``day`` (every status present, zeros included);
    each center on the schedule of its own track and era.

    >>> a = CenterFacts("wpi", 2017, datetime.date(2017, 10, 1))
    >>> count_by_status([a], datetime.date(2018, 1, 1))
    {'not_started': 0, 'supported': 1, 'academy': 0, 'ended': 0}
    """
    counts = Counter(
        status_on(c, schedule_for(c.track, c.selection_fiscal_year), day) for c in centers
    )
    return {status: counts.get(status, 0) for status in STATUSES}


def schedule_for(track: TrackId, selection_fiscal_year: int) -> Schedule:
    """The schedule of a center of ``track`` selected in ``selection_fiscal_year``.

    >>> schedule_for("core", 2023).stage_gate_by_year, schedule_for("wpi", 2007).support_years
    (5, 10)
    >>> schedule_for("wpi", 2017).stage_gate_by_year is None
    True
    """
    program = load_program("wpi")
    era = program.era_for(selection_fiscal_year).id
    period = program.requirement("period.support_years").value_for(era, track)
    if period is None:
        raise KyotenError(
            Bilingual(
                en=f"the rulebook has no support period for this track in the era {era}",
                ja=f"ルールブックに {era} のこの枠組みの支援期間がありません",
            ),
            location="center.track",
            value=track,
        )
    gate = program.requirement("stage_gate.deadline").value_for(era, track)
    interim_year, interim_sources = _interim_year()
    return Schedule(
        extension_max_years=period.extension or 0,
        support_years=period.value,
        interim_year=interim_year,
        stage_gate_by_year=gate.value if gate is not None else None,
        sources=tuple(
            dict.fromkeys(
                [s.url or s.document or s.title for s in period.sources]
                + [s.url or s.document or s.title for s in (gate.sources if gate else ())]
                + interim_sources
            )
        ),
    )


@functools.cache
def _interim_year() -> tuple[int, list[str]]:
    """The year of the interim evaluation, from ``kyoten/data/lifecycle.yaml``."""
    text = resources.files("kyoten").joinpath("data/lifecycle.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    entry = data.get("interim_year") if isinstance(data, dict) else None
    if not isinstance(entry, dict):
        entry = {}
    value = entry.get("value")
    sources = entry.get("sources")
    if not isinstance(value, int) or isinstance(value, bool) or value < 1 or not sources:
        raise KyotenError(
            Bilingual(
                en="expected a positive whole number of years with its sources",
                ja="年数（正の整数）と出典が必要です",
            ),
            location="kyoten/data/lifecycle.yaml: interim_year",
            value=value,
        )
    return value, [str(s) for s in sources]
