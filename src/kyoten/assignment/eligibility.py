"""Who may sit in which group: the facts the solver, its explanations and the checker of
uploaded proposals read alike, from a problem in canonical order (by id), so that the order
of the file's lists changes nothing.

An expert is *available* to a group when no conflict of interest (confirmed or potential)
and no exclusion by the office stands between them and their load limit is above 0. A need
no available expert covers is dropped (the explanation says so); the others are hard.

Example:
    >>> from kyoten.assignment.problem import Problem
    >>> facts = Facts(Problem.model_validate({
    ...     "experts": [{"id": "b", "name": "Bo", "max_load": 1, "expertise": ["Imaging"]},
    ...                 {"id": "a", "name": "Ada", "max_load": 1, "expertise": ["neuroscience"]}],
    ...     "groups": [{"id": "G", "name": "G", "size": 1, "from_abroad_share": "0", "needs": [
    ...         {"id": "n", "title": {"en": "Neuroscience", "ja": "神経科学"},
    ...          "expertise": ["Neuroscience"]}]}],
    ...     "conflicts": [{"expert": "a", "group": "G", "status": "potential",
    ...                    "reason": {"en": "co-author", "ja": "共著"}}],
    ... }))
    >>> facts.groups["G"].available, facts.exclusion("a", "G"), facts.groups["G"].needs[0].dropped
    (('b',), 'potential', True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kyoten.assignment.problem import (
    Conflict,
    Expert,
    Group,
    Need,
    Pin,
    Problem,
    check_references,
)
from kyoten.text import KyotenErrors

Exclusion = Literal["confirmed", "potential", "forbidden"]
Pair = tuple[str, str]  # (expert id, group id)


@dataclass(frozen=True)
class NeedFacts:
    """A need of a group, with the available experts covering it and all who do."""

    need: Need
    covered_by: tuple[str, ...]
    covered_in_pool: tuple[str, ...]

    @property
    def dropped(self) -> bool:
        """No available expert covers it: the need is dropped, not a constraint."""
        return not self.covered_by


@dataclass(frozen=True)
class GroupFacts:
    group: Group
    available: tuple[str, ...]
    excluded: dict[Exclusion, tuple[str, ...]]
    needs: tuple[NeedFacts, ...]
    previous: frozenset[str]

    @property
    def from_abroad_needed(self) -> int:
        return self.group.from_abroad_needed


class Facts:
    """A problem's experts and groups by id (sorted), with availability and needs."""

    def __init__(self, problem: Problem) -> None:
        """Raises :class:`KyotenErrors` when the problem's ids do not hold together (a
        problem built in code rather than read by ``problem_from_data``)."""
        problems = check_references(problem, "problem")
        if problems:
            raise KyotenErrors(problems)
        self.problem = problem
        self.experts: dict[str, Expert] = {e.id: e for e in sorted(problem.experts, key=_id)}
        self.fit: dict[Pair, int] = {(f.expert, f.group): f.score for f in problem.fit}
        conflicts: dict[Pair, list[Conflict]] = {}
        for conflict in problem.conflicts:
            conflicts.setdefault((conflict.expert, conflict.group), []).append(conflict)
        # confirmed first, then by reason, so that explanations do not follow the file's order
        self.conflicts = {
            pair: sorted(found, key=lambda c: (c.status != "confirmed", c.reason.en, c.reason.ja))
            for pair, found in conflicts.items()
        }
        self.forbidden: frozenset[Pair] = frozenset((f.expert, f.group) for f in problem.forbids)
        self.pins: dict[Pair, Pin] = {
            (p.expert, p.group): p for p in sorted(problem.pins, key=lambda p: (p.group, p.expert))
        }
        self.groups: dict[str, GroupFacts] = {
            g.id: self._group_facts(g) for g in sorted(problem.groups, key=_id)
        }

    def exclusion(self, expert_id: str, group_id: str) -> Exclusion | None:
        """Why the pair is excluded (the strongest reason), or None."""
        found = self.conflicts.get((expert_id, group_id))
        if found:
            return found[0].status
        if (expert_id, group_id) in self.forbidden:
            return "forbidden"
        return None

    def available(self, expert_id: str, group_id: str) -> bool:
        expert = self.experts[expert_id]
        return expert.max_load > 0 and self.exclusion(expert_id, group_id) is None

    def name(self, expert_id: str) -> str:
        return self.experts[expert_id].name

    def _group_facts(self, group: Group) -> GroupFacts:
        available = tuple(e for e in self.experts if self.available(e, group.id))
        excluded: dict[Exclusion, list[str]] = {"confirmed": [], "potential": [], "forbidden": []}
        for expert_id in self.experts:
            kind = self.exclusion(expert_id, group.id)
            if kind is not None:
                excluded[kind].append(expert_id)
        needs = tuple(
            NeedFacts(
                need,
                tuple(e for e in available if need.covered_by(self.experts[e])),
                tuple(e for e, expert in self.experts.items() if need.covered_by(expert)),
            )
            for need in sorted(group.needs, key=_id)
        )
        return GroupFacts(
            group,
            available,
            {kind: tuple(ids) for kind, ids in excluded.items()},
            needs,
            frozenset(group.previous),
        )

    def pins_of(self, group_id: str) -> list[Pin]:
        return [pin for (_, g), pin in self.pins.items() if g == group_id]


def _id(item: Expert | Group | Need) -> str:
    return item.id
