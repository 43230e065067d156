"""Finding conflicts of interest in the data Kyoten holds.

Given the persons to check (experts, committee members), the centers with their institutions
and the people who hold roles at them (director and PIs, from the registry and the accepted
annual reports), the publications that name any of those people, and the declarations,
:func:`detect` gives a :class:`Finding` per rule, person and center, each with its evidence.

How sure a finding is depends on how the person was identified: by the registry's own link
(an affiliation to an institution or center of the registry), a ROR id, an ORCID iD or an
OpenAlex author id — or by a name alone. A finding of a rule whose effect is ``exclude``
identified without a name match is ``confirmed`` at once (the PD/PO may still waive it, with
the reason); every other finding is ``potential`` until the PD/PO decides — a match on a name
alone is never more than potential. A declaration is the person's word: ``confirmed``. A rule
whose effect is ``disclose`` gives ``noted`` findings: recorded, never a conflict.

Example:
    >>> from kyoten.coi import load_rules
    >>> rules = load_rules().version_for(datetime.date(2026, 12, 7))
    >>> tohoku = Institution(key="tohoku", ror="01dq60k83", names=("Tohoku University",))
    >>> kotani = Person("p1", ("Kotani", "Motoko", "小谷", "元子"), affiliations=(
    ...     Affiliation(institution="tohoku", name="Tohoku University", source="committee list"),))
    >>> aimr = Center("aimr", "AIMR", institutions=(tohoku,))
    >>> [(f.rule, f.person, f.center, f.status, f.identified_by)
    ...  for f in detect(rules, datetime.date(2026, 12, 7), [kotani], [aimr])]
    [('institution', 'p1', 'aimr', 'confirmed', 'registry')]
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from kyoten.coi import Rule, RuleSet, Status
from kyoten.coi.names import NameKey, person_keys, written_key
from kyoten.identifiers import normalise_ror

# How a person was recognised in a piece of evidence, strongest first.
Identified = Literal["declaration", "registry", "orcid", "openalex", "ror", "name"]
STRENGTH: tuple[Identified, ...] = ("declaration", "registry", "orcid", "openalex", "ror", "name")


@dataclass(frozen=True)
class Span:
    """When a relation held: from ``starts`` until ``ends`` (the first day it no longer
    does); either may be unknown."""

    starts: datetime.date | None = None
    ends: datetime.date | None = None

    def reaches(self, since: datetime.date | None, day: datetime.date) -> bool:
        """Whether the relation held on some day from ``since`` (None: ever) to ``day``."""
        if self.starts is not None and self.starts > day:
            return False
        return since is None or self.ends is None or self.ends > since

    def as_dict(self) -> dict[str, str | None]:
        return {
            "starts": self.starts.isoformat() if self.starts else None,
            "ends": self.ends.isoformat() if self.ends else None,
        }


@dataclass(frozen=True)
class Affiliation:
    """Where a person works or worked: an institution of the registry (its key), a center of
    the registry (its key), an organisation with a ROR id, or one by name only."""

    name: str
    source: str
    institution: str | None = None
    center: str | None = None
    ror: str | None = None
    position: str = ""
    span: Span = Span()


@dataclass(frozen=True)
class Person:
    """A person to check: ``names`` is (family, given) in English, then optionally (family,
    given) in Japanese."""

    id: str
    names: tuple[str, ...]
    orcid: str | None = None
    openalex: str | None = None
    affiliations: tuple[Affiliation, ...] = ()

    def keys(self) -> list[NameKey]:
        return person_keys(*self.names)

    def named(self, written: str) -> bool:
        """Whether ``written`` may be this person's name."""
        key = written_key(written)
        return bool(key) and any(k.compatible(key) for k in self.keys())


@dataclass(frozen=True)
class Institution:
    """An institution of a center (host, partner, satellite): its registry key, ROR id and
    the names it is or was known by."""

    key: str
    names: tuple[str, ...]
    ror: str | None = None
    role: str = "host"


@dataclass(frozen=True)
class Member:
    """Someone with a role at a center as a source names them (the registry's director, an
    annual report's PI), with their ORCID iD if the source gives it."""

    role: str
    name: str
    source: str
    orcid: str | None = None
    openalex: str | None = None
    span: Span = Span()


@dataclass(frozen=True)
class Center:
    key: str
    name: str
    institutions: tuple[Institution, ...] = ()
    members: tuple[Member, ...] = ()


@dataclass(frozen=True)
class Author:
    """An author of a work as the publication data gives them."""

    name: str
    orcid: str | None = None
    openalex: str | None = None


@dataclass(frozen=True)
class Work:
    doi: str
    year: int
    authors_total: int
    authors: tuple[Author, ...]


@dataclass(frozen=True)
class Declaration:
    """A conflict the person declared (or the office recorded on their word), or their
    statement of none (rule ``no_conflict_statement``)."""

    person: str
    center: str
    rule: str
    note: str
    day: datetime.date
    by: str


@dataclass
class Finding:
    """A rule, a person, a center, how the person was identified and the evidence."""

    rule: str
    person: str
    center: str
    status: Status
    identified_by: Identified
    evidence: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.rule, self.person, self.center)


def _strongest(ways: Iterable[Identified]) -> Identified:
    return min(ways, key=STRENGTH.index)


def _status(rule: Rule, identified_by: Identified) -> Status:
    if rule.effect == "disclose":
        return "noted"
    if identified_by == "declaration":
        return "confirmed"
    if rule.effect == "exclude" and identified_by != "name":
        return "confirmed"
    return "potential"


class _Collector:
    """Evidence gathered per (rule, person, center), then turned into findings."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.found: dict[tuple[str, str, str], list[tuple[Identified, dict[str, Any]]]] = {}

    def add(
        self, rule: str, person: str, center: str, how: Identified, evidence: dict[str, Any]
    ) -> None:
        self.found.setdefault((rule, person, center), []).append((how, evidence))

    def findings(self) -> list[Finding]:
        result = []
        for (rule_id, person, center), items in sorted(self.found.items()):
            how = _strongest(h for h, _ in items)
            rule = self.rules.rule(rule_id)
            evidence = [{**e, "identified_by": h} for h, e in items]
            evidence.sort(key=lambda e: str(sorted(e.items())))
            result.append(Finding(rule_id, person, center, _status(rule, how), how, evidence))
        return result


def _affiliation_match(
    affiliation: Affiliation, center: Center
) -> tuple[Identified, Institution | None] | None:
    """How ``affiliation`` is one of the center's institutions (or the center itself)."""
    if affiliation.center == center.key:
        return "registry", None
    for institution in center.institutions:
        if affiliation.institution and affiliation.institution == institution.key:
            return "registry", institution
        if (
            affiliation.ror
            and institution.ror
            and (normalise_ror(affiliation.ror) == normalise_ror(institution.ror))
        ):
            return "ror", institution
    if affiliation.institution or affiliation.ror:
        return None  # identified as another organisation
    folded = _org(affiliation.name)
    for institution in center.institutions:
        if folded and any(folded == _org(name) for name in institution.names):
            return "name", institution
    return None


def _org(name: str) -> str:
    """An organisation's name folded for comparison (case, width, accents, punctuation)."""
    key = written_key(name)
    return key.japanese or " ".join(sorted(key.words))


def _affiliations(
    rules: RuleSet, day: datetime.date, persons: Sequence[Person], centers: Sequence[Center],
    found: _Collector,
) -> None:  # fmt: skip
    institution_rule, role_rule = rules.rule("institution"), rules.rule("center_role")
    for person in persons:
        for affiliation in person.affiliations:
            for center in centers:
                match = _affiliation_match(affiliation, center)
                if match is None:
                    continue
                how, institution = match
                rule = role_rule if institution is None else institution_rule
                if not affiliation.span.reaches(rule.window_start(day), day):
                    continue
                found.add(
                    rule.id,
                    person.id,
                    center.key,
                    how,
                    {
                        "kind": "affiliation",
                        "organisation": affiliation.name,
                        "position": affiliation.position,
                        "institution_role": institution.role if institution else "center",
                        **affiliation.span.as_dict(),
                        "source": affiliation.source,
                    },
                )


def _same(member: Member | Author, person: Person) -> Identified | None:
    """How ``member`` (as a source writes them) is ``person``; None if not, or if their
    identifiers say they are two people."""
    if member.orcid and person.orcid:
        return "orcid" if member.orcid == person.orcid else None
    if member.openalex and person.openalex:
        return "openalex" if member.openalex == person.openalex else None
    return "name" if person.named(member.name) else None


def _roles(
    rules: RuleSet, day: datetime.date, persons: Sequence[Person], centers: Sequence[Center],
    found: _Collector,
) -> None:  # fmt: skip
    rule = rules.rule("center_role")
    since = rule.window_start(day)
    for center in centers:
        for member in center.members:
            if not member.span.reaches(since, day):
                continue
            for person in persons:
                how = _same(member, person)
                if how is not None:
                    found.add(
                        rule.id,
                        person.id,
                        center.key,
                        how,
                        {
                            "kind": "role",
                            "role": member.role,
                            "name": member.name,
                            **member.span.as_dict(),
                            "source": member.source,
                        },
                    )


def _member_of(author: Author, center: Center) -> Member | None:
    for member in center.members:
        if author.orcid and member.orcid:
            same = author.orcid == member.orcid
        else:
            same = bool(author.openalex) and author.openalex == member.openalex
        if same:
            return member
    return None


def _works(
    rules: RuleSet, day: datetime.date, persons: Sequence[Person], centers: Sequence[Center],
    works: Sequence[Work], found: _Collector,
) -> None:  # fmt: skip
    """Co-authorship with a center's member: a member is recognised on a work by an
    identifier (ORCID iD or OpenAlex id; a name alone would tie every namesake to the
    center), the person by an identifier or their name."""
    coauthor, consortium = rules.rule("coauthorship"), rules.rule("consortium_coauthorship")
    for work in works:
        large = work.authors_total > rules.consortium_authors_over
        rule = consortium if large else coauthor
        since = rule.window_start(day)
        if since is not None and work.year < since.year:
            continue
        for center in centers:
            members = [(a, m) for a in work.authors if (m := _member_of(a, center))]
            if not members:
                continue
            for person in persons:
                for author in work.authors:
                    how = _same(author, person)
                    if how is None or any(a == author for a, _ in members):
                        continue
                    names = sorted({m.name for _, m in members})
                    found.add(
                        rule.id,
                        person.id,
                        center.key,
                        how,
                        {
                            "kind": "work",
                            "doi": work.doi,
                            "year": work.year,
                            "authors": work.authors_total,
                            "with": names,
                            "written": author.name,
                        },
                    )
                    break


def detect(
    rules: RuleSet,
    day: datetime.date,
    persons: Sequence[Person],
    centers: Sequence[Center],
    works: Sequence[Work] = (),
    declarations: Sequence[Declaration] = (),
) -> list[Finding]:
    """Every finding on ``day`` under ``rules``, sorted by rule, person and center (see the
    module docstring). A person is never found conflicted by their own role evidence with a
    center they are not linked to: each piece of evidence names the center it ties them to."""
    found = _Collector(rules)
    _affiliations(rules, day, persons, centers, found)
    _roles(rules, day, persons, centers, found)
    _works(rules, day, persons, centers, works, found)
    for declaration in declarations:
        rule = rules.rule(declaration.rule)
        found.add(
            rule.id,
            declaration.person,
            declaration.center,
            "declaration",
            {
                "kind": "declaration",
                "note": declaration.note,
                "on": declaration.day.isoformat(),
                "by": declaration.by,
            },
        )
    return found.findings()
