"""Conflict-of-interest rules and detection (kyoten.coi), on generated data with known answers."""

import dataclasses
import datetime
import random

import pytest

from kyoten.coi import load_rules, parse_rules
from kyoten.coi.detect import (
    Affiliation,
    Author,
    Center,
    Declaration,
    Institution,
    Member,
    Person,
    Span,
    Work,
    detect,
)
from kyoten.coi.names import written_key
from kyoten.text import KyotenErrors

DAY = datetime.date(2026, 12, 7)
RULES = load_rules().version_for(DAY)
ONE_DAY = datetime.timedelta(days=1)
TOKYO = Institution("utokyo", ("The University of Tokyo", "東京大学"), ror="057zh3y96")
KYOTO = Institution("kyoto", ("Kyoto University", "京都大学"), ror="02kpeqv85", role="host")
PARTNER = Institution("mit", ("Massachusetts Institute of Technology",), role="overseas_partner")
ORCID_PI = "0000-0002-1825-0097"
ORCID_EXPERT = "0000-0001-5109-3700"


def found(persons, centers, works=(), declarations=(), day=DAY):
    return {
        (f.rule, f.person, f.center, f.status, f.identified_by)
        for f in detect(RULES, day, persons, centers, works, declarations)
    }


def ircn(*members):
    return Center("ircn", "IRCN", institutions=(TOKYO, PARTNER), members=members)


# --- the rules' data -------------------------------------------------------------------


def test_every_rule_has_a_source_or_says_it_is_kyotens_own():
    data = load_rules()
    for rule in RULES.rules:
        assert rule.sources or rule.kyoten_own, rule.id
        assert all(data.sources[s].address for s in rule.sources)


@pytest.mark.parametrize(
    ("rule", "window", "effect"),
    [
        ("institution", 1, "exclude"),  # same organisation, past year (JOSS)
        ("center_role", 0, "exclude"),  # a major role at the center, now (NIH)
        ("coauthorship", 3, "manage"),  # a joint publication in the past 3 years (NIH R13)
        ("consortium_coauthorship", 3, "disclose"),  # consortium papers: not a conflict (NIH)
        ("advisor", None, "exclude"),  # advisor/advisee: for life (JOSS, DFG)
        ("personal", None, "exclude"),  # family, business: for life
        ("excluded_by_applicant", None, "exclude"),  # a call's excluded reviewers (ERC)
    ],
)
def test_rules_windows_and_effects(rule, window, effect):
    assert (RULES.rule(rule).window_years, RULES.rule(rule).effect) == (window, effect)


def test_bad_rules_are_refused_naming_the_file_and_field():
    text = """
program: wpi
sources: {a: {title: A}}
versions:
  - id: x
    version: 1
    from: 2026-01-01
    consortium_authors_over: 100
    consortium_sources: [nowhere]
    rules:
      - {id: r, title: {en: R, ja: R}, description: {en: R, ja: R}, evidence: works,
         window_years: 3, effect: exclude, sources: []}
      - {id: r, title: {en: R, ja: R}, description: {en: R, ja: R}, evidence: telepathy,
         window_years: 3, effect: exclude, sources: [a]}
"""
    with pytest.raises(KyotenErrors) as raised:
        parse_rules(text, "rules.yaml")
    assert "rules.yaml" in raised.value.localized("en")
    assert "evidence" in raised.value.localized("en")
    text = text.replace("telepathy", "works")
    with pytest.raises(KyotenErrors) as raised:
        parse_rules(text, "rules.yaml")
    message = raised.value.localized("en")
    assert "nowhere" in message
    assert "duplicate rule id" in message
    assert "kyoten_own" in message


# --- names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("Michinari Hamaguchi", "HAMAGUCHI, Michinari", True),  # order and case
        ("Michinari Hamaguchi", "Ｍｉｃｈｉｎａｒｉ　Ｈａｍａｇｕｃｈｉ", True),  # full width
        ("濱口 道成", "浜口道成", True),  # old kanji form, no space
        ("Taro Ōno", "Taro Ohno", True),  # long vowel: macron, oh, oo, ou
        ("Taro Oono", "Tarou Ono", True),
        ("Syunsuke Tuzi", "Shunsuke Tsuji", True),  # Kunrei and Hepburn
        ("Shin'ichi Homma", "Shinichi Honma", True),  # apostrophe; m before m
        ("José Núñez", "Jose Nunez", True),  # accents
        ("M. Hamaguchi", "Michinari Hamaguchi", True),  # initials
        ("Takao K. Hensch", "Takao Kurt Hensch", True),
        ("T. Hamaguchi", "Michinari Hamaguchi", False),
        ("Michinari Hamaguchi", "Michinari Hamada", False),
        ("濱口 道成", "Michinari Hamaguchi", False),  # kanji and Latin are not compared
        ("M. H.", "Michinari Hamaguchi", False),  # initials alone never match
    ],
)
def test_name_folding(one, other, same):
    assert written_key(one).compatible(written_key(other)) is same


def test_a_registry_person_is_named_in_kanji_and_in_romaji():
    person = Person("p", ("Hamaguchi", "Michinari", "濱口", "道成"))
    assert person.named("浜口 道成")
    assert person.named("HAMAGUCHI Michinari")
    assert not person.named("浜口 道夫")


# --- each rule, inside and just outside its window -------------------------------------


def affiliated(ends=None, **where):
    span = Span(datetime.date(2015, 4, 1), ends)
    return Person(
        "p", ("Tanaka", "Aiko"), affiliations=(Affiliation(source="s", span=span, **where),)
    )


def test_institution_by_registry_by_ror_and_by_name():
    by_registry = affiliated(name="UTokyo", institution="utokyo")
    by_ror = affiliated(name="U Tokyo", ror="https://ror.org/057zh3y96")
    by_name = affiliated(name="the university of tokyo")
    assert found([by_registry], [ircn()]) == {("institution", "p", "ircn", "confirmed", "registry")}
    assert found([by_ror], [ircn()]) == {("institution", "p", "ircn", "confirmed", "ror")}
    # a name alone is potential, never confirmed
    assert found([by_name], [ircn()]) == {("institution", "p", "ircn", "potential", "name")}
    # an organisation written in Japanese only is compared too
    in_japanese = affiliated(name="", name_ja="東京大学")
    assert found([in_japanese], [ircn()]) == {("institution", "p", "ircn", "potential", "name")}
    assert found([affiliated(name="", name_ja="京都大学")], [ircn()]) == set()


def test_a_partner_institution_counts_and_another_organisation_does_not():
    at_partner = affiliated(name="MIT", institution="mit")
    elsewhere = affiliated(name="The University of Tokyo", institution="kyoto")
    assert found([at_partner], [ircn()]) == {("institution", "p", "ircn", "confirmed", "registry")}
    # identified as another institution of the registry: its name is not compared
    assert found([elsewhere], [ircn()]) == set()


def test_institution_window_of_one_year():
    since = RULES.rule("institution").window_start(DAY)
    inside = affiliated(name="UTokyo", institution="utokyo", ends=since + ONE_DAY)
    outside = affiliated(name="UTokyo", institution="utokyo", ends=since)
    assert found([inside], [ircn()])
    assert found([outside], [ircn()]) == set()


def test_an_affiliation_that_starts_later_does_not_count_yet():
    later = Person(
        "p",
        ("Tanaka", "Aiko"),
        affiliations=(Affiliation("UTokyo", "s", institution="utokyo", span=Span(DAY + ONE_DAY)),),
    )
    assert found([later], [ircn()]) == set()


def test_center_role_from_a_roster_by_orcid_or_by_name():
    pi = Member("pi", "田中 愛子", "IRCN FY2025 report v2", orcid=ORCID_PI)
    by_orcid = Person("p", ("Tanaka", "Aiko"), orcid=ORCID_PI)
    by_kanji = Person("p", ("Tanaka", "Aiko", "田中", "愛子"))
    other_orcid = Person("p", ("Tanaka", "Aiko", "田中", "愛子"), orcid=ORCID_EXPERT)
    assert found([by_orcid], [ircn(pi)]) == {("center_role", "p", "ircn", "confirmed", "orcid")}
    assert found([by_kanji], [ircn(pi)]) == {("center_role", "p", "ircn", "potential", "name")}
    # two different ORCID iDs are two people, whatever the names
    assert found([other_orcid], [ircn(pi)]) == set()


def test_center_role_is_current_only():
    left = Member("pi", "Aiko Tanaka", "r", span=Span(datetime.date(2018, 4, 1), DAY))
    stays = dataclasses.replace(left, span=Span(datetime.date(2018, 4, 1), DAY + ONE_DAY))
    person = Person("p", ("Tanaka", "Aiko"))
    assert found([person], [ircn(left)]) == set()
    assert found([person], [ircn(stays)])


def test_an_affiliation_to_the_center_itself_is_a_role_there():
    person = affiliated(name="IRCN", center="ircn")
    assert found([person], [ircn()]) == {("center_role", "p", "ircn", "confirmed", "registry")}


def coauthored(year, total, expert=None):
    expert = expert or Author("Aiko Tanaka", orcid=ORCID_EXPERT)
    others = tuple(Author(f"Author {i}") for i in range(total - 2))
    return Work(
        f"10.5555/{year}-{total}",
        year,
        total,
        (Author("Takao K. Hensch", orcid=ORCID_PI), expert, *others),
    )


def test_coauthorship_window_and_consortium_papers():
    director = Member("director", "Takao Kurt Hensch", "registry", orcid=ORCID_PI)
    person = Person("p", ("Tanaka", "Aiko"), orcid=ORCID_EXPERT)
    since = RULES.rule("coauthorship").window_start(DAY).year
    assert found([person], [ircn(director)], [coauthored(since, 5)]) == {
        ("coauthorship", "p", "ircn", "potential", "orcid")  # manage: decided case by case
    }
    assert found([person], [ircn(director)], [coauthored(since - 1, 5)]) == set()
    # more than 100 authors: recorded, not a conflict; exactly 100 is a co-authorship
    assert found([person], [ircn(director)], [coauthored(since, 101)]) == {
        ("consortium_coauthorship", "p", "ircn", "noted", "orcid")
    }
    assert found([person], [ircn(director)], [coauthored(since, 100)]) == {
        ("coauthorship", "p", "ircn", "potential", "orcid")
    }


def test_a_coauthor_matched_by_name_only_is_potential_and_a_member_needs_an_identifier():
    director = Member("director", "Takao Kurt Hensch", "registry", orcid=ORCID_PI)
    person = Person("p", ("Tanaka", "Aiko"))
    by_name = coauthored(2025, 4, expert=Author("TANAKA, Aiko"))
    assert found([person], [ircn(director)], [by_name]) == {
        ("coauthorship", "p", "ircn", "potential", "name")
    }
    # the member is named on the work without an identifier: not recognised
    unnamed = Member("director", "Takao Kurt Hensch", "registry")
    assert found([person], [ircn(unnamed)], [by_name]) == set()


def test_declarations_are_confirmed_and_statements_of_none_are_noted():
    declarations = [
        Declaration("p", "ircn", "advisor", "PhD advisor of a PI", DAY, "p"),
        Declaration("q", "ircn", "no_conflict_statement", "FY2026 follow-up", DAY, "q"),
    ]
    assert found([], [ircn()], declarations=declarations) == {
        ("advisor", "p", "ircn", "confirmed", "declaration"),
        ("no_conflict_statement", "q", "ircn", "noted", "declaration"),
    }


def test_the_evidence_names_the_affiliation_and_the_shared_works():
    person = affiliated(
        name="UTokyo",
        institution="utokyo",
        name_ja="東京大学",
        position="Professor",
        position_ja="教授",
    )
    (finding,) = detect(RULES, DAY, [person], [ircn()])
    assert finding.evidence == [
        {
            "kind": "affiliation",
            "organisation": "UTokyo",
            "organisation_ja": "東京大学",
            "position": "Professor",
            "position_ja": "教授",
            "institution_role": "host",
            "starts": "2015-04-01",
            "ends": None,
            "source": "s",
            "identified_by": "registry",
        }
    ]
    director = Member("director", "Takao Kurt Hensch", "registry", orcid=ORCID_PI)
    expert = Person("e", ("Tanaka", "Aiko"), orcid=ORCID_EXPERT)
    (finding,) = detect(RULES, DAY, [expert], [ircn(director)], [coauthored(2025, 3)])
    assert finding.evidence[0]["doi"] == "10.5555/2025-3"
    assert finding.evidence[0]["year"] == 2025
    assert finding.evidence[0]["with"] == ["Takao Kurt Hensch"]


# --- a generated dataset with known answers --------------------------------------------


def generated(seed):
    """Persons and centers with relations planted inside and just outside each rule's
    window, and the findings expected of them."""
    rng = random.Random(seed)
    institutions = [
        Institution(f"inst{i}", (f"Institute {i}",), ror=f"0{i:02d}abcd{i % 10}") for i in range(6)
    ]
    centers, expected, persons, works = [], set(), [], []
    for c in range(4):
        members = tuple(
            Member("pi", f"Member{c}{m} Pi", "report", orcid=f"0000-0000-{c:04d}-{m:03d}X")
            for m in range(3)
        )
        centers.append(Center(f"c{c}", f"C{c}", (institutions[c],), members))
    for p in range(30):
        pid, affiliations = f"p{p}", []
        center = rng.randrange(4)
        kind = rng.choice(
            [
                "institution",
                "institution-old",
                "role",
                "coauthor",
                "coauthor-old",
                "consortium",
                "none",
            ]
        )
        since = RULES.rule("institution").window_start(DAY)
        if kind == "institution":
            affiliations.append(
                Affiliation("x", "s", institution=f"inst{center}", span=Span(None, since + ONE_DAY))
            )
            expected.add(("institution", pid, f"c{center}", "confirmed", "registry"))
        elif kind == "institution-old":
            affiliations.append(
                Affiliation("x", "s", institution=f"inst{center}", span=Span(None, since))
            )
        elif kind == "role":
            affiliations.append(Affiliation("x", "s", center=f"c{center}"))
            expected.add(("center_role", pid, f"c{center}", "confirmed", "registry"))
        orcid = f"0000-0001-{p:04d}-000X"
        person = Person(
            pid, (f"Family{p}", f"Given{p}"), orcid=orcid, affiliations=tuple(affiliations)
        )
        persons.append(person)
        if kind in ("coauthor", "coauthor-old", "consortium"):
            year = RULES.rule("coauthorship").window_start(DAY).year - (kind == "coauthor-old")
            total = 150 if kind == "consortium" else 4
            member = centers[center].members[rng.randrange(3)]
            authors = (Author(member.name, orcid=member.orcid), Author("x", orcid=orcid))
            works.append(Work(f"10.1/{p}", year, total, authors))
            if kind == "coauthor":
                expected.add(("coauthorship", pid, f"c{center}", "potential", "orcid"))
            elif kind == "consortium":
                expected.add(("consortium_coauthorship", pid, f"c{center}", "noted", "orcid"))
    return persons, centers, works, expected


@pytest.mark.parametrize("seed", range(5))
def test_generated_dataset_gives_exactly_the_planted_findings(seed):
    persons, centers, works, expected = generated(seed)
    assert found(persons, centers, works) == expected
