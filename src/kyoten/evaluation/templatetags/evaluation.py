"""Template filters of the evaluation pages: labels from the cycle data, in the page's
language, and the marks of what no source confirms."""

from __future__ import annotations

from django import template

from kyoten.evaluation import services
from kyoten.program.verdict import STATUS_LABELS
from kyoten.web.language import page_lang

register = template.Library()


@register.filter
def finding_status(status: str) -> str:
    label = STATUS_LABELS.get(status)  # type: ignore[call-overload]
    return label.get(page_lang()) if label else status


@register.filter
def grade_unconfirmed(grade: str) -> bool:
    """Whether no source confirms the grade (every grade but S, today)."""
    return any(g.id == grade and g.unconfirmed for g in services.data().rating_scale.grades)


@register.filter
def in_page_language(text: object) -> str:
    """A text of the cycle data (``en`` and ``ja``) in the page's language."""
    return text.get(page_lang())  # type: ignore[attr-defined]
