"""Working groups for a cycle, formed by the optimiser (:mod:`kyoten.assignment`) from the
expert pool, explained, and confirmed into seats.

The problem is built from what Kyoten holds: each case's center is a group of the size the
office chose (within the program's 6–8), with at least the share from abroad the rules give,
a chair where the rules ask for one, and a need per mission of the cycle's rubric (one member
with the expertise that covers it: for the first mission, one of the center's own fields).
Experts are the active pool with their declared expertise, load limit and whether they may
chair. The fit of an expert to a center (0–100) is the share of the center's fields the
expert declares, averaged with the share of their recent works in those fields where the
ingested publication data knows them. Confirmed and potential conflicts of interest exclude
the pairing (a potential one until the PD/PO decides it), so do the office's exclusions;
members already seated are pinned and those who declined are excluded. Last year's group of
the same kind of cycle is the continuity.

A proposal is confirmed only when no potential conflict of interest between the pool and the
cycle's centers waits for a decision, and when the conflicts are still those it was formed
under (a decision since then changes who may sit where: propose again).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from pydantic import ValidationError as PydanticError

from kyoten import assignment, cycles
from kyoten.audit.context import recording
from kyoten.audit.models import by as attribution
from kyoten.bibliometrics.coauthors import fields_of
from kyoten.conflicts.models import Expert, Finding, Pairing, Proposal
from kyoten.conflicts.services import pool, publication_folder
from kyoten.evaluation.models import Case, Cycle, Seat
from kyoten.people.models import Person
from kyoten.text import Bilingual, KyotenError, Lang
from kyoten.web.language import page_lang

WORKS_YEARS = 5  # the works of the last five years tell what an expert publishes in now


def _cycles_data() -> cycles.Cycles:
    return cycles.load_cycles("wpi")


def expert_id(person_id: int) -> str:
    return f"p{person_id}"


def person_of(expert: str) -> int:
    return int(expert.removeprefix("p"))


@dataclass(frozen=True)
class Fit:
    """An expert's fit to a center and the words that explain it."""

    score: int
    why: Bilingual


def _titles(ids: list[str]) -> tuple[str, str]:
    vocabulary = _cycles_data().expertise
    fields = [vocabulary.field(i) for i in ids]
    return (
        ", ".join(f.title.en for f in fields if f),
        "、".join(f.title.ja for f in fields if f),
    )


def fit(expert: Expert, center_fields: list[str], works: dict[int, int] | None) -> Fit:
    """The fit of ``expert`` to a center of ``center_fields`` (see the module docstring).

    >>> from types import SimpleNamespace
    >>> fit(SimpleNamespace(expertise=["neuroscience"]), ["neuroscience", "computer_science"],
    ...     {28: 3, 31: 1}).score
    62
    """
    if not center_fields:
        return Fit(
            0, Bilingual(en="the center's fields are not recorded", ja="拠点の研究分野が未登録です")
        )
    shared = [f for f in center_fields if f in expert.expertise]
    declared = len(shared) / len(center_fields)
    en, ja = _titles(shared)
    why_en = f"declares {len(shared)} of the center's {len(center_fields)} fields" + (
        f" ({en})" if shared else ""
    )
    why_ja = f"拠点の研究分野{len(center_fields)}件のうち{len(shared)}件を専門として申告" + (
        f"（{ja}）" if shared else ""
    )
    parts = [declared]
    if works:
        vocabulary = _cycles_data().expertise
        numbers = {f.openalex_field for i in center_fields if (f := vocabulary.field(i))}
        inside = sum(n for field, n in works.items() if field in numbers)
        share = inside / sum(works.values())
        parts.append(share)
        why_en += (
            f"; {round(100 * share)}% of their works of the last {WORKS_YEARS} years are in them"
        )
        why_ja += f"。直近{WORKS_YEARS}年の論文の{round(100 * share)}%がこれらの分野"
    return Fit(round(100 * sum(parts) / len(parts)), Bilingual(en=why_en, ja=why_ja))


def _previous(case: Case) -> list[str]:
    """The experts of the center's group in the same kind of cycle the year before."""
    seats = Seat.objects.filter(
        case__center=case.center,
        case__cycle__cycle_type=case.cycle.cycle_type,
        case__cycle__fiscal_year=case.cycle.fiscal_year - 1,
        case__cycle__is_sample=case.cycle.is_sample,
        role__in=[Seat.Role.CHAIR, Seat.Role.MEMBER],
    ).exclude(state=Seat.State.DECLINED)
    return sorted({expert_id(s.person_id) for s in seats})


def _works(experts: list[Expert], day: datetime.date) -> dict[int, dict[int, int]]:
    """Each expert's recent works by OpenAlex field, where the publication data knows them."""
    folder = publication_folder()
    ids = {e.person_id: e.person.orcid or e.person.openalex_id for e in experts}
    ids = {pk: i for pk, i in ids.items() if i}
    if folder is None or not ids:
        return {}
    counts = fields_of(folder, set(ids.values()), day.year - WORKS_YEARS + 1)
    return {pk: counts[i] for pk, i in ids.items() if i in counts}


@dataclass(frozen=True)
class Built:
    problem: assignment.Problem
    fits: dict[tuple[str, str], Fit]
    blocking: list[Finding]  # potential findings of the pool with the cycle's centers


def build_problem(cycle: Cycle, size: int, on: datetime.date | None = None) -> Built:
    """The optimiser's problem for ``cycle`` with groups of ``size`` experts."""
    day = on or timezone.localdate()
    rules = _cycles_data().working_group
    rubric = cycle.rubric_data()
    experts = list(pool())
    by_person = {e.person_id: e for e in experts}
    works = _works(experts, day)
    cases = list(cycle.cases.select_related("center").prefetch_related("seats"))
    centers = [c.center for c in cases]
    findings = list(
        Finding.objects.filter(
            person_id__in=list(by_person),
            center__in=centers,
            status__in=[Finding.Status.CONFIRMED, Finding.Status.POTENTIAL],
        ).select_related("center")
    )
    pairings = list(Pairing.objects.filter(cycle=cycle).select_related("cycle", "center", "person"))
    groups: list[dict[str, Any]] = []
    fit_scores: list[dict[str, Any]] = []
    fits: dict[tuple[str, str], Fit] = {}
    pins: list[dict[str, Any]] = []
    forbids: list[dict[str, Any]] = []
    for case in cases:
        center = case.center
        needs = [
            {
                "id": mission.id,
                "title": {"en": mission.title.en, "ja": mission.title.ja},
                "expertise": covering,
            }
            for mission in (rubric.missions if rubric else [])
            if (covering := _cycles_data().expertise.covering(mission.id, center.expertise))
        ]
        # experts seated from outside the pool (a committee member, say) take their seats
        outside = [
            s
            for s in case.seats.all()
            if s.person_id not in by_person and s.reviews and s.state != Seat.State.DECLINED
        ]
        groups.append(
            {
                "id": center.key,
                "name": center.short_name,
                "size": max(size - len(outside), 1),
                "from_abroad_share": rules.from_abroad_share.about,
                "chair_required": rules.chair.required
                and not any(s.role == Seat.Role.CHAIR for s in outside),
                "needs": needs,
                "previous": [p for p in _previous(case) if person_of(p) in by_person],
            }
        )
        for expert in experts:
            found = fit(expert, center.expertise, works.get(expert.person_id))
            fits[(expert_id(expert.person_id), center.key)] = found
            if found.score:
                fit_scores.append(
                    {
                        "expert": expert_id(expert.person_id),
                        "group": center.key,
                        "score": found.score,
                    }
                )
        for seat in case.seats.all():
            if seat.person_id not in by_person or seat.role == Seat.Role.PROGRAM_OFFICER:
                continue
            pair = {"expert": expert_id(seat.person_id), "group": center.key}
            if seat.state == Seat.State.DECLINED:
                forbids.append(pair)
            else:
                pins.append({**pair, "role": seat.role})
    seated = {(p["expert"], p["group"]) for p in pins + forbids}
    # whoever the office seated as a chair is one, whatever their profile says
    chairs = {p["expert"] for p in pins if p["role"] == Seat.Role.CHAIR}
    stale: list[Any] = []
    for pairing in pairings:
        pair = {"expert": expert_id(pairing.person_id), "group": pairing.center.key}
        if pairing.person_id not in by_person or (pair["expert"], pair["group"]) in seated:
            continue
        if pairing.kind == Pairing.Kind.FORBID:
            forbids.append(pair)
            continue
        if pairing.role == Pairing.Role.CHAIR:
            stale += _stale_chair_pin(pairing, by_person[pairing.person_id])
        pins.append({**pair, "role": pairing.role or None})
    if stale:  # a chair pin the office set before a seat or a profile changed
        raise ValidationError(stale)
    try:
        problem = assignment.problem_from_data(
            {
                "experts": [
                    {
                        "id": expert_id(e.person_id),
                        "name": e.person.name_en,
                        "from_abroad": e.person.from_abroad,
                        "expertise": e.expertise,
                        "max_load": e.max_load,
                        "may_chair": e.may_chair or expert_id(e.person_id) in chairs,
                    }
                    for e in experts
                ],
                "groups": groups,
                "fit": fit_scores,
                "conflicts": [
                    {
                        "expert": expert_id(f.person_id),
                        "group": f.center.key,
                        "status": f.status,
                        "reason": f.rule_text().as_dict(),
                    }
                    for f in findings
                ],
                "pins": pins,
                "forbids": forbids,
            },
            f"cycle {cycle.pk}",
        )
    except KyotenError as error:
        # seats and pins the rules cannot hold together (two chairs of one group, say): the
        # office is told which, and can change them
        raise ValidationError(
            gettext_lazy("The seats, pins and exclusions of this cycle break a rule: %(problems)s"),
            params={"problems": error.localized(page_lang())},
        ) from None
    blocking = [f for f in findings if f.status == Finding.Status.POTENTIAL]
    return Built(problem, fits, blocking)


def _stale_chair_pin(pairing: Pairing, expert: Expert) -> list[Any]:
    """Why a chair pin, valid when it was set, no longer holds (the seats and the profiles
    are checked when a pin is set, but they may change after it)."""
    found = []
    params = {"person": pairing.person.name, "center": pairing.center.short_name}
    chair = _seated_chair(pairing.cycle, pairing.center, besides=pairing.person)
    if chair is not None:
        found.append(
            ValidationError(
                gettext_lazy(
                    "%(person)s is pinned as chair of %(center)s, but %(chair)s is seated as its "
                    "chair: remove the pin."
                ),
                params={**params, "chair": chair.name},
            )
        )
    if not expert.may_chair:
        found.append(
            ValidationError(
                gettext_lazy(
                    "%(person)s is pinned as chair of %(center)s, but their expert profile now "
                    "says they may not chair: remove the pin or change the profile."
                ),
                params=params,
            )
        )
    return found


def propose(cycle: Cycle, size: int, by: Any) -> Proposal:
    """Solve the cycle's problem and keep the proposal (an audited event)."""
    built = build_problem(cycle, size)
    solved = assignment.solve(built.problem)
    with recording(
        "groups.proposed",
        cycle.center,
        by=by,
        cycle_type=cycle.cycle_type,
        fiscal_year=cycle.fiscal_year,
        proposal_status=solved.proposal.status,
    ):
        return Proposal.objects.create(
            cycle=cycle,
            size=size,
            origin=Proposal.Origin.SOLVER,
            problem=built.problem.model_dump(mode="json"),
            answer=solved.proposal.model_dump(mode="json"),
            **attribution(by),
        )


def upload(cycle: Cycle, size: int, raw: bytes, name: str, by: Any) -> Proposal:
    """Keep a proposal the office edited offline, checked against the cycle's problem now:
    every hard constraint is met, or it is refused with each violation named."""
    built = build_problem(cycle, size)
    lang = page_lang()
    try:
        seats = assignment.parse_assignment(raw, name)
    except KyotenError as error:  # naming the file, the field and the value
        raise ValidationError(error.localized(lang)) from None
    violations = assignment.check(built.problem, seats)
    if violations:
        raise ValidationError([v.message.get(lang) for v in violations])
    # the seats as they are, explained: every seat pinned, the optimiser fills nothing else
    pinned = built.problem.model_copy(
        update={
            "pins": [
                assignment.problem.Pin(expert=m.expert, group=g.id, role=m.role)
                for g in seats.groups
                for m in g.members
            ]
        }
    )
    answer = assignment.solve(pinned).proposal
    with recording(
        "groups.uploaded",
        cycle.center,
        by=by,
        cycle_type=cycle.cycle_type,
        fiscal_year=cycle.fiscal_year,
    ):
        return Proposal.objects.create(
            cycle=cycle,
            size=size,
            origin=Proposal.Origin.UPLOADED,
            problem=built.problem.model_dump(mode="json"),
            answer=answer.model_dump(mode="json"),
            **attribution(by),
        )


def confirm(proposal: Proposal, by: Any) -> int:
    """Seat the proposal's groups (invitations, as the office's seat form does) and each
    center's Program Officer; refused while a potential conflict waits for a decision or when
    the conflicts changed since the proposal was formed. Returns the seats given."""
    from kyoten.evaluation import services as evaluation

    cycle = proposal.cycle
    if proposal.confirmed_at is not None:
        raise ValidationError(gettext_lazy("These working groups are confirmed already."))
    if proposal.answer.get("status") not in ("optimal", "feasible"):
        raise ValidationError(gettext_lazy("This proposal forms no working groups."))
    now = build_problem(cycle, proposal.size)
    if now.blocking:
        raise ValidationError(
            gettext_lazy(
                "%(n)s potential conflicts of interest wait for a decision: decide them, then "
                "propose the working groups again."
            ),
            params={"n": len(now.blocking)},
        )
    if _conflicts(now.problem.model_dump(mode="json")) != _conflicts(proposal.problem):
        raise ValidationError(
            gettext_lazy(
                "Conflicts of interest were decided or found since this proposal: propose the "
                "working groups again."
            )
        )
    given = 0
    cases = {c.center.key: c for c in cycle.cases.select_related("center")}
    with (
        transaction.atomic(),
        recording(
            "groups.confirmed",
            cycle.center,
            by=by,
            cycle_type=cycle.cycle_type,
            fiscal_year=cycle.fiscal_year,
        ),
    ):
        for group in proposal.answer["groups"]:
            case = cases[group["id"]]
            seated = set(case.seats.values_list("person_id", flat=True))
            for member in group["members"]:
                person = person_of(member["expert"])
                if person not in seated:
                    evaluation.seat(case, Person.objects.get(pk=person), member["role"], by)
                    given += 1
            given += evaluation.seat_program_officer(case, by)
        proposal.confirmed_at = timezone.now()
        proposal.save(update_fields=["confirmed_at"])
    return given


def _conflicts(problem: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(c["expert"], c["group"], c["status"]) for c in problem.get("conflicts", [])}


def set_pairing(
    cycle: Cycle, person: Person, center: Any, kind: str, role: str, by: Any
) -> Pairing:
    """Pin ``person`` to ``center``'s group in ``cycle`` (in ``role``, or any), or exclude
    them from it; a pin or exclusion of the same pair is replaced. A chair is pinned only if
    their profile lets them chair and the group has no other chair pinned or seated."""
    if kind == Pairing.Kind.PIN and role == Pairing.Role.CHAIR:
        _check_chair_pin(cycle, person, center)
    with recording(
        "groups.pairing_set",
        center,
        by=by,
        person_en=person.name_en,
        person_ja=person.name_ja,
        pairing=kind,
        fiscal_year=cycle.fiscal_year,
    ):
        pairing, _ = Pairing.objects.update_or_create(
            cycle=cycle, person=person, center=center, defaults={"kind": kind, "role": role}
        )
    return pairing


def _check_chair_pin(cycle: Cycle, person: Person, center: Any) -> None:
    if not Expert.objects.filter(person=person, may_chair=True).exists():
        raise ValidationError(
            gettext_lazy("%(person)s may not chair a working group (their expert profile)."),
            params={"person": person.name},
        )
    pinned = Pairing.objects.filter(
        cycle=cycle, center=center, kind=Pairing.Kind.PIN, role=Pairing.Role.CHAIR
    ).exclude(person=person)
    if pinned.exists() or _seated_chair(cycle, center, besides=person) is not None:
        raise ValidationError(
            gettext_lazy("%(center)s's working group has its chair already: remove that first."),
            params={"center": center.short_name},
        )


def _seated_chair(cycle: Cycle, center: Any, besides: Person) -> Person | None:
    """Who other than ``besides`` is seated as chair of ``center``'s group in ``cycle``
    (invited or accepted), if anyone."""
    seat = (
        Seat.objects.filter(case__cycle=cycle, case__center=center, role=Seat.Role.CHAIR)
        .exclude(state=Seat.State.DECLINED)
        .exclude(person=besides)
        .select_related("person")
        .first()
    )
    return seat.person if seat else None


def remove_pairing(pairing: Pairing, by: Any) -> None:
    with recording(
        "groups.pairing_removed",
        pairing.center,
        by=by,
        person_en=pairing.person.name_en,
        person_ja=pairing.person.name_ja,
        fiscal_year=pairing.cycle.fiscal_year,
    ):
        pairing.delete()


def shown(proposal: Proposal | None) -> assignment.Proposal | None:
    """A stored proposal as the optimiser wrote it (None if it no longer reads as one: a
    page never fails for an old record)."""
    if proposal is None:
        return None
    try:
        return assignment.Proposal.model_validate(proposal.answer)
    except PydanticError:
        return None


@dataclass(frozen=True)
class MemberRow:
    """A proposed member as the page shows them: the person, and why."""

    member: Any  # assignment.proposal.Member
    name: str
    fit_why: str


def member_rows(
    proposal: assignment.Proposal, built: Built, lang: Lang
) -> list[tuple[Any, list[MemberRow]]]:
    """Each proposed group with its members: their names in the page's language and the
    words of their fit (what they declare, what they publish in)."""
    people = Person.objects.in_bulk(
        [person_of(m.expert) for g in proposal.groups for m in g.members]
    )
    found = []
    for group in proposal.groups:
        rows = []
        for member in group.members:
            person = people.get(person_of(member.expert))
            fitted = built.fits.get((member.expert, group.id))
            rows.append(
                MemberRow(
                    member,
                    person.name if person else member.name,
                    fitted.why.get(lang) if fitted else "",
                )
            )
        found.append((group, rows))
    return found
