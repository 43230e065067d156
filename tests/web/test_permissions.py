"""The named actions, decided from a standing alone (no request, no database): every role
against every action, on a center of the role, on another center, and on none."""

import re
from types import SimpleNamespace

import pytest

from kyoten.accounts import permissions
from kyoten.accounts.models import CENTER_ROLES, Role
from kyoten.accounts.permissions import ACTIONS, RULES, Standing

OWN, OTHER = SimpleNamespace(pk=1), SimpleNamespace(pk=2)


def standing(role, conflicts=()):
    center = OWN.pk if role in CENTER_ROLES else None
    return Standing(frozenset({(role, center)}), frozenset(conflicts), authenticated=True)


# role -> the actions it allows on its own center (or, for a program-wide role, on any
# center), on another center, and with no center
# the actions on a center's case in an evaluation (tested on cases below, never on a center)
CASE = {
    "case.read",
    "review.write",
    "reviews.read",
    "review.reopen",
    "visit.schedule",
    "case.supply",
    "case.consolidate",
}
# the actions on a point to improve (a record of one center), tested below
RECORD = {"recommendation.read", "recommendation.answer"}
# the actions on a conflict-of-interest finding, tested below; declaring one's own conflicts
# needs a person (the standings here have none)
FINDING = {"finding.read", "finding.decide"}
OWN_CONFLICTS = {"conflict.declare"}
OVERSEEN = {"center.internal.read", "grants.read", "report.read", "reports.compare"}
EXPECTED = {
    Role.PROGRAM_OFFICE: (
        set(ACTIONS) - CASE - RECORD - FINDING - OWN_CONFLICTS,
        set(ACTIONS) - CASE - RECORD - FINDING - OWN_CONFLICTS,
        set(ACTIONS)
        - CASE
        - RECORD
        - FINDING
        - OWN_CONFLICTS
        - {"center.internal.read", "plan.upload", "report.read", "report.edit"},
    ),
    Role.PROGRAM_DIRECTOR: (
        OVERSEEN | {"committee.read", "evaluation.read", "conflicts.read"},
        OVERSEEN | {"committee.read", "evaluation.read", "conflicts.read"},
        {"reports.compare", "committee.read", "evaluation.read", "conflicts.read"},
    ),
    Role.COMMITTEE: (
        OVERSEEN | {"committee.read", "evaluation.read"},
        OVERSEEN | {"committee.read", "evaluation.read"},
        {"reports.compare", "committee.read", "evaluation.read"},
    ),
    Role.PROGRAM_OFFICER: (
        {
            "center.internal.read",
            "grants.read",
            "report.read",
            "committee.read",
            "evaluation.read",
            "conflicts.read",
        },
        {"committee.read", "evaluation.read", "conflicts.read"},
        {"committee.read", "evaluation.read", "conflicts.read"},
    ),
    Role.WORKING_GROUP: (
        {"center.internal.read", "grants.read", "report.read", "evaluation.read"},
        {"evaluation.read"},
        {"evaluation.read"},
    ),
    Role.CENTER_OFFICE: (
        {"center.internal.read", "grants.read", "report.read", "report.edit", "plan.upload"},
        set(),
        set(),
    ),
}
EXPECTED[Role.DEPUTY_PROGRAM_DIRECTOR] = EXPECTED[Role.PROGRAM_DIRECTOR]


def allowed(standing_, obj):
    return {action for action in ACTIONS if RULES[action](standing_, obj)}


@pytest.mark.parametrize("role", Role.values)
def test_what_each_role_may_do(role):
    own, other, none = EXPECTED[role]
    assert allowed(standing(role), OWN) == own
    assert allowed(standing(role), OTHER) == other
    assert allowed(standing(role), None) == none


@pytest.mark.parametrize(
    "role", [Role.COMMITTEE, Role.PROGRAM_DIRECTOR, Role.DEPUTY_PROGRAM_DIRECTOR]
)
def test_a_conflict_of_interest_closes_that_center_only(role):
    conflicted = standing(role, conflicts={OWN.pk})
    expected = {"reports.compare", "committee.read", "evaluation.read"}
    if role != Role.COMMITTEE:
        expected.add("conflicts.read")  # the register: each finding decides for itself
    assert allowed(conflicted, OWN) == expected
    assert "center.internal.read" in allowed(conflicted, OTHER)


def test_the_public_may_do_nothing_named():
    assert allowed(Standing(), OWN) == allowed(Standing(), None) == set()


def test_the_table_of_the_module_names_every_action_and_no_other():
    documented = set(re.findall(r"^``([a-z.]+)``", permissions.__doc__, re.MULTILINE))
    assert documented == set(ACTIONS)


def test_two_standings_share_a_cache_key_only_when_they_may_see_the_same():
    keys = {
        standing(Role.COMMITTEE).key(),
        standing(Role.COMMITTEE, conflicts={OWN.pk}).key(),
        standing(Role.WORKING_GROUP).key(),
        standing(Role.PROGRAM_OFFICER).key(),
        Standing().key(),
    }
    assert len(keys) == 5
    assert standing(Role.COMMITTEE).key() == standing(Role.COMMITTEE).key()


def seat(person_id, role="member", state="accepted", confirmed=True, submitted=None):
    review = None if submitted is None else SimpleNamespace(submitted=submitted)
    return SimpleNamespace(
        person_id=person_id,
        role=role,
        reviews=role in ("chair", "member"),
        may_read_materials=state == "accepted" and confirmed,
        review=review,
    )


class Seats(list):
    def all(self):
        return self


def case(*seats, center=OWN.pk):
    return SimpleNamespace(center_id=center, seats=Seats(seats))


def person_standing(role, person_id, conflicts=()):
    found = standing(role, conflicts)
    return Standing(found.roles, found.conflicts, authenticated=True, person_id=person_id)


READS_ALL = {
    "case.read",
    "reviews.read",
    "review.reopen",
    "visit.schedule",
    "case.supply",
    "case.consolidate",
}


@pytest.mark.parametrize(
    ("who", "the_case", "actions"),
    [
        # the office and the center's PO read everything, reopen reviews and consolidate
        (person_standing(Role.PROGRAM_OFFICE, 1), case(), READS_ALL),
        (person_standing(Role.PROGRAM_OFFICER, 2), case(), READS_ALL),
        (person_standing(Role.PROGRAM_OFFICER, 2), case(center=OTHER.pk), set()),
        # a committee member with no seat reads the case and the reviews, for the meeting
        (person_standing(Role.COMMITTEE, 3), case(), {"case.read", "reviews.read"}),
        # ... not with a conflict of interest, seated or not
        (person_standing(Role.COMMITTEE, 3, {OWN.pk}), case(), set()),
        (person_standing(Role.COMMITTEE, 3, {OWN.pk}), case(seat(3, "chair")), set()),
        # a seated committee member sees the others' reviews only once theirs is submitted
        (person_standing(Role.COMMITTEE, 3), case(seat(3, submitted=False)), {"case.read", "review.write"}),
        (
            person_standing(Role.COMMITTEE, 3),
            case(seat(3, submitted=True)),
            {"case.read", "review.write", "reviews.read"},
        ),
        # an expert: nothing until they accept and state no conflict; the chair consolidates
        (person_standing(Role.WORKING_GROUP, 4), case(seat(4, state="invited", confirmed=False)), set()),
        (person_standing(Role.WORKING_GROUP, 4), case(seat(4, confirmed=False)), set()),
        (person_standing(Role.WORKING_GROUP, 4), case(seat(4)), {"case.read", "review.write"}),
        (
            person_standing(Role.WORKING_GROUP, 4),
            case(seat(4, "chair")),
            {"case.read", "review.write", "case.consolidate"},
        ),
        # the center's own office never sees its evaluation's internals; it supplies documents
        (person_standing(Role.CENTER_OFFICE, 5), case(), {"case.supply"}),
    ],
)  # fmt: skip
def test_who_may_do_what_on_a_case(who, the_case, actions):
    assert {a for a in CASE if RULES[a](who, the_case)} == actions


@pytest.mark.parametrize(
    ("role", "conflicts", "actions"),
    [
        (Role.PROGRAM_OFFICE, (), {"recommendation.read"}),
        (Role.COMMITTEE, (), {"recommendation.read"}),
        (Role.COMMITTEE, {OWN.pk}, set()),
        # the center's own office reads and answers its points; a PO and an expert read them
        (Role.CENTER_OFFICE, (), RECORD),
        (Role.PROGRAM_OFFICER, (), {"recommendation.read"}),
        (Role.WORKING_GROUP, (), {"recommendation.read"}),
    ],
)
def test_who_reads_and_answers_a_point_to_improve(role, conflicts, actions):
    point = SimpleNamespace(center_id=OWN.pk)
    assert {a for a in RECORD if RULES[a](standing(role, conflicts), point)} == actions
    other = SimpleNamespace(center_id=OTHER.pk)
    expected_elsewhere = actions if role in (Role.PROGRAM_OFFICE, Role.COMMITTEE) else set()
    assert {a for a in RECORD if RULES[a](standing(role, conflicts), other)} == (
        expected_elsewhere if not conflicts else {"recommendation.read"}
    )


def finding(person_id=7, center=OWN.pk):
    return SimpleNamespace(identified_by="orcid", person_id=person_id, center_id=center)


def person_standing_of(role, person_id=1, conflicts=()):
    center = OWN.pk if role in CENTER_ROLES else None
    return Standing(
        frozenset({(role, center)}), frozenset(conflicts), authenticated=True, person_id=person_id
    )


@pytest.mark.parametrize(
    ("role", "conflicts", "own", "other"),
    [
        # role, conflicts, (read, decide) on a finding of its own center, of another center
        (Role.PROGRAM_OFFICE, (), (True, True), (True, True)),
        (Role.PROGRAM_DIRECTOR, (), (True, True), (True, True)),
        (Role.DEPUTY_PROGRAM_DIRECTOR, (), (True, True), (True, True)),
        # a PD with a conflict with the center neither reads nor decides its findings
        (Role.PROGRAM_DIRECTOR, (OWN.pk,), (False, False), (True, True)),
        # a PO: the findings of their center only
        (Role.PROGRAM_OFFICER, (), (True, True), (False, False)),
        (Role.COMMITTEE, (), (False, False), (False, False)),
        (Role.WORKING_GROUP, (), (False, False), (False, False)),
        (Role.CENTER_OFFICE, (), (False, False), (False, False)),
    ],
)
def test_who_reads_and_decides_a_finding(role, conflicts, own, other):
    found = person_standing_of(role, conflicts=conflicts)
    for center, expected in ((OWN.pk, own), (OTHER.pk, other)):
        subject = finding(center=center)
        assert (
            RULES["finding.read"](found, subject),
            RULES["finding.decide"](found, subject),
        ) == expected


@pytest.mark.parametrize("role", [Role.PROGRAM_DIRECTOR, Role.COMMITTEE, Role.WORKING_GROUP])
def test_a_person_reads_their_own_finding_and_never_decides_it(role):
    found = person_standing_of(role, person_id=7)
    assert RULES["finding.read"](found, finding(person_id=7))
    assert not RULES["finding.decide"](found, finding(person_id=7))
    assert RULES["conflict.declare"](found, None)


def test_finding_rules_answer_no_for_anything_else():
    office = person_standing_of(Role.PROGRAM_OFFICE)
    assert not RULES["finding.read"](office, OWN)
    assert not RULES["finding.decide"](office, None)
