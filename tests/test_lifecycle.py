"""The lifecycle core: support periods, evaluations, stage gate and statuses from decisions."""

import datetime

import pytest

from kyoten.lifecycle import (
    CenterFacts,
    Event,
    Schedule,
    compute,
    count_by_status,
    event_problem,
    schedule_for,
    status_on,
)
from kyoten.text import KyotenError

D = datetime.date
TEN_YEARS = Schedule(support_years=10, interim_year=5, stage_gate_by_year=5, extension_max_years=5)

FY2007 = CenterFacts("wpi", 2007, D(2007, 10, 1))
IPMU = CenterFacts("wpi", 2007, D(2007, 10, 1), (Event("extension", D(2015, 2, 1), years=5),))
I2CNER = CenterFacts("wpi", 2010, D(2010, 12, 1), (Event("academy_admission", D(2020, 4, 1)),))


@pytest.mark.parametrize(
    ("facts", "day", "expected"),
    [
        # support starts on the day given, not at the start of the fiscal year
        (FY2007, D(2007, 9, 30), "not_started"),
        (FY2007, D(2007, 10, 1), "supported"),
        # ten fiscal years: FY2007..FY2016, so the last day is 31 March 2017
        (FY2007, D(2017, 3, 31), "supported"),
        (FY2007, D(2017, 4, 1), "ended"),
        # a 5-year extension moves the end to 31 March 2022
        (IPMU, D(2020, 4, 1), "supported"),
        (IPMU, D(2022, 3, 31), "supported"),
        (IPMU, D(2022, 4, 1), "ended"),
        # the Academy starts with its admission decision, once support has ended
        (I2CNER, D(2020, 3, 31), "supported"),
        (I2CNER, D(2020, 4, 1), "academy"),
    ],
)
def test_status_on_a_day(facts, day, expected):
    assert status_on(facts, TEN_YEARS, day) == expected


def test_a_center_in_its_extension_and_in_the_academy_counts_as_supported():
    facts = CenterFacts(
        "wpi",
        2007,
        D(2007, 10, 1),
        (Event("extension", D(2015, 2, 1), years=5), Event("academy_admission", D(2017, 4, 1))),
    )
    assert status_on(facts, TEN_YEARS, D(2018, 1, 1)) == "supported"
    assert status_on(facts, TEN_YEARS, D(2022, 4, 1)) == "academy"


def test_evaluations_fall_in_the_5th_and_last_year():
    life = compute(IPMU, TEN_YEARS)
    assert life.interim_evaluation_fiscal_year == 2011  # FY2007 centers: evaluated in FY2011
    assert life.final_evaluation_fiscal_year == 2021  # the last year of the extension
    assert life.scheduled_end == D(2017, 3, 31)
    assert life.extension_years == 5


def test_wpi_core_stage_gate_due_by_the_5th_year_and_passed_year_recorded():
    core = CenterFacts("core", 2024, D(2024, 10, 1), (Event("stage_gate_passed", D(2028, 1, 20)),))
    life = compute(core, TEN_YEARS)
    assert life.stage_gate_due_fiscal_year == 2028
    assert life.stage_gate_passed_fiscal_year == 2027  # January 2028 is in FY2027
    assert "stage_gate_due" in [m.kind for m in life.milestones]


def test_only_wpi_core_has_a_stage_gate():
    assert compute(FY2007, TEN_YEARS).stage_gate_due_fiscal_year is None


def test_termination_ends_support_the_day_before():
    facts = CenterFacts("wpi", 2017, D(2017, 10, 1), (Event("support_terminated", D(2020, 4, 1)),))
    life = compute(facts, TEN_YEARS)
    assert life.support_end == D(2020, 3, 31)
    assert life.terminated
    assert status_on(facts, TEN_YEARS, D(2020, 4, 1)) == "ended"


def test_counts_include_every_status():
    counts = count_by_status([FY2007, IPMU, I2CNER], D(2020, 4, 1))
    assert counts == {"not_started": 0, "supported": 1, "academy": 1, "ended": 1}


def test_schedule_comes_from_the_rulebook_for_the_era_and_track():
    schedule = schedule_for("multiple_host", 2023)
    assert (schedule.support_years, schedule.interim_year) == (10, 5)
    assert schedule.stage_gate_by_year is None
    assert schedule.sources  # every value cites where it comes from
    assert schedule_for("core", 2023).stage_gate_by_year == 5


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Event("extension", D(2015, 1, 1)), "an extension needs its length"),
        (lambda: Event("academy_admission", D(2015, 1, 1), years=2), "only an extension"),
        (lambda: Event("extension", D(2015, 1, 1), years=0), "at least one year"),
        (lambda: Event("renamed", D(2015, 1, 1)), "unknown kind of decision"),  # type: ignore[arg-type]
        (lambda: CenterFacts("focus", 2012, D(2012, 12, 1)), "unknown track"),  # type: ignore[arg-type]
        (lambda: CenterFacts("wpi", 2012, D(2011, 12, 1)), "before the fiscal year of selection"),
    ],
)
def test_bad_facts_are_refused_with_a_bilingual_message(make, message):
    with pytest.raises(KyotenError, match=message) as caught:
        make()
    assert caught.value.localized("ja") != caught.value.localized("en")


IRCN = CenterFacts("wpi", 2017, D(2017, 9, 26))
CORE = CenterFacts("core", 2024, D(2024, 10, 1))


@pytest.mark.parametrize(
    ("facts", "event", "earlier", "message"),
    [
        # the WPI Academy while supported: IRCN's regular support runs to the end of FY2026
        (IRCN, Event("academy_admission", D(2019, 6, 1)), (), "2027-03-31 for this center"),
        # the Academy is joined once
        (
            FY2007,
            Event("academy_admission", D(2018, 4, 1)),
            (Event("academy_admission", D(2017, 4, 1)),),
            "already joined the WPI Academy on 2017-04-01",
        ),
        # a stage gate for a standard WPI center
        (IRCN, Event("stage_gate_passed", D(2021, 4, 1)), (), "only a WPI CORE center"),
        # a second step-up
        (
            CORE,
            Event("stage_gate_passed", D(2028, 4, 1)),
            (Event("stage_gate_passed", D(2027, 2, 1)),),
            "already passed its stage gate on 2027-02-01",
        ),
        # after support ended (FY2007 centers: 31 March 2017)
        (FY2007, Event("interim_evaluation", D(2017, 6, 1)), (), "its support ended on 2017-03-31"),
        # after support was terminated
        (
            IRCN,
            Event("final_evaluation", D(2024, 4, 1)),
            (Event("support_terminated", D(2023, 4, 1)),),
            "its support was terminated on 2023-03-31",
        ),
        # an extension after the support it would extend has ended
        (FY2007, Event("extension", D(2018, 1, 1), years=5), (), "its support ended on 2017-03-31"),
    ],
)
def test_a_decision_contradicting_the_center_state_is_refused_in_both_languages(
    facts, event, earlier, message
):
    schedule = schedule_for(facts.track, facts.selection_fiscal_year)
    problem = event_problem(facts, schedule, event, earlier)
    assert problem is not None and message in problem.en
    assert problem.ja and problem.ja != problem.en


@pytest.mark.parametrize(
    ("facts", "event", "earlier"),
    [
        # Kavli IPMU joined the Academy in FY2017, during its extension
        (IPMU, Event("academy_admission", D(2017, 4, 1)), (Event("extension", D(2015, 2, 1), 5),)),
        # an interim evaluation during support; a step-up for a CORE center
        (IRCN, Event("interim_evaluation", D(2021, 12, 1)), ()),
        (CORE, Event("stage_gate_passed", D(2027, 2, 1)), ()),
        # an evaluation in the extension years
        (IPMU, Event("final_evaluation", D(2021, 6, 1)), (Event("extension", D(2015, 2, 1), 5),)),
    ],
)
def test_a_decision_consistent_with_the_center_state_is_accepted(facts, event, earlier):
    schedule = schedule_for(facts.track, facts.selection_fiscal_year)
    assert event_problem(facts, schedule, event, earlier) is None


def test_a_decision_set_aside_does_not_count_for_the_next():
    """A second step-up stored past the checks is set aside; the first still applies."""
    facts = CenterFacts(
        "core",
        2024,
        D(2024, 10, 1),
        (Event("stage_gate_passed", D(2027, 2, 1)), Event("stage_gate_passed", D(2028, 2, 1))),
    )
    life = compute(facts, schedule_for("core", 2024))
    assert life.stage_gate_passed_fiscal_year == 2026
    assert [s.event.date for s in life.set_aside] == [D(2028, 2, 1)]
