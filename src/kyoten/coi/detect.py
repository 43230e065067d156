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
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from kyoten.coi import Rule, RuleSet, Status
from kyoten.coi.names import NameKey, fold_japanese, fold_word, person_keys, written_key
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
    the registry (its key), an organisation with a ROR id, or one by name only (in English,
    in Japanese, or both)."""

    name: str
    source: str
    institution: str | None = None
    center: str | None = None
    ror: str | None = None
    position: str = ""
    span: Span = Span()
    name_ja: str = ""
    position_ja: str = ""


@dataclass(frozen=True)
class Person:
    """A person to check: ``names`` is (family, given) in English, then optionally (family,
    given) in Japanese."""

    id: str
    names: tuple[str, ...]
    orcid: str | None = None
    openalex: str | None = None
    affiliations: tuple[Affiliation, ...] = ()

    @functools.cached_property
    def name_keys(self) -> list[NameKey]:
        return person_keys(*self.names)

    @functools.cached_property
    def family_tokens(self) -> frozenset[str]:
        """The family name's folded words (Latin) or characters (Japanese): what the index
        looks a written name up by."""
        family_en, family_ja = self.names[0], (self.names[2] if len(self.names) > 2 else "")
        tokens = {fold_word(w) for w in family_en.split()} | {fold_japanese(family_ja)}
        return frozenset(t for t in tokens if t)

    def named(self, written: str | NameKey) -> bool:
        """Whether ``written`` may be this person's name."""
        key = written_key(written) if isinstance(written, str) else written
        return bool(key) and any(k.compatible(key) for k in self.name_keys)


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
    folded = {key for name in (affiliation.name, affiliation.name_ja) if (key := _org(name))}
    for institution in center.institutions:
        if any(_org(name) in folded for name in institution.names):
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
                        "organisation_ja": affiliation.name_ja,
                        "position": affiliation.position,
                        "position_ja": affiliation.position_ja,
                        "institution_role": institution.role if institution else "center",
                        **affiliation.span.as_dict(),
                        "source": affiliation.source,
                    },
                )


def _same(member: Member | Author, person: Person, key: NameKey | None = None) -> Identified | None:
    """How ``member`` (as a source writes them; ``key``: their name's key, if computed) is
    ``person``; None if not, or if their identifiers say they are two people."""
    if member.orcid and person.orcid:
        return "orcid" if member.orcid == person.orcid else None
    if member.openalex and person.openalex:
        return "openalex" if member.openalex == person.openalex else None
    return "name" if person.named(key or member.name) else None


class _Index:
    """The persons to check, looked up by ORCID iD, OpenAlex id and their family names, so
    that recognising one written name costs only the few persons sharing its family name
    (detection stays linear in the authors read, whatever the pool's size)."""

    def __init__(self, persons: Sequence[Person]) -> None:
        self.by_orcid = {p.orcid: p for p in persons if p.orcid}
        self.by_openalex = {p.openalex: p for p in persons if p.openalex}
        self.by_family: dict[str, list[Person]] = {}
        for person in persons:
            for token in person.family_tokens:
                self.by_family.setdefault(token, []).append(person)

    def matches(self, who: Member | Author) -> list[tuple[Person, Identified]]:
        """The persons ``who`` may be, each with how they were recognised."""
        candidates: dict[str, Person] = {}
        for found in (self.by_orcid.get(who.orcid or ""), self.by_openalex.get(who.openalex or "")):
            if found is not None:
                candidates[found.id] = found
        key = written_key(who.name)
        if key.japanese:  # the family name is the written name's start
            tokens = {t for t in self.by_family if key.japanese.startswith(t)}
        else:
            tokens = set(key.words)
        for token in tokens:
            for person in self.by_family.get(token, []):
                candidates.setdefault(person.id, person)
        return [
            (person, how)
            for person in candidates.values()
            if (how := _same(who, person, key)) is not None
        ]


def _roles(
    rules: RuleSet, day: datetime.date, people: _Index, centers: Sequence[Center],
    found: _Collector,
) -> None:  # fmt: skip
    rule = rules.rule("center_role")
    since = rule.window_start(day)
    for center in centers:
        for member in center.members:
            if not member.span.reaches(since, day):
                continue
            for person, how in people.matches(member):
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


def _members_by_id(center: Center) -> dict[str, Member]:
    """The center's members by ORCID iD and OpenAlex id (how a member is recognised on a
    work: a name alone would tie every namesake to the center)."""
    found: dict[str, Member] = {}
    for member in center.members:
        for identifier in (member.orcid, member.openalex):
            if identifier:
                found.setdefault(identifier, member)
    return found


def _member_on(author: Author, members: dict[str, Member]) -> Member | None:
    """The member ``author`` is, by ORCID iD (which settles it) or OpenAlex id."""
    if author.orcid and author.orcid in members:
        return members[author.orcid]
    if author.openalex and author.openalex in members:
        member = members[author.openalex]
        return member if not (author.orcid and member.orcid) else None
    return None


def _works(
    rules: RuleSet, day: datetime.date, people: _Index, centers: Sequence[Center],
    works: Sequence[Work], found: _Collector,
) -> None:  # fmt: skip
    """Co-authorship with a center's member: a member recognised on a work by an identifier,
    the person by an identifier or their name."""
    coauthor, consortium = rules.rule("coauthorship"), rules.rule("consortium_coauthorship")
    members_of = [(center, _members_by_id(center)) for center in centers]
    for work in works:
        large = work.authors_total > rules.consortium_authors_over
        rule = consortium if large else coauthor
        since = rule.window_start(day)
        if since is not None and work.year < since.year:
            continue
        for center, by_id in members_of:
            on_work = [(a, m) for a in work.authors if (m := _member_on(a, by_id))]
            if not on_work:
                continue
            names = sorted({m.name for _, m in on_work})
            seen: set[str] = set()
            for author in work.authors:
                if any(a is author for a, _ in on_work):
                    continue
                for person, how in people.matches(author):
                    if person.id in seen:
                        continue
                    seen.add(person.id)
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
    people = _Index(persons)
    _affiliations(rules, day, persons, centers, found)
    _roles(rules, day, people, centers, found)
    _works(rules, day, people, centers, works, found)
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
