"""The hard constraints, checked on any assignment: one the solver proposed, or one the
office edited and uploads. Written apart from the solver's model, so the tests use it as
an oracle.

Example:
    >>> from kyoten.assignment.problem import Problem
    >>> from kyoten.assignment.proposal import Assignment
    >>> problem = Problem.model_validate({
    ...     "experts": [{"id": "a", "name": "Ada", "from_abroad": True, "max_load": 1},
    ...                 {"id": "b", "name": "Bo", "from_abroad": False, "max_load": 1}],
    ...     "groups": [{"id": "G", "name": "IRCN", "size": 2, "from_abroad_share": "1/2"}],
    ... })
    >>> seats = Assignment.model_validate({"groups": [{"id": "G", "members": [{"expert": "b"}]}]})
    >>> [v.message.en for v in check(problem, seats)]
    ['IRCN has 1 expert; exactly 2 are needed', 'IRCN has 0 experts from abroad; at least 1 is needed']
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from kyoten.assignment.eligibility import Facts, GroupFacts
from kyoten.assignment.problem import Problem
from kyoten.assignment.proposal import Assignment, GroupSeats
from kyoten.text import Bilingual


@dataclass(frozen=True)
class Violation:
    """A hard constraint an assignment breaks: which, where, and a sentence saying how."""

    constraint: str
    message: Bilingual
    group: str | None = None
    expert: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "constraint": self.constraint,
            "group": self.group,
            "expert": self.expert,
            "message": self.message.as_dict(),
        }


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def check(problem: Problem, assignment: Assignment) -> list[Violation]:
    """Every hard constraint ``assignment`` breaks (none: it is valid), groups by id."""
    facts = Facts(problem)
    violations: list[Violation] = []
    given: dict[str, GroupSeats] = {}
    for seats in assignment.groups:
        if seats.id not in facts.groups:
            violations.append(
                Violation(
                    "unknown_group",
                    Bilingual(
                        en=f"group {seats.id!r} is not in the problem",
                        ja=f"グループ {seats.id!r} は問題ファイルにありません",
                    ),
                    group=seats.id,
                )
            )
        elif seats.id in given:
            violations.append(
                Violation(
                    "duplicate_group",
                    Bilingual(
                        en=f"{facts.groups[seats.id].group.name} is given twice",
                        ja=f"{facts.groups[seats.id].group.name}が二重に記載されています",
                    ),
                    group=seats.id,
                )
            )
        else:
            given[seats.id] = seats
    load: Counter[str] = Counter()
    for group_id, group in facts.groups.items():
        seats = given.get(group_id, GroupSeats(id=group_id, members=[]))
        violations += _group_violations(facts, group, seats)
        load.update({s.expert for s in seats.members if s.expert in facts.experts})
    for expert_id in sorted(load):
        expert = facts.experts[expert_id]
        if load[expert_id] > expert.max_load:
            violations.append(
                Violation(
                    "max_load",
                    Bilingual(
                        en=f"{expert.name} sits in "
                        f"{_count(load[expert_id], 'group', 'groups')}; at most {expert.max_load}",
                        ja=f"{expert.name}は{load[expert_id]}件のグループに入っています。"
                        f"担当上限は{expert.max_load}件です",
                    ),
                    expert=expert_id,
                )
            )
    return violations


def _group_violations(facts: Facts, group: GroupFacts, seats: GroupSeats) -> list[Violation]:
    g = group.group
    found: list[Violation] = []

    def violation(constraint: str, en: str, ja: str, expert: str | None = None) -> None:
        found.append(Violation(constraint, Bilingual(en=en, ja=ja), group=g.id, expert=expert))

    members: list[str] = []
    chairs: list[str] = []
    for seat in seats.members:
        if seat.expert not in facts.experts:
            violation(
                "unknown_expert",
                f"{g.name}: expert {seat.expert!r} is not in the problem",
                f"{g.name}：専門家 {seat.expert!r} は問題ファイルにありません",
                seat.expert,
            )
        elif seat.expert in members:
            violation(
                "duplicate_member",
                f"{g.name}: {facts.name(seat.expert)} is seated twice",
                f"{g.name}：{facts.name(seat.expert)}が二重に入っています",
                seat.expert,
            )
        else:
            members.append(seat.expert)
            if seat.role == "chair":
                chairs.append(seat.expert)
    if len(members) != g.size:
        violation(
            "size",
            f"{g.name} has {_count(len(members), 'expert', 'experts')}; exactly {g.size} "
            f"{'is' if g.size == 1 else 'are'} needed",
            f"{g.name}の委員は{len(members)}名です。{g.size}名が必要です",
        )
    for expert_id in members:
        name = facts.name(expert_id)
        for conflict in facts.conflicts.get((expert_id, g.id), [])[:1]:
            kind_en = "a confirmed" if conflict.status == "confirmed" else "a potential"
            kind_ja = "確定した" if conflict.status == "confirmed" else "未判断の"
            violation(
                "conflict",
                f"{g.name}: {name} has {kind_en} conflict of interest ({conflict.reason.en})",
                f"{g.name}：{name}には{kind_ja}利益相反があります（{conflict.reason.ja}）",
                expert_id,
            )
        if (expert_id, g.id) in facts.forbidden:
            violation(
                "forbidden",
                f"{g.name}: the office excluded {name} from this group",
                f"{g.name}：{name}は事務局がこのグループから除外しています",
                expert_id,
            )
    abroad = sum(1 for e in members if facts.experts[e].from_abroad)
    needed = group.from_abroad_needed
    if abroad < needed:
        violation(
            "from_abroad_share",
            f"{g.name} has {_count(abroad, 'expert', 'experts')} from abroad; at least {needed} "
            f"{'is' if needed == 1 else 'are'} needed",
            f"{g.name}の海外の専門家は{abroad}名です。{needed}名以上が必要です",
        )
    if g.chair_required and len(chairs) != 1:
        violation(
            "chair",
            f"{g.name} has {_count(len(chairs), 'chair', 'chairs')}; exactly one is needed",
            f"{g.name}の主査は{len(chairs)}名です。1名が必要です",
        )
    if not g.chair_required and chairs:
        violation(
            "chair",
            f"{g.name} has no chair (chair_required is false), but {facts.name(chairs[0])} is "
            "seated as chair",
            f"{g.name}には主査を置きません（chair_required が false）が、"
            f"{facts.name(chairs[0])}が主査になっています",
            chairs[0],
        )
    for chair in chairs:
        if not facts.experts[chair].may_chair:
            violation(
                "chair",
                f"{g.name}: {facts.name(chair)} chairs, but may not chair",
                f"{g.name}：{facts.name(chair)}が主査ですが、主査を務められない専門家です",
                chair,
            )
    for need in group.needs:
        covering = sum(1 for e in members if need.need.covered_by(facts.experts[e]))
        if not need.dropped and covering < need.need.min:
            violation(
                "need",
                f"{g.name} has {_count(covering, 'member', 'members')} covering "
                f"{need.need.title.en}; at least {need.need.min} "
                f"{'is' if need.need.min == 1 else 'are'} needed",
                f"{g.name}で「{need.need.title.ja}」を専門とする委員は{covering}名です。"
                f"{need.need.min}名以上が必要です",
            )
    for pin in facts.pins_of(g.id):
        name = facts.name(pin.expert)
        if pin.expert not in members:
            violation(
                "pin",
                f"{g.name}: {name} is pinned to this group but not seated",
                f"{g.name}：{name}はこのグループに指定されていますが、入っていません",
                pin.expert,
            )
        elif pin.role == "chair" and pin.expert not in chairs:
            violation(
                "pin",
                f"{g.name}: {name} is pinned as chair but seated as a member",
                f"{g.name}：{name}は主査に指定されていますが、委員として入っています",
                pin.expert,
            )
        elif pin.role == "member" and pin.expert in chairs:
            violation(
                "pin",
                f"{g.name}: {name} is pinned as a member (not chair) but chairs",
                f"{g.name}：{name}は主査以外の委員に指定されていますが、主査になっています",
                pin.expert,
            )
    return found
