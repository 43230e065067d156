"""Forming the groups exactly with OR-Tools CP-SAT, and explaining the result.

The model has a yes/no variable per available pairing (excluded pairs have none) and per
possible chair. Hard: each group's exact size, its experts from abroad (the share of its
size rounded down; an expert whose origin is not known never counts), one chair who may
chair where one is required, each need not dropped, each expert's load limit, the pins.
Maximised: ``weights.fit`` × the fit of the pairings + ``weights.continuity`` × the members
kept from last year − ``weights.balance`` × Σ (0 + 1 + … + (load − 1)) per expert.

The same problem gives the same proposal: the model is built in canonical order (by id),
searched by one worker with a fixed seed and stopped by a deterministic work limit
(``limits.max_deterministic_time`` per solve; a run is one solve, or when nothing is valid
at most two plus the reduction of the proof at a tenth each). The wall-clock cap
(``limits.max_seconds``, for the whole run) is only a safety net, and :class:`SolveStats`
says when it stopped a run.

When nothing is valid, :mod:`kyoten.assignment.diagnosis` first checks each group and the
pool; when those find nothing, the model is solved again with one assumption per named
constraint, and the solver's proof (its sufficient assumptions, reduced to a minimal set
where the work limit allows) is worded constraint by constraint.

Example:
    >>> from kyoten.assignment.problem import Problem
    >>> problem = Problem.model_validate({
    ...     "experts": [{"id": f"e{i}", "name": f"E{i}", "from_abroad": i % 2 == 0,
    ...                  "max_load": 1, "may_chair": i == 0} for i in range(4)],
    ...     "groups": [{"id": "G", "name": "G", "size": 2, "from_abroad_share": "1/2",
    ...                 "chair_required": True}],
    ...     "fit": [{"expert": "e3", "group": "G", "score": 90}],
    ... })
    >>> proposal = solve(problem).proposal
    >>> proposal.status, [(m.expert, m.role) for m in proposal.groups[0].members]
    ('optimal', [('e0', 'chair'), ('e3', 'member')])
    >>> proposal.objective.value, proposal.groups[0].members[1].why.en
    (90, 'Fit 90.')
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kyoten.assignment.diagnosis import (
    Named,
    describe,
    excluded_text,
    group_checks,
    pool_checks,
)
from kyoten.assignment.eligibility import Facts, GroupFacts, Pair
from kyoten.assignment.problem import Problem
from kyoten.assignment.proposal import (
    Excluded,
    GroupProposal,
    Infeasibility,
    Load,
    Member,
    NeedCover,
    Note,
    Objective,
    Proposal,
    Reason,
    Role,
    Status,
    Words,
)

if TYPE_CHECKING:  # ortools is imported when a problem is solved, not with the command line
    from ortools.sat.python import cp_model

SEED = 0
CORE_REDUCTION_SOLVES = 40  # at most this many solves to reduce a proof to a minimal one


@dataclass(frozen=True)
class SolveStats:
    """What the solving cost: never part of the proposal (it differs between machines)."""

    wall_seconds: float
    deterministic_time: float
    solves: int
    variables: int
    branches: int
    stopped_by_wall_clock: bool

    def lines(self) -> list[str]:
        return [
            f"solve time: {self.wall_seconds:.3f} s wall, {self.deterministic_time:.3f} "
            f"deterministic ({self.solves} solve{'s' if self.solves != 1 else ''}, "
            f"{self.variables:,} variables, {self.branches:,} branches)",
            *(
                ["stopped by the wall-clock cap (limits.max_seconds): another run may differ"]
                if self.stopped_by_wall_clock
                else []
            ),
        ]


@dataclass(frozen=True)
class Solved:
    proposal: Proposal
    stats: SolveStats


class _Model:
    """The CP-SAT model of a problem; with ``assumptions`` every named hard constraint is
    enforced by a literal the solver assumes (to find which ones clash), else plainly."""

    def __init__(self, facts: Facts, *, assumptions: bool) -> None:
        from ortools.sat.python import cp_model

        self.facts = facts
        self.model = cp_model.CpModel()
        self.assumed: list[tuple[cp_model.IntVar, Named]] = []
        self._with_assumptions = assumptions
        model = self.model
        self.seat: dict[Pair, cp_model.IntVar] = {}
        self.chair: dict[Pair, cp_model.IntVar] = {}
        for group_id, group in facts.groups.items():
            for expert_id in group.available:
                self.seat[(expert_id, group_id)] = model.new_bool_var(
                    f"seat[{expert_id},{group_id}]"
                )
                if group.group.chair_required and facts.experts[expert_id].may_chair:
                    chair = model.new_bool_var(f"chair[{expert_id},{group_id}]")
                    model.add_implication(chair, self.seat[(expert_id, group_id)])
                    self.chair[(expert_id, group_id)] = chair
        for group_id, group in facts.groups.items():
            self._group(group_id, group)
        for expert_id, expert in facts.experts.items():
            seats = self.seats_of(expert_id)
            if len(seats) > expert.max_load:
                self._hard(
                    model.add(sum(seats) <= expert.max_load), Named("max_load", expert=expert_id)
                )
        for (expert_id, group_id), pin in facts.pins.items():
            named = Named("pin", group=group_id, expert=expert_id)
            pair = (expert_id, group_id)
            self._hard(model.add(self.seat[pair] == 1), named)
            if pin.role == "chair":
                self._hard(model.add(self.chair[pair] == 1), named)
            elif pin.role == "member" and pair in self.chair:
                self._hard(model.add(self.chair[pair] == 0), named)

    def seats_of(self, expert_id: str) -> list[cp_model.IntVar]:
        return [self.seat[(expert_id, g)] for g in self.facts.groups if (expert_id, g) in self.seat]

    def _hard(self, constraint: cp_model.Constraint, named: Named) -> None:
        if self._with_assumptions:
            literal = self.model.new_bool_var(f"assume[{named}]")
            constraint.only_enforce_if(literal)
            self.assumed.append((literal, named))

    def _group(self, group_id: str, group: GroupFacts) -> None:
        model, facts = self.model, self.facts
        seats = {e: self.seat[(e, group_id)] for e in group.available}
        self._hard(
            model.add(sum(seats.values()) == group.group.size), Named("size", group=group_id)
        )
        if group.from_abroad_needed:
            abroad = [v for e, v in seats.items() if facts.experts[e].from_abroad]
            self._hard(
                model.add(sum(abroad) >= group.from_abroad_needed),
                Named("from_abroad_share", group=group_id),
            )
        if group.group.chair_required:
            chairs = [v for (_, g), v in self.chair.items() if g == group_id]
            self._hard(model.add(sum(chairs) == 1), Named("chair", group=group_id))
        for need in group.needs:
            if not need.dropped:
                self._hard(
                    model.add(sum(seats[e] for e in need.covered_by) >= need.need.min),
                    Named("need", group=group_id, need=need.need.id),
                )

    def maximise(self) -> None:
        """Set the objective (see the module docstring)."""
        facts, model = self.facts, self.model
        weights = facts.problem.weights
        terms = []
        for (expert_id, group_id), seat in self.seat.items():
            gain = weights.fit * facts.fit.get((expert_id, group_id), 0)
            if expert_id in facts.groups[group_id].previous:
                gain += weights.continuity
            if gain:
                terms.append(gain * seat)
        if weights.balance:
            for expert_id, expert in facts.experts.items():
                seats = self.seats_of(expert_id)
                most = min(expert.max_load, len(seats))
                # beyond[k] means "a (k+2)-th group": convex costs 1, 2, … fill in order
                beyond = [model.new_bool_var(f"load[{expert_id}]>{k + 1}") for k in range(most - 1)]
                if not beyond:
                    continue
                model.add(sum(beyond) >= sum(seats) - 1)
                for earlier, later in itertools.pairwise(beyond):
                    model.add_implication(later, earlier)
                terms += [-weights.balance * (k + 1) * b for k, b in enumerate(beyond)]
        model.maximize(sum(terms))


class _Run:
    """Solves models of one problem, adding up what they cost."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.started = time.perf_counter()
        self.deterministic_time = 0.0
        self.solves = 0
        self.variables = 0
        self.branches = 0
        self.stopped_by_wall_clock = False

    def solve(self, model: _Model, work_limit: float) -> tuple[cp_model.CpSolver, int]:
        from ortools.sat.python import cp_model

        limits = self.facts.problem.limits
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = SEED
        solver.parameters.max_deterministic_time = work_limit
        # the wall-clock cap bounds the whole run (every solve of it), not each solve
        remaining = limits.max_seconds - (time.perf_counter() - self.started)
        solver.parameters.max_time_in_seconds = max(remaining, 0.001)
        status = solver.solve(model.model)
        if status == cp_model.MODEL_INVALID:  # a bug in building the model
            raise RuntimeError(f"invalid CP-SAT model: {model.model.validate()}")
        self.solves += 1
        self.variables = max(self.variables, len(model.model.proto.variables))
        self.deterministic_time += solver.deterministic_time
        self.branches += solver.num_branches
        if status in (cp_model.FEASIBLE, cp_model.UNKNOWN):
            self.stopped_by_wall_clock |= solver.deterministic_time < work_limit * 0.999
        return solver, int(status)

    def stats(self) -> SolveStats:
        return SolveStats(
            wall_seconds=time.perf_counter() - self.started,
            deterministic_time=self.deterministic_time,
            solves=self.solves,
            variables=self.variables,
            branches=self.branches,
            stopped_by_wall_clock=self.stopped_by_wall_clock,
        )


def solve(problem: Problem) -> Solved:
    """Propose the groups of ``problem``, or say why none can be formed."""
    from ortools.sat.python import cp_model

    facts = Facts(problem)
    run = _Run(facts)
    reasons = group_checks(facts) or pool_checks(facts)  # the pool's once each group can be met
    if reasons:
        return Solved(_infeasible(facts, reasons, minimal=False), run.stats())
    model = _Model(facts, assumptions=False)
    model.maximise()
    work_limit = problem.limits.max_deterministic_time
    solver, status = run.solve(model, work_limit)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = {pair for pair, seat in model.seat.items() if solver.boolean_value(seat)}
        chairs = {pair for pair, chair in model.chair.items() if solver.boolean_value(chair)}
        proposal = _formed(
            facts,
            chosen,
            chairs,
            "optimal" if status == cp_model.OPTIMAL else "feasible",
            bound=round(solver.best_objective_bound),
        )
        assert proposal.objective is not None
        assert proposal.objective.value == round(solver.objective_value)
        return Solved(proposal, run.stats())
    if status == cp_model.INFEASIBLE:
        core, minimal = _proof(run, facts, work_limit)
        return Solved(_infeasible(facts, [describe(facts, n) for n in core], minimal), run.stats())
    return Solved(_unknown(facts), run.stats())


def _proof(run: _Run, facts: Facts, work_limit: float) -> tuple[list[Named], bool]:
    """Named constraints no assignment meets together, and whether no smaller set is known
    to be enough (each left out in turn no longer proved infeasible)."""
    from ortools.sat.python import cp_model

    model = _Model(facts, assumptions=True)
    model.model.add_assumptions([literal for literal, _ in model.assumed])
    solver, status = run.solve(model, work_limit)
    if status != cp_model.INFEASIBLE:  # the proof did not repeat within the limit
        return [], False
    by_index = {literal.index: i for i, (literal, _) in enumerate(model.assumed)}
    core = sorted(by_index[i] for i in solver.sufficient_assumptions_for_infeasibility())
    minimal = True
    kept = list(core)
    for candidate in core[:CORE_REDUCTION_SOLVES]:
        trial = [i for i in kept if i != candidate]
        model.model.clear_assumptions()
        model.model.add_assumptions([model.assumed[i][0] for i in trial])
        _, status = run.solve(model, work_limit / 10)
        if status == cp_model.INFEASIBLE:
            kept = trial
        elif status != cp_model.FEASIBLE and status != cp_model.OPTIMAL:
            minimal = False  # undecided within the limit: keep it, and do not claim minimality
    minimal &= len(core) <= CORE_REDUCTION_SOLVES
    return [model.assumed[i][1] for i in kept], minimal


# --- the proposal and its explanations --------------------------------------------------


def _formed(
    facts: Facts, chosen: set[Pair], chairs: set[Pair], status: Status, *, bound: int
) -> Proposal:
    weights = facts.problem.weights
    loads: dict[str, list[str]] = {}
    for expert_id, group_id in sorted(chosen, key=lambda p: (p[0], p[1])):
        loads.setdefault(expert_id, []).append(group_id)
    fit = sum(facts.fit.get(pair, 0) for pair in chosen)
    kept = sum(1 for e, g in chosen if e in facts.groups[g].previous)
    load_cost = sum(len(groups) * (len(groups) - 1) // 2 for groups in loads.values())
    value = weights.fit * fit + weights.continuity * kept - weights.balance * load_cost
    groups = [
        _group_proposal(facts, group_id, group, chosen, chairs)
        for group_id, group in facts.groups.items()
    ]
    seats = sum(len(g.members) for g in groups)
    count = len(groups)
    if status == "optimal":
        message = Words(
            en=f"{count} working {'group' if count == 1 else 'groups'} formed ({seats} seats): "
            "of all the groups that meet every rule, none scores higher",
            ja=f"{count}件の作業部会を編成しました（{seats}席）。すべての条件を満たす編成のうち、"
            "評価値が最も高いものです",
        )
    else:
        message = Words(
            en=f"{count} working {'group' if count == 1 else 'groups'} formed ({seats} seats); "
            f"the work limit was reached before the best was proven (objective {value}, at most "
            f"{bound} is possible): raise limits.max_deterministic_time to search further",
            ja=f"{count}件の作業部会を編成しました（{seats}席）。最適であることを証明する前に作業"
            f"上限に達しました（評価値{value}、理論上の上限{bound}）。さらに探索するには "
            "limits.max_deterministic_time を増やしてください",
        )
    return Proposal(
        status=status,
        message=message,
        objective=Objective(
            value=value,
            bound=bound,
            fit=fit,
            continuity=kept,
            load_cost=load_cost,
            weights=weights,
        ),
        groups=groups,
        loads=[
            Load(
                expert=e,
                name=facts.name(e),
                groups=loads[e],
                max_load=facts.experts[e].max_load,
            )
            for e in sorted(loads)
        ],
        infeasibility=None,
    )


def _group_proposal(
    facts: Facts, group_id: str, group: GroupFacts, chosen: set[Pair], chairs: set[Pair]
) -> GroupProposal:
    members = sorted(
        (e for e in facts.experts if (e, group_id) in chosen),
        key=lambda e: ((e, group_id) not in chairs, e),
    )
    seated = [
        _member(facts, group, e, "chair" if (e, group_id) in chairs else "member") for e in members
    ]
    return GroupProposal(
        id=group_id,
        name=group.group.name,
        size=group.group.size,
        from_abroad_needed=group.from_abroad_needed,
        from_abroad=sum(1 for m in seated if m.from_abroad),
        chair=next((m.expert for m in seated if m.role == "chair"), None),
        members=seated,
        needs=[
            NeedCover(
                id=n.need.id,
                title=n.need.title,
                min=n.need.min,
                covered_by=[e for e in members if e in n.covered_by],
                dropped=n.dropped,
            )
            for n in group.needs
        ],
        excluded=Excluded(
            confirmed_conflicts=len(group.excluded["confirmed"]),
            potential_conflicts=len(group.excluded["potential"]),
            forbidden=len(group.excluded["forbidden"]),
        ),
        notes=_notes(facts, group),
    )


def _member(facts: Facts, group: GroupFacts, expert_id: str, role: Role) -> Member:
    expert = facts.experts[expert_id]
    group_id = group.group.id
    fit = facts.fit.get((expert_id, group_id), 0)
    covers = [n for n in group.needs if expert_id in n.covered_by]
    kept = expert_id in group.previous
    pinned = (expert_id, group_id) in facts.pins
    en: list[str] = [f"fit {fit}"]
    ja: list[str] = [f"適合度{fit}"]
    if kept:
        en.append("in last year's group")
        ja.append("昨年度の作業部会の委員")
    if covers:
        en.append("covers " + ", ".join(n.need.title.en for n in covers))
        ja.append("".join(f"「{n.need.title.ja}」" for n in covers) + "を担当")
    if expert.from_abroad:
        en.append("from abroad")
        ja.append("海外の専門家")
    if pinned:
        en.append("pinned by the office")
        ja.append("事務局の指定")
    why_en = "; ".join(en)
    why_ja = "、".join(ja)
    if role == "chair":
        why_en, why_ja = f"Chair. {why_en[0].upper()}{why_en[1:]}", f"主査。{why_ja}"
    else:
        why_en = why_en[0].upper() + why_en[1:]
    return Member(
        expert=expert_id,
        name=expert.name,
        role=role,
        fit=fit,
        continuity=kept,
        needs=[n.need.id for n in covers],
        from_abroad=expert.from_abroad,
        pinned=pinned,
        why=Words(en=why_en + ".", ja=why_ja + "。"),
    )


def _notes(facts: Facts, group: GroupFacts) -> list[Note]:
    notes = []
    for need in group.needs:
        if not need.dropped:
            continue
        title = need.need.title
        if need.covered_in_pool:
            names = [facts.name(e) for e in need.covered_in_pool]
            why_en = f"those who cover it cannot sit in this group: {', '.join(names)}"
            why_ja = f"該当する専門家はこのグループを担当できません：{'、'.join(names)}"
        else:
            why_en, why_ja = "nobody in the pool covers it", "プールに該当する専門家がいません"
        notes.append(
            Note(
                kind="need_dropped",
                text=Words(
                    en=f"No available expert covers {title.en}, so the need is dropped ({why_en})",
                    ja=f"「{title.ja}」を専門とする利用可能な専門家がいないため、この要件は外しました"
                    f"（{why_ja}）",
                ),
            )
        )
    excluded = excluded_text(group)
    if excluded is not None:
        notes.append(
            Note(
                kind="excluded",
                text=Words(en=excluded.en[0].upper() + excluded.en[1:], ja=excluded.ja),
            )
        )
    return notes


def _not_formed_groups(facts: Facts) -> list[GroupProposal]:
    return [_group_proposal(facts, g, group, set(), set()) for g, group in facts.groups.items()]


def _infeasible(facts: Facts, reasons: Sequence[Reason], minimal: bool) -> Proposal:
    count = len(reasons)
    if not reasons:
        summary = Words(
            en="No assignment meets every constraint together, but the solver could not single "
            "out which within the work limit: raise limits.max_deterministic_time to find out",
            ja="すべての条件を同時に満たす割当てはありませんが、作業上限内にどの条件かを特定できません"
            "でした。特定するには limits.max_deterministic_time を増やしてください",
        )
    elif reasons[0].check == "solver":
        if minimal:
            summary = Words(
                en=f"No assignment meets these {count} constraints together; relaxing any one "
                "of them allows one",
                ja=f"次の{count}件の条件を同時に満たす割当てはありません。いずれか1件を緩めれば割当て"
                "が可能です",
            )
        else:
            summary = Words(
                en=f"No assignment meets these {count} constraints together",
                ja=f"次の{count}件の条件を同時に満たす割当てはありません",
            )
    else:
        summary = Words(
            en=f"{count} {'constraint' if count == 1 else 'constraints'} cannot be met",
            ja=f"満たせない条件が{count}件あります",
        )
    return Proposal(
        status="infeasible",
        message=Words(
            en=f"No working groups can be formed: {summary.en[0].lower()}{summary.en[1:]}",
            ja=f"作業部会を編成できません。{summary.ja}",
        ),
        objective=None,
        groups=_not_formed_groups(facts),
        loads=[],
        infeasibility=Infeasibility(summary=summary, reasons=list(reasons)),
    )


def _unknown(facts: Facts) -> Proposal:
    return Proposal(
        status="unknown",
        message=Words(
            en="No assignment was found within the work limit, and none was proven impossible: "
            "raise limits.max_deterministic_time and run again",
            ja="作業上限内に割当てが見つからず、不可能であることも証明できませんでした。"
            "limits.max_deterministic_time を増やして再実行してください",
        ),
        objective=None,
        groups=_not_formed_groups(facts),
        loads=[],
        infeasibility=None,
    )
