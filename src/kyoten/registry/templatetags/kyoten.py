"""Filters that turn ids from the cores into translated labels."""

from django import template
from django.utils.translation import get_language

from kyoten.fiscal import format_fiscal_year
from kyoten.registry.labels import MILESTONES
from kyoten.registry.models import Mark

register = template.Library()


@register.filter
def milestone(kind: str) -> str:
    return str(MILESTONES.get(kind, kind))


@register.filter
def markname(mark: str) -> str:
    return str(dict(Mark.choices).get(mark, mark))


@register.filter
def fy(year: int) -> str:
    """A fiscal year the way the page's language writes it: FY2024 or 2024年度."""
    return format_fiscal_year(int(year), "nendo" if get_language() == "ja" else "fy")


@register.filter
def note(caveat: dict[str, str]) -> str:
    """A caveat's note in the page's language."""
    if get_language() == "ja":
        return caveat.get("note_ja") or caveat["note"]
    return caveat["note"]
