"""Why no valid assignment exists, in words with numbers and names.

Three steps, each a proof of infeasibility on its own: the checks of one group (available
experts against its size, those from abroad against its share, chair candidates, each need,
its pins), then of the pool (all seats against the experts' load limits, the seats from
abroad against the load of the experts from abroad, the chairs, each expert's pins), and for
what remains the solver's proof: a set of named constraints no assignment meets together
(:func:`describe` words each one).

Example (T8 of the evaluation anchors: 2 of the 5 experts from abroad excluded):
    >>> from kyoten.assignment.problem import Problem
    >>> from kyoten.assignment.eligibility import Facts
    >>> experts = [{"id": f"e{i}", "name": f"E{i}", "from_abroad": i < 5, "max_load": 1}
    ...            for i in range(10)]
    >>> conflicts = [{"expert": e, "group": "IRCN", "status": "confirmed",
    ...               "reason": {"en": "employed", "ja": "在籍"}} for e in ("e0", "e1")]
    >>> facts = Facts(Problem.model_validate({"experts": experts, "conflicts": conflicts,
    ...     "groups": [{"id": "IRCN", "name": "IRCN", "size": 8, "from_abroad_share": "1/2"}]}))
    >>> print(group_checks(facts)[0].text.en)
    IRCN: only 3 experts from abroad without a conflict of interest are available; at least 4 are needed (E2, E3 and E4)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kyoten.assignment.eligibility import Facts, GroupFacts, NeedFacts
from kyoten.assignment.proposal import ConstraintKind, Reason, Words

NAMES_LISTED = 10  # more names than this are counted, not listed


def names(facts: Facts, ids: Sequence[str]) -> Words:
    """The experts' names as a list in each language, the first ``NAMES_LISTED`` only.

    >>> from kyoten.assignment.problem import Problem
    >>> facts = Facts(Problem.model_validate({"groups": [], "experts": [
    ...     {"id": str(i), "name": f"N{i}", "max_load": 1} for i in range(12)]}))
    >>> names(facts, ["0", "1"]).en, names(facts, ["0", "1"]).ja
    ('N0 and N1', 'N0、N1')
    >>> names(facts, [str(i) for i in range(12)]).en[-17:]
    'N8, N9 and 2 more'
    """
    shown = [facts.name(e) for e in ids[:NAMES_LISTED]]
    more = len(ids) - len(shown)
    if not shown:
        return Words(en="none", ja="なし")
    if more:
        en = ", ".join(shown) + f" and {more} more"
        ja = "、".join(shown) + f" ほか{more}名"
    else:
        en = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
        ja = "、".join(shown)
    return Words(en=en, ja=ja)


def _experts(count: int) -> str:
    return f"{count} expert" if count == 1 else f"{count} experts"


def _are(count: int) -> str:
    return "is" if count == 1 else "are"


def _reason(
    check: str,
    constraint: ConstraintKind,
    en: str,
    ja: str,
    *,
    group: str | None = None,
    expert: str | None = None,
    need: str | None = None,
    experts: Sequence[str] = (),
) -> Reason:
    return Reason.model_validate(
        {
            "check": check,
            "constraint": constraint,
            "group": group,
            "expert": expert,
            "need": need,
            "experts": list(experts),
            "text": {"en": en, "ja": ja},
        }
    )


def excluded_text(group: GroupFacts) -> Words | None:
    """Who is kept out of the group and why, in counts (None if nobody is)."""
    confirmed, potential, forbidden = (
        len(group.excluded[k]) for k in ("confirmed", "potential", "forbidden")
    )
    en = [
        f"{confirmed} by confirmed conflicts of interest" if confirmed else "",
        f"{potential} by potential conflicts of interest (to be decided)" if potential else "",
        f"{forbidden} by the office" if forbidden else "",
    ]
    ja = [
        f"確定した利益相反{confirmed}名" if confirmed else "",
        f"未判断の利益相反{potential}名（判断待ち）" if potential else "",
        f"事務局による除外{forbidden}名" if forbidden else "",
    ]
    if not any(en):
        return None
    return Words(
        en="excluded: " + ", ".join(p for p in en if p), ja="除外：" + "、".join(p for p in ja if p)
    )


def group_checks(facts: Facts) -> list[Reason]:
    """What makes a group infeasible on its own."""
    reasons: list[Reason] = []
    for group_id, group in facts.groups.items():
        reasons += _group_reasons(facts, group_id, group)
    return reasons


def _group_reasons(facts: Facts, group_id: str, group: GroupFacts) -> list[Reason]:
    g = group.group
    name = g.name
    reasons: list[Reason] = []
    available = len(group.available)
    if available < g.size:
        excluded = excluded_text(group)
        reasons.append(
            _reason(
                "group",
                "size",
                f"{name}: only {_experts(available)} {_are(available)} available (without a "
                f"conflict of interest or exclusion, with a load limit above 0); {g.size} are "
                f"needed" + (f" ({excluded.en})" if excluded else ""),
                f"{name}：利益相反や除外がなく担当上限が0でない専門家は{available}名のみです。"
                f"{g.size}名が必要です" + (f"（{excluded.ja}）" if excluded else ""),
                group=group_id,
                experts=group.available,
            )
        )
    abroad = [e for e in group.available if facts.experts[e].from_abroad]
    needed = group.from_abroad_needed
    if len(abroad) < needed:
        listed = names(facts, abroad)
        reasons.append(
            _reason(
                "group",
                "from_abroad_share",
                f"{name}: only {_experts(len(abroad))} from abroad without a conflict of "
                f"interest {_are(len(abroad))} available; at least {needed} are needed "
                f"({listed.en})",
                f"{name}：利益相反のない海外の専門家は{len(abroad)}名のみです。{needed}名以上が"
                f"必要です（{listed.ja}）",
                group=group_id,
                experts=abroad,
            )
        )
    if g.chair_required and not any(facts.experts[e].may_chair for e in group.available):
        reasons.append(
            _reason(
                "group",
                "chair",
                f"{name}: a chair is required, but no available expert may chair",
                f"{name}：主査が必要ですが、主査を務められる専門家で利用可能な方がいません",
                group=group_id,
            )
        )
    for need in group.needs:
        reasons += _need_reasons(facts, group_id, group, need)
    reasons += _pin_reasons(facts, group_id, group)
    return reasons


def _need_reasons(facts: Facts, group_id: str, group: GroupFacts, need: NeedFacts) -> list[Reason]:
    g, n = group.group, need.need
    if need.dropped:
        return []
    if n.min > g.size:
        return [
            _reason(
                "group",
                "need",
                f"{g.name}: {n.title.en} needs {n.min} members, but the group has {g.size} seats",
                f"{g.name}：「{n.title.ja}」には{n.min}名が必要ですが、グループは{g.size}名です",
                group=group_id,
                need=n.id,
            )
        ]
    count = len(need.covered_by)
    if count >= n.min:
        return []
    listed = names(facts, need.covered_by)
    return [
        _reason(
            "group",
            "need",
            f"{g.name}: only {_experts(count)} available {'covers' if count == 1 else 'cover'} "
            f"{n.title.en} ({listed.en}); at least {n.min} are needed",
            f"{g.name}：「{n.title.ja}」を専門とする利用可能な専門家は{count}名のみです"
            f"（{listed.ja}）。{n.min}名以上が必要です",
            group=group_id,
            need=n.id,
            experts=need.covered_by,
        )
    ]


def _pin_reasons(facts: Facts, group_id: str, group: GroupFacts) -> list[Reason]:
    g = group.group
    reasons = []
    pins = facts.pins_of(group_id)
    for pin in pins:
        conflicts = facts.conflicts.get((pin.expert, group_id))
        if not conflicts:
            continue
        c = conflicts[0]
        kind_en = "a confirmed" if c.status == "confirmed" else "a potential"
        kind_ja = "確定した" if c.status == "confirmed" else "未判断の"
        reasons.append(
            _reason(
                "group",
                "pin",
                f"{g.name}: {facts.name(pin.expert)} is pinned, but has {kind_en} conflict of "
                f"interest ({c.reason.en}): decide the conflict or remove the pin",
                f"{g.name}：{facts.name(pin.expert)}は指定されていますが、{kind_ja}利益相反があります"
                f"（{c.reason.ja}）。利益相反を判断するか、指定を外してください",
                group=group_id,
                expert=pin.expert,
            )
        )
    pinned = [p.expert for p in pins]
    if len(pinned) > g.size:
        listed = names(facts, pinned)
        reasons.append(
            _reason(
                "group",
                "pin",
                f"{g.name}: {len(pinned)} experts are pinned, but the group has {g.size} seats "
                f"({listed.en})",
                f"{g.name}：{len(pinned)}名が指定されていますが、グループは{g.size}名です"
                f"（{listed.ja}）",
                group=group_id,
                experts=pinned,
            )
        )
    home = [e for e in pinned if not facts.experts[e].from_abroad]
    room = g.size - group.from_abroad_needed
    if len(home) > room and len(pinned) <= g.size:
        listed = names(facts, home)
        reasons.append(
            _reason(
                "group",
                "pin",
                f"{g.name}: {len(home)} experts not from abroad are pinned ({listed.en}); with "
                f"at least {group.from_abroad_needed} of {g.size} from abroad, at most {room} "
                "may be",
                f"{g.name}：海外の専門家でない{len(home)}名が指定されています（{listed.ja}）。"
                f"{g.size}名中{group.from_abroad_needed}名以上を海外の専門家とするため、"
                f"{room}名までです",
                group=group_id,
                experts=home,
            )
        )
    return reasons


def pool_checks(facts: Facts) -> list[Reason]:
    """What makes the groups infeasible together, counted over the whole pool: an expert
    counts for at most ``max_load`` seats, and only in groups they are available to."""

    def capacity(expert_id: str, groups: Sequence[str]) -> int:
        open_to = sum(1 for g in groups if facts.available(expert_id, g))
        return min(facts.experts[expert_id].max_load, open_to)

    reasons: list[Reason] = []
    all_groups = list(facts.groups)
    seats = sum(g.group.size for g in facts.groups.values())
    can_take = sum(capacity(e, all_groups) for e in facts.experts)
    if seats > can_take:
        reasons.append(
            _reason(
                "pool",
                "seats",
                f"the groups have {seats} seats in all; the available experts can take at most "
                f"{can_take} of them (within their load limits, in the groups they may sit in)",
                f"グループの席は合計{seats}席ですが、専門家が担当できるのは最大{can_take}席です"
                "（各専門家の担当上限と、利益相反や除外のないグループから計算）",
            )
        )
    wanting = [g for g, facts_g in facts.groups.items() if facts_g.from_abroad_needed]
    needed = sum(facts.groups[g].from_abroad_needed for g in wanting)
    abroad = [
        e for e, expert in facts.experts.items() if expert.from_abroad and capacity(e, wanting)
    ]
    abroad_can_take = sum(capacity(e, wanting) for e in abroad)
    if needed > abroad_can_take:
        listed = names(facts, abroad)
        reasons.append(
            _reason(
                "pool",
                "seats_from_abroad",
                f"the groups need {needed} experts from abroad in all; the {_experts(len(abroad))} "
                f"from abroad can take at most {abroad_can_take} of those seats ({listed.en})",
                f"各グループに必要な海外の専門家は合計{needed}席ですが、海外の専門家{len(abroad)}名が"
                f"担当できるのは最大{abroad_can_take}席です（{listed.ja}）",
                experts=abroad,
            )
        )
    chaired = [g for g, facts_g in facts.groups.items() if facts_g.group.chair_required]
    chairs = [e for e, expert in facts.experts.items() if expert.may_chair and capacity(e, chaired)]
    chairs_can_take = sum(capacity(e, chaired) for e in chairs)
    if len(chaired) > chairs_can_take:
        listed = names(facts, chairs)
        reasons.append(
            _reason(
                "pool",
                "chairs",
                f"{len(chaired)} groups need a chair; the experts who may chair can chair at most "
                f"{chairs_can_take} of them ({listed.en})",
                f"主査が必要なグループは{len(chaired)}件ですが、主査を務められる専門家が担当できるのは"
                f"最大{chairs_can_take}件です（{listed.ja}）",
                experts=chairs,
            )
        )
    pinned: dict[str, list[str]] = {}
    for expert_id, group_id in facts.pins:
        pinned.setdefault(expert_id, []).append(group_id)
    for expert_id in sorted(pinned):
        groups = sorted(pinned[expert_id])
        most = facts.experts[expert_id].max_load
        if len(groups) > most:
            group_names = [facts.groups[g].group.name for g in groups]
            reasons.append(
                _reason(
                    "pool",
                    "max_load",
                    f"{facts.name(expert_id)} is pinned to {len(groups)} groups "
                    f"({', '.join(group_names)}) "
                    f"but takes at most {most}",
                    f"{facts.name(expert_id)}は{len(groups)}件のグループ（{'、'.join(group_names)}）に指定されて"
                    f"いますが、担当上限は{most}件です",
                    expert=expert_id,
                )
            )
    return reasons


@dataclass(frozen=True)
class Named:
    """A hard constraint of the solver's model, by kind and what it is about."""

    kind: ConstraintKind
    group: str | None = None
    expert: str | None = None
    need: str | None = None


def describe(facts: Facts, named: Named) -> Reason:
    """One constraint of the solver's proof of infeasibility, in words."""
    if named.kind == "max_load":
        assert named.expert is not None
        expert = facts.experts[named.expert]
        open_to = [g for g in facts.groups if facts.available(expert.id, g)]
        group_names = [facts.groups[g].group.name for g in open_to]
        return _reason(
            "solver",
            "max_load",
            f"{expert.name} sits in at most {expert.max_load} "
            f"{'group' if expert.max_load == 1 else 'groups'} (available to {', '.join(group_names)})",
            f"{expert.name}の担当上限は{expert.max_load}件です（担当可能：{'、'.join(group_names)}）",
            expert=expert.id,
        )
    assert named.group is not None
    group = facts.groups[named.group]
    g = group.group
    if named.kind == "pin":
        assert named.expert is not None
        role = facts.pins[(named.expert, named.group)].role
        as_en = {"chair": " as chair", "member": " as a member (not chair)"}.get(role or "", "")
        as_ja = {"chair": "（主査として）", "member": "（主査以外の委員として）"}.get(
            role or "", ""
        )
        return _reason(
            "solver",
            "pin",
            f"{facts.name(named.expert)} is pinned to {g.name}{as_en}",
            f"{facts.name(named.expert)}は{g.name}に指定されています{as_ja}",
            group=g.id,
            expert=named.expert,
        )
    if named.kind == "size":
        return _reason(
            "solver",
            "size",
            f"{g.name} has exactly {g.size} seats ({len(group.available)} experts available)",
            f"{g.name}は{g.size}名で構成します（利用可能な専門家{len(group.available)}名）",
            group=g.id,
            experts=group.available,
        )
    if named.kind == "from_abroad_share":
        abroad = [e for e in group.available if facts.experts[e].from_abroad]
        listed = names(facts, abroad)
        return _reason(
            "solver",
            "from_abroad_share",
            f"{g.name} needs at least {_experts(group.from_abroad_needed)} from abroad "
            f"({len(abroad)} available: {listed.en})",
            f"{g.name}には海外の専門家が{group.from_abroad_needed}名以上必要です"
            f"（利用可能{len(abroad)}名：{listed.ja}）",
            group=g.id,
            experts=abroad,
        )
    if named.kind == "chair":
        chairs = [e for e in group.available if facts.experts[e].may_chair]
        listed = names(facts, chairs)
        return _reason(
            "solver",
            "chair",
            f"{g.name} needs a chair ({len(chairs)} available who may chair: {listed.en})",
            f"{g.name}には主査が必要です（主査を務められる利用可能な専門家{len(chairs)}名："
            f"{listed.ja}）",
            group=g.id,
            experts=chairs,
        )
    need = next(n for n in group.needs if n.need.id == named.need)
    listed = names(facts, need.covered_by)
    return _reason(
        "solver",
        "need",
        f"{g.name} needs at least {need.need.min} "
        f"{'member' if need.need.min == 1 else 'members'} covering {need.need.title.en} "
        f"({len(need.covered_by)} available: {listed.en})",
        f"{g.name}には「{need.need.title.ja}」を専門とする委員が{need.need.min}名以上必要です"
        f"（利用可能{len(need.covered_by)}名：{listed.ja}）",
        group=g.id,
        need=need.need.id,
        experts=need.covered_by,
    )
