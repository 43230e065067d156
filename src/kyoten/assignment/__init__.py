"""Working groups formed exactly: an expert pool assigned to the centers (or proposals) of
an evaluation cycle by OR-Tools CP-SAT, every pairing explained, every impossibility named.

A pure core (no Django): the evaluation app builds a :class:`Problem` from the registry and
the conflict findings; ``kyoten assign PROBLEM.json`` solves one offline.

- :mod:`~kyoten.assignment.problem` — the problem file (experts, groups and their needs,
  fit scores, conflicts, pins, forbids, weights, limits), bounded and checked.
- :mod:`~kyoten.assignment.eligibility` — who may sit where, in canonical order.
- :mod:`~kyoten.assignment.solver` — :func:`solve`: the exact model, deterministic.
- :mod:`~kyoten.assignment.diagnosis` — why nothing is valid, with numbers and names.
- :mod:`~kyoten.assignment.proposal` — the proposal and its explanation (JSON).
- :mod:`~kyoten.assignment.constraints` — :func:`check`: any assignment against the hard
  constraints (the office's edited uploads; the tests' oracle).

Guarantees: a proposal with status ``optimal`` or ``feasible`` meets every hard constraint
(no conflicted or forbidden pair, the exact size, the share from abroad, each need the
pool can cover, each load limit, one chair who may chair where required, the pins);
``optimal`` means no valid assignment scores higher; ``infeasible`` comes with a proof in
words; the same problem gives the same bytes, whatever the order of its lists.

Example:
    >>> problem = Problem.model_validate({
    ...     "experts": [{"id": "a", "name": "Ada", "from_abroad": True, "max_load": 1}],
    ...     "groups": [{"id": "G", "name": "IRCN", "size": 1, "from_abroad_share": "1/2"}]})
    >>> proposal = solve(problem).proposal
    >>> proposal.status, check(problem, proposal.assignment())
    ('optimal', [])
"""

from kyoten.assignment.constraints import Violation, check
from kyoten.assignment.problem import (
    Problem,
    load_problem,
    parse_problem,
    problem_from_data,
    problem_json_schema,
)
from kyoten.assignment.proposal import (
    Assignment,
    Proposal,
    parse_assignment,
    proposal_json_schema,
)
from kyoten.assignment.solver import Solved, SolveStats, solve

__all__ = [
    "Assignment",
    "Problem",
    "Proposal",
    "SolveStats",
    "Solved",
    "Violation",
    "check",
    "load_problem",
    "parse_assignment",
    "parse_problem",
    "problem_from_data",
    "problem_json_schema",
    "proposal_json_schema",
    "solve",
]
