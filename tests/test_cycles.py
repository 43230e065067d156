"""The evaluation cycles' data and rules: loaded and checked, sources on every value, the
unconfirmed kept marked; which centers a cycle is for; what a decision records in the
lifecycle; working groups against the program's rules; the spread of the reviews."""

import datetime
from importlib import resources

import pytest

from kyoten import lifecycle
from kyoten.cycles import (
    GroupMember,
    check_working_group,
    ineligibility,
    load_cycles,
    outcome_events,
    parse_cycles,
    spread,
)
from kyoten.text import KyotenError, KyotenErrors

D = datetime.date
CYCLES = load_cycles()
TEXT = (resources.files("kyoten.cycles") / "data" / "wpi.yaml").read_text(encoding="utf-8")


def test_only_s_is_confirmed_and_the_other_grades_stay_marked():
    grades = {g.id: g for g in CYCLES.rating_scale.grades}
    assert list(grades) == ["S", "A", "B", "C"]  # from the highest down
    assert not grades["S"].unconfirmed and grades["S"].sources
    assert all(grades[g].unconfirmed and not grades[g].sources for g in "ABC")


def test_every_cycle_type_runs_the_five_phases_and_names_its_materials():
    assert [p.id for p in CYCLES.phases] == [
        "materials",
        "review",
        "committee",
        "consolidation",
        "publication",
    ]
    types = {t.id: t for t in CYCLES.cycle_types}
    assert set(types) == {
        "annual_follow_up",
        "interim_evaluation",
        "final_evaluation",
        "stage_gate_review",
        "extension_review",
    }
    # the accepted annual report is read by every cycle
    assert all(
        any(m.id == "annual_report" and m.required for m in t.materials) for t in types.values()
    )
    assert CYCLES.material("extension_application").pages_max == 6


@pytest.mark.parametrize(
    ("day", "rubric", "missions"),
    [
        (D(2015, 4, 1), "criteria-2007", ["science", "fusion", "globalization", "reform"]),
        # the new missions, set in December 2020
        (D(2020, 12, 1), "missions-2020", ["excellence", "environment", "future"]),
    ],
)
def test_the_rubric_is_the_one_in_use_when_a_cycle_opens(day, rubric, missions):
    chosen = CYCLES.rubric_for(day)
    assert chosen.id == rubric
    assert [m.id for m in chosen.missions] == missions
    assert CYCLES.rubric(chosen.key) is chosen


def test_the_rubric_marks_what_is_kyotens_wording():
    rubric = CYCLES.rubric("missions-2020@1")
    future = next(m for m in rubric.missions if m.id == "future")
    assert all(p.unconfirmed for p in future.perspectives)
    assert rubric.missions[0].ja_unconfirmed
    assert rubric.perspective_keys()[:2] == ["excellence.impact", "excellence.interdisciplinarity"]


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        # a source id that the file does not define
        (("sources: [ipmu-2011, itbm-2016]\n    - id: A", "sources: [ipmu-2011, nowhere]\n    - id: A"),
         "rating_scale.grades[S].sources", "unknown source id"),
        # a grade without a source that is not marked unconfirmed
        (("      sources: []\n      unconfirmed: true\n    - id: B", "      sources: []\n    - id: B"),
         "rating_scale.grades[A]", "must be marked unconfirmed"),
        # a material a cycle type needs that is not defined
        (("{id: po_report, required: true}", "{id: po_reprot, required: true}"),
         "cycle_types[annual_follow_up].materials", "unknown material id"),
        # an outcome dated in a way the code does not know
        (("dated: next_fiscal_year", "dated: next_year"), "events[1].dated", "one of"),
    ],
)  # fmt: skip
def test_bad_data_is_refused_naming_the_file_and_the_field(change, where, message):
    old, new = change
    assert old in TEXT
    with pytest.raises((KyotenError, KyotenErrors)) as caught:
        parse_cycles(TEXT.replace(old, new, 1), "cycles.yaml")
    text = str(caught.value)
    assert "cycles.yaml: " in text and where in text and message in text


IRCN = lifecycle.CenterFacts("wpi", 2017, D(2017, 9, 26))
CORE = lifecycle.CenterFacts("core", 2024, D(2024, 10, 1))
IPMU = lifecycle.CenterFacts("wpi", 2007, D(2007, 10, 1))


def schedule(facts):
    return lifecycle.schedule_for(facts.track, facts.selection_fiscal_year)


@pytest.mark.parametrize(
    ("cycle", "facts", "fiscal_year", "problem"),
    [
        ("annual_follow_up", IRCN, 2024, None),
        ("annual_follow_up", IRCN, 2027, "not supported in FY2027 (support: FY2017–FY2026)"),
        ("interim_evaluation", IRCN, 2021, None),
        ("interim_evaluation", IRCN, 2020, "falls in FY2021"),
        ("final_evaluation", IRCN, 2026, None),
        ("final_evaluation", IRCN, 2025, "falls in FY2026"),
        ("stage_gate_review", IRCN, 2021, "only a WPI CORE center"),
        ("stage_gate_review", CORE, 2027, None),
        ("stage_gate_review", CORE, 2029, "held by FY2028"),
        (
            "stage_gate_review",
            lifecycle.CenterFacts(
                "core", 2024, D(2024, 10, 1), (lifecycle.Event("stage_gate_passed", D(2027, 2, 1)),)
            ),
            2027,
            "passed its stage gate in FY2026",
        ),
        # the FY2007 era allowed 5 more years; the FY2012 era none
        ("extension_review", IPMU, 2014, None),
        ("extension_review", IRCN, 2026, "no (further) extension"),
    ],
)
def test_which_centers_a_cycle_is_for(cycle, facts, fiscal_year, problem):
    found = ineligibility(CYCLES.cycle_type(cycle), facts, schedule(facts), fiscal_year)
    if problem is None:
        assert found is None
    else:
        assert problem in found.en and found.ja


@pytest.mark.parametrize(
    ("cycle", "outcome", "facts", "decided", "events"),
    [
        ("interim_evaluation", "continue", IRCN, D(2021, 12, 14), [("interim_evaluation", D(2021, 12, 14), None)]),
        # support ends at the end of the fiscal year decided (FY2021: 31 March 2022)
        ("interim_evaluation", "terminate", IRCN, D(2021, 12, 14),
         [("interim_evaluation", D(2021, 12, 14), None), ("support_terminated", D(2022, 4, 1), None)]),
        ("stage_gate_review", "step_up", CORE, D(2027, 2, 1), [("stage_gate_passed", D(2027, 2, 1), None)]),
        ("stage_gate_review", "no_step_up", CORE, D(2027, 2, 1), []),
        # the Academy from the day after support ends (IRCN: 31 March 2027)
        ("final_evaluation", "academy", IRCN, D(2026, 12, 1),
         [("final_evaluation", D(2026, 12, 1), None), ("academy_admission", D(2027, 4, 1), None)]),
        ("final_evaluation", "extension", IPMU, D(2015, 2, 1),
         [("final_evaluation", D(2015, 2, 1), None), ("extension", D(2015, 2, 1), 5)]),
    ],
)  # fmt: skip
def test_what_a_decision_records_in_the_lifecycle(cycle, outcome, facts, decided, events):
    chosen = CYCLES.cycle_type(cycle).outcome(outcome)
    found = outcome_events(chosen, decided, facts, schedule(facts))
    assert [(e.kind, e.date, e.years) for e in found] == events


def test_a_terminated_center_ends_and_a_stepped_up_one_gets_the_higher_cap():
    """The decisions the outcomes record change the lifecycle and the cap from the
    fiscal year the program says."""
    from kyoten.program import load_program

    terminate = CYCLES.cycle_type("interim_evaluation").outcome("terminate")
    ircn = lifecycle.CenterFacts(
        "wpi",
        2017,
        D(2017, 9, 26),
        tuple(outcome_events(terminate, D(2021, 12, 14), IRCN, schedule(IRCN))),
    )
    assert lifecycle.status_on(ircn, schedule(ircn), D(2022, 3, 31)) == "supported"
    assert lifecycle.status_on(ircn, schedule(ircn), D(2022, 4, 1)) == "ended"
    step_up = CYCLES.cycle_type("stage_gate_review").outcome("step_up")
    core = lifecycle.CenterFacts(
        "core",
        2024,
        D(2024, 10, 1),
        tuple(outcome_events(step_up, D(2027, 2, 1), CORE, schedule(CORE))),
    )
    passed = lifecycle.compute(core, schedule(core)).stage_gate_passed_fiscal_year
    wpi = load_program("wpi")
    caps = [
        wpi.annual_grant_cap("core", 2024, fy, stage_gate_passed_fiscal_year=passed).value
        for fy in (2026, 2027)
    ]
    assert caps == [500_000_000, 700_000_000]


def group(experts_abroad, experts_home, *, chair=True, po=True, unknown=0):
    seats = [GroupMember("member", True)] * experts_abroad + [
        GroupMember("member", False)
    ] * experts_home
    seats += [GroupMember("member", None)] * unknown
    if chair:
        seats[0] = GroupMember("chair", seats[0].from_abroad)
    return seats + ([GroupMember("program_officer", False)] if po else [])


def findings(seats):
    return {f.rule: f for f in check_working_group(seats, CYCLES.working_group, CYCLES.sources)}


@pytest.mark.parametrize(
    ("seats", "rule", "status", "says"),
    [
        # 6–8 experts, about half from abroad (the PO is not counted among the experts)
        (group(3, 3), "size", "met", "6 experts"),
        (group(2, 2), "size", "below_guideline", "invite 2 more"),
        (group(5, 4), "size", "below_guideline", "1 more than usual"),
        (group(3, 3), "from_abroad_share", "met", "3 of 6 experts from abroad"),
        (group(3, 4), "from_abroad_share", "met", "3 of 7"),  # 3 of 7 is about half
        (group(2, 5), "from_abroad_share", "below_guideline", "invite 1 from abroad"),
        (group(3, 2, unknown=1), "from_abroad_share", "missing_data", "for 1 of 6 experts"),
        (group(3, 3, po=False), "program_officer", "not_met", "Program Officer is needed"),
        (group(3, 3, chair=False), "chair", "not_met", "a chair is needed"),
    ],
)
def test_a_working_group_against_the_rules(seats, rule, status, says):
    found = findings(seats)[rule]
    assert (found.status, says in found.message.en) == (status, True)
    assert found.message.ja
    assert found.sources or found.unconfirmed


def test_the_chair_rule_is_marked_unconfirmed_and_every_finding_cites_sources():
    found = findings(group(3, 3))
    assert found["chair"].unconfirmed and not found["chair"].sources
    assert all(f.sources for rule, f in found.items() if rule != "chair")


@pytest.mark.parametrize(
    ("grades", "differs"),
    [
        (["S", "S", "A"], False),
        (["A", "B"], False),
        (["S", "B"], True),  # two steps apart: a difference of opinion to discuss
        ([None, None], False),
    ],
)
def test_the_spread_flags_reviews_far_apart_and_never_computes_a_rating(grades, differs):
    result = spread(grades, CYCLES.rating_scale, CYCLES.consolidation.disagreement_steps)
    assert result.differs is differs
    assert sum(result.counts.values()) == sum(1 for g in grades if g)
    assert not hasattr(result, "rating")
