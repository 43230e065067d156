"""The problem file of ``kyoten assign``: the pool of experts, the groups to form, the fit of
each pairing, the conflicts of interest, the office's pins and exclusions, the weights.

A problem is JSON; ``kyoten schema assignment-problem`` publishes its JSON Schema. Loading
checks the file's size before parsing it, every field against the schema, then what the
schema cannot see (duplicate ids, ids that name no expert or group, a pin that is also
forbidden, a chair pinned where none may sit), and names each problem by its field path and
value in both languages.

Example:
    >>> problem = Problem.model_validate({
    ...     "experts": [
    ...         {"id": "e1", "name": "Ada", "from_abroad": True, "max_load": 1, "may_chair": True},
    ...         {"id": "e2", "name": "Bo", "from_abroad": False, "max_load": 2}],
    ...     "groups": [{"id": "IRCN", "name": "IRCN", "size": 2, "from_abroad_share": "1/2",
    ...                 "chair_required": True}],
    ... })
    >>> problem.groups[0].from_abroad_needed, problem.weights.continuity
    (1, 30)
    >>> check_references(problem.model_copy(update={"forbids": [Forbid(expert="e9", group="IRCN")]}),
    ...                  "p.json")[0].localized("en")
    "p.json: forbids[0].expert: unknown expert id: it is not in experts (got 'e9')"
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kyoten.cycles import from_abroad_needed
from kyoten.text import Bilingual, KyotenError, Lang
from kyoten.validation import published_schema, validated

# Bounds on a problem, far above a program's size (18 centers, a pool of a few hundred
# experts; a call's dozens of proposals), so that no file can make the reader or the solver
# take unbounded time or memory. The pairs bound (experts × groups) bounds the solver's model:
# 50 groups × 600 experts take about 400 MB and 5 s of deterministic work
# (benchmarks/bench_assign.py --centers 50 --pools 600); 20 × 300 take 0.3 s.
MAX_PROBLEM_BYTES = 8_000_000
MAX_PROBLEM_ITEMS = 1_000_000  # JSON items ({, [ and ,) estimated from the text before parsing
MAX_EXPERTS = 3_000
MAX_GROUPS = 300
MAX_PAIRS = 30_000
MAX_GROUP_SIZE = 50
MAX_NEEDS = 20
MAX_KEYWORDS = 50
MAX_ENTRIES = 100_000  # fit scores, conflicts, forbids
MAX_PINS = 10_000
MAX_ID = 100
MAX_NAME = 200
MAX_TEXT = 1_000

Id = Annotated[str, Field(min_length=1, max_length=MAX_ID)]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
Keyword = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text in both languages."""

    en: Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
    ja: Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]

    def get(self, lang: Lang) -> str:
        return self.ja if lang == "ja" else self.en

    def bilingual(self) -> Bilingual:
        return Bilingual(en=self.en, ja=self.ja)


def keyword_key(keyword: str) -> str:
    """The form keywords are matched in: NFKC (full-width letters as ASCII), case folded,
    spaces collapsed.

    >>> keyword_key("  Ｎeuro  Science "), keyword_key("神経科学")
    ('neuro science', '神経科学')
    """
    return " ".join(unicodedata.normalize("NFKC", keyword).casefold().split())


class Expert(_Strict):
    """An expert of the pool."""

    id: Id
    name: Name = Field(description="The name shown in the proposal and its explanations.")
    from_abroad: bool | None = Field(
        default=None,
        description="Counts as from abroad for the group's share; null (not known) never does.",
    )
    expertise: Annotated[list[Keyword], Field(max_length=MAX_KEYWORDS)] = Field(
        default=[], description="Keywords the expert covers, matched against the groups' needs."
    )
    max_load: Annotated[int, Field(ge=0, le=MAX_GROUPS)] = Field(
        description="How many groups the expert sits in at most (0: none this cycle)."
    )
    may_chair: bool = Field(default=False, description="Whether the expert may chair a group.")

    @property
    def keywords(self) -> frozenset[str]:
        return frozenset(keyword_key(k) for k in self.expertise)


class Need(_Strict):
    """An expertise a group needs: at least ``min`` members covering any of its keywords."""

    id: Id
    title: Text
    expertise: Annotated[list[Keyword], Field(min_length=1, max_length=MAX_KEYWORDS)]
    min: Annotated[int, Field(ge=1, le=MAX_GROUP_SIZE)] = 1

    @property
    def keywords(self) -> frozenset[str]:
        return frozenset(keyword_key(k) for k in self.expertise)

    def covered_by(self, expert: Expert) -> bool:
        return not self.keywords.isdisjoint(expert.keywords)


class Group(_Strict):
    """A working group to form: a center's in the cycle, or a proposal's panel."""

    id: Id
    name: Name
    size: Annotated[int, Field(ge=1, le=MAX_GROUP_SIZE)] = Field(
        description="The exact number of experts, the chair included (the PO is not one)."
    )
    from_abroad_share: Annotated[str, Field(max_length=20)] = Field(
        description="The share of the experts from abroad, as a fraction such as 1/2; the "
        "group needs at least the share of its size rounded down (kyoten.cycles counts so)."
    )
    chair_required: bool = Field(
        default=False, description="Exactly one member chairs, an expert who may chair."
    )
    needs: Annotated[list[Need], Field(max_length=MAX_NEEDS)] = []
    previous: Annotated[list[Id], Field(max_length=MAX_GROUP_SIZE)] = Field(
        default=[], description="The expert ids of last year's group (continuity)."
    )

    @field_validator("from_abroad_share")
    @classmethod
    def _a_fraction(cls, value: str) -> str:
        try:
            share = Fraction(value)
        except (ValueError, ZeroDivisionError):
            share = Fraction(-1)
        if not 0 <= share <= 1:
            raise KyotenError(
                Bilingual(
                    en="expected a share between 0 and 1 written as a fraction, such as 1/2",
                    ja="0以上1以下の割合を 1/2 のような分数で入力してください",
                )
            )
        return value

    @property
    def share(self) -> Fraction:
        return Fraction(self.from_abroad_share)

    @property
    def from_abroad_needed(self) -> int:
        return from_abroad_needed(self.share, self.size)


class _Pairing(_Strict):
    expert: Id
    group: Id


class FitScore(_Pairing):
    """How well an expert's expertise fits a group, 0–100 (a pair not listed scores 0)."""

    score: Annotated[int, Field(ge=0, le=100)]


ConflictStatus = Literal["confirmed", "potential"]


class Conflict(_Pairing):
    """A conflict of interest: the pair is excluded, a potential one until it is decided."""

    status: ConflictStatus
    reason: Text


PinRole = Literal["chair", "member"]


class Pin(_Pairing):
    """A pairing the office forces: as chair, as a member (not chair), or in any role."""

    role: PinRole | None = None


class Forbid(_Pairing):
    """A pairing the office excludes."""


class Weights(_Strict):
    """The weights of the objective, maximised: ``fit`` × the sum of the fit scores of the
    pairings + ``continuity`` × the members kept from last year's groups − ``balance`` × the
    load cost, where an expert's k-th group costs k − 1 (HotCRP's convex cost: the load
    spreads over the pool before anyone takes a third group). By default a member kept from
    last year is worth 30 points of fit, and a second group must fit 10 points better than
    a first."""

    fit: Annotated[int, Field(ge=0, le=1_000)] = 1
    continuity: Annotated[int, Field(ge=0, le=100_000)] = 30
    balance: Annotated[int, Field(ge=0, le=100_000)] = 10


class Limits(_Strict):
    """How long the solver may work: a deterministic work limit (the same answer on any
    machine) and a wall-clock cap for safety only (a run stopped by it may differ)."""

    max_deterministic_time: Annotated[float, Field(gt=0, le=600)] = 10.0
    max_seconds: Annotated[float, Field(gt=0, le=600)] = 120.0


class Problem(_Strict):
    """Everything the optimiser needs to propose working groups (see the module docstring)."""

    experts: Annotated[list[Expert], Field(max_length=MAX_EXPERTS)]
    groups: Annotated[list[Group], Field(max_length=MAX_GROUPS)]
    fit: Annotated[list[FitScore], Field(max_length=MAX_ENTRIES)] = []
    conflicts: Annotated[list[Conflict], Field(max_length=MAX_ENTRIES)] = Field(
        default=[], description="Confirmed and potential conflicts; both exclude the pair."
    )
    pins: Annotated[list[Pin], Field(max_length=MAX_PINS)] = []
    forbids: Annotated[list[Forbid], Field(max_length=MAX_ENTRIES)] = []
    weights: Weights = Weights()
    limits: Limits = Limits()


def _problem(location: str, en: str, ja: str, value: object) -> KyotenError:
    return KyotenError(Bilingual(en=en, ja=ja), location=location, value=value)


def check_references(problem: Problem, source: str) -> list[KyotenError]:
    """What the schema cannot see: duplicate ids and pairs, ids naming no expert or group, a
    pin that is also forbidden, chairs pinned where none may sit, and too many pairs."""
    problems: list[KyotenError] = []
    experts = {e.id: e for e in problem.experts}
    groups = {g.id: g for g in problem.groups}

    def duplicates(field: str, ids: list[str], en: str, ja: str) -> None:
        seen: set[str] = set()
        for index, item in enumerate(ids):
            if item in seen:
                problems.append(_problem(f"{source}: {field}[{index}]", en, ja, item))
            seen.add(item)

    duplicates(
        "experts",
        [e.id for e in problem.experts],
        "duplicate expert id",
        "専門家IDが重複しています",
    )
    duplicates(
        "groups", [g.id for g in problem.groups], "duplicate group id", "グループIDが重複しています"
    )
    pairs = len(experts) * len(groups)
    if pairs > MAX_PAIRS:
        problems.append(
            _problem(
                source,
                f"{len(experts):,} experts × {len(groups):,} groups is {pairs:,} pairings; at "
                f"most {MAX_PAIRS:,} are accepted",
                f"専門家{len(experts):,}名×グループ{len(groups):,}件で組合せが{pairs:,}通りです。"
                f"上限は{MAX_PAIRS:,}通りです",
                pairs,
            )
        )
    for gi, group in enumerate(problem.groups):
        where = f"{source}: groups[{gi}]"
        duplicates(
            f"groups[{gi}].needs",
            [n.id for n in group.needs],
            "duplicate need id in this group",
            "このグループで要件IDが重複しています",
        )
        duplicates(
            f"groups[{gi}].previous",
            group.previous,
            "listed twice in last year's group",
            "昨年度の作業部会に二重に記載されています",
        )
        for pi, expert_id in enumerate(group.previous):
            if expert_id not in experts:
                problems.append(_unknown(f"{where}.previous[{pi}]", "expert", expert_id))

    def refs(field: str, entries: Sequence[_Pairing]) -> None:
        for index, entry in enumerate(entries):
            if entry.expert not in experts:
                problems.append(
                    _unknown(f"{source}: {field}[{index}].expert", "expert", entry.expert)
                )
            if entry.group not in groups:
                problems.append(_unknown(f"{source}: {field}[{index}].group", "group", entry.group))

    refs("fit", problem.fit)
    refs("conflicts", problem.conflicts)
    refs("pins", problem.pins)
    refs("forbids", problem.forbids)
    for field, entries in (
        ("fit", problem.fit),
        ("pins", problem.pins),
        ("forbids", problem.forbids),
    ):
        duplicates(
            field,
            [f"{e.expert} → {e.group}" for e in entries],
            "this expert and group are listed twice",
            "この専門家とグループの組が二重に記載されています",
        )
    forbidden = {(f.expert, f.group) for f in problem.forbids}
    chairs: dict[str, str] = {}
    for index, pin in enumerate(problem.pins):
        where = f"{source}: pins[{index}]"
        if (pin.expert, pin.group) in forbidden:
            problems.append(
                _problem(
                    where,
                    "this pairing is both pinned and forbidden: keep one",
                    "この組は指定（pins）と除外（forbids）の両方にあります。どちらかにしてください",
                    f"{pin.expert} → {pin.group}",
                )
            )
        if pin.role != "chair" or pin.group not in groups or pin.expert not in experts:
            continue
        if not groups[pin.group].chair_required:
            problems.append(
                _problem(
                    f"{where}.role",
                    "this group has no chair (chair_required is false)",
                    "このグループには主査を置きません（chair_required が false です）",
                    pin.role,
                )
            )
        if not experts[pin.expert].may_chair:
            problems.append(
                _problem(
                    f"{where}.expert",
                    "pinned as chair, but may_chair is false for this expert",
                    "主査に指定されていますが、この専門家の may_chair は false です",
                    pin.expert,
                )
            )
        if pin.group in chairs:
            problems.append(
                _problem(
                    f"{where}.role",
                    f"a second chair pinned in this group ({chairs[pin.group]} is pinned as chair)",
                    f"このグループで2人目の主査が指定されています（{chairs[pin.group]} が主査に指定済み）",
                    pin.expert,
                )
            )
        chairs.setdefault(pin.group, pin.expert)
    return problems


def _unknown(location: str, kind: Literal["expert", "group"], value: str) -> KyotenError:
    if kind == "expert":
        return _problem(
            location,
            "unknown expert id: it is not in experts",
            "不明な専門家IDです（experts にありません）",
            value,
        )
    return _problem(
        location,
        "unknown group id: it is not in groups",
        "不明なグループIDです（groups にありません）",
        value,
    )


def problem_from_data(data: Any, source: str) -> Problem:
    """Validate parsed JSON ``data`` as a problem.

    Raises:
        KyotenError: every problem, each naming ``source``, the field path and the value.
    """
    if not isinstance(data, dict):
        raise KyotenError(
            Bilingual(
                en="a problem must be a JSON object with experts and groups",
                ja="問題ファイルは experts と groups を持つJSONオブジェクトで記述してください",
            ),
            location=source,
            value=type(data).__name__,
        )
    return validated(Problem, data, source, check_references)


def _refuse_larger_than_bounds(size: int, source: str) -> None:
    if size > MAX_PROBLEM_BYTES:
        raise KyotenError(
            Bilingual(
                en=f"the file is too large: {size:,} bytes; a problem holds at most "
                f"{MAX_PROBLEM_BYTES:,}",
                ja=f"ファイルが大きすぎます（{size:,}バイト）。問題ファイルの上限は"
                f"{MAX_PROBLEM_BYTES:,}バイトです",
            ),
            location=source,
        )


def read_json(raw: bytes, source: str) -> Any:
    """The JSON value in ``raw`` (a file called ``source``), refused before it is parsed
    when larger than ``MAX_PROBLEM_BYTES`` or than ``MAX_PROBLEM_ITEMS`` items."""
    _refuse_larger_than_bounds(len(raw), source)
    items = sum(raw.count(mark) for mark in (b"{", b"[", b","))
    if items > MAX_PROBLEM_ITEMS:
        raise KyotenError(
            Bilingual(
                en=f"the file holds about {items:,} items; at most {MAX_PROBLEM_ITEMS:,} are "
                "accepted",
                ja=f"ファイルの項目数が約{items:,}件あります。{MAX_PROBLEM_ITEMS:,}件までです",
            ),
            location=source,
        )
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise KyotenError(
            Bilingual(
                en="not a text file in UTF-8; expected a JSON file",
                ja="UTF-8のテキストファイルではありません。JSONファイルが必要です",
            ),
            location=source,
        ) from None
    except json.JSONDecodeError as error:
        raise KyotenError(
            Bilingual(
                en=f"not valid JSON ({error.msg}, column {error.colno})",
                ja=f"JSONとして読み込めません（{error.msg}、{error.colno}文字目）",
            ),
            location=f"{source}:{error.lineno}",
        ) from None
    except (RecursionError, ValueError):
        # nesting deeper than Python's stack, or an integer longer than Python converts
        raise KyotenError(
            Bilingual(
                en="the file is nested too deeply or holds a number too long",
                ja="入れ子が深すぎるか、数値が長すぎるため読み込めません",
            ),
            location=source,
        ) from None


def parse_problem(raw: bytes, source: str) -> Problem:
    """A problem from the bytes of a JSON file called ``source`` (see :func:`read_json`)."""
    return problem_from_data(read_json(raw, source), source)


def read_bounded(path: str | Path) -> bytes:
    """The bytes of the file at ``path``, refused unread when larger than the bound.

    Raises:
        KyotenError: the file cannot be read, or is too large.
    """
    try:
        with Path(path).open("rb") as file:
            raw = file.read(MAX_PROBLEM_BYTES + 1)  # never more than the bound into memory
            if len(raw) > MAX_PROBLEM_BYTES:
                _refuse_larger_than_bounds(os.fstat(file.fileno()).st_size, str(path))
    except OSError as error:
        raise KyotenError(
            Bilingual(
                en=f"cannot read the file ({error.strerror})",
                ja=f"ファイルを読み込めません（{error.strerror}）",
            ),
            location=str(path),
        ) from None
    return raw


def load_problem(path: str | Path) -> Problem:
    """A problem from a JSON file (see :func:`parse_problem`).

    Raises:
        KyotenError: the file cannot be read, or is not a valid problem.
    """
    return parse_problem(read_bounded(path), str(path))


def problem_json_schema() -> dict[str, Any]:
    """The JSON Schema of a problem, as ``kyoten schema assignment-problem`` prints it."""
    return published_schema(Problem, "Kyoten working-group assignment problem")
