"""Full and fractional counting (CWTS author–affiliation–institution weights)."""

from __future__ import annotations

from fractions import Fraction

from kyoten.bibliometrics.indicators import Options
from kyoten.bibliometrics.units import parse_unit

from .conftest import OA, author, institution, work

U1, U2, U3, U4 = (institution(f"U{n}") for n in range(1, 5))
OPTIONS = Options(first_year=2020, last_year=2020)


def short(inst):
    return inst["id"].removeprefix(OA)


def test_fractional_weights_of_spec_vector_3(make_store):
    # a1 -> {U1}; a2 -> two affiliations {U1}, {U2}; a3 -> one affiliation linked to {U3, U4}.
    paper = work(1, 5, authorships=[author([U1]), author([U1], [U2]), author([U3, U4])])
    store = make_store([paper])
    weights = store.fractional_weights("W1")
    assert weights == {
        short(U1): Fraction(1, 2),
        short(U2): Fraction(1, 6),
        short(U3): Fraction(1, 6),
        short(U4): Fraction(1, 6),
    }
    assert sum(weights.values()) == 1


def test_unaffiliated_author_leaves_a_quarter_unassigned(make_store):
    # Spec vector 3b: a fourth author without affiliation; the missing weight is not
    # redistributed, so the weights sum to 3/4.
    authors = [author([U1]), author([U1], [U2]), author([U3, U4]), author()]
    store = make_store([work(1, 5, authorships=authors)])
    weights = store.fractional_weights("W1")
    assert weights == {
        short(U1): Fraction(3, 8),
        short(U2): Fraction(1, 8),
        short(U3): Fraction(1, 8),
        short(U4): Fraction(1, 8),
    }
    assert sum(weights.values()) == Fraction(3, 4)


def test_unit_fractional_p_is_the_sum_of_its_weights(make_store):
    authors = [author([U1]), author([U1], [U2]), author([U3, U4]), author()]
    store = make_store([work(1, 5, authorships=authors), work(2, 1, authorships=[author([U2])])])
    rows = store.indicators([parse_unit("ror:" + U1["ror"]), parse_unit("world")], OPTIONS)
    p = {(r.unit, r.counting): r.p for r in rows if r.method == "cwts"}
    assert p[("ror:" + U1["ror"], "full")] == 1
    assert Fraction(p[("ror:" + U1["ror"], "fractional")]).limit_denominator(100) == Fraction(3, 8)
    assert p[("world", "full")] == 2
    # The world's fractional P is 3/4 + 1: the unaffiliated author's share is nobody's.
    assert Fraction(p[("world", "fractional")]).limit_denominator(100) == Fraction(7, 4)


def test_country_unit_sums_its_institutions(make_store):
    jp_a, jp_b, us = institution("JA", "JP"), institution("JB", "JP"), institution("US", "US")
    store = make_store([work(1, 3, authorships=[author([jp_a]), author([jp_b]), author([us])])])
    rows = store.indicators([parse_unit("country:JP"), parse_unit("country:US")], OPTIONS)
    p = {(r.unit, r.counting): r.p for r in rows if r.method == "nistep"}
    assert p[("country:JP", "full")] == 1  # counted once, however many JP institutions
    assert Fraction(p[("country:JP", "fractional")]).limit_denominator(100) == Fraction(2, 3)
    assert Fraction(p[("country:US", "fractional")]).limit_denominator(100) == Fraction(1, 3)


def test_affiliation_without_institution_ids_falls_back_to_none(make_store):
    # An affiliation string that OpenAlex could not match has no institution: its share is lost.
    unmatched = {
        "author_position": "first",
        "author": {"id": f"{OA}A9"},
        "institutions": [],
        "affiliations": [{"raw_affiliation_string": "Somewhere", "institution_ids": []}],
    }
    store = make_store([work(1, 3, authorships=[unmatched, author([U1])])])
    assert store.fractional_weights("W1") == {short(U1): Fraction(1, 2)}


def test_institutions_without_affiliations_count_as_one_affiliation_each(make_store):
    # Older records list institutions but no affiliations: each institution is one.
    legacy = {"author_position": "first", "author": {"id": f"{OA}A9"}, "institutions": [U1, U2]}
    store = make_store([work(1, 3, authorships=[legacy])])
    assert store.fractional_weights("W1") == {short(U1): Fraction(1, 2), short(U2): Fraction(1, 2)}
