"""Property tests: the SQL agrees exactly with a brute-force Fraction reference."""

from __future__ import annotations

import csv
import tempfile
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kyoten.bibliometrics.indicators import Options, Store
from kyoten.bibliometrics.tabular import ingest_table

from . import reference

CELL_KEYS = st.tuples(
    st.sampled_from(["f1", "f2"]),
    st.sampled_from([2019, 2020]),
    st.sampled_from(["article", "review"]),
)
# Small citation ranges make ties at the threshold common.
CELLS = st.dictionaries(
    CELL_KEYS,
    st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=120),
    min_size=1,
    max_size=4,
)
SHARES = {"top10": Fraction(1, 10), "top1": Fraction(1, 100), "top50": Fraction(1, 2)}


def score(row, name):
    return Fraction(row[f"{name}_num"], row[f"{name}_den"])


@settings(max_examples=25, deadline=None)
@given(cells=CELLS)
def test_sql_scores_match_the_fraction_reference(cells):
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "papers.csv"
        with table.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "year", "type", "field", "citations", "institutions"])
            for n, ((field, year, kind), cits) in enumerate(
                (key, c) for key, values in cells.items() for c in values
            ):
                writer.writerow([f"P{n}", year, kind, field, cits, "Somewhere"])
        ingest_table(table, Path(tmp) / "data")
        store = Store(Path(tmp) / "data", threads=1)
        try:
            rows = store.paper_scores(
                Options(2019, 2020),
                {tag: (s.numerator, s.denominator) for tag, s in SHARES.items()},
            )
        finally:
            store.close()
    by_cell = defaultdict(list)
    for row in rows:
        by_cell[(row["field"], row["pub_year"], row["doc_type"])].append(row)
    assert sorted(by_cell) == sorted(cells)
    for key, cell in by_cell.items():
        cits = [row["cits"] for row in cell]
        assert sorted(cits) == sorted(cells[key])
        assert [score(r, "ncs") for r in cell] == reference.ncs(cits)
        for tag, share in SHARES.items():
            cwts = [score(r, f"cwts_{tag}") for r in cell]
            nistep = [score(r, f"nistep_{tag}") for r in cell]
            assert cwts == reference.cwts(cits, share)
            assert nistep == reference.nistep(cits, share)
            # Both methods give every cell exactly p·N.
            assert sum(cwts) == share * len(cell)
            assert sum(nistep) == share * len(cell)
