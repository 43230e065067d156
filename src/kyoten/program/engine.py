"""The engine: ``evaluate(plan) -> Verdict``, a finding per requirement with the nearest fix.

Arithmetic is exact (fractions, integer yen), so a plan exactly at a threshold — 30 of 100
researchers from abroad — meets it.

Example:
    >>> from kyoten.program.plan import Plan
    >>> plan = Plan.model_validate({
    ...     "track": "wpi", "fiscal_year": 2024,
    ...     "people": {"counts": {"pis": 8, "researchers": 100,
    ...                           "researchers_from_abroad": 28, "total_staff": 120}}})
    >>> print(evaluate(plan).finding("people.researchers_from_abroad").message.en)
    28 of 100 researchers (28.0%) come from abroad; at least 30% is required — 3 more researchers from abroad would meet it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from kyoten.fiscal import format_fiscal_year, format_yen, format_yen_ja
from kyoten.program.plan import (
    EXPENSE_CATEGORY_LABELS,
    RESEARCHER_CATEGORIES,
    STAFF_CATEGORIES,
    Plan,
)
from kyoten.program.rulebook import UNIT_COUNTERS_JA, Program, Requirement, RuleValue, load_program
from kyoten.program.verdict import Finding, Status, Verdict
from kyoten.text import Bilingual, KyotenError, format_percent

# --- measures: the facts a plan states, derived the same way for a roster or counts -----


@dataclass(frozen=True)
class Measures:
    """What the requirements read from a plan; None where the plan does not say."""

    values: dict[str, Any]

    @classmethod
    def of(cls, plan: Plan) -> Measures:
        values: dict[str, Any] = {
            "period.support_year": plan.support_year,
            "stage_gate.support_year": plan.support_year,
        }
        values.update({f"people.{k}": v for k, v in _people_measures(plan).items()})
        if plan.budget is not None:
            by_category: dict[str, int] = {}
            for line in plan.budget:
                if line.source == "wpi_grant":
                    by_category[line.category] = by_category.get(line.category, 0) + line.amount
            values["grant.wpi_by_category"] = by_category
            values["grant.wpi_total"] = sum(by_category.values())
        if plan.institutions:
            values["hosts.count"] = sum(1 for i in plan.institutions if i.role == "host")
            values["partners.overseas_organisation_level"] = sum(
                1
                for i in plan.institutions
                if i.role == "overseas_partner"
                and i.country != "JP"
                and i.organisation_level_agreement
            )
        if plan.language is not None:
            values["language"] = plan.language.model_dump()
        return cls(values)

    def get(self, name: str) -> Any:
        return self.values.get(name)


def _people_measures(plan: Plan) -> dict[str, int | None]:
    people = plan.people
    if people is None:
        return {}
    if people.counts is not None:
        return people.counts.model_dump()
    roster = people.roster or []
    researchers = [p for p in roster if p.category in RESEARCHER_CATEGORIES]
    postdocs = [p for p in roster if p.category == "postdoc"]
    flags = [p.international_recruitment for p in postdocs]
    return {
        "pis": sum(1 for p in roster if p.category == "pi"),
        "researchers": len(researchers),
        "researchers_from_abroad": sum(1 for p in researchers if p.from_abroad),
        "postdocs": len(postdocs),
        # Unknown for the whole roster if any postdoc's recruitment is not stated.
        "postdocs_international": None if None in flags else sum(1 for f in flags if f),
        "total_staff": sum(1 for p in roster if p.category in STAFF_CATEGORIES),
    }


# --- formatting helpers ------------------------------------------------------------------


def _amount(value: int, unit: str) -> Bilingual:
    """A number in its unit, in both languages."""
    if unit == "yen":
        return Bilingual(en=format_yen(value), ja=format_yen_ja(value))
    return Bilingual(en=f"{value:,}", ja=f"{value:,}{UNIT_COUNTERS_JA[unit]}")


@functools.cache
def _share(share: Fraction) -> str:
    """A threshold share, without decimals where it has none (30%)."""
    percent = share * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    return format_percent(share.numerator, share.denominator)


# --- judging each kind of requirement ----------------------------------------------------


@functools.cache
def _share_percent(share: Fraction) -> float:
    return float(share * 100)


@functools.cache
def _category_list(categories: tuple[str, ...]) -> Bilingual:
    """Expense categories named in both languages, e.g. for the eligible costs."""
    return Bilingual(
        en=", ".join(EXPENSE_CATEGORY_LABELS[c].en for c in categories),
        ja="・".join(EXPENSE_CATEGORY_LABELS[c].ja for c in categories),
    )


Judgement = tuple[Status, Bilingual, dict[str, Any], Any]


def _missing(req: Requirement, what: Bilingual) -> Judgement:
    return (
        "missing_data",
        Bilingual(
            en=f"The plan does not give {what.en}; add it to check this requirement.",
            ja=f"計画に{what.ja}の記載がありません。この要件を確認するには追記してください。",
        ),
        {},
        None,
    )


def _judge_minimum(req: Requirement, value: RuleValue, measures: Measures, plan: Plan) -> Judgement:
    actual = measures.get(req.measure)
    if actual is None:
        return _missing(req, req.noun)
    assert isinstance(value.min, int)
    minimum, guideline = value.min, value.guideline
    required: dict[str, Any] = {"min": minimum}
    if guideline is not None:
        required["guideline"] = guideline
    n, c = req.noun, UNIT_COUNTERS_JA[req.unit]
    if actual < minimum:
        gap = minimum - actual
        return (
            "not_met",
            Bilingual(
                en=f"{actual} {n.en}; at least {minimum} required — {gap} more would meet it.",
                ja=f"{n.ja}は{actual}{c}です。{minimum}{c}以上が必要です（あと{gap}{c}で満たします）。",
            ),
            required,
            actual,
        )
    if guideline is not None and actual < guideline:
        gap = guideline - actual
        return (
            "below_guideline",
            Bilingual(
                en=(
                    f"{actual} {n.en}: meets the minimum of {minimum} but is below the "
                    f"guideline of {guideline} — {gap} more would reach it."
                ),
                ja=(
                    f"{n.ja}は{actual}{c}で、最低{minimum}{c}は満たしていますが目安の"
                    f"{guideline}{c}に達していません（あと{gap}{c}で達します）。"
                ),
            ),
            required,
            actual,
        )
    return (
        "met",
        Bilingual(
            en=f"{actual} {n.en}: meets the minimum of {minimum}.",
            ja=f"{n.ja}は{actual}{c}で、最低{minimum}{c}を満たしています。",
        ),
        required,
        actual,
    )


def _judge_maximum(req: Requirement, value: RuleValue, measures: Measures, plan: Plan) -> Judgement:
    actual = measures.get(req.measure)
    if actual is None:
        return _missing(req, req.noun)
    assert value.max is not None
    maximum = value.max
    required: dict[str, Any] = {"max": maximum}
    extended = Bilingual(en="", ja="")
    if value.extension is not None:
        required["extension"] = value.extension
        if plan.extension_granted:
            maximum += value.extension
            extended = Bilingual(
                en=f" (with the {value.extension}-year extension)",
                ja=f"（{value.extension}年の延長を含む）",
            )
    n = req.noun
    shown, limit = _amount(actual, req.unit), _amount(maximum, req.unit)
    if req.unit == "year":
        if actual > maximum:
            return (
                "not_met",
                Bilingual(
                    en=(
                        f"This is support year {actual}, beyond the {maximum}-year support "
                        f"period{extended.en}: no WPI support is due."
                    ),
                    ja=(
                        f"支援{actual}年目であり、支援期間{maximum}年{extended.ja}を過ぎています。"
                        "WPIの支援対象外です。"
                    ),
                ),
                required,
                actual,
            )
        return (
            "met",
            Bilingual(
                en=f"Support year {actual} of {maximum}{extended.en}.",
                ja=f"支援期間{maximum}年{extended.ja}のうち{actual}年目です。",
            ),
            required,
            actual,
        )
    if actual > maximum:
        excess = _amount(actual - maximum, req.unit)
        return (
            "not_met",
            Bilingual(
                en=(
                    f"{n.en} of {shown.en} exceeds the cap of {limit.en} by {excess.en} — "
                    f"reduce it by {excess.en} or fund that part from other sources."
                ),
                ja=(
                    f"{n.ja}は{shown.ja}で、上限{limit.ja}を{excess.ja}超えています"
                    f"（{excess.ja}減らすか、他の財源で賄ってください）。"
                ),
            ),
            required,
            actual,
        )
    return (
        "met",
        Bilingual(
            en=f"{n.en} of {shown.en} is within the cap of {limit.en}.",
            ja=f"{n.ja}は{shown.ja}で、上限{limit.ja}以内です。",
        ),
        required,
        actual,
    )


def _judge_ratio(req: Requirement, value: RuleValue, measures: Measures, plan: Plan) -> Judgement:
    assert req.denominator is not None and req.denominator_noun is not None
    assert req.predicate is not None and isinstance(value.min, Fraction)
    part, whole = measures.get(req.measure), measures.get(req.denominator)
    if whole is None:
        return _missing(req, req.denominator_noun)
    if part is None:
        return _missing(req, req.noun)
    minimum = value.min
    required = {"min_share": str(minimum), "min_percent": _share_percent(minimum)}
    n, d, p = req.noun, req.denominator_noun, req.predicate
    if whole == 0:
        return (
            "not_applicable",
            Bilingual(
                en=f"The plan has no {d.en}, so there is no share to check.",
                ja=f"計画に{d.ja}がいないため、割合の確認は対象外です。",
            ),
            required,
            {"count": part, "of": whole},
        )
    actual = {"count": part, "of": whole, "percent": 100 * part / whole}
    shown = format_percent(part, whole)
    base = Bilingual(
        en=f"{part} of {whole} {d.en} ({shown}) {p.en}",
        ja=f"{d.ja}{whole}人中{part}人（{shown}）{p.ja}",
    )
    num, den = minimum.numerator, minimum.denominator
    if part * den >= num * whole:  # part / whole >= minimum, in integers
        return (
            "met",
            Bilingual(
                en=f"{base.en}; at least {_share(minimum)} is required.",
                ja=f"{base.ja}。{_share(minimum)}以上が必要で、満たしています。",
            ),
            required,
            actual,
        )
    if minimum == 1:
        short = whole - part
        fix = Bilingual(
            en=f"all of them must; {short} do not",
            ja=f"全員である必要があり、{short}人が該当しません",
        )
    else:
        # Adding k people who count also adds them to the whole: (part + k) / (whole + k).
        more = -((den * part - num * whole) // (den - num))  # ceiling division
        fix = Bilingual(
            en=f"{more} more {n.en} would meet it", ja=f"{n.ja}があと{more}人いれば満たします"
        )
    return (
        "not_met",
        Bilingual(
            en=f"{base.en}; at least {_share(minimum)} is required — {fix.en}.",
            ja=f"{base.ja}。{_share(minimum)}以上が必要です（{fix.ja}）。",
        ),
        required,
        actual,
    )


def _judge_flags(req: Requirement, value: RuleValue, measures: Measures, plan: Plan) -> Judgement:
    stated = measures.get(req.measure) or {}
    labels = dict(req.flags)
    required = {"all_of": list(labels)}
    unknown = [key for key in labels if stated.get(key) is None]
    if unknown:
        what = Bilingual(
            en=", ".join(labels[k].en for k in unknown), ja="、".join(labels[k].ja for k in unknown)
        )
        status, message, _, _ = _missing(req, what)
        return status, message, required, stated
    lacking = [key for key in labels if not stated[key]]
    if lacking:
        what = Bilingual(
            en="; ".join(labels[k].en for k in lacking), ja="、".join(labels[k].ja for k in lacking)
        )
        return (
            "not_met",
            Bilingual(
                en=f"Not yet in place: {what.en}. Each is required.",
                ja=f"次が整っていません：{what.ja}。いずれも必須です。",
            ),
            required,
            stated,
        )
    return (
        "met",
        Bilingual(
            en=f"In place: {'; '.join(t.en for t in labels.values())}.",
            ja=f"整っています：{'、'.join(t.ja for t in labels.values())}。",
        ),
        required,
        stated,
    )


def _judge_categories(
    req: Requirement, value: RuleValue, measures: Measures, plan: Plan
) -> Judgement:
    spent = measures.get(req.measure)
    if spent is None:
        return _missing(req, Bilingual(en="a budget", ja="予算"))
    assert value.allowed is not None
    allowed = value.allowed
    required = {"allowed": list(allowed)}
    eligible = _category_list(allowed)
    wrong = {c: amount for c, amount in spent.items() if c not in allowed and amount > 0}
    if not wrong:
        return (
            "met",
            Bilingual(
                en=f"The {req.noun.en} pays only eligible costs ({eligible.en}).",
                ja=f"{req.noun.ja}は対象経費（{eligible.ja}）のみに充てられています。",
            ),
            required,
            spent,
        )
    parts = [(EXPENSE_CATEGORY_LABELS[c], _amount(a, "yen")) for c, a in sorted(wrong.items())]
    return (
        "not_met",
        Bilingual(
            en=(
                f"Of the {req.noun.en}, "
                f"{' and '.join(f'{a.en} for {label.en}' for label, a in parts)} is not "
                f"eligible — move it to another funding source (eligible: {eligible.en})."
            ),
            ja=(
                f"{req.noun.ja}のうち{'、'.join(f'{label.ja}{a.ja}' for label, a in parts)}は"
                f"対象外です。他の財源に移してください（対象経費：{eligible.ja}）。"
            ),
        ),
        required,
        spent,
    )


def _judge_range(req: Requirement, value: RuleValue, measures: Measures, plan: Plan) -> Judgement:
    actual = measures.get(req.measure)
    if actual is None:
        return _missing(req, req.noun)
    assert isinstance(value.min, int) and value.max is not None
    low, high, usual = value.min, value.max, value.guideline
    required: dict[str, Any] = {"min": low, "max": high}
    if usual is not None:
        required["guideline"] = usual
    n, c = req.noun, UNIT_COUNTERS_JA[req.unit]
    span = Bilingual(
        en=f"exactly {low}" if low == high else f"{low} to {high}",
        ja=f"{low}{c}" if low == high else f"{low}〜{high}{c}",
    )
    if not low <= actual <= high:
        change = Bilingual(
            en=f"add {low - actual}" if actual < low else f"remove {actual - high}",
            ja=f"{low - actual}{c}追加" if actual < low else f"{actual - high}{c}削減",
        )
        return (
            "not_met",
            Bilingual(
                en=f"{actual} {n.en}; {span.en} required — {change.en}.",
                ja=f"{n.ja}は{actual}{c}です。{span.ja}である必要があります（{change.ja}してください）。",
            ),
            required,
            actual,
        )
    if usual is not None and actual > usual:
        return (
            "below_guideline",
            Bilingual(
                en=f"{actual} {n.en}: allowed (at most {high}), but {usual} is the norm in principle.",
                ja=f"{n.ja}は{actual}{c}で、上限{high}{c}以内ですが、原則は{usual}{c}です。",
            ),
            required,
            actual,
        )
    return (
        "met",
        Bilingual(
            en=f"{n.en.capitalize()}: {actual}; {span.en} required.",
            ja=f"{n.ja}は{actual}{c}で、要件（{span.ja}）を満たしています。",
        ),
        required,
        actual,
    )


def _judge_deadline(
    req: Requirement, value: RuleValue, measures: Measures, plan: Plan
) -> Judgement:
    assert value.by_support_year is not None and plan.selection_fiscal_year is not None
    due_year = value.by_support_year
    due_fy = plan.selection_fiscal_year + due_year - 1
    due = f"{format_fiscal_year(due_fy)}"
    required: dict[str, Any] = {"by_support_year": due_year, "by_fiscal_year": due_fy}
    passed = plan.stage_gate_passed_fiscal_year
    n = req.noun
    if passed is not None:
        passed_year = passed - plan.selection_fiscal_year + 1
        actual: dict[str, Any] = {"passed_fiscal_year": passed, "passed_support_year": passed_year}
        if passed_year > due_year:
            return (
                "not_met",
                Bilingual(
                    en=f"The {n.en} was passed in support year {passed_year}, after the "
                    f"deadline of year {due_year} ({due}).",
                    ja=f"{n.ja}の通過は支援{passed_year}年目で、期限（{due_year}年目、{due}）を過ぎています。",
                ),
                required,
                actual,
            )
        return (
            "met",
            Bilingual(
                en=f"The {n.en} was passed in {format_fiscal_year(passed)} (support year "
                f"{passed_year}), within year {due_year}; the higher cap applies from the next "
                "fiscal year.",
                ja=f"{n.ja}は{passed}年度（支援{passed_year}年目）に通過し、期限の{due_year}年目以内です。"
                "翌年度から上限額が引き上げられます。",
            ),
            required,
            actual,
        )
    year = measures.get(req.measure)
    actual = {"support_year": year, "passed_fiscal_year": None}
    if plan.core_stage == "after_step_up":
        return (
            "met",
            Bilingual(
                en=f"The plan states the center has stepped up, so the {n.en} was passed; "
                "give stage_gate_passed_fiscal_year to check it was on time.",
                ja=f"計画はステップアップ後としているため{n.ja}は通過済みです。期限内かを確認するには"
                "stage_gate_passed_fiscal_year を記入してください。",
            ),
            required,
            actual,
        )
    if year > due_year:
        return (
            "not_met",
            Bilingual(
                en=f"The {n.en} was due by support year {due_year} ({due}); this is year {year} "
                "and it has not been passed.",
                ja=f"{n.ja}の期限は支援{due_year}年目（{due}）ですが、{year}年目の現在まで通過していません。",
            ),
            required,
            actual,
        )
    remaining = due_year - year
    when = Bilingual(
        en="it is due this year" if remaining == 0 else f"{remaining} year(s) remain",
        ja="今年度が期限です" if remaining == 0 else f"残り{remaining}年です",
    )
    return (
        "met",
        Bilingual(
            en=f"The {n.en} is due by support year {due_year} ({due}); this is year {year}: {when.en}.",
            ja=f"{n.ja}の期限は支援{due_year}年目（{due}）です。現在{year}年目で、{when.ja}。",
        ),
        required,
        actual,
    )


_JUDGES: dict[str, Callable[[Requirement, RuleValue, Measures, Plan], Judgement]] = {
    "minimum": _judge_minimum,
    "maximum": _judge_maximum,
    "ratio_minimum": _judge_ratio,
    "required_flag": _judge_flags,
    "allowed_categories": _judge_categories,
    "count_range": _judge_range,
    "deadline": _judge_deadline,
}


@functools.cache
def _applicable(
    program: Program, era_id: str, track_key: str
) -> tuple[tuple[Requirement, RuleValue | None], ...]:
    """Each requirement with its value for an era and track (None: not applicable)."""
    return tuple((req, req.value_for(era_id, track_key)) for req in program.requirements)


@functools.cache
def _not_applicable(req: Requirement, program: Program, track_key: str, era_id: str) -> Finding:
    track = program.track(track_key.split(".", 1)[0])
    era = next(e for e in program.eras if e.id == era_id)
    return Finding(
        requirement=req,
        status="not_applicable",
        message=Bilingual(
            en=f"Does not apply to {track.title.en} ({era.label.en}).",
            ja=f"{track.title.ja}（{era.label.ja}）には適用されません。",
        ),
    )


def evaluate(plan: Plan, name: str = "plan", program: Program | None = None) -> Verdict:
    """Check ``plan`` against its program's rulebook: one finding per requirement.

    Raises:
        KyotenError: when the plan's track did not exist in its selection era.
    """
    program = program or load_program(plan.program)
    assert plan.selection_fiscal_year is not None and plan.support_year is not None
    era = program.era_for(plan.selection_fiscal_year)
    track = program.track(plan.track)
    era_ids = [e.id for e in program.eras]
    if era_ids.index(era.id) < era_ids.index(track.first_era):
        first = next(e for e in program.eras if e.id == track.first_era)
        raise KyotenError(
            Bilingual(
                en=f"{track.title.en} exists only from {first.label.en} (FY{first.selection_from})",
                ja=f"{track.title.ja}は{first.label.ja}（{first.selection_from}年度）からの区分です",
            ),
            location=f"{name}: track",
            value=plan.track,
        )
    key = program.track_key(
        plan.track, plan.fiscal_year, plan.stage_gate_passed_fiscal_year, plan.core_stage
    )
    measures = Measures.of(plan)
    findings = []
    for req, value in _applicable(program, era.id, key):
        if value is None:
            findings.append(_not_applicable(req, program, key, era.id))
            continue
        status, message, required, actual = _JUDGES[req.kind](req, value, measures, plan)
        if status == "not_met" and req.severity == "guideline":
            status = "below_guideline"
        findings.append(Finding(req, status, message, value, required, actual))
    return Verdict(
        name=name,
        program=program.id,
        track=plan.track,
        track_key=key,
        era=era.id,
        fiscal_year=plan.fiscal_year,
        support_year=plan.support_year,
        findings=tuple(findings),
    )
