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
EXPECTED = {
    Role.PROGRAM_OFFICE: (
        set(ACTIONS),
        set(ACTIONS),
        set(ACTIONS) - {"center.internal.read", "plan.upload", "report.read", "report.edit"},
    ),
    Role.PROGRAM_DIRECTOR: (
        {"center.internal.read", "grants.read", "report.read", "reports.compare", "committee.read"},
        {"center.internal.read", "grants.read", "report.read", "reports.compare", "committee.read"},
        {"reports.compare", "committee.read"},
    ),
    Role.COMMITTEE: (
        {"center.internal.read", "grants.read", "report.read", "reports.compare", "committee.read"},
        {"center.internal.read", "grants.read", "report.read", "reports.compare", "committee.read"},
        {"reports.compare", "committee.read"},
    ),
    Role.PROGRAM_OFFICER: (
        {"center.internal.read", "grants.read", "report.read", "committee.read"},
        {"committee.read"},
        {"committee.read"},
    ),
    Role.WORKING_GROUP: (
        {"center.internal.read", "grants.read", "report.read"},
        set(),
        set(),
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
    assert allowed(conflicted, OWN) == {"reports.compare", "committee.read"}
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
