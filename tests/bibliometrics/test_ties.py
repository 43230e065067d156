"""Tie handling at the threshold: the spec's CWTS vectors and the published NISTEP example."""

from __future__ import annotations

from fractions import Fraction

import pytest

from kyoten.bibliometrics.indicators import Options
from kyoten.bibliometrics.units import parse_unit

from .conftest import author, institution, work

# Spec §7 vector 2: one cell of 20 papers.
CELL_20 = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8, 8, 8]
OPTIONS = Options(first_year=2020, last_year=2020)


def scores_by_cits(store, percentiles):
    rows = store.paper_scores(OPTIONS, percentiles)
    return {
        row["cits"]: {
            tag: Fraction(row[f"cwts_{tag}_num"], row[f"cwts_{tag}_den"]) for tag in percentiles
        }
        for row in rows
    }


@pytest.mark.parametrize(
    ("tag", "share", "threshold", "weight", "total"),
    [
        ("top10", (1, 10), 8, Fraction(2, 3), 2),  # three papers tied at 8 share 10% of 20
        ("top50", (1, 2), 3, Fraction(1, 2), 10),  # two papers at 3 share what 50% leaves
        ("top1", (1, 100), 8, Fraction(1, 15), Fraction(1, 5)),  # 1% of 20 spread over 3
    ],
)
def test_cwts_weight_at_the_threshold(make_store, tag, share, threshold, weight, total):
    store = make_store([work(i, c) for i, c in enumerate(CELL_20)])
    rows = store.paper_scores(OPTIONS, {tag: share})
    scores = [
        (row["cits"], Fraction(row[f"cwts_{tag}_num"], row[f"cwts_{tag}_den"])) for row in rows
    ]
    assert {s for c, s in scores if c == threshold} == {weight}
    assert all(s == 1 for c, s in scores if c > threshold)
    assert all(s == 0 for c, s in scores if c < threshold)
    assert sum(s for _, s in scores) == total


def test_distinct_counts_give_the_top_paper_exactly_one(make_store):
    # Spec §7: citations 0..9, top 10%: t = 8 with weight 0, so only the paper with 9 counts.
    store = make_store([work(i, c) for i, c in enumerate(range(10))])
    scores = scores_by_cits(store, {"top10": (1, 10)})
    assert scores[9]["top10"] == 1
    assert scores[8]["top10"] == 0
    assert sum(s["top10"] for s in scores.values()) == 1


def test_unit_with_a_third_in_the_top_10_percent(make_store):
    # Spec §7 vector 2: the unit holding the papers with {0, 6, 7, 8, 8, 8} citations.
    unit_cits = [0, 6, 7, 8, 8, 8]
    rest = list(CELL_20)
    for c in unit_cits:
        rest.remove(c)
    ours = [author([institution("Ours")])]
    works = [work(i, c, authorships=ours) for i, c in enumerate(unit_cits)]
    works += [work(100 + i, c) for i, c in enumerate(rest)]
    store = make_store(works)
    rows = store.indicators([parse_unit("ror:" + institution("Ours")["ror"])], OPTIONS)
    row = next(r for r in rows if r.counting == "full" and r.method == "cwts")
    assert row.p == 6
    assert Fraction(row.p_top10).limit_denominator(1000) == 2
    assert Fraction(row.pp_top10).limit_denominator(1000) == Fraction(1, 3)
    assert Fraction(row.mncs).limit_denominator(1000) == Fraction(37, 21)
    assert row.mncs == pytest.approx(37 / 21, rel=1e-12)


def test_nistep_published_example(make_store):
    # CAO 世界経済の潮流 2015 II, footnote 9: 100 papers, 7 extracted as top 10%
    # (A 4, B 2, C 1), factor 10/7 -> A 5.7, B 2.9, C 1.4. Six papers tie at the threshold
    # (50 citations) and are left out of the extracted set, as the example implies.
    countries = ["AA"] * 4 + ["BB"] * 2 + ["CC"]
    works = [
        work(i, 100, authorships=[author([institution(f"T{i}", country)])])
        for i, country in enumerate(countries)
    ]
    works += [work(10 + i, 50) for i in range(6)]
    works += [work(20 + i, 1) for i in range(87)]
    store = make_store(works)
    units = [parse_unit(f"country:{c}") for c in ("AA", "BB", "CC")]
    rows = {
        r.unit: r
        for r in store.indicators(units, OPTIONS)
        if r.method == "nistep" and r.counting == "full"
    }
    published = {"country:AA": 5.7, "country:BB": 2.9, "country:CC": 1.4}
    exact = {
        "country:AA": Fraction(40, 7),
        "country:BB": Fraction(20, 7),
        "country:CC": Fraction(10, 7),
    }
    for unit, value in published.items():
        assert round(rows[unit].p_top10, 1) == value
        assert Fraction(rows[unit].p_top10).limit_denominator(1000) == exact[unit]
    # The cell still totals exactly N/10 = 10 under both methods.
    cell = store.paper_scores(OPTIONS)
    for method in ("cwts", "nistep"):
        total = sum(Fraction(r[f"{method}_top10_num"], r[f"{method}_top10_den"]) for r in cell)
        assert total == 10


def test_nistep_takes_the_tied_papers_when_none_is_above_the_threshold(make_store):
    # A cell where every paper is uncited: no paper is above t = 0, so all of them form the
    # top set and each gets 1/10 (the cell still totals N/10).
    store = make_store([work(i, 0) for i in range(30)])
    cell = store.paper_scores(OPTIONS)
    assert {Fraction(r["nistep_top10_num"], r["nistep_top10_den"]) for r in cell} == {
        Fraction(1, 10)
    }
    assert {Fraction(r["ncs_num"], r["ncs_den"]) for r in cell} == {1}
