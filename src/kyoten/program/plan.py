"""What an applicant or a center submits: the plan the rulebook checks.

A plan names its program and track, the fiscal year it describes and when the center was
selected (or which support year it is in), its host institutions and partners, its people
(a roster or aggregate counts), its budget lines and its language environment. It comes in
as YAML or JSON; ``kyoten schema`` publishes the JSON Schema.

Example:
    >>> plan = Plan.model_validate({
    ...     "track": "wpi", "fiscal_year": "令和6年度", "selection_fiscal_year": "FY2022",
    ...     "people": {"counts": {"pis": 8, "researchers": 60, "researchers_from_abroad": 20,
    ...                           "total_staff": 90}},
    ...     "budget": [{"category": "personnel", "source": "wpi_grant", "amount": "3億円"}],
    ... })
    >>> plan.fiscal_year, plan.support_year, plan.budget[0].amount
    (2024, 3, 300000000)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from kyoten.fiscal import parse_fiscal_year, parse_yen
from kyoten.text import Bilingual, KyotenError
from kyoten.validation import errors_from_validation, published_schema

FiscalYear = Annotated[
    int,
    BeforeValidator(parse_fiscal_year),
    Field(description="A fiscal year: 2024, FY2024, 2024年度, 令和6年度 or R6."),
]
Yen = Annotated[
    int,
    BeforeValidator(parse_yen),
    Field(ge=0, description="Whole yen: 700000000, ¥700,000,000, 7億円, 700百万円 or 5,000千円."),
]
# No center is near this size; larger counts are typing errors, refused before any arithmetic.
MAX_HEADCOUNT = 100_000
# The longest lists a plan may hold, checked before their items are: far above any center
# (the largest has a few hundred people, 3 hosts and a few partners), so that no upload can
# make the checker validate, or list problems of, a million items.
MAX_ROSTER = 20_000
MAX_INSTITUTIONS = 100
MAX_BUDGET_LINES = 1_000
# The most YAML/JSON items (roughly: keys, list entries and collections) a plan file may
# hold, estimated from its text before it is parsed — parsing a file of 300,000 empty
# mappings takes seconds of a web worker. A full roster of MAX_ROSTER people fits.
MAX_PLAN_ITEMS = 12 * MAX_ROSTER
HeadCount = Annotated[int, Field(ge=0, le=MAX_HEADCOUNT)]
Category = Literal["pi", "researcher", "postdoc", "student", "administrative", "technical"]
ExpenseCategory = Literal[
    "personnel", "project_activities", "travel", "equipment", "research_projects", "other"
]
FundingSource = Literal[
    "wpi_grant", "host_institution", "competitive_funds", "donations", "industry", "other"
]
EXPENSE_CATEGORY_LABELS: dict[str, Bilingual] = {
    "personnel": Bilingual(en="personnel", ja="人件費"),
    "project_activities": Bilingual(en="project activities", ja="事業推進費"),
    "travel": Bilingual(en="travel", ja="旅費"),
    "equipment": Bilingual(en="equipment", ja="設備備品費"),
    "research_projects": Bilingual(en="research project costs", ja="研究プロジェクト費"),
    "other": Bilingual(en="other costs", ja="その他の経費"),
}
InstitutionRole = Literal["host", "overseas_partner", "domestic_partner", "satellite"]

# Who counts as a researcher, for the share from abroad: PIs, other researchers, postdocs.
RESEARCHER_CATEGORIES: frozenset[str] = frozenset({"pi", "researcher", "postdoc"})
# Who counts in the center's total staff: everyone but students (Kyoten's reading of 総勢).
STAFF_CATEGORIES: frozenset[str] = frozenset(
    {"pi", "researcher", "postdoc", "administrative", "technical"}
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Strict):
    """One member of the center."""

    name: str | None = None
    category: Category
    from_abroad: bool = Field(description="A researcher from abroad (外国からの研究者).")
    nationality: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = Field(
        default=None, description="ISO 3166-1 alpha-2 country code, e.g. JP."
    )
    gender: Literal["female", "male", "other", "undisclosed"] | None = None
    effort_percent: Annotated[float, Field(ge=0, le=100)] | None = None
    international_recruitment: bool | None = Field(
        default=None, description="For postdocs: hired through international open recruitment."
    )


class PeopleCounts(_Strict):
    """Aggregate head counts, for plans without a roster. Every count is optional."""

    pis: HeadCount | None = None
    researchers: HeadCount | None = Field(
        default=None, description="All researchers: PIs, other researchers and postdocs."
    )
    researchers_from_abroad: HeadCount | None = None
    postdocs: HeadCount | None = None
    postdocs_international: HeadCount | None = None
    total_staff: HeadCount | None = Field(default=None, description="Everyone but students.")

    @model_validator(mode="after")
    def _parts_within_wholes(self) -> PeopleCounts:
        pairs = [
            ("pis", "researchers"),
            ("researchers_from_abroad", "researchers"),
            ("postdocs", "researchers"),
            ("postdocs_international", "postdocs"),
            ("researchers", "total_staff"),
        ]
        for part, whole in pairs:
            part_value, whole_value = getattr(self, part), getattr(self, whole)
            if part_value is not None and whole_value is not None and part_value > whole_value:
                raise KyotenError(
                    Bilingual(
                        en=f"{part} ({part_value}) cannot exceed {whole} ({whole_value})",
                        ja=f"{part}（{part_value}）は{whole}（{whole_value}）を超えられません",
                    )
                )
        return self


class People(_Strict):
    """The center's people: either a roster or aggregate counts, not both."""

    roster: Annotated[list[Person], Field(max_length=MAX_ROSTER)] | None = None
    counts: PeopleCounts | None = None

    @model_validator(mode="after")
    def _one_form(self) -> People:
        if (self.roster is None) == (self.counts is None):
            raise KyotenError(
                Bilingual(
                    en="give either a roster or counts, not both and not neither",
                    ja="roster（名簿）か counts（人数）のどちらか一方を入力してください",
                )
            )
        return self


class Institution(_Strict):
    """A host institution, partner or satellite."""

    name: Annotated[str, Field(min_length=1)]
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = Field(
        description="ISO 3166-1 alpha-2 country code, e.g. JP or US."
    )
    role: InstitutionRole
    organisation_level_agreement: bool = Field(
        default=False,
        description="An organisation-level research partnership (e.g. labs at each other's sites).",
    )


class BudgetLine(_Strict):
    """An amount for one expense category from one funding source."""

    category: ExpenseCategory
    source: FundingSource
    amount: Yen
    description: str | None = None


class Language(_Strict):
    """The language environment; each item true when English is the standard there."""

    english_working_language: bool | None = None
    english_administration: bool | None = None
    english_research_support: bool | None = None


class Plan(_Strict):
    """A center's or an applicant's plan for one fiscal year."""

    program: Literal["wpi"] = "wpi"
    name: str | None = Field(default=None, description="The center or proposal.")
    track: Literal["wpi", "core", "multiple_host"]
    fiscal_year: FiscalYear
    selection_fiscal_year: FiscalYear | None = Field(
        default=None,
        description="The fiscal year the center was selected; for a proposal, the call's year.",
    )
    support_year: Annotated[int, Field(ge=1, le=30)] | None = Field(
        default=None, description="Alternatively, which year of support this is (1 = first)."
    )
    extension_granted: bool = Field(
        default=False, description="Whether the center was granted an extension of support."
    )
    stage_gate_passed_fiscal_year: FiscalYear | None = Field(
        default=None, description="WPI CORE: the fiscal year the stage-gate review was passed."
    )
    core_stage: Literal["before_step_up", "after_step_up"] | None = Field(
        default=None,
        description="WPI CORE: the stage, if stated; otherwise it follows from "
        "stage_gate_passed_fiscal_year (after step-up from the following fiscal year).",
    )
    institutions: Annotated[list[Institution], Field(max_length=MAX_INSTITUTIONS)] = []
    people: People | None = None
    budget: Annotated[list[BudgetLine], Field(max_length=MAX_BUDGET_LINES)] | None = None
    language: Language | None = None

    @model_validator(mode="after")
    def _consistent_years(self) -> Plan:
        # Without either, the plan is a proposal: selected in the call's year, support year 1.
        derived = self.selection_fiscal_year
        if derived is None:
            derived = self.fiscal_year - (self.support_year or 1) + 1
            object.__setattr__(self, "selection_fiscal_year", derived)
        if self.support_year is None:
            object.__setattr__(self, "support_year", self.fiscal_year - derived + 1)
        if self.support_year != self.fiscal_year - derived + 1 or derived > self.fiscal_year:
            raise KyotenError(
                Bilingual(
                    en=(
                        "the fiscal year, the selection fiscal year and the support year "
                        "disagree (support year 1 is the selection fiscal year)"
                    ),
                    ja="年度・採択年度・支援年次が一致しません（採択年度が支援1年目です）",
                )
            )
        gate = self.stage_gate_passed_fiscal_year
        if gate is not None and self.track != "core":
            raise KyotenError(
                Bilingual(
                    en="only a WPI CORE center has a stage-gate review",
                    ja="ステージゲート審査はWPI COREのみです",
                )
            )
        if self.core_stage is not None and self.track != "core":
            raise KyotenError(
                Bilingual(
                    en="only a WPI CORE center has a stage (core_stage)",
                    ja="段階（core_stage）はWPI COREのみの項目です",
                )
            )
        if gate is not None and self.core_stage is not None:
            in_force = "after_step_up" if self.fiscal_year > gate else "before_step_up"
            if self.core_stage != in_force:
                raise KyotenError(
                    Bilingual(
                        en=f"core_stage {self.core_stage} disagrees with a stage gate passed in "
                        f"FY{gate}: the step-up takes effect from FY{gate + 1}, so FY"
                        f"{self.fiscal_year} is {in_force}",
                        ja=f"core_stage {self.core_stage} は{gate}年度のステージゲート通過と一致しません。"
                        f"ステップアップは{gate + 1}年度からのため、{self.fiscal_year}年度は{in_force}です",
                    )
                )
        if gate is not None and not derived <= gate <= self.fiscal_year:
            raise KyotenError(
                Bilingual(
                    en="the stage gate must be passed between selection and this fiscal year",
                    ja="ステージゲート通過年度は採択年度から当該年度までの間である必要があります",
                )
            )
        return self


def plan_from_data(data: Any, source: str) -> Plan:
    """Validate already-parsed data as a plan; every problem names ``source`` and the field.

    Raises:
        KyotenErrors: all the problems found.
    """
    if not isinstance(data, dict):
        raise KyotenError(
            Bilingual(
                en="a plan must be a mapping of fields (track, fiscal_year, …)",
                ja="計画は項目の対応（track、fiscal_year など）で記述してください",
            ),
            location=source,
            value=type(data).__name__,
        )
    try:
        return Plan.model_validate(data)
    except ValidationError as error:
        raise errors_from_validation(error, source) from None


def _estimated_items(text: str) -> int:
    """About how many keys, list entries and collections a YAML or JSON text holds (an upper
    bound for any plan written as usual; colons and commas inside text count too)."""
    return sum(text.count(mark) for mark in (":", ",", "- ", "{", "["))


# libyaml's parser where PyYAML was built with it (five times faster), else the pure one.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TOO_DEEP_OR_LONG = Bilingual(
    en="the file is nested too deeply or holds a number too long to be a plan",
    ja="入れ子が深すぎるか、数値が長すぎるため、計画として読み込めません",
)


def parse_plan_text(text: str, source: str) -> Plan:
    """Parse a plan written as YAML or JSON (JSON is YAML; both are accepted)."""
    items = _estimated_items(text)
    if items > MAX_PLAN_ITEMS:
        raise KyotenError(
            Bilingual(
                en=f"the file holds about {items:,} items; a plan holds at most "
                f"{MAX_PLAN_ITEMS:,} (a roster of up to {MAX_ROSTER:,} people)",
                ja=f"ファイルの項目数が約{items:,}件あります。計画の項目数は{MAX_PLAN_ITEMS:,}件"
                f"（名簿なら{MAX_ROSTER:,}人分）までです",
            ),
            location=source,
        )
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 (a safe loader)
    except (RecursionError, ValueError):
        # Nesting deeper than Python's stack, or an integer longer than Python converts.
        raise KyotenError(_TOO_DEEP_OR_LONG, location=source) from None
    except yaml.YAMLError as error:
        if "nesting depth" in str(getattr(error, "problem", "")):  # libyaml's own limit
            raise KyotenError(_TOO_DEEP_OR_LONG, location=source) from None
        mark = getattr(error, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        raise KyotenError(
            Bilingual(
                en="not valid YAML or JSON; a plan is a YAML or JSON file",
                ja="YAMLまたはJSONとして読み込めません。計画はYAMLかJSONで記述してください",
            ),
            location=where,
        ) from None
    return plan_from_data(data, source)


def load_plan(path: str | Path | bytes, name: str | None = None) -> Plan:
    """Load a plan from a file path, or from the bytes of an upload called ``name``.

    Raises:
        KyotenError: when the file cannot be read, is not UTF-8 text, or is not a valid plan.
    """
    source = name or (str(path) if not isinstance(path, bytes) else "plan")
    try:
        raw = path if isinstance(path, bytes) else Path(path).read_bytes()
    except OSError as error:
        raise KyotenError(
            Bilingual(
                en=f"cannot read the file ({error.strerror})",
                ja=f"ファイルを読み込めません（{error.strerror}）",
            ),
            location=source,
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KyotenError(
            Bilingual(
                en="not a text file in UTF-8; a plan is a YAML or JSON file",
                ja="UTF-8のテキストファイルではありません。計画はYAMLかJSONで記述してください",
            ),
            location=source,
        ) from None
    return parse_plan_text(text, source)


def plan_json_schema() -> dict[str, Any]:
    """The JSON Schema of a plan, as ``kyoten schema`` prints it."""
    return published_schema(Plan, "Kyoten plan")


def dump_schema() -> str:
    """The JSON Schema as indented JSON text."""
    return json.dumps(plan_json_schema(), ensure_ascii=False, indent=2)
