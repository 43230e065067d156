"""The proposal ``kyoten assign`` writes: the status, the objective and its parts, each group
with its members and why each sits there, the group's notes, and when no valid assignment
exists, which constraints cannot be met and why. ``kyoten schema assignment-proposal``
publishes its JSON Schema. Every text is in both languages; nothing in it depends on the
machine or the time it took, so the same problem gives the same bytes.

An office that edits a proposal and uploads it is read leniently as an :class:`Assignment`
(only each group's id and its members' expert ids and roles count), then checked against the
problem by :func:`kyoten.assignment.constraints.check`.

Example:
    >>> assignment = parse_assignment(
    ...     b'{"groups": [{"id": "IRCN", "members": [{"expert": "e1", "role": "chair"}], '
    ...     b'"notes": []}]}', "edited.json")
    >>> assignment.groups[0].members[0]
    Seat(expert='e1', role='chair')
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kyoten.assignment.problem import (
    MAX_EXPERTS,
    MAX_GROUPS,
    Id,
    Text,
    Weights,
    read_json,
)
from kyoten.text import Lang
from kyoten.validation import errors_from_validation, published_schema

Status = Literal["optimal", "feasible", "infeasible", "unknown"]
Role = Literal["chair", "member"]
ConstraintKind = Literal[
    "size",
    "from_abroad_share",
    "chair",
    "need",
    "max_load",
    "pin",
    "seats",
    "seats_from_abroad",
    "chairs",
]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Words(_Out):
    """A text Kyoten wrote, in both languages (unbounded: it may list many names)."""

    en: str
    ja: str

    def get(self, lang: Lang) -> str:
        return self.ja if lang == "ja" else self.en


class Objective(_Out):
    """The value maximised and its parts: ``value`` = ``weights.fit`` × ``fit`` +
    ``weights.continuity`` × ``continuity`` − ``weights.balance`` × ``load_cost``."""

    value: int
    bound: int = Field(
        description="The best value the solver proved possible (= value when optimal)."
    )
    fit: int = Field(description="The sum of the fit scores of the pairings.")
    continuity: int = Field(description="How many members sat in the same group last year.")
    load_cost: int = Field(description="The sum over experts of 0 + 1 + … + (load − 1).")
    weights: Weights


class Member(_Out):
    """A seat in a proposed group, and why it is this expert."""

    expert: str
    name: str
    role: Role
    fit: int
    continuity: bool = Field(description="The expert sat in this group last year.")
    needs: list[str] = Field(description="The ids of the group's needs the expert covers.")
    from_abroad: bool | None
    pinned: bool = Field(description="The office pinned this pairing.")
    why: Words


class NeedCover(_Out):
    id: str
    title: Text
    min: int
    covered_by: list[str] = Field(description="The members covering it (empty when not formed).")
    dropped: bool = Field(description="No available expert covers it: not a constraint.")


class Excluded(_Out):
    """How many experts are kept out of the group, each counted once under the strongest
    reason: a confirmed conflict, a potential one (until decided), the office's exclusion."""

    confirmed_conflicts: int
    potential_conflicts: int
    forbidden: int


class Note(_Out):
    kind: Literal["need_dropped", "excluded"]
    text: Words


class GroupProposal(_Out):
    id: str
    name: str
    size: int
    from_abroad_needed: int
    from_abroad: int = Field(description="How many members are from abroad.")
    chair: str | None
    members: list[Member] = Field(description="Chair first, then by id; empty when not formed.")
    needs: list[NeedCover]
    excluded: Excluded
    notes: list[Note]


class Load(_Out):
    expert: str
    name: str
    groups: list[str]
    max_load: int


class Reason(_Out):
    """A constraint that cannot be met, with the numbers and the names that show why."""

    check: Literal["group", "pool", "solver"] = Field(
        description="Found by the checks of one group, of the pool, or by the solver's proof."
    )
    constraint: ConstraintKind
    group: str | None = None
    expert: str | None = None
    need: str | None = None
    experts: list[str] = Field(default=[], description="The experts the reason names.")
    text: Words


class Infeasibility(_Out):
    summary: Words
    reasons: list[Reason]


class Proposal(_Out):
    """What ``kyoten assign`` writes (see the module docstring)."""

    format: Literal["kyoten-assignment-proposal/1"] = "kyoten-assignment-proposal/1"
    status: Status
    message: Words
    objective: Objective | None
    groups: list[GroupProposal]
    loads: list[Load] = Field(description="The experts seated, with their groups.")
    infeasibility: Infeasibility | None

    def assignment(self) -> Assignment:
        """The seats alone, as :func:`kyoten.assignment.constraints.check` reads them."""
        return Assignment(
            groups=[
                GroupSeats(id=g.id, members=[Seat(expert=m.expert, role=m.role) for m in g.members])
                for g in self.groups
            ]
        )

    def to_json(self) -> str:
        """The proposal as indented JSON text (UTF-8, Japanese unescaped), ending in a newline."""
        return self.model_dump_json(indent=2) + "\n"


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Seat(_Lenient):
    expert: Id
    role: Role = "member"


class GroupSeats(_Lenient):
    id: Id
    members: Annotated[list[Seat], Field(max_length=MAX_EXPERTS)]


class Assignment(_Lenient):
    """The seats of every group: a proposal as an office may edit and upload it (other
    fields are ignored)."""

    groups: Annotated[list[GroupSeats], Field(max_length=MAX_GROUPS)]


def parse_assignment(raw: bytes, source: str) -> Assignment:
    """The seats of an uploaded proposal (JSON bytes called ``source``), bounded as a
    problem file is.

    Raises:
        KyotenError: the file is not JSON, or has no groups with ids and members.
    """
    data = read_json(raw, source)
    try:
        return Assignment.model_validate(data)
    except ValidationError as error:
        raise errors_from_validation(error, source) from None


def proposal_json_schema() -> dict[str, Any]:
    """The JSON Schema of a proposal, as ``kyoten schema assignment-proposal`` prints it."""
    return published_schema(Proposal, "Kyoten working-group assignment proposal")
