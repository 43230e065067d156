"""Evaluation cycles as dated data: kinds of cycle, phases, materials, rubric, rating scale,
the decisions a cycle may lead to, and the rules a working group is checked against.

The data is ``kyoten/cycles/data/<program>.yaml``, checked when loaded (every problem named
by file and field); each value carries its sources, and values no source confirms are
marked ``unconfirmed`` so that every page shows them so. Nothing here turns grades into a
rating: the committee decides; :func:`spread` only shows how far the reviews lie apart.

Example:
    >>> cycles = load_cycles()
    >>> [g.id for g in cycles.rating_scale.grades], cycles.rating_scale.grades[1].unconfirmed
    (['S', 'A', 'B', 'C'], True)
    >>> cycles.rubric_for(datetime.date(2024, 4, 1)).id
    'missions-2020'
    >>> [o.id for o in cycles.cycle_type("interim_evaluation").outcomes]
    ['continue', 'continue_revised', 'terminate']
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kyoten import lifecycle
from kyoten.fiscal import fiscal_year_of, fiscal_year_start
from kyoten.text import Bilingual, KyotenError
from kyoten.validation import read_yaml, shipped_data, validated

Due = Literal[
    "every_fiscal_year", "interim_year", "final_year", "stage_gate_deadline", "extension_allowed"
]
EventDate = Literal["decision", "after_support_end", "next_fiscal_year"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text in both languages."""

    en: Annotated[str, Field(min_length=1)]
    ja: Annotated[str, Field(min_length=1)]

    def get(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en

    def bilingual(self) -> Bilingual:
        return Bilingual(en=self.en, ja=self.ja)


class Source(_Strict):
    title: str
    url: str | None = None
    document: str | None = None

    @property
    def address(self) -> str:
        return self.url or self.document or self.title


class Phase(_Strict):
    id: str
    title: Text


class Material(_Strict):
    """A kind of document a center's case holds: a report version pinned, or a PDF."""

    id: str
    title: Text
    form: Literal["report", "pdf"]
    pages_max: int | None = None
    sources: list[str]


class Grade(_Strict):
    id: str
    meaning: Text
    sources: list[str]
    unconfirmed: bool = False


class RatingScale(_Strict):
    """Grades from the highest down."""

    sources: list[str]
    note: Text
    grades: Annotated[list[Grade], Field(min_length=2)]

    def index(self, grade: str) -> int:
        """The step of ``grade`` on the scale (0 = the highest)."""
        return [g.id for g in self.grades].index(grade)


class Perspective(_Strict):
    id: str
    title: Text
    unconfirmed: bool = False


class Mission(_Strict):
    id: str
    title: Text
    ja_unconfirmed: bool = False
    sources: list[str] = []
    perspectives: Annotated[list[Perspective], Field(min_length=1)]


class Rubric(_Strict):
    """What a review grades: missions and their perspectives, versioned."""

    id: str
    version: int
    from_: datetime.date = Field(alias="from")
    title: Text
    sources: list[str]
    note: Text | None = None
    missions: Annotated[list[Mission], Field(min_length=1)]

    @property
    def key(self) -> str:
        """The id and version a cycle pins (``missions-2020@1``)."""
        return f"{self.id}@{self.version}"

    def perspective_keys(self) -> list[str]:
        """Every ``mission.perspective`` a review grades, in the rubric's order."""
        return [f"{m.id}.{p.id}" for m in self.missions for p in m.perspectives]


class MaterialNeed(_Strict):
    id: str
    required: bool
    unconfirmed: bool = False


class OutcomeEvent(_Strict):
    kind: lifecycle.EventKind
    dated: EventDate


class Outcome(_Strict):
    """A decision a cycle may lead to, and the lifecycle events it records."""

    id: str
    title: Text
    events: list[OutcomeEvent]
    sources: list[str]
    unconfirmed: bool = False


class CycleType(_Strict):
    id: str
    title: Text
    scope: Literal["program", "center"]
    due: Due
    sources: Annotated[list[str], Field(min_length=1)]
    materials: Annotated[list[MaterialNeed], Field(min_length=1)]
    rated: bool
    rated_unconfirmed: bool = False
    rated_note: Text | None = None
    outcomes: list[Outcome]

    def outcome(self, outcome_id: str) -> Outcome:
        for outcome in self.outcomes:
            if outcome.id == outcome_id:
                return outcome
        raise KeyError(outcome_id)


class _Sized(_Strict):
    min: int
    max: int
    sources: Annotated[list[str], Field(min_length=1)]


class _Share(_Strict):
    about: str
    sources: Annotated[list[str], Field(min_length=1)]

    @field_validator("about")
    @classmethod
    def _a_fraction(cls, value: str) -> str:
        share = Fraction(value)
        if not 0 < share <= 1:
            raise ValueError("a share between 0 and 1, written as a fraction such as 1/2")
        return value


class _Needed(_Strict):
    required: bool
    unconfirmed: bool = False
    sources: list[str]
    note: Text | None = None


class WorkingGroupRules(_Strict):
    size: _Sized
    from_abroad_share: _Share
    program_officer: _Needed
    chair: _Needed


class _Consolidation(_Strict):
    disagreement_steps: Annotated[int, Field(ge=1)]


class ExpertiseField(_Strict):
    """Something an expert covers: a field of OpenAlex's classification, or a kind of
    expertise in running research."""

    id: str
    title: Text
    openalex_field: int | None = None


CENTER_FIELDS = "center"  # in a mission's expertise: one of the center's own fields


class Expertise(_Strict):
    """The vocabulary experts and centers are described in, and which expertise covers each
    mission of a rubric (see the data's comment)."""

    kyoten_own: bool
    sources: list[str]
    fields: Annotated[list[ExpertiseField], Field(min_length=1)]
    missions: dict[str, Annotated[list[str], Field(min_length=1)]]

    def field(self, field_id: str) -> ExpertiseField | None:
        return next((f for f in self.fields if f.id == field_id), None)

    def by_openalex(self, openalex_field: int) -> ExpertiseField | None:
        return next((f for f in self.fields if f.openalex_field == openalex_field), None)

    def covering(self, mission_id: str, center_fields: Sequence[str]) -> list[str]:
        """The expertise that covers ``mission_id`` for a center of ``center_fields``.

        >>> load_cycles().expertise.covering("excellence", ["neuroscience", "computer_science"])
        ['neuroscience', 'computer_science']
        >>> load_cycles().expertise.covering("environment", [])
        ['research_management', 'international_research']
        """
        covered: list[str] = []
        for wanted in self.missions.get(mission_id, []):
            covered += list(center_fields) if wanted == CENTER_FIELDS else [wanted]
        return list(dict.fromkeys(covered))


class Cycles(_Strict):
    """A program's evaluation data (see the module docstring)."""

    program: str
    sources: dict[str, Source]
    phases: Annotated[list[Phase], Field(min_length=1)]
    materials: Annotated[list[Material], Field(min_length=1)]
    rating_scale: RatingScale
    rubrics: Annotated[list[Rubric], Field(min_length=1)]
    cycle_types: Annotated[list[CycleType], Field(min_length=1)]
    working_group: WorkingGroupRules
    consolidation: _Consolidation
    expertise: Expertise

    def cycle_type(self, type_id: str) -> CycleType:
        for cycle_type in self.cycle_types:
            if cycle_type.id == type_id:
                return cycle_type
        raise KeyError(type_id)

    def material(self, material_id: str) -> Material:
        return next(m for m in self.materials if m.id == material_id)

    def rubric_for(self, day: datetime.date) -> Rubric:
        """The rubric in use for a cycle opened on ``day`` (the latest that began by then)."""
        started = [r for r in self.rubrics if r.from_ <= day]
        return max(started or self.rubrics[:1], key=lambda r: (r.from_, r.version))

    def rubric(self, key: str) -> Rubric | None:
        """The rubric a cycle pinned (``id@version``), or None if the data no longer has it."""
        return next((r for r in self.rubrics if r.key == key), None)

    def addresses(self, source_ids: Sequence[str]) -> list[str]:
        """Where the sources ``source_ids`` are (addresses, or document names)."""
        return [self.sources[s].address for s in source_ids]


def _cross_reference_problems(cycles: Cycles, path: str) -> list[KyotenError]:
    """Problems the schema cannot see: unknown source, material or phase ids, duplicates."""
    problems: list[KyotenError] = []

    def problem(where: str, en: str, ja: str, value: object) -> None:
        problems.append(
            KyotenError(Bilingual(en=en, ja=ja), location=f"{path}: {where}", value=value)
        )

    def check_sources(where: str, ids: Sequence[str]) -> None:
        for source in ids:
            if source not in cycles.sources:
                problem(where, "unknown source id", "不明な出典IDです", source)

    material_ids = {m.id for m in cycles.materials}
    for m in cycles.materials:
        check_sources(f"materials[{m.id}].sources", m.sources)
    for g in cycles.rating_scale.grades:
        check_sources(f"rating_scale.grades[{g.id}].sources", g.sources)
        if not g.sources and not g.unconfirmed:
            problem(
                f"rating_scale.grades[{g.id}]",
                "a grade without a source must be marked unconfirmed",
                "出典のない評語には unconfirmed の指定が必要です",
                g.id,
            )
    check_sources("rating_scale.sources", cycles.rating_scale.sources)
    seen_rubrics: set[str] = set()
    for r in cycles.rubrics:
        if r.key in seen_rubrics:
            problem(
                f"rubrics[{r.id}]",
                "duplicate rubric version",
                "ルーブリックの版が重複しています",
                r.key,
            )
        seen_rubrics.add(r.key)
        check_sources(f"rubrics[{r.id}].sources", r.sources)
        for mission in r.missions:
            check_sources(f"rubrics[{r.id}].missions[{mission.id}].sources", mission.sources)
    seen_types: set[str] = set()
    for t in cycles.cycle_types:
        if t.id in seen_types:
            problem(
                f"cycle_types[{t.id}]", "duplicate cycle type", "評価の種類が重複しています", t.id
            )
        seen_types.add(t.id)
        check_sources(f"cycle_types[{t.id}].sources", t.sources)
        for need in t.materials:
            if need.id not in material_ids:
                problem(
                    f"cycle_types[{t.id}].materials",
                    "unknown material id",
                    "不明な資料IDです",
                    need.id,
                )
        for outcome in t.outcomes:
            check_sources(f"cycle_types[{t.id}].outcomes[{outcome.id}].sources", outcome.sources)
            if not outcome.sources and not outcome.unconfirmed:
                problem(
                    f"cycle_types[{t.id}].outcomes[{outcome.id}]",
                    "an outcome without a source must be marked unconfirmed",
                    "出典のない決定には unconfirmed の指定が必要です",
                    outcome.id,
                )
    rules = cycles.working_group
    for name, ids in (
        ("size", rules.size.sources),
        ("from_abroad_share", rules.from_abroad_share.sources),
        ("program_officer", rules.program_officer.sources),
        ("chair", rules.chair.sources),
    ):
        check_sources(f"working_group.{name}.sources", ids)
    check_sources("expertise.sources", cycles.expertise.sources)
    known = {f.id for f in cycles.expertise.fields}
    if len(known) < len(cycles.expertise.fields):
        problem("expertise.fields", "duplicate expertise id", "専門分野のIDが重複しています", "")
    missions = {m.id for r in cycles.rubrics for m in r.missions}
    for mission_id, wanted in cycles.expertise.missions.items():
        if mission_id not in missions:
            problem(
                "expertise.missions", "unknown mission id", "不明なミッションIDです", mission_id
            )
        for item in wanted:
            if item != CENTER_FIELDS and item not in known:
                problem(
                    f"expertise.missions[{mission_id}]",
                    "unknown expertise id",
                    "不明な専門分野IDです",
                    item,
                )
    for uncovered in sorted(missions - set(cycles.expertise.missions)):
        problem(
            "expertise.missions",
            "a mission no expertise covers",
            "どの専門分野にも対応づけられていないミッションです",
            uncovered,
        )
    return problems


def parse_cycles(text: str, path: str) -> Cycles:
    """Validate cycle data ``text`` (read from ``path``).

    Raises:
        KyotenErrors: every problem, each naming the file and the field.
    """
    return validated(Cycles, read_yaml(text, path), path, _cross_reference_problems)


@functools.cache
def load_cycles(program_id: str = "wpi") -> Cycles:
    """The shipped cycle data of a program, loaded and checked once per process."""
    return parse_cycles(*shipped_data("kyoten.cycles", program_id))


# --- which centers a cycle is for, and what its decision records ------------------------


def ineligibility(
    cycle_type: CycleType,
    facts: lifecycle.CenterFacts,
    schedule: lifecycle.Schedule,
    fiscal_year: int,
) -> Bilingual | None:
    """Why a center has no case in a cycle of ``cycle_type`` in ``fiscal_year`` (None if it
    has one): it is not supported during that year, or the year is not the one its
    lifecycle puts the evaluation in, or its track or era has no such review.

    >>> ircn = lifecycle.CenterFacts("wpi", 2017, datetime.date(2017, 9, 26))
    >>> interim = load_cycles().cycle_type("interim_evaluation")
    >>> ineligibility(interim, ircn, lifecycle.schedule_for("wpi", 2017), 2021) is None
    True
    >>> ineligibility(interim, ircn, lifecycle.schedule_for("wpi", 2017), 2022).en
    'the interim evaluation falls in FY2021 for this center (year 5 of support)'
    """
    life = lifecycle.compute(facts, schedule)
    start, end = fiscal_year_of(life.support_start), fiscal_year_of(life.support_end)
    if not start <= fiscal_year <= end:
        return Bilingual(
            en=f"this center is not supported in FY{fiscal_year} (support: FY{start}–FY{end})",
            ja=f"この拠点は{fiscal_year}年度には支援期間外です（支援期間：{start}〜{end}年度）",
        )
    due = cycle_type.due
    if due == "interim_year" and fiscal_year != life.interim_evaluation_fiscal_year:
        year = life.interim_evaluation_fiscal_year
        return Bilingual(
            en=f"the interim evaluation falls in FY{year} for this center (year "
            f"{schedule.interim_year} of support)",
            ja=f"この拠点の中間評価は{year}年度（支援{schedule.interim_year}年目）です",
        )
    if due == "final_year" and fiscal_year != life.final_evaluation_fiscal_year:
        year = life.final_evaluation_fiscal_year
        return Bilingual(
            en=f"the final evaluation falls in FY{year}, the last year of this center's support",
            ja=f"この拠点の最終評価は支援最終年度の{year}年度です",
        )
    if due == "stage_gate_deadline":
        if life.stage_gate_due_fiscal_year is None:
            return Bilingual(
                en="only a WPI CORE center has a stage-gate review",
                ja="ステージゲート審査はWPI COREの拠点のみです",
            )
        if life.stage_gate_passed_fiscal_year is not None:
            return Bilingual(
                en=f"this center passed its stage gate in FY{life.stage_gate_passed_fiscal_year}",
                ja=f"この拠点は{life.stage_gate_passed_fiscal_year}年度にステージゲート審査を通過済みです",
            )
        if fiscal_year > life.stage_gate_due_fiscal_year:
            return Bilingual(
                en=f"the stage gate is held by FY{life.stage_gate_due_fiscal_year} for this center",
                ja=f"この拠点のステージゲート審査は{life.stage_gate_due_fiscal_year}年度までです",
            )
    if due == "extension_allowed" and schedule.extension_max_years <= life.extension_years:
        return Bilingual(
            en="the rulebook allows no (further) extension for this center's era and track",
            ja="この拠点の採択時期・枠組みでは、ルールブック上これ以上の延長はありません",
        )
    return None


def outcome_events(
    outcome: Outcome,
    decided_on: datetime.date,
    facts: lifecycle.CenterFacts,
    schedule: lifecycle.Schedule,
) -> list[lifecycle.Event]:
    """The lifecycle events that record ``outcome`` decided on ``decided_on``: an evaluation
    on that day, a termination from the next fiscal year (support ends at the end of the
    fiscal year decided), an Academy admission the day after support ends, an extension of
    the years the rulebook still allows. The lifecycle then checks them like any decision.

    >>> ircn = lifecycle.CenterFacts("wpi", 2017, datetime.date(2017, 9, 26))
    >>> terminate = load_cycles().cycle_type("interim_evaluation").outcome("terminate")
    >>> [(e.kind, str(e.date)) for e in outcome_events(
    ...     terminate, datetime.date(2021, 12, 14), ircn, lifecycle.schedule_for("wpi", 2017))]
    [('interim_evaluation', '2021-12-14'), ('support_terminated', '2022-04-01')]
    """
    life = lifecycle.compute(facts, schedule)
    events = []
    for planned in outcome.events:
        years = None
        if planned.dated == "decision":
            day = decided_on
        elif planned.dated == "next_fiscal_year":
            day = fiscal_year_start(fiscal_year_of(decided_on) + 1)
        else:
            day = life.support_end + datetime.timedelta(days=1)
        if planned.kind == "extension":
            years = max(schedule.extension_max_years - life.extension_years, 1)
        events.append(lifecycle.Event(planned.kind, day, years))
    return events


# --- working groups ---------------------------------------------------------------------

GroupRole = Literal["chair", "member", "program_officer"]
FindingStatus = Literal["met", "not_met", "below_guideline", "missing_data"]


@dataclass(frozen=True)
class GroupMember:
    """A seat in a working group: the role and whether the person counts as from abroad
    (None: not known)."""

    role: GroupRole
    from_abroad: bool | None


@dataclass(frozen=True)
class GroupFinding:
    """How a working group fares against one rule, in the rulebook's verdict style."""

    rule: str
    status: FindingStatus
    message: Bilingual
    sources: tuple[str, ...]
    unconfirmed: bool = False
    approximate: bool = False


def check_working_group(
    members: Sequence[GroupMember], rules: WorkingGroupRules, sources: dict[str, Source]
) -> list[GroupFinding]:
    """One finding per rule: the number of experts (the chair and members, not the PO), the
    share of them from abroad, a Program Officer, a chair — each saying what is required,
    what the group has and the nearest fix.

    >>> cycles = load_cycles()
    >>> group = [GroupMember("chair", False)] + [GroupMember("member", i < 1) for i in range(4)]
    >>> [f.status for f in check_working_group(group, cycles.working_group, cycles.sources)]
    ['below_guideline', 'below_guideline', 'not_met', 'met']
    """

    def where(ids: Sequence[str]) -> tuple[str, ...]:
        return tuple(sources[s].address for s in ids)

    experts = [m for m in members if m.role != "program_officer"]
    size = rules.size
    findings = []
    count = len(experts)
    if count < size.min:
        findings.append(
            GroupFinding(
                "size",
                "below_guideline",
                Bilingual(
                    en=f"{count} experts; working groups have {size.min}–{size.max}: invite "
                    f"{size.min - count} more",
                    ja=f"委員{count}名。作業部会は{size.min}〜{size.max}名で構成されます。"
                    f"あと{size.min - count}名の委嘱が必要です",
                ),
                where(size.sources),
                approximate=True,
            )
        )
    elif count > size.max:
        findings.append(
            GroupFinding(
                "size",
                "below_guideline",
                Bilingual(
                    en=f"{count} experts; working groups have {size.min}–{size.max}: "
                    f"{count - size.max} more than usual",
                    ja=f"委員{count}名。作業部会は{size.min}〜{size.max}名で構成されます"
                    f"（通例より{count - size.max}名多い）",
                ),
                where(size.sources),
                approximate=True,
            )
        )
    else:
        findings.append(
            GroupFinding(
                "size",
                "met",
                Bilingual(
                    en=f"{count} experts (working groups have {size.min}–{size.max})",
                    ja=f"委員{count}名（作業部会は{size.min}〜{size.max}名）",
                ),
                where(size.sources),
                approximate=True,
            )
        )
    findings.append(_abroad_finding(experts, rules.from_abroad_share, where))
    for rule, role, needed, en, ja in (
        ("program_officer", "program_officer", rules.program_officer,
         "the center's Program Officer", "拠点担当のプログラムオフィサー"),
        ("chair", "chair", rules.chair, "a chair", "主査"),
    ):  # fmt: skip
        present = any(m.role == role for m in members)
        findings.append(
            GroupFinding(
                rule,
                "met" if present or not needed.required else "not_met",
                Bilingual(en=f"{en}: named", ja=f"{ja}：指名済み")
                if present
                else Bilingual(
                    en=f"{en} is needed: name one", ja=f"{ja}が必要です。指名してください"
                ),
                where(needed.sources),
                unconfirmed=needed.unconfirmed,
            )
        )
    return findings


def from_abroad_needed(share: Fraction, size: int) -> int:
    """How many of ``size`` experts must be from abroad for "about" ``share``: the share of
    the size rounded down (3 of 7, 2 of 5 are about half). The assignment optimiser counts
    the same way.

    >>> from_abroad_needed(Fraction(1, 2), 8), from_abroad_needed(Fraction(1, 2), 7)
    (4, 3)
    """
    return int(share * size)


def _abroad_finding(experts: Sequence[GroupMember], share: _Share, where: Any) -> GroupFinding:
    wanted = Fraction(share.about)
    unknown = sum(1 for m in experts if m.from_abroad is None)
    abroad = sum(1 for m in experts if m.from_abroad)
    sources = where(share.sources)
    percent = f"{float(wanted):.0%}"
    if unknown:
        return GroupFinding(
            "from_abroad_share",
            "missing_data",
            Bilingual(
                en=f"for {unknown} of {len(experts)} experts it is not known whether they are "
                "from abroad: record it on their person pages",
                ja=f"委員{len(experts)}名のうち{unknown}名は海外の研究者かどうかが未登録です。"
                "人物ページで登録してください",
            ),
            sources,
            approximate=True,
        )
    needed = from_abroad_needed(wanted, len(experts))
    status: FindingStatus = "met" if abroad >= needed and experts else "below_guideline"
    return GroupFinding(
        "from_abroad_share",
        status,
        Bilingual(
            en=f"{abroad} of {len(experts)} experts from abroad (about {percent} is usual)"
            + ("" if status == "met" else f": invite {max(needed - abroad, 1)} from abroad"),
            ja=f"海外の研究者は委員{len(experts)}名中{abroad}名（通例は約{percent}）"
            + ("" if status == "met" else f"。海外から{max(needed - abroad, 1)}名の委嘱が必要です"),
        ),
        sources,
        approximate=True,
    )


# --- consolidation ----------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    """How the reviews' grades for one perspective (or the overall rating) lie: the count of
    each grade, the highest and lowest, and whether they lie far enough apart to discuss."""

    counts: dict[str, int]
    highest: str | None
    lowest: str | None
    differs: bool


def spread(grades: Sequence[str | None], scale: RatingScale, disagreement_steps: int) -> Spread:
    """The spread of ``grades`` (None: not graded) on ``scale``.

    >>> cycles = load_cycles()
    >>> s = spread(["S", "A", None, "B"], cycles.rating_scale, 2)
    >>> s.counts, s.highest, s.lowest, s.differs
    ({'S': 1, 'A': 1, 'B': 1, 'C': 0}, 'S', 'B', True)
    """
    given = [g for g in grades if g is not None]
    counts = {g.id: given.count(g.id) for g in scale.grades}
    if not given:
        return Spread(counts, None, None, False)
    steps = sorted(scale.index(g) for g in given)
    return Spread(
        counts,
        scale.grades[steps[0]].id,
        scale.grades[steps[-1]].id,
        steps[-1] - steps[0] >= disagreement_steps,
    )
