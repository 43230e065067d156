"""Persons from the annual reports: a center's PIs, joined by their ORCID iD.

When a report is accepted, each PI of its roster with an ORCID iD becomes a person (or is
found as one), with an affiliation to the center for the roster's period; nationality and
whether they count as from abroad are the report's. A PI without an ORCID iD is not joined:
names alone do not tell two people apart. A roster gives a person's name in one field, so
the family and given names of a new person are split from it — marked as an inference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kyoten.people.models import Affiliation, Person
from kyoten.registry.reference import split_name
from kyoten.reports import AnnualReport as ReportData

# Han, kana: a name written in Japanese (family name first)
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
NAME_SPLIT = {
    "mark": "INFERENCE",
    "note": "Family and given names split from the report's single name field.",
    "note_ja": "報告書の氏名欄（1欄）から姓と名を分けています。",
}


@dataclass(frozen=True)
class Joined:
    persons: int  # PIs with an ORCID iD, each now a person
    new: int  # of them, persons the registry did not hold
    without_orcid: int  # PIs left out


def _new_person(name: str, orcid: str) -> Person:
    if JAPANESE.search(name):
        family, given = split_name(name, None, "ja")
        names = {"family_name_ja": family, "given_name_ja": given, "family_name_en": family}
        fields = ["family_name_ja", "given_name_ja"]
    else:
        family, given = split_name(name, None, "en")
        names = {"family_name_en": family, "given_name_en": given}
        fields = ["family_name_en", "given_name_en"]
    caveats = [{"field": field, **NAME_SPLIT} for field in fields]
    return Person(orcid=orcid, caveats=caveats, **names)


def join_pis(center: Any, report: ReportData, source: str) -> Joined:
    """Make the PIs of ``report`` (accepted for ``center``) persons, as :mod:`this module
    <kyoten.people.services>` says; ``source`` names the report version."""
    host = next(iter(center.hosts), None)
    joined = new = without = 0
    for row in report.roster:
        if not row.is_pi:
            continue
        if row.orcid is None:
            without += 1
            continue
        person = Person.objects.filter(orcid=row.orcid).first()
        if person is None:
            person, new = _new_person(row.name, row.orcid), new + 1
        person.nationality = row.nationality or person.nationality
        person.from_abroad = row.from_abroad
        person.sources = list(dict.fromkeys([*person.sources, source]))
        person.save()
        Affiliation.objects.update_or_create(
            person=person,
            center=center,
            starts=row.start_date,
            defaults={
                "institution": host,
                "position_en": "PI",
                "position_ja": "主任研究者",
                "ends": row.end_date,
                "sources": [source],
            },
        )
        joined += 1
    return Joined(joined, new, without)
