"""The synthetic snapshot with given papers: a center's DOIs in their years, the other works
unchanged, a year outside the snapshot's refused."""

from __future__ import annotations

import gzip

import pyarrow.parquet as pq
import pytest

from kyoten.bibliometrics.ingest import ingest_openalex
from kyoten.bibliometrics.synth import FIRST_YEAR, LAST_YEAR, Paper, generate

PAPERS = [Paper(f"10.5555/sample.test.2018.{n:04d}", 2018 + n % 2) for n in range(1, 41)]


def test_the_papers_are_works_of_their_doi_and_year(tmp_path):
    summary = generate(tmp_path / "snap", works=300, seed=3, papers=PAPERS)
    assert (summary.works, summary.parts) == (340, 2)  # the papers in a part of their own
    ingest_openalex(tmp_path / "snap", tmp_path / "out", threads=1)
    rows = pq.read_table(tmp_path / "out" / "works.parquet").to_pylist()
    years = {r["doi"]: r["publication_year"] for r in rows if r["doi"].startswith("10.5555/")}
    merged = summary.merged  # a few works are merged away, as in OpenAlex
    assert len(PAPERS) - merged <= len(years) <= len(PAPERS)
    assert all(years[p.doi] == p.year for p in PAPERS if p.doi in years)


def test_the_years_of_the_works_can_be_chosen(tmp_path):
    paper = Paper("10.5555/x.1", 2025)
    generate(tmp_path / "snap", works=200, seed=3, papers=[paper], years=(2016, 2025))
    ingest_openalex(tmp_path / "snap", tmp_path / "out", threads=1)
    years = {
        r["publication_year"] for r in pq.read_table(tmp_path / "out" / "works.parquet").to_pylist()
    }
    assert min(years) == 2016 and max(years) == 2025


def test_the_other_works_are_the_same_with_or_without_papers(tmp_path):
    generate(tmp_path / "plain", works=300, seed=3)
    generate(tmp_path / "with", works=300, seed=3, papers=PAPERS)
    plain = sorted((tmp_path / "plain" / "data" / "works").rglob("part_000.gz"))
    assert plain
    for path in plain:
        twin = tmp_path / "with" / path.relative_to(tmp_path / "plain")
        # the records, not the gzip header (which holds the second the file was written)
        assert gzip.decompress(twin.read_bytes()) == gzip.decompress(path.read_bytes())


@pytest.mark.parametrize("year", [FIRST_YEAR - 1, LAST_YEAR + 1])
def test_a_paper_outside_the_snapshot_years_is_refused(tmp_path, year):
    with pytest.raises(ValueError, match=f"10.5555/x.1 is of {year}"):
        generate(tmp_path / "snap", works=10, seed=1, papers=[Paper("10.5555/x.1", year)])
    assert not (tmp_path / "snap").exists()
