"""Plans checked against the rulebook: the same verdict as ``kyoten check``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kyoten.audit.context import recording
from kyoten.audit.models import by
from kyoten.program import evaluate, load_plan, load_program
from kyoten.program.table import column_title
from kyoten.program.verdict import STATUS_LABELS, Verdict
from kyoten.registry.models import Center, Plan
from kyoten.text import KyotenError, Lang


@dataclass(frozen=True)
class Checked:
    """A verdict ready for a page: the record, and its heading parts in one language."""

    record: dict[str, Any]
    track_title: str
    era_label: str


def check(content: bytes, name: str, lang: Lang) -> Checked:
    """Load and evaluate a plan. Raises KyotenError (bilingual) when the plan is invalid."""
    verdict = evaluate(load_plan(content, name), name=name)
    return present(verdict, lang)


def present(verdict: Verdict, lang: Lang) -> Checked:
    program = load_program(verdict.program)
    era = next(e for e in program.eras if e.id == verdict.era)
    record = verdict.to_dict(lang)
    for finding in record["findings"]:
        finding["status_label"] = STATUS_LABELS[finding["status"]].get(lang)
        finding["title_text"] = finding["title"][lang]
    return Checked(record, column_title(program, verdict.track_key, lang), era.label.get(lang))


def submit(center: Center, content: bytes, name: str, user: Any, lang: Lang) -> Checked:
    """Check a plan and, if it is valid, keep it as the center's latest plan."""
    checked = check(content, name, lang)
    with recording("plan.submitted", center, by=user, name=name):
        Plan.objects.create(
            center=center, name=name, content=content.decode("utf-8-sig"), **by(user)
        )
    return checked


def latest_verdict(center: Center, lang: Lang) -> tuple[Plan, Checked | str] | None:
    """The verdict on the center's latest plan, if it has one; when the stored plan no longer
    passes the check (the rulebook or the plan changed since), the error in ``lang`` instead."""
    plan = center.plans.order_by("-at", "-id").first()
    if plan is None:
        return None
    try:
        return plan, check(plan.content.encode("utf-8"), plan.name, lang)
    except KyotenError as error:
        return plan, error.localized(lang)
