"""Unit indicators over a synthetic world: world shares, filters, options, stability intervals."""

from __future__ import annotations

from fractions import Fraction

import pytest

from kyoten.bibliometrics.indicators import Options, Store
from kyoten.bibliometrics.ingest import ingest_openalex
from kyoten.bibliometrics.synth import generate
from kyoten.bibliometrics.units import Unit, parse_unit
from kyoten.text import KyotenError

from .conftest import author, institution, work

WINDOW = Options(first_year=2016, last_year=2021)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    root = tmp_path_factory.mktemp("synth")
    generate(root / "snap", works=4000, seed=7, part_size=2000)
    ingest_openalex(root / "snap", root / "data", threads=1)
    store = Store(root / "data", threads=1)
    yield store
    store.close()


def test_world_has_exactly_ten_and_one_percent(synthetic):
    rows = synthetic.indicators([parse_unit("world")], WINDOW)
    for row in (r for r in rows if r.counting == "full"):
        assert row.pp_top10 == pytest.approx(0.1, abs=1e-12)
        assert row.pp_top1 == pytest.approx(0.01, abs=1e-12)
        assert row.mncs == pytest.approx(1.0, abs=1e-12)
    # Exactly, from the per-paper fractions:
    papers = synthetic.paper_scores(WINDOW)
    for method in ("cwts", "nistep"):
        total = sum(Fraction(p[f"{method}_top10_num"], p[f"{method}_top10_den"]) for p in papers)
        assert total == Fraction(len(papers), 10)


def test_world_fractional_is_ten_percent_when_every_paper_is_fully_assigned(make_store):
    a, b, c = institution("FA"), institution("FB"), institution("FC")
    works = [
        work(i, i % 7, authorships=[author([a]), author([b, c])][: 1 + i % 2]) for i in range(40)
    ]
    rows = make_store(works).indicators([parse_unit("world")], Options(2020, 2020))
    for row in rows:
        assert row.pp_top10 == pytest.approx(0.1, abs=1e-12)


@pytest.mark.parametrize("year", [2020, 1990])  # papers without institutions; no papers
def test_world_without_linked_papers_or_without_papers_has_zero_not_an_error(make_store, year):
    rows = make_store([work(1, 3), work(2, 0)]).indicators(
        [parse_unit("world")], Options(year, year)
    )
    papers = 2 if year == 2020 else 0
    fractional = next(r for r in rows if r.counting == "fractional" and r.method == "cwts")
    full = next(r for r in rows if r.counting == "full" and r.method == "cwts")
    assert (full.p, fractional.p, fractional.p_top10, fractional.pp_top10) == (papers, 0, 0, None)
    assert (full.pp_top10 is None) == (papers == 0)


def test_full_counting_p_is_at_least_fractional(synthetic):
    units = [parse_unit("country:JP"), parse_unit("country:US"), parse_unit("world")]
    rows = synthetic.indicators(units, WINDOW)
    for unit in units:
        full = next(r.p for r in rows if r.unit == unit.name and r.counting == "full")
        fractional = next(r.p for r in rows if r.unit == unit.name and r.counting == "fractional")
        assert 0 < fractional <= full


def test_only_articles_and_reviews_of_the_window_not_retracted_count(make_store):
    store = make_store(
        [
            work(1, 5),
            work(2, 5, kind="review"),
            work(3, 5, kind="preprint"),
            work(4, 5, retracted=True),
            work(5, 5, year=2019),
        ]
    )
    ids = {p["id"] for p in store.paper_scores(Options(2020, 2020))}
    assert ids == {"W1", "W2"}
    with_all = Options(2019, 2020, doc_types=("article", "preprint"), include_retracted=True)
    assert {p["id"] for p in store.paper_scores(with_all)} == {"W1", "W3", "W4", "W5"}


def test_field_scheme_changes_the_cells(make_store):
    # Two fields of one domain: two cells by field, one cell by domain.
    store = make_store([work(1, 10, field="11"), work(2, 0, field="12")])
    field = store.paper_scores(Options(2020, 2020, field_scheme="field"))
    domain = store.paper_scores(Options(2020, 2020, field_scheme="domain"))
    assert {p["n_cell"] for p in field} == {1}
    assert {p["n_cell"] for p in domain} == {2}


def test_center_unit_counts_its_dois(make_store):
    store = make_store([work(1, 10), work(2, 0), work(3, 4)])
    center = Unit("center", "C", "C", ("10.5555/t.1", "10.5555/t.3", "10.9/missing"))
    assert store.matched_dois(center) == 2
    rows = store.indicators([center], Options(2020, 2020))
    assert {r.p for r in rows} == {2.0}


def test_stability_interval_brackets_the_value(synthetic):
    options = Options(2016, 2021, bootstrap=200, seed=3)
    rows = synthetic.indicators([parse_unit("country:JP")], options)
    for row in rows:
        assert row.pp_top10_lb <= row.pp_top10 <= row.pp_top10_ub
        assert row.mncs_lb <= row.mncs <= row.mncs_ub
        assert row.pp_top10_lb < row.pp_top10_ub


def test_unknown_unit_is_named(synthetic):
    with pytest.raises(KyotenError) as error:
        synthetic.indicators([parse_unit("ror:0zzzzzz99")], WINDOW)
    assert "https://ror.org/0zzzzzz99" in str(error.value)
    assert "不明な単位" in error.value.localized("ja")


@pytest.mark.parametrize(
    ("kwargs", "location"),
    [
        ({"first_year": 2021, "last_year": 2020}, "years"),  # an empty window
        ({"first_year": 2020, "last_year": 2020, "field_scheme": "journal"}, "field_scheme"),
        ({"first_year": 2020, "last_year": 2020, "bootstrap": -1}, "bootstrap"),
    ],
)
def test_bad_options_are_refused(kwargs, location):
    with pytest.raises(KyotenError) as error:
        Options(**kwargs)
    assert error.value.location == location


@pytest.mark.parametrize("share", [("top10", (0, 10)), ("top10", (10, 10)), ("x; DROP", (1, 10))])
def test_bad_top_shares_are_refused(make_store, share):
    store = make_store([work(1, 1)])
    with pytest.raises(KyotenError) as error:
        store.paper_scores(Options(2020, 2020), dict([share]))
    assert error.value.location == f"percentile {share[0]}"
