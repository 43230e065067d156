"""Filters that turn ids from the cores into translated labels."""

import datetime

from django import template
from django.utils.translation import get_language

from kyoten.fiscal import format_fiscal_year
from kyoten.registry.labels import MILESTONES
from kyoten.registry.models import Institution, InstitutionName, Mark
from kyoten.sources import Citation, cite
from kyoten.text import Bilingual, aside, colon, listed, sentence_gap, separator
from kyoten.web.language import page_lang

register = template.Library()


@register.simple_tag(name="colon")
def colon_tag() -> str:
    """What follows a label before its value, as the page's language writes it."""
    return colon(page_lang())


@register.simple_tag(name="aside")
def aside_tag(text: object) -> str:
    """``text`` in brackets after what it qualifies: （…） on a Japanese page, " (…)" else."""
    return aside(page_lang(), "" if text is None else str(text))


@register.simple_tag(name="listed")
def listed_tag(*items: str) -> str:
    """``items`` one after another, as the page's language separates them (empty ones left
    out)."""
    return listed(page_lang(), [str(item) for item in items if item])


@register.simple_tag(name="separator")
def separator_tag() -> str:
    """What stands between the items of a list a template writes out one by one."""
    return separator(page_lang())


@register.simple_tag(name="gap")
def gap_tag() -> str:
    """What stands between two sentences written apart in a template."""
    return sentence_gap(page_lang())


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


@register.filter
def name_on(institution: Institution, day: datetime.date) -> str:
    """The institution's name on the page's day, in the page's language."""
    return institution.name_on(day)


@register.filter
def renames_by(institution: Institution, day: datetime.date) -> list[InstitutionName]:
    """Its later names in effect by the page's day (each with its note and sources)."""
    return institution.renames_by(day)


@register.filter
def former_names(institution: Institution, day: datetime.date) -> list[tuple[str, datetime.date]]:
    """The names it had before the one of the page's day, each with the last day it held."""
    return institution.former_names(day)


@register.filter
def citations(sources: list[str]) -> list[Citation]:
    """Each source of a record with its publisher, for ``citation.html``."""
    return [cite(str(source)) for source in sources]


@register.filter
def localized(text: Bilingual) -> str:
    """A bilingual text in the page's language."""
    return text.get(page_lang())
