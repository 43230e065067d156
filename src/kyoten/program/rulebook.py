"""The rulebook: a program's tracks, eras and requirements, loaded from dated YAML data.

A requirement's values are keyed by the era of the call under which a center was selected
and by track (or track and stage), each with its sources — like OpenFisca's parameters.
Loading checks the whole file and names the file, the requirement and the field of every
problem.

Example:
    >>> wpi = load_program("wpi")
    >>> wpi.annual_grant_cap("core", 2023, 2025).value
    500000000
    >>> wpi.annual_grant_cap("core", 2023, 2027, stage_gate_passed_fiscal_year=2026).value
    700000000
    >>> wpi.era_for(2017).id
    'fy2012'
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kyoten.text import Bilingual, KyotenError, KyotenErrors, Lang
from kyoten.validation import errors_from_validation, read_yaml, shipped_data

Kind = Literal[
    "minimum",
    "maximum",
    "ratio_minimum",
    "required_flag",
    "allowed_categories",
    "count_range",
    "deadline",
]
Severity = Literal["requirement", "guideline"]
Unit = Literal["yen", "people", "year", "institutions", "flag"]
# The Japanese counter written after a number in each unit (7人, 2機関, 10年).
UNIT_COUNTERS_JA: dict[str, str] = {
    "people": "人",
    "institutions": "機関",
    "year": "年",
    "yen": "円",
    "flag": "",
}

# The fields each kind needs in every one of its values.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "minimum": ("min",),
    "maximum": ("max",),
    "ratio_minimum": ("min",),
    "required_flag": ("required",),
    "allowed_categories": ("allowed",),
    "count_range": ("min", "max"),
    "deadline": ("by_support_year",),
}


# --- the file's schema ------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Text(_Strict):
    en: Annotated[str, Field(min_length=1)]
    ja: Annotated[str, Field(min_length=1)]


class _Source(_Strict):
    title: str
    url: str | None = None
    document: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _has_a_place(self) -> _Source:
        if not (self.url or self.document):
            raise ValueError("a source needs a url or a document")
        return self


class _Era(_Strict):
    id: str
    label: _Text
    selection_from: int
    selection_to: int | None = None


class _Stage(_Strict):
    id: str
    title: _Text


class _Track(_Strict):
    id: str
    title: _Text
    first_era: str
    stages: list[_Stage] = []


class _Value(_Strict):
    era: str
    tracks: Annotated[list[str], Field(min_length=1)]
    sources: Annotated[list[str], Field(min_length=1)]
    min: int | str | None = None
    max: int | None = None
    guideline: int | None = None
    extension: int | None = None
    required: bool | None = None
    allowed: list[str] | None = None
    by_support_year: int | None = None
    approximate: bool = False
    unconfirmed: bool = False
    note: _Text | None = None


class _Requirement(_Strict):
    id: str
    title: _Text
    rule: _Text
    kind: Kind
    measure: str
    denominator: str | None = None
    unit: Unit
    noun: _Text
    denominator_noun: _Text | None = None
    predicate: _Text | None = None
    severity: Severity
    definition_note: _Text | None = None
    flags: dict[str, _Text] | None = None
    values: Annotated[list[_Value], Field(min_length=1)]


class _Program(_Strict):
    program: str
    title: _Text
    sources: dict[str, _Source]
    eras: Annotated[list[_Era], Field(min_length=1)]
    tracks: Annotated[list[_Track], Field(min_length=1)]
    requirements: Annotated[list[_Requirement], Field(min_length=1)]


# --- the loaded rulebook ----------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where a value comes from."""

    id: str
    title: str
    url: str | None
    document: str | None
    note: str | None


@dataclass(frozen=True)
class Era:
    """Calls grouped by the rules they set; a center keeps the rules of its selection era."""

    id: str
    label: Bilingual
    selection_from: int
    selection_to: int | None

    def contains(self, selection_fiscal_year: int) -> bool:
        """Whether a center selected in that fiscal year belongs to this era."""
        upper = self.selection_to if self.selection_to is not None else selection_fiscal_year
        return self.selection_from <= selection_fiscal_year <= upper


@dataclass(frozen=True)
class Track:
    """A form of the program (standard WPI, WPI CORE, Multiple Host WPI)."""

    id: str
    title: Bilingual
    first_era: str
    stages: tuple[tuple[str, Bilingual], ...]


@dataclass(frozen=True)
class RuleValue:
    """One dated value of a requirement, for one era and some tracks or stages."""

    era: str
    tracks: tuple[str, ...]
    sources: tuple[Source, ...]
    min: int | Fraction | None
    max: int | None
    guideline: int | None
    extension: int | None
    required: bool | None
    allowed: tuple[str, ...] | None
    by_support_year: int | None
    approximate: bool
    unconfirmed: bool
    note: Bilingual | None

    @property
    def value(self) -> int:
        """The single number of a maximum, minimum or deadline (e.g. a grant cap)."""
        for number in (self.max, self.min, self.by_support_year):
            if isinstance(number, int):
                return number
        raise TypeError("this value has no single number")


@dataclass(frozen=True, eq=False)  # one object per requirement of a loaded rulebook
class Requirement:
    """A rule of the program: what is measured, how it is judged and its dated values."""

    id: str
    title: Bilingual
    rule: Bilingual
    kind: Kind
    measure: str
    denominator: str | None
    unit: Unit
    noun: Bilingual
    denominator_noun: Bilingual | None
    predicate: Bilingual | None
    severity: Severity
    definition_note: Bilingual | None
    flags: tuple[tuple[str, Bilingual], ...]
    values: tuple[RuleValue, ...]

    def value_for(self, era: str, track_key: str) -> RuleValue | None:
        """The value in force for an era and a track key (``core.before_step_up`` or ``wpi``).

        A value given for a whole track (``core``) covers each of its stages.
        """
        track = track_key.split(".", 1)[0]
        for value in self.values:
            if value.era == era and (track_key in value.tracks or track in value.tracks):
                return value
        return None


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per loaded file
class Program:
    """A program's whole rulebook."""

    id: str
    title: Bilingual
    sources: dict[str, Source]
    eras: tuple[Era, ...]
    tracks: tuple[Track, ...]
    requirements: tuple[Requirement, ...]
    path: str

    def era_for(self, selection_fiscal_year: int) -> Era:
        """The era of a center selected in ``selection_fiscal_year``.

        Raises:
            KyotenError: when the program had no call that year.
        """
        for era in self.eras:
            if era.contains(selection_fiscal_year):
                return era
        first = self.eras[0].selection_from
        raise KyotenError(
            Bilingual(
                en=f"the program's first call was in FY{first}",
                ja=f"本プログラムの最初の公募は{first}年度です",
            ),
            location="selection_fiscal_year",
            value=selection_fiscal_year,
        )

    def track(self, track_id: str) -> Track:
        """The track with this id.

        Raises:
            KyotenError: for an unknown track, naming the known ones.
        """
        for track in self.tracks:
            if track.id == track_id:
                return track
        known = ", ".join(t.id for t in self.tracks)
        raise KyotenError(
            Bilingual(en=f"expected one of {known}", ja=f"次のいずれかを入力してください：{known}"),
            location="track",
            value=track_id,
        )

    def track_key(
        self,
        track_id: str,
        fiscal_year: int,
        stage_gate_passed_fiscal_year: int | None,
        stage: str | None = None,
    ) -> str:
        """The track, with its stage where it has stages, in force in ``fiscal_year``.

        WPI CORE steps up from the fiscal year after its stage gate was passed; a ``stage``
        stated outright (the plan checks it agrees with the year) is taken as it is.
        """
        track = self.track(track_id)
        if not track.stages:
            return track.id
        if stage is not None:
            return f"{track.id}.{stage}"
        before, after = track.stages[0][0], track.stages[-1][0]
        stepped_up = (
            stage_gate_passed_fiscal_year is not None
            and fiscal_year > stage_gate_passed_fiscal_year
        )
        return f"{track.id}.{after if stepped_up else before}"

    def requirement(self, requirement_id: str) -> Requirement:
        """The requirement with this id (KeyError if there is none)."""
        for requirement in self.requirements:
            if requirement.id == requirement_id:
                return requirement
        raise KeyError(requirement_id)

    def annual_grant_cap(
        self,
        track_id: str,
        selection_fiscal_year: int,
        fiscal_year: int,
        stage_gate_passed_fiscal_year: int | None = None,
    ) -> RuleValue:
        """The grant cap for a center in a fiscal year, with its sources."""
        era = self.era_for(selection_fiscal_year)
        key = self.track_key(track_id, fiscal_year, stage_gate_passed_fiscal_year)
        value = self.requirement("grant.annual_cap").value_for(era.id, key)
        if value is None:
            raise KyotenError(
                Bilingual(
                    en=f"the track {track_id} did not exist in the era {era.id}",
                    ja=f"枠組み {track_id} は {era.label.ja} にはありません",
                ),
                location="track",
                value=track_id,
            )
        return value

    def requirement_rows(
        self, track_id: str | None, selection_fiscal_year: int, lang: Lang
    ) -> list[dict[str, Any]]:
        """The requirement table of an era, for one track or (``None``) all of them."""
        from kyoten.program.table import requirement_rows  # the table builds on this module

        return requirement_rows(self, selection_fiscal_year, lang, track_id)

    def track_keys(self) -> list[str]:
        """Every track, and every stage of a staged track, as a key."""
        keys: list[str] = []
        for track in self.tracks:
            keys.extend(f"{track.id}.{stage}" for stage, _ in track.stages)
            if not track.stages:
                keys.append(track.id)
        return keys


# --- loading ----------------------------------------------------------------------------


def _bilingual(text: _Text) -> Bilingual:
    return Bilingual(en=text.en, ja=text.ja)


def _fraction(raw: int | str, where: str) -> Fraction:
    try:
        share = Fraction(raw)
    except (ValueError, ZeroDivisionError):
        raise KyotenError(
            Bilingual(
                en="expected a fraction such as 3/10", ja="3/10 のような分数で入力してください"
            ),
            location=where,
            value=raw,
        ) from None
    if not 0 <= share <= 1:
        raise KyotenError(
            Bilingual(
                en="a share must lie between 0 and 1", ja="割合は0から1の間で入力してください"
            ),
            location=where,
            value=raw,
        )
    return share


def _check_cross_references(spec: _Program, path: str) -> list[KyotenError]:
    """Problems a schema cannot see: unknown ids, missing fields of a kind, duplicates."""
    problems: list[KyotenError] = []
    era_ids = [era.id for era in spec.eras]
    track_keys = {t.id for t in spec.tracks} | {
        f"{t.id}.{s.id}" for t in spec.tracks for s in t.stages
    }

    def problem(where: str, en: str, ja: str, value: object) -> None:
        problems.append(
            KyotenError(Bilingual(en=en, ja=ja), location=f"{path}: {where}", value=value)
        )

    for track in spec.tracks:
        if track.first_era not in era_ids:
            problem(
                f"tracks[{track.id}].first_era", "unknown era", "不明な時期です", track.first_era
            )
    seen: set[str] = set()
    for req in spec.requirements:
        if req.id in seen:
            problem(
                f"requirements[{req.id}]",
                "duplicate requirement id",
                "要件IDが重複しています",
                req.id,
            )
        seen.add(req.id)
        if req.kind == "ratio_minimum" and not (
            req.denominator and req.denominator_noun and req.predicate
        ):
            problem(
                f"requirements[{req.id}].denominator",
                "a ratio_minimum needs a denominator, a denominator_noun and a predicate",
                "ratio_minimum には denominator・denominator_noun・predicate が必要です",
                req.denominator,
            )
        if req.kind == "required_flag" and not req.flags:
            problem(
                f"requirements[{req.id}].flags",
                "a required_flag needs its flags",
                "required_flag には flags が必要です",
                req.flags,
            )
        claimed: set[tuple[str, str]] = set()
        for index, value in enumerate(req.values):
            where = f"requirements[{req.id}].values[{index}]"
            if value.era not in era_ids:
                problem(f"{where}.era", "unknown era", "不明な時期です", value.era)
            for key in value.tracks:
                if key not in track_keys:
                    problem(f"{where}.tracks", "unknown track or stage", "不明な枠組みです", key)
                if (value.era, key) in claimed:
                    problem(
                        f"{where}.tracks",
                        "a second value for the same era and track",
                        "同じ時期・枠組みに値が二つあります",
                        key,
                    )
                claimed.add((value.era, key))
            for source in value.sources:
                if source not in spec.sources:
                    problem(f"{where}.sources", "unknown source id", "不明な出典IDです", source)
            if req.kind != "ratio_minimum" and isinstance(value.min, str):
                problem(
                    f"{where}.min", "expected a whole number", "整数を入力してください", value.min
                )
            for field in KIND_FIELDS[req.kind]:
                if getattr(value, field) is None:
                    problem(
                        f"{where}.{field}",
                        f"a {req.kind} value needs `{field}`",
                        f"{req.kind} の値には `{field}` が必要です",
                        None,
                    )
    return problems


def _build(spec: _Program, path: str) -> Program:
    sources = {
        key: Source(key, s.title, s.url, s.document, s.note) for key, s in spec.sources.items()
    }
    requirements = []
    for req in spec.requirements:
        values = []
        for index, v in enumerate(req.values):
            minimum: int | Fraction | None = v.min if isinstance(v.min, int) else None
            if req.kind == "ratio_minimum" and v.min is not None:
                minimum = _fraction(v.min, f"{path}: requirements[{req.id}].values[{index}].min")
            values.append(
                RuleValue(
                    era=v.era,
                    tracks=tuple(v.tracks),
                    sources=tuple(sources[s] for s in v.sources),
                    min=minimum,
                    max=v.max,
                    guideline=v.guideline,
                    extension=v.extension,
                    required=v.required,
                    allowed=tuple(v.allowed) if v.allowed is not None else None,
                    by_support_year=v.by_support_year,
                    approximate=v.approximate,
                    unconfirmed=v.unconfirmed,
                    note=_bilingual(v.note) if v.note else None,
                )
            )
        requirements.append(
            Requirement(
                id=req.id,
                title=_bilingual(req.title),
                rule=_bilingual(req.rule),
                kind=req.kind,
                measure=req.measure,
                denominator=req.denominator,
                unit=req.unit,
                noun=_bilingual(req.noun),
                denominator_noun=_bilingual(req.denominator_noun) if req.denominator_noun else None,
                predicate=_bilingual(req.predicate) if req.predicate else None,
                severity=req.severity,
                definition_note=_bilingual(req.definition_note) if req.definition_note else None,
                flags=tuple((k, _bilingual(t)) for k, t in (req.flags or {}).items()),
                values=tuple(values),
            )
        )
    return Program(
        id=spec.program,
        title=_bilingual(spec.title),
        sources=sources,
        eras=tuple(
            Era(e.id, _bilingual(e.label), e.selection_from, e.selection_to) for e in spec.eras
        ),
        tracks=tuple(
            Track(
                t.id,
                _bilingual(t.title),
                t.first_era,
                tuple((s.id, _bilingual(s.title)) for s in t.stages),
            )
            for t in spec.tracks
        ),
        requirements=tuple(requirements),
        path=path,
    )


def _name_requirements(errors: KyotenErrors, raw: Any) -> KyotenErrors:
    """Say ``requirements[grant.annual_cap]`` rather than ``requirements[0]``."""
    listed = raw.get("requirements") if isinstance(raw, dict) else None
    if not isinstance(listed, list):
        return errors

    def named(match: re.Match[str]) -> str:
        item = listed[int(match.group(1))]
        ident = item.get("id") if isinstance(item, dict) else None
        return f"requirements[{ident}]" if isinstance(ident, str) else match.group(0)

    for problem in errors.problems:
        if problem.location:
            problem.location = re.sub(r"requirements\[(\d+)\]", named, problem.location)
    return errors


def parse_program(text: str, path: str) -> Program:
    """Validate rulebook YAML ``text`` (read from ``path``) and build the :class:`Program`.

    Raises:
        KyotenErrors: every problem, each naming the file, the requirement and the field.
    """
    raw = read_yaml(text, path)
    try:
        spec = _Program.model_validate(raw)
    except ValidationError as error:
        raise _name_requirements(errors_from_validation(error, path), raw) from None
    problems = _check_cross_references(spec, path)
    if problems:
        raise KyotenErrors(problems)
    return _build(spec, path)


@functools.cache
def load_program(program_id: str = "wpi") -> Program:
    """The shipped rulebook of a program (``wpi``), loaded and checked once per process."""
    return parse_program(*shipped_data("kyoten.program", program_id))
