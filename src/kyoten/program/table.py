"""The requirement table: each requirement's value per track, in words, for one era.

This is what ``kyoten rules`` prints and the rulebook page shows; for the FY2023 call it
reproduces the numbers of the program document's tables. :func:`requirement_table` is the same
table for programs to read (``kyoten rules --format json``): each value in machine form (yen
and counts as integers, shares as exact fractions, with the unit) beside its text.

    >>> from kyoten.program.rulebook import load_program
    >>> rows = requirement_rows(load_program("wpi"), 2023, "ja")
    >>> rows[0]["values"]["core.before_step_up"], rows[0]["values"]["multiple_host"]
    ('5億円', '10億円')
    >>> table = requirement_table(load_program("wpi"), 2023, "en")
    >>> cap = table.requirements[0].values["core.before_step_up"]
    >>> cap.text, cap.unit, cap.max
    ('¥500M', 'yen', 500000000)
"""

from __future__ import annotations

import unicodedata
from fractions import Fraction
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from kyoten.fiscal import format_yen_ja, format_yen_short
from kyoten.program.plan import EXPENSE_CATEGORY_LABELS
from kyoten.program.rulebook import (
    UNIT_COUNTERS_JA,
    Kind,
    Program,
    Requirement,
    RuleValue,
    Severity,
    Unit,
)
from kyoten.sources import Kind as SourceKind
from kyoten.sources import cite
from kyoten.text import Bilingual, Lang
from kyoten.validation import published_schema


def _number(value: int, unit: str, lang: Lang) -> str:
    if unit == "yen":
        return format_yen_ja(value) if lang == "ja" else format_yen_short(value)
    return f"{value:,}"


def describe_value(req: Requirement, value: RuleValue, lang: Lang) -> str:
    """One value of a requirement in words, e.g. ``7〜10人程度以上`` or ``¥700M``."""
    text = _describe(req, value).get(lang)
    if value.approximate:
        text = f"約{text}" if lang == "ja" else f"about {text}"
    if value.unconfirmed:
        text += "［未確認］" if lang == "ja" else " [unconfirmed]"
    return text


def _describe(req: Requirement, value: RuleValue) -> Bilingual:
    c = UNIT_COUNTERS_JA[req.unit]
    kind = req.kind
    if kind == "minimum":
        assert isinstance(value.min, int)
        low = value.min
        if value.guideline is not None:
            return Bilingual(
                en=f"{low}–{value.guideline} or more", ja=f"{low}〜{value.guideline}{c}程度以上"
            )
        return Bilingual(en=f"{low} or more", ja=f"{low}{c}以上")
    if kind == "maximum":
        assert value.max is not None
        if req.unit == "year":
            text = Bilingual(en=f"{value.max} years", ja=f"{value.max}年")
            if value.extension:
                text = Bilingual(
                    en=f"{text.en} (+{value.extension} if extended)",
                    ja=f"{text.ja}（延長時+{value.extension}年）",
                )
            return text
        return Bilingual(
            en=_number(value.max, req.unit, "en"), ja=_number(value.max, req.unit, "ja")
        )
    if kind == "ratio_minimum":
        assert isinstance(value.min, Fraction)
        if value.min == 1:
            return Bilingual(en="all", ja="全員")
        percent = value.min * 100
        shown = f"{float(percent):g}%"
        return Bilingual(en=f"{shown} or more", ja=f"{shown}以上")
    if kind == "required_flag":
        return Bilingual(en="required", ja="必須")
    if kind == "allowed_categories":
        assert value.allowed is not None
        return Bilingual(
            en=", ".join(EXPENSE_CATEGORY_LABELS[a].en for a in value.allowed)
            + " (research project costs not eligible)",
            ja="・".join(EXPENSE_CATEGORY_LABELS[a].ja for a in value.allowed)
            + "（研究プロジェクト費は除く）",
        )
    if kind == "count_range":
        assert isinstance(value.min, int) and value.max is not None
        if value.min == value.max:
            return Bilingual(en=f"{value.min}", ja=f"{value.min}{c}")
        usual = value.guideline if value.guideline is not None else value.min
        return Bilingual(
            en=f"{usual} in principle, at most {value.max}",
            ja=f"原則{usual}{c}、最大{value.max}{c}",
        )
    assert value.by_support_year is not None
    return Bilingual(en=f"by year {value.by_support_year}", ja=f"{value.by_support_year}年目まで")


def column_title(program: Program, track_key: str, lang: Lang) -> str:
    """The heading of a track's (or a stage's) column."""
    track_id, _, stage_id = track_key.partition(".")
    track = program.track(track_id)
    title = track.title.get(lang)
    for stage, stage_title in track.stages:
        if stage == stage_id:
            return f"{title} {stage_title.get(lang)}"
    return title


def requirement_rows(
    program: Program, selection_fiscal_year: int, lang: Lang, track_id: str | None = None
) -> list[dict[str, Any]]:
    """Every requirement with its value, in words, for each track (or one track) of an era."""
    era = program.era_for(selection_fiscal_year)
    era_ids = [e.id for e in program.eras]
    keys = [
        key
        for key in program.track_keys()
        if (track_id is None or key.split(".", 1)[0] == track_id)
        and era_ids.index(program.track(key.split(".", 1)[0]).first_era) <= era_ids.index(era.id)
    ]
    rows = []
    for req in program.requirements:
        values: dict[str, str] = {}
        sources: dict[str, dict[str, str | None]] = {}
        notes: list[str] = []
        for key in keys:
            value = req.value_for(era.id, key)
            values[key] = describe_value(req, value, lang) if value else "—"
            for source in value.sources if value else ():
                citation = cite(source.url or source.document or "")
                publisher = citation.publisher
                sources[source.id] = {
                    # a document's title in the table's language (publishers.yaml has both)
                    "title": citation.title.get(lang) if citation.title else source.title,
                    "url": source.url,
                    "publisher": publisher.name.get(lang) if publisher else None,
                    "kind": publisher.kind if publisher else None,
                }
            if value and value.note and value.note.get(lang) not in notes:
                notes.append(value.note.get(lang))
        if all(text == "—" for text in values.values()):
            continue
        rows.append(
            {
                "rule": req.id,
                "title": req.title.get(lang),
                "rule_text": req.rule.get(lang),
                "kind": req.kind,
                "severity": req.severity,
                "values": values,
                "columns": {key: column_title(program, key, lang) for key in keys},
                "sources": [{"id": key, **source} for key, source in sources.items()],
                "notes": notes + ([req.definition_note.get(lang)] if req.definition_note else []),
            }
        )
    return rows


class _TablePart(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Share(_TablePart):
    """A share as an exact fraction (3/10 is 30%)."""

    numerator: int
    denominator: Annotated[int, Field(gt=0)]


class TableValue(_TablePart):
    """One value of a requirement for one track: the text, and the numbers it says."""

    text: str = Field(description="the value in words, in the table's language")
    unit: Unit = Field(description="what `min`, `max` and `guideline` count (a share: of people)")
    min: int | Share | None = Field(
        None, description="the least allowed: a whole number, or a share for ratio_minimum"
    )
    max: int | None = Field(None, description="the most allowed (yen, years, institutions)")
    guideline: int | None = Field(
        None, description="the figure to reach beyond the minimum (below it only warns)"
    )
    extension_years: int | None = Field(None, description="years added when extended")
    required: bool | None = None
    allowed: list[str] | None = Field(None, description="the eligible expense categories")
    by_support_year: int | None = Field(None, description="the support year of a deadline")
    approximate: bool = Field(description='the source says "about"')
    unconfirmed: bool = Field(description="no source states this value as a rule")
    sources: list[str] = Field(description="ids of the table's sources")
    note: str | None = None


class TableSource(_TablePart):
    id: str
    title: str
    url: str | None = Field(description="null for a document with no public address")
    publisher: str | None = Field(description="who published it (null: not known)")
    kind: SourceKind | None = Field(
        description="official (MEXT, JSPS, a host's or center's own site) or secondary"
    )


class TableRequirement(_TablePart):
    rule: str
    title: str
    rule_text: str
    kind: Kind
    severity: Severity
    columns: dict[str, str] = Field(description="track key -> the column's heading")
    values: dict[str, TableValue | None] = Field(
        description="track key -> the value; null where the requirement does not apply"
    )
    sources: list[TableSource]
    notes: list[str]


class TableEra(_TablePart):
    id: str
    label: str
    selection_fiscal_year: int = Field(description="the call year asked for")


class RequirementTable(_TablePart):
    """What ``kyoten rules --format json`` prints."""

    program: str
    title: str
    lang: Lang
    era: TableEra
    requirements: list[TableRequirement]


def _value_out(req: Requirement, value: RuleValue, lang: Lang) -> TableValue:
    minimum: int | Share | None = None
    if isinstance(value.min, Fraction):
        minimum = Share(numerator=value.min.numerator, denominator=value.min.denominator)
    elif value.min is not None:
        minimum = value.min
    return TableValue(
        text=describe_value(req, value, lang),
        unit=req.unit,
        min=minimum,
        max=value.max,
        guideline=value.guideline,
        extension_years=value.extension,
        required=value.required,
        allowed=list(value.allowed) if value.allowed is not None else None,
        by_support_year=value.by_support_year,
        approximate=value.approximate,
        unconfirmed=value.unconfirmed,
        sources=[source.id for source in value.sources],
        note=value.note.get(lang) if value.note else None,
    )


def requirement_table(
    program: Program, selection_fiscal_year: int, lang: Lang, track_id: str | None = None
) -> RequirementTable:
    """The requirement table of an era with every value in machine form beside its text."""
    era = program.era_for(selection_fiscal_year)
    requirements = []
    for row in requirement_rows(program, selection_fiscal_year, lang, track_id):
        req = program.requirement(row["rule"])
        values: dict[str, TableValue | None] = {}
        for key in row["columns"]:
            value = req.value_for(era.id, key)
            values[key] = _value_out(req, value, lang) if value else None
        requirements.append(
            TableRequirement(
                rule=row["rule"],
                title=row["title"],
                rule_text=row["rule_text"],
                kind=row["kind"],
                severity=row["severity"],
                columns=row["columns"],
                values=values,
                sources=[TableSource(**source) for source in row["sources"]],
                notes=row["notes"],
            )
        )
    return RequirementTable(
        program=program.id,
        title=program.title.get(lang),
        lang=lang,
        era=TableEra(
            id=era.id, label=era.label.get(lang), selection_fiscal_year=selection_fiscal_year
        ),
        requirements=requirements,
    )


def requirement_table_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`RequirementTable`, as ``kyoten schema rules`` prints it."""
    return published_schema(RequirementTable, "Kyoten requirement table")


def _width(text: str) -> int:
    """Display width in a terminal: East Asian wide characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def render_text_table(header: list[str], rows: list[list[str]]) -> str:
    """A plain-text table that lines up with Japanese text too."""
    widths = [max(_width(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(
        "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
    return "\n".join(lines)
