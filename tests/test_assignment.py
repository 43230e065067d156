"""The working-group optimiser (kyoten.assignment): optimal against brute force, every hard
constraint kept (check() as the oracle), infeasibility named with numbers and names,
deterministic to the byte, pins and forbids, and bad problem files named by field."""

from __future__ import annotations

import itertools
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

import kyoten.assignment
import kyoten.assignment.solver as solver_module
from kyoten.assignment import Assignment, Problem, check, parse_assignment, solve
from kyoten.assignment.problem import MAX_PAIRS, parse_problem, problem_from_data
from kyoten.cli import main
from kyoten.text import KyotenError
from test_fuzz_readers import VALUES, changed, refused_cleanly

KEYWORDS = ("imaging", "genetics", "theory")
SOLVER = settings(
    deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def expert(id, abroad=False, load=1, chair=False, expertise=(), name=None):
    return {
        "id": id,
        "name": name or f"Dr {id.upper()}",
        "from_abroad": abroad,
        "expertise": list(expertise),
        "max_load": load,
        "may_chair": chair,
    }


def group(id, size, share="0", chair=False, needs=(), previous=(), name=None):
    return {
        "id": id,
        "name": name or id,
        "size": size,
        "from_abroad_share": share,
        "chair_required": chair,
        "needs": [
            {
                "id": need_id,
                "title": {"en": need_id.title(), "ja": f"{need_id}（分野）"},
                "expertise": [keyword],
                "min": least,
            }
            for need_id, keyword, least in needs
        ],
        "previous": list(previous),
    }


def conflict(expert_id, group_id, status="confirmed"):
    return {
        "expert": expert_id,
        "group": group_id,
        "status": status,
        "reason": {"en": "employed at the host", "ja": "ホスト機関に在籍"},
    }


def problem(**fields):
    return Problem.model_validate(fields)


# --- a plain evaluator: every assignment of a small problem, checked by the rules in words ---


def plain_valid(p: Problem, seats: dict[str, tuple[tuple[str, ...], str | None]]) -> bool:
    """``seats``: group id -> (members, chair). The hard constraints as the problem states them."""
    experts = {e.id: e for e in p.experts}
    excluded = {(c.expert, c.group) for c in p.conflicts} | {(f.expert, f.group) for f in p.forbids}
    load = {e: 0 for e in experts}
    for g in p.groups:
        members, chair = seats[g.id]
        if len(members) != g.size or any((e, g.id) in excluded for e in members):
            return False
        if sum(1 for e in members if experts[e].from_abroad is True) < int(g.share * g.size):
            return False
        if g.chair_required and (chair not in members or not experts[chair].may_chair):
            return False
        for need in g.needs:
            wanted = set(need.expertise)
            eligible = [
                e
                for e in experts.values()
                if (e.id, g.id) not in excluded and e.max_load > 0 and wanted & set(e.expertise)
            ]
            covering = [e for e in members if wanted & set(experts[e].expertise)]
            if eligible and len(covering) < need.min:
                return False
        for pin in p.pins:
            if pin.group == g.id:
                if pin.expert not in members:
                    return False
                if pin.role == "chair" and chair != pin.expert:
                    return False
                if pin.role == "member" and chair == pin.expert:
                    return False
        for e in members:
            load[e] += 1
    return all(load[e] <= experts[e].max_load for e in experts)


def plain_objective(p: Problem, seats: dict[str, tuple[tuple[str, ...], str | None]]) -> int:
    fit = {(f.expert, f.group): f.score for f in p.fit}
    load: dict[str, int] = {}
    value = 0
    for g in p.groups:
        for e in seats[g.id][0]:
            value += p.weights.fit * fit.get((e, g.id), 0)
            value += p.weights.continuity * (e in g.previous)
            value -= p.weights.balance * load.get(e, 0)  # the k-th group costs k - 1
            load[e] = load.get(e, 0) + 1
    return value


def brute_force_best(p: Problem) -> int | None:
    """The best objective over every valid assignment (None: there is none)."""
    ids = [e.id for e in p.experts]
    options = []
    for g in p.groups:
        options.append(
            [
                (g.id, members, chair)
                for members in itertools.combinations(ids, g.size)
                for chair in (members if g.chair_required else (None,))
            ]
        )
    best = None
    for combo in itertools.product(*options):
        seats = {g: (members, chair) for g, members, chair in combo}
        if plain_valid(p, seats):
            value = plain_objective(p, seats)
            best = value if best is None else max(best, value)
    return best


def seats_of(proposal) -> dict[str, tuple[tuple[str, ...], str | None]]:
    return {
        g.id: (
            tuple(m.expert for m in g.members),
            next((m.expert for m in g.members if m.role == "chair"), None),
        )
        for g in proposal.groups
    }


@st.composite
def small_problems(draw, most_experts=6, most_groups=2, most_size=3):
    count = draw(st.integers(3, most_experts))
    experts = [
        expert(
            f"e{i}",
            abroad=draw(st.sampled_from([True, True, False, None])),
            load=draw(st.sampled_from([0, 1, 1, 2, 2])),
            chair=draw(st.booleans()),
            expertise=draw(st.lists(st.sampled_from(KEYWORDS), max_size=2, unique=True)),
        )
        for i in range(count)
    ]
    ids = [e["id"] for e in experts]
    groups = []
    for j in range(draw(st.integers(1, most_groups))):
        wanted = draw(st.lists(st.sampled_from(KEYWORDS), max_size=2, unique=True))
        groups.append(
            group(
                f"g{j}",
                draw(st.integers(1, min(most_size, count - 1))),
                share=draw(st.sampled_from(["0", "1/3", "1/2", "1/2", "2/3", "1"])),
                chair=draw(st.booleans()),
                needs=[
                    (f"n{k}", kw, draw(st.sampled_from([1, 1, 2]))) for k, kw in enumerate(wanted)
                ],
                previous=draw(st.lists(st.sampled_from(ids), max_size=2, unique=True)),
            )
        )
    pairs = [(e, g["id"]) for e in ids for g in groups]
    fit = [
        {"expert": e, "group": g, "score": draw(st.integers(0, 100))}
        for e, g in pairs
        if draw(st.booleans())
    ]
    conflicts = [
        conflict(e, g, draw(st.sampled_from(["confirmed", "potential"])))
        for e, g in pairs
        if draw(st.integers(0, 11)) == 0
    ]
    forbids = [{"expert": e, "group": g} for e, g in pairs if draw(st.integers(0, 14)) == 0]
    forbidden = {(f["expert"], f["group"]) for f in forbids}
    pins = []
    if draw(st.booleans()):
        e, g = draw(st.sampled_from(pairs))
        chairing = (
            next(x for x in groups if x["id"] == g)["chair_required"]
            and next(x for x in experts if x["id"] == e)["may_chair"]
        )
        if (e, g) not in forbidden:
            role = draw(
                st.sampled_from([None, "member", "chair"] if chairing else [None, "member"])
            )
            pins.append({"expert": e, "group": g, "role": role})
    weights = {
        "fit": draw(st.integers(0, 3)),
        "continuity": draw(st.integers(0, 60)),
        "balance": draw(st.integers(0, 40)),
    }
    return problem(
        experts=experts,
        groups=groups,
        fit=fit,
        conflicts=conflicts,
        forbids=forbids,
        pins=pins,
        weights=weights,
    )


# --- optimal against brute force -----------------------------------------------------------


@settings(SOLVER, max_examples=250)
@given(small_problems())
def test_the_optimum_equals_the_best_of_every_valid_assignment(p):
    best = brute_force_best(p)
    proposal = solve(p).proposal
    if best is None:
        assert proposal.status == "infeasible"
        assert proposal.infeasibility is not None and proposal.infeasibility.reasons
    else:
        assert proposal.status == "optimal"
        assert proposal.objective is not None and proposal.objective.value == best
        assert plain_valid(p, seats_of(proposal))
        assert plain_objective(p, seats_of(proposal)) == best
        assert check(p, proposal.assignment()) == []


def test_brute_force_sees_the_load_cost_and_continuity():
    # Ada fits both groups best, but a second group costs 50: Bo (fit 30) takes one of them;
    # Cy sat in g2 last year (worth 40) though he fits it at 10.
    p = problem(
        experts=[expert("ada", load=2), expert("bo", load=2), expert("cy", load=2)],
        groups=[group("g1", 1), group("g2", 2, previous=["cy"])],
        fit=[
            {"expert": "ada", "group": "g1", "score": 70},
            {"expert": "ada", "group": "g2", "score": 70},
            {"expert": "bo", "group": "g1", "score": 30},
            {"expert": "bo", "group": "g2", "score": 30},
            {"expert": "cy", "group": "g2", "score": 10},
        ],
        weights={"fit": 1, "continuity": 40, "balance": 50},
    )
    proposal = solve(p).proposal
    # ada in g1 (70), g2 = ada + cy would cost 50 for ada's second group: 70+70+10+40-50 = 140;
    # ada in g1, g2 = bo + cy: 70 + 30 + 10 + 40 = 150, the best.
    assert brute_force_best(p) == 150
    assert proposal.objective.value == 150
    assert seats_of(proposal) == {"g1": (("ada",), None), "g2": (("bo", "cy"), None)}
    assert proposal.objective.model_dump() == {
        "value": 150,
        "bound": 150,
        "fit": 110,
        "continuity": 1,
        "load_cost": 0,
        "weights": {"fit": 1, "continuity": 40, "balance": 50},
    }


# --- the hard constraints are never broken ----------------------------------------------------


@SOLVER
@given(small_problems(most_experts=14, most_groups=4, most_size=5))
def test_a_formed_proposal_breaks_no_hard_constraint(p):
    proposal = solve(p).proposal
    assert proposal.status in ("optimal", "infeasible")
    if proposal.status == "optimal":
        assert check(p, proposal.assignment()) == []
        assert plain_valid(p, seats_of(proposal))
        for g in proposal.groups:
            facts = next(x for x in p.groups if x.id == g.id)
            assert len(g.members) == facts.size
            assert g.from_abroad >= int(facts.share * facts.size)
    else:
        assert proposal.groups and all(not g.members for g in proposal.groups)
        assert proposal.objective is None


# --- infeasible, with the reason named -------------------------------------------------------


def t8(excluded):
    """T8 (evaluation anchors §5.7): 10 experts, 5 from abroad; a group of 8, at least 4 from abroad."""
    experts = [expert(f"f{i}", abroad=True, name=f"Abroad {i}") for i in range(5)]
    experts += [expert(f"d{i}", abroad=False, name=f"Home {i}") for i in range(5)]
    return problem(
        experts=experts,
        groups=[group("IRCN", 8, share="1/2", name="IRCN")],
        conflicts=[conflict(e, "IRCN") for e in excluded],
    )


def test_t8_two_experts_from_abroad_excluded_is_infeasible_naming_the_share_and_the_three_left():
    proposal = solve(t8(["f0", "f1"])).proposal
    assert proposal.status == "infeasible"
    [reason] = proposal.infeasibility.reasons
    assert (reason.check, reason.constraint, reason.group) == ("group", "from_abroad_share", "IRCN")
    assert reason.experts == ["f2", "f3", "f4"]
    assert reason.text.en == (
        "IRCN: only 3 experts from abroad without a conflict of interest are available; at "
        "least 4 are needed (Abroad 2, Abroad 3 and Abroad 4)"
    )
    assert reason.text.ja == (
        "IRCN：利益相反のない海外の専門家は3名のみです。4名以上が必要です"
        "（Abroad 2、Abroad 3、Abroad 4）"
    )
    assert proposal.message.en.startswith("No working groups can be formed: 1 constraint")


def test_t8_one_domestic_expert_excluded_gives_a_valid_group_of_eight():
    p = t8(["d0"])
    proposal = solve(p).proposal
    assert proposal.status == "optimal"
    [formed] = proposal.groups
    members = [m.expert for m in formed.members]
    assert len(members) == 8 and "d0" not in members
    assert formed.from_abroad >= 4 and formed.from_abroad_needed == 4
    assert formed.excluded.confirmed_conflicts == 1
    assert check(p, proposal.assignment()) == []


def test_too_few_available_experts_names_the_exclusions():
    p = problem(
        experts=[expert(f"e{i}") for i in range(4)],
        groups=[group("G", 4)],
        conflicts=[conflict("e0", "G"), conflict("e1", "G", "potential")],
        forbids=[{"expert": "e2", "group": "G"}],
    )
    [reason] = solve(p).proposal.infeasibility.reasons
    assert reason.constraint == "size"
    assert reason.text.en == (
        "G: only 1 expert is available (without a conflict of interest or exclusion, with a load "
        "limit above 0); 4 are needed (excluded: 1 by confirmed conflicts of interest, 1 by "
        "potential conflicts of interest (to be decided), 1 by the office)"
    )
    assert "未判断の利益相反1名（判断待ち）" in reason.text.ja


def test_a_need_covered_by_too_few_is_infeasible_and_one_covered_by_nobody_is_dropped():
    experts = [
        expert("a", expertise=["imaging"]),
        expert("b"),
        expert("c"),
        expert("d", expertise=["theory"]),
    ]
    short = problem(experts=experts, groups=[group("G", 3, needs=[("imaging", "imaging", 2)])])
    [reason] = solve(short).proposal.infeasibility.reasons
    assert (reason.constraint, reason.need, reason.experts) == ("need", "imaging", ["a"])
    assert reason.text.en == (
        "G: only 1 expert available covers Imaging (Dr A); at least 2 are needed"
    )
    assert (
        reason.text.ja
        == "G：「imaging（分野）」を専門とする利用可能な専門家は1名のみです（Dr A）。2名以上が必要です"
    )

    dropped = problem(
        experts=experts,
        groups=[group("G", 2, needs=[("genetics", "genetics", 1), ("theory", "theory", 1)])],
        conflicts=[conflict("d", "G")],
    )
    proposal = solve(dropped).proposal
    assert proposal.status == "optimal"
    [formed] = proposal.groups
    assert [(n.id, n.dropped) for n in formed.needs] == [("genetics", True), ("theory", True)]
    assert [n.text.en for n in formed.notes] == [
        "No available expert covers Genetics, so the need is dropped (nobody in the pool covers it)",
        "No available expert covers Theory, so the need is dropped (those who cover it cannot sit "
        "in this group: Dr D)",
        "Excluded: 1 by confirmed conflicts of interest",
    ]
    assert formed.notes[0].text.ja.startswith(
        "「genetics（分野）」を専門とする利用可能な専門家がいない"
    )


def test_no_chair_candidate_and_pool_wide_capacity():
    no_chair = problem(
        experts=[expert("a"), expert("b", chair=True)],
        groups=[group("G", 1, chair=True)],
        conflicts=[conflict("b", "G")],
    )
    [reason] = solve(no_chair).proposal.infeasibility.reasons
    assert reason.constraint == "chair"
    assert reason.text.en == "G: a chair is required, but no available expert may chair"

    seats = problem(
        experts=[expert(f"e{i}") for i in range(4)], groups=[group("G1", 3), group("G2", 3)]
    )
    [reason] = solve(seats).proposal.infeasibility.reasons
    assert (reason.check, reason.constraint) == ("pool", "seats")
    assert reason.text.en.startswith(
        "the groups have 6 seats in all; the available experts can take at most 4"
    )

    abroad = problem(
        experts=[
            expert("a", abroad=True),
            expert("b", abroad=True),
            *(expert(f"h{i}", load=2) for i in range(4)),
        ],
        groups=[group(f"G{i}", 2, share="1/2") for i in range(3)],
    )
    [reason] = solve(abroad).proposal.infeasibility.reasons
    assert (reason.check, reason.constraint, reason.experts) == (
        "pool",
        "seats_from_abroad",
        ["a", "b"],
    )
    assert reason.text.en == (
        "the groups need 3 experts from abroad in all; the 2 experts from abroad can take at "
        "most 2 of those seats (Dr A and Dr B)"
    )


def test_a_pinned_expert_with_a_potential_conflict_must_be_decided_first():
    p = problem(
        experts=[expert("a"), expert("b")],
        groups=[group("G", 1, name="IRCN")],
        conflicts=[conflict("a", "G", "potential")],
        pins=[{"expert": "a", "group": "G"}],
    )
    [reason] = solve(p).proposal.infeasibility.reasons
    assert (reason.constraint, reason.expert) == ("pin", "a")
    assert (
        "has a potential conflict of interest (employed at the host): decide the conflict"
        in reason.text.en
    )
    assert "未判断の利益相反があります" in reason.text.ja


def only_the_solver_sees():
    return problem(
        experts=[
            expert("ada", abroad=True, expertise=["imaging"], name="Ada"),
            expert("bo", abroad=True, name="Bo"),
            expert("cy", load=2),
            expert("di", load=2),
        ],
        groups=[
            group("G1", 2, share="1/2", needs=[("imaging", "imaging", 1)]),
            group("G2", 2, share="1/2"),
        ],
        conflicts=[conflict("bo", "G2")],
    )


def test_what_only_the_solver_sees_is_named_as_a_minimal_set_of_constraints():
    # Each group and the pool look fine alone: Ada is the only expert covering imaging (G1)
    # and the only expert from abroad G2 may have (Bo has a conflict with G2); she takes one group.
    p = only_the_solver_sees()
    proposal = solve(p).proposal
    assert proposal.status == "infeasible"
    reasons = proposal.infeasibility.reasons
    assert {r.check for r in reasons} == {"solver"}
    assert sorted((r.constraint, r.group, r.expert) for r in reasons) == [
        ("from_abroad_share", "G2", None),
        ("max_load", None, "ada"),
        ("need", "G1", None),
    ]
    assert proposal.infeasibility.summary.en == (
        "No assignment meets these 3 constraints together; relaxing any one of them allows one"
    )
    texts = {r.constraint: r.text.en for r in reasons}
    assert texts["max_load"] == "Ada sits in at most 1 group (available to G1, G2)"
    assert {r.constraint: r.text.ja for r in reasons}["max_load"] == (
        "Adaの担当上限は1件です（担当可能：G1、G2）"
    )
    assert texts["from_abroad_share"] == "G2 needs at least 1 expert from abroad (1 available: Ada)"


def test_a_proof_the_work_limit_cuts_short_says_so(monkeypatch):
    # the first solve proves it; the solve that names the constraints is stopped by the limit
    original = solver_module._Run.solve

    def stopped_after_the_first(run, model, work_limit):
        solved, status = original(run, model, work_limit)
        return solved, status if run.solves == 1 else cp_model.UNKNOWN

    monkeypatch.setattr(solver_module._Run, "solve", stopped_after_the_first)
    proposal = solve(only_the_solver_sees()).proposal
    assert proposal.status == "infeasible"
    assert proposal.infeasibility.reasons == []
    assert proposal.infeasibility.summary.en.startswith(
        "No assignment meets every constraint together, but the solver could not single out which"
    )


# --- determinism --------------------------------------------------------------------------------


def generated(seed, experts=40, groups=6):
    rng = random.Random(seed)
    pool = [
        expert(
            f"x{i:02d}",
            abroad=rng.choice([True, True, False, None]),
            load=rng.randint(1, 2),
            chair=rng.random() < 0.4,
            expertise=rng.sample(KEYWORDS, rng.randint(0, 2)),
        )
        for i in range(experts)
    ]
    gs = [
        group(
            f"g{j}",
            4,
            share="1/2",
            chair=True,
            needs=[("n", rng.choice(KEYWORDS), 1)],
            previous=[e["id"] for e in rng.sample(pool, 2)],
        )
        for j in range(groups)
    ]
    fit = [
        {"expert": e["id"], "group": g["id"], "score": rng.randint(0, 100)}
        for e in pool
        for g in gs
        if rng.random() < 0.5
    ]
    conflicts = [conflict(e["id"], g["id"]) for e in pool for g in gs if rng.random() < 0.05]
    return {"experts": pool, "groups": gs, "fit": fit, "conflicts": conflicts}


def test_the_same_problem_gives_the_same_bytes_whatever_the_order_of_its_lists():
    data = generated(3)
    first = solve(problem_from_data(data, "p.json")).proposal.to_json()
    assert solve(problem_from_data(data, "p.json")).proposal.to_json() == first
    shuffled = json.loads(json.dumps(data))
    rng = random.Random(11)
    for key in shuffled:
        rng.shuffle(shuffled[key])
    shuffled["experts"] = [dict(reversed(list(e.items()))) for e in shuffled["experts"]]
    assert solve(problem_from_data(shuffled, "p.json")).proposal.to_json() == first
    assert json.loads(first)["status"] == "optimal"
    assert "seconds" not in first and "time" not in first


# --- pins and forbids ---------------------------------------------------------------------------


def test_pins_force_and_forbids_exclude_pairs_whatever_they_cost():
    experts = [expert("a", chair=True), expert("b", chair=True), expert("c")]
    fit = [{"expert": "a", "group": "G", "score": 100}, {"expert": "b", "group": "G", "score": 90}]
    base = {"experts": experts, "groups": [group("G", 2, chair=True)], "fit": fit}
    free = solve(problem(**base)).proposal
    assert set(seats_of(free)["G"][0]) == {"a", "b"}

    pinned = problem(
        **base, pins=[{"expert": "c", "group": "G"}, {"expert": "b", "group": "G", "role": "chair"}]
    )
    proposal = solve(pinned).proposal
    assert seats_of(proposal) == {"G": (("b", "c"), "b")}
    assert [m.pinned for m in proposal.groups[0].members] == [True, True]
    assert proposal.groups[0].members[1].why.en == "Fit 0; pinned by the office."

    as_member = problem(**base, pins=[{"expert": "a", "group": "G", "role": "member"}])
    assert seats_of(solve(as_member).proposal) == {"G": (("b", "a"), "b")}

    forbidden = problem(**base, forbids=[{"expert": "a", "group": "G"}])
    proposal = solve(forbidden).proposal
    assert seats_of(proposal) == {"G": (("b", "c"), "b")}
    assert proposal.groups[0].excluded.forbidden == 1


def test_the_explanation_of_a_pairing_in_both_languages():
    p = problem(
        experts=[expert("a", abroad=True, chair=True, expertise=["Imaging"], name="Ada")],
        groups=[
            group(
                "G", 1, share="1/2", chair=True, needs=[("imaging", "imaging", 1)], previous=["a"]
            )
        ],
        fit=[{"expert": "a", "group": "G", "score": 80}],
        pins=[{"expert": "a", "group": "G"}],
    )
    [member] = solve(p).proposal.groups[0].members
    assert (member.role, member.fit, member.continuity, member.needs, member.pinned) == (
        "chair",
        80,
        True,
        ["imaging"],
        True,
    )
    assert member.why.en == (
        "Chair. Fit 80; in last year's group; covers Imaging; from abroad; pinned by the office."
    )
    assert (
        member.why.ja
        == "主査。適合度80、昨年度の作業部会の委員、「imaging（分野）」を担当、海外の専門家、事務局の指定。"
    )


# --- check() on an edited proposal --------------------------------------------------------------


def test_check_names_every_broken_constraint_of_an_edited_proposal():
    p = problem(
        experts=[
            expert("a", abroad=True, chair=True, name="Ada"),
            expert("b", name="Bo"),
            expert("c", name="Cy", expertise=["imaging"]),
            expert("d", name="Di", load=0),
        ],
        groups=[
            group("G", 3, share="2/3", chair=True, needs=[("imaging", "imaging", 1)], name="IRCN"),
            group("H", 1, name="AIMR"),
        ],
        conflicts=[conflict("b", "G", "potential")],
        forbids=[{"expert": "d", "group": "G"}],
        pins=[{"expert": "c", "group": "G"}],
    )
    edited = parse_assignment(
        json.dumps(
            {
                "groups": [
                    {
                        "id": "G",
                        "members": [
                            {"expert": "b", "role": "chair"},
                            {"expert": "d"},
                            {"expert": "zz"},
                            {"expert": "b"},
                        ],
                        "notes": ["ignored"],
                    },
                    {"id": "H", "members": [{"expert": "a", "role": "chair"}]},
                    {"id": "X", "members": []},
                ]
            }
        ).encode(),
        "edited.json",
    )
    messages = [v.message.en for v in check(p, edited)]
    assert messages == [
        "group 'X' is not in the problem",
        "IRCN: expert 'zz' is not in the problem",
        "IRCN: Bo is seated twice",
        "IRCN has 2 experts; exactly 3 are needed",
        "IRCN: Bo has a potential conflict of interest (employed at the host)",
        "IRCN: the office excluded Di from this group",
        "IRCN has 0 experts from abroad; at least 2 are needed",
        "IRCN: Bo chairs, but may not chair",
        "IRCN has 0 members covering Imaging; at least 1 is needed",
        "IRCN: Cy is pinned to this group but not seated",
        "AIMR has no chair (chair_required is false), but Ada is seated as chair",
        "Di sits in 1 group; at most 0",
    ]
    assert all(v.message.ja for v in check(p, edited))
    assert (
        check(
            p,
            Assignment.model_validate(
                {
                    "groups": [
                        {
                            "id": "G",
                            "members": [
                                {"expert": "a", "role": "chair"},
                                {"expert": "c"},
                                {"expert": "b"},
                            ],
                        }
                    ]
                }
            ),
        )[0].constraint
        == "conflict"
    )


# --- bad files name the field ---------------------------------------------------------------------


def messages(raw: bytes, lang="en"):
    with pytest.raises(KyotenError) as refused:
        parse_problem(raw, "p.json")
    return [p.localized(lang) for p in getattr(refused.value, "problems", [refused.value])]


GOOD = {"experts": [expert("a", chair=True)], "groups": [group("G", 1, chair=True)]}


def with_(**changes):
    return json.dumps({**GOOD, **changes}).encode()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # a reference to nobody, in each list that names experts and groups
        (
            with_(fit=[{"expert": "zz", "group": "G", "score": 5}]),
            "p.json: fit[0].expert: unknown expert id: it is not in experts (got 'zz')",
        ),
        (
            with_(conflicts=[conflict("a", "Q")]),
            "p.json: conflicts[0].group: unknown group id: it is not in groups (got 'Q')",
        ),
        (
            with_(pins=[{"expert": "zz", "group": "G"}]),
            "p.json: pins[0].expert: unknown expert id: it is not in experts (got 'zz')",
        ),
        (
            with_(forbids=[{"expert": "a", "group": "Q"}]),
            "p.json: forbids[0].group: unknown group id: it is not in groups (got 'Q')",
        ),
        (
            with_(groups=[group("G", 1, previous=["zz"])]),
            "p.json: groups[0].previous[0]: unknown expert id: it is not in experts (got 'zz')",
        ),
        # duplicates
        (
            with_(experts=[expert("a"), expert("a")]),
            "p.json: experts[1]: duplicate expert id (got 'a')",
        ),
        (
            with_(groups=[group("G", 1), group("G", 1)]),
            "p.json: groups[1]: duplicate group id (got 'G')",
        ),
        (
            with_(fit=[{"expert": "a", "group": "G", "score": 5}] * 2),
            "p.json: fit[1]: this expert and group are listed twice (got 'a → G')",
        ),
        # the office's choices contradict each other or the data
        (
            with_(pins=[{"expert": "a", "group": "G"}], forbids=[{"expert": "a", "group": "G"}]),
            "p.json: pins[0]: this pairing is both pinned and forbidden: keep one (got 'a → G')",
        ),
        (
            with_(experts=[expert("a")], pins=[{"expert": "a", "group": "G", "role": "chair"}]),
            "p.json: pins[0].expert: pinned as chair, but may_chair is false for this expert (got 'a')",
        ),
        # values
        (
            with_(groups=[group("G", 1, share="3/2")]),
            "p.json: groups[0].from_abroad_share: expected a share between 0 and 1 written as a fraction, such as 1/2 (got '3/2')",
        ),
        (
            with_(groups=[group("G", 1, share="1/0")]),
            "p.json: groups[0].from_abroad_share: expected a share between 0 and 1 written as a fraction, such as 1/2 (got '1/0')",
        ),
        (with_(groups=[group("G", 0)]), "p.json: groups[0].size: expected a value ≥ 1 (got 0)"),
        (
            with_(fit=[{"expert": "a", "group": "G", "score": 101}]),
            "p.json: fit[0].score: expected a value ≤ 100 (got 101)",
        ),
        (
            with_(conflicts=[{**conflict("a", "G"), "status": "maybe"}]),
            "p.json: conflicts[0].status: expected one of 'confirmed' or 'potential' (got 'maybe')",
        ),
        (
            with_(experts=[{"id": "a", "name": "A"}]),
            "p.json: experts[0].max_load: this field is required",
        ),
        (
            with_(colour="blue"),
            "p.json: colour: unknown field (check the spelling against `kyoten schema`)",
        ),
        # not a problem at all
        (b"[1, 2]", "p.json: a problem must be a JSON object with experts and groups (got 'list')"),
        (b'{"experts": [', "p.json:1: not valid JSON (Expecting value, column 14)"),
        (b"\xff\xfe{}", "p.json: not a text file in UTF-8; expected a JSON file"),
        (
            b"[" * 100_000 + b"]" * 100_000,
            "p.json: the file is nested too deeply or holds a number too long",
        ),
    ],
)
def test_a_bad_problem_file_is_refused_naming_the_field_and_value(raw, expected):
    assert expected in messages(raw)


def test_errors_are_in_japanese_too():
    [message] = messages(with_(pins=[{"expert": "zz", "group": "G"}]), "ja")
    assert (
        message
        == "p.json: pins[0].expert：不明な専門家IDです（experts にありません）（入力値 'zz'）"
    )


def test_a_problem_past_its_bounds_is_refused_before_it_is_solved_or_parsed(monkeypatch):
    too_many_pairs = {
        "experts": [expert(f"e{i}") for i in range(301)],
        "groups": [group(f"G{j}", 1) for j in range(100)],
    }
    [message] = messages(json.dumps(too_many_pairs).encode())
    assert message == (
        f"p.json: 301 experts × 100 groups is 30,100 pairings; at most {MAX_PAIRS:,} are "
        "accepted (got 30100)"
    )

    def no_parsing(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(json, "loads", no_parsing)
    assert messages(b"[" + b"{}," * 600_000 + b"{}]") == [
        "p.json: the file holds about 1,200,002 items; at most 1,000,000 are accepted"
    ]
    assert messages(b" " * 8_000_001) == [
        "p.json: the file is too large: 8,000,001 bytes; a problem holds at most 8,000,000"
    ]


def test_the_example_problem_is_valid_and_forms_its_groups():
    path = Path(__file__).parents[1] / "examples" / "assignment" / "follow-up-problem.json"
    p = parse_problem(path.read_bytes(), path.name)
    proposal = solve(p).proposal
    assert proposal.status == "optimal"
    assert check(p, proposal.assignment()) == []
    ircn = next(g for g in proposal.groups if g.id == "IRCN")
    assert ircn.chair == "x13"  # pinned as chair
    assert ircn.excluded.model_dump() == {
        "confirmed_conflicts": 1,
        "potential_conflicts": 1,
        "forbidden": 0,
    }


# --- the command ----------------------------------------------------------------------------------

EXAMPLE = Path(__file__).parents[1] / "examples" / "assignment" / "follow-up-problem.json"


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def schema(capsys, of):
    code, out, _ = run(capsys, "schema", of)
    assert code == 0
    return json.loads(out)


def test_assign_writes_a_proposal_that_follows_its_published_schema(capsys, tmp_path):
    problem_schema = schema(capsys, "assignment-problem")
    jsonschema.validate(json.loads(EXAMPLE.read_text("utf-8")), problem_schema)
    out = tmp_path / "proposal.json"
    code, summary, err = run(capsys, "assign", str(EXAMPLE), "--out", str(out), "--lang", "en")
    assert code == 0
    assert summary.startswith(
        "3 working groups formed (18 seats): of all the groups that meet every rule, none scores higher\n"
    )
    assert "  IRCN (example): 伊藤 誠 (Makoto Ito) (chair), " in summary
    assert f"written to {out}" in summary
    assert err == ""
    written = out.read_bytes()
    jsonschema.validate(json.loads(written), schema(capsys, "assignment-proposal"))
    # the same bytes again, and on standard output when no --out is given (the summary then
    # goes to standard error, in Japanese here, with the timings asked for)
    code, printed, err = run(capsys, "assign", str(EXAMPLE), "--lang", "ja", "--stats")
    assert code == 0
    assert printed.encode() == written
    assert err.startswith(
        "3件の作業部会を編成しました（18席）。すべての条件を満たす編成のうち、評価値が最も高いものです\n"
    )
    assert "solve time: " in err
    assert "solve time" not in printed


def test_assign_exits_1_when_no_group_can_be_formed_and_prints_why(capsys, tmp_path):
    data = t8(["f0", "f1"]).model_dump(mode="json")
    path = tmp_path / "t8.json"
    path.write_text(json.dumps(data), "utf-8")
    out = tmp_path / "proposal.json"
    code, summary, _ = run(capsys, "assign", str(path), "--out", str(out), "--lang", "ja")
    assert code == 1
    assert "作業部会を編成できません。満たせない条件が1件あります" in summary
    assert "  - IRCN：利益相反のない海外の専門家は3名のみです。4名以上が必要です" in summary
    proposal = json.loads(out.read_text("utf-8"))
    jsonschema.validate(proposal, schema(capsys, "assignment-proposal"))
    assert proposal["status"] == "infeasible"


def test_assign_exits_2_naming_the_file_field_and_value(capsys, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**GOOD, "fit": [{"expert": "zz", "group": "G", "score": 5}]}))
    out = tmp_path / "proposal.json"
    code, printed, err = run(capsys, "assign", str(path), "--out", str(out), "--lang", "en")
    assert code == 2
    assert printed == ""
    assert err == f"{path}: fit[0].expert: unknown expert id: it is not in experts (got 'zz')\n"
    assert not out.exists()  # nothing half-written
    code, _, err = run(capsys, "assign", str(tmp_path / "missing.json"), "--lang", "ja")
    assert code == 2
    assert "missing.json：ファイルを読み込めません" in err


def test_assign_exits_3_on_an_internal_error(capsys, monkeypatch):
    def broken(problem):
        raise RuntimeError("a bug")

    monkeypatch.setattr(kyoten.assignment, "solve", broken)
    code, _, err = run(capsys, "assign", str(EXAMPLE), "--lang", "en")
    assert code == 3
    assert err.startswith("internal error (RuntimeError); please report it")


def test_assign_check_tests_an_edited_proposal(capsys, tmp_path):
    out = tmp_path / "proposal.json"
    assert run(capsys, "assign", str(EXAMPLE), "--out", str(out))[0] == 0
    code, printed, _ = run(capsys, "assign", str(EXAMPLE), "--check", str(out), "--lang", "en")
    assert (code, printed) == (0, "the proposal meets every hard constraint\n")
    proposal = json.loads(out.read_text("utf-8"))
    ircn = next(g for g in proposal["groups"] if g["id"] == "IRCN")
    ircn["members"][1]["expert"] = "x09"  # a confirmed conflict with IRCN
    out.write_text(json.dumps(proposal), "utf-8")
    code, printed, _ = run(capsys, "assign", str(EXAMPLE), "--check", str(out), "--lang", "en")
    assert code == 1
    assert (
        "IRCN (example): 山田 花子 (Hanako Yamada) has a confirmed conflict of interest" in printed
    )


def test_a_problem_built_in_code_is_checked_before_it_is_solved():
    # as the web app builds it: Problem.model_validate checks the fields, solve() the ids
    p = problem(
        experts=[expert("a")],
        groups=[group("G", 1)],
        pins=[{"expert": "zz", "group": "G"}],
    )
    with pytest.raises(KyotenError) as refused:
        solve(p)
    assert refused.value.localized("en") == (
        "problem: pins[0].expert: unknown expert id: it is not in experts (got 'zz')"
    )
    with pytest.raises(KyotenError):
        check(p, Assignment(groups=[]))


# --- fuzz: generated problem files are read and solved, or refused cleanly --------------------

EXAMPLE_DATA = json.loads(EXAMPLE.read_text("utf-8"))
PROBLEM_PATHS = [
    ("experts", 0, "max_load"),
    ("experts", 1, "id"),
    ("experts", 2, "from_abroad"),
    ("experts", 3, "expertise"),
    ("experts", 4, "may_chair"),
    ("experts", 5),
    ("groups", 0, "size"),
    ("groups", 0, "from_abroad_share"),
    ("groups", 1, "needs", 0, "min"),
    ("groups", 1, "needs", 1, "expertise"),
    ("groups", 2, "previous"),
    ("groups", 2, "chair_required"),
    ("fit", 0, "score"),
    ("fit", 1, "expert"),
    ("conflicts", 0, "status"),
    ("conflicts", 1, "reason"),
    ("pins", 0, "role"),
    ("pins", 0, "expert"),
    ("forbids", 0, "group"),
    ("weights", "balance"),
    ("limits", "max_deterministic_time"),
    ("groups",),
]


@settings(SOLVER, max_examples=200)
@given(changes=st.lists(st.tuples(st.sampled_from(PROBLEM_PATHS), VALUES), min_size=1, max_size=3))
def test_generated_problem_files_are_solved_or_refused_cleanly(changes):
    try:
        raw = json.dumps(changed(EXAMPLE_DATA, changes)).encode("utf-8", "surrogatepass")
        p = parse_problem(raw, "fuzz.json")
    except KyotenError as error:
        refused_cleanly(error)
        return
    proposal = solve(p).proposal
    assert proposal.status in ("optimal", "infeasible")
    if proposal.status == "optimal":
        assert check(p, proposal.assignment()) == []


def test_the_longest_names_and_titles_a_file_may_hold_still_give_a_proposal():
    long_title = {"en": "T" * 1000, "ja": "題" * 1000}
    needs = [
        {"id": f"n{k}", "title": long_title, "expertise": [f"k{k}"], "min": 1} for k in range(20)
    ]
    experts = [
        expert(f"e{i}", abroad=True, expertise=[f"k{k}" for k in range(20)], name="N" * 200)
        for i in range(12)
    ]
    formed = problem(experts=experts, groups=[{**group("G", 1), "needs": needs}])
    [member] = solve(formed).proposal.groups[0].members
    assert len(member.why.en) > 20_000
    experts[-1]["from_abroad"] = False
    short = problem(experts=experts, groups=[group("G", 12, share="1")])
    [reason] = solve(short).proposal.infeasibility.reasons
    assert reason.text.en.endswith("NNNN and 1 more)")


def test_the_same_bytes_from_separate_processes_with_different_hash_seeds(tmp_path):
    """Nothing depends on the order Python iterates sets in, which changes per process."""
    data = generated(5)
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(data), "utf-8")
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-m", "kyoten", "assign", str(path)],
            capture_output=True,
            check=False,
            env=env,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["status"] == "optimal"
