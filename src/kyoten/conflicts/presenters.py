"""A finding's evidence in words, in the page's language: each item a sentence, with the DOI
of a shared work to link."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kyoten.conflicts.models import Finding
from kyoten.text import listed
from kyoten.web.language import page_lang


@dataclass(frozen=True)
class EvidenceLine:
    text: str
    doi: str = ""
    how: str = ""  # how the person was recognised in it


def _span(item: dict[str, Any]) -> str:
    starts, ends = item.get("starts"), item.get("ends")
    if not starts and not ends:
        return _("dates not known")
    return f"{starts or '?'} – {ends or ''}".strip()


INSTITUTION_ROLES = {
    "host": lambda: _("the center's host institution"),
    "partner": lambda: _("the center's partner institution"),
    "satellite": lambda: _("the center's satellite"),
    "center": lambda: _("the center itself"),
}


ROLES = {"director": lambda: _("center director"), "pi": lambda: _("PI")}


def _written(item: dict[str, Any], field: str) -> str:
    """``field`` as written in the page's language where the source gave it (the Japanese
    under ``field``_ja; evidence found before it was kept has the English only)."""
    if page_lang() == "ja" and item.get(f"{field}_ja"):
        return str(item[f"{field}_ja"])
    return str(item.get(field) or "")


def _line(item: dict[str, Any]) -> EvidenceLine:
    how = (
        str(Finding.Identified(item["identified_by"]).label)
        if item.get("identified_by") in Finding.Identified.values
        else ""
    )
    kind = item.get("kind")
    if kind == "affiliation":
        where = listed(
            page_lang(),
            (x for x in (_written(item, "organisation"), _written(item, "position")) if x),
        )
        institution = INSTITUTION_ROLES.get(item.get("institution_role", ""))
        text = _("Affiliation: %(where)s (%(span)s), %(what)s; source: %(source)s") % {
            "where": where,
            "span": _span(item),
            "what": institution() if institution else "—",
            "source": item.get("source", ""),
        }
    elif kind == "role":
        role = ROLES.get(item.get("role", ""), lambda: _("member"))()
        text = _("%(role)s of the center: %(name)s (%(span)s); source: %(source)s") % {
            "role": role,
            "name": item.get("name", ""),
            "span": _span(item),
            "source": item.get("source", ""),
        }
    elif kind == "work":
        authors = item.get("authors", 0)
        text = ngettext(
            "Shared work %(doi)s (%(year)s, %(n)s author) with %(with)s, the person written “%(written)s”",
            "Shared work %(doi)s (%(year)s, %(n)s authors) with %(with)s, the person written “%(written)s”",
            authors if isinstance(authors, int) else 0,
        ) % {
            "doi": item.get("doi", ""),
            "year": item.get("year", "?"),
            "n": authors,
            "with": ", ".join(item.get("with", [])),
            "written": item.get("written", ""),
        }
        return EvidenceLine(text, str(item.get("doi", "")), how)
    elif kind == "declaration":
        text = _("Declaration of %(on)s by %(by)s: %(note)s") % {
            "on": item.get("on", "?"),
            "by": item.get("by") or "—",
            "note": item.get("note") or "—",
        }
    else:
        text = str(item)
    return EvidenceLine(text, "", how)


def evidence_lines(finding: Finding) -> list[EvidenceLine]:
    """The finding's evidence, each item a sentence (an item of an unknown shape is shown as
    stored: a page never fails for it)."""
    items = finding.evidence if isinstance(finding.evidence, list) else []
    return [_line(item) if isinstance(item, dict) else EvidenceLine(str(item)) for item in items]
