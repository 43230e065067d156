"""Tabular input (CSV or Parquet, e.g. Web of Science or Scopus exports)."""

from __future__ import annotations

from fractions import Fraction

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kyoten.bibliometrics.indicators import Options, Store
from kyoten.bibliometrics.tabular import ingest_table
from kyoten.bibliometrics.units import parse_unit
from kyoten.text import KyotenError

HEADER = "doi,year,type,field,citations,institutions,countries\n"


def write(tmp_path, body, header=HEADER):
    path = tmp_path / "papers.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_csv_rows_become_works_and_fractional_shares(tmp_path):
    path = write(
        tmp_path,
        "10.1/A,2020,Article,Physics,12,057zh3y96;Other Univ,JP;US\n"
        "https://doi.org/10.1/b,2020,Review,Physics,0,057zh3y96,JP\n",
    )
    report = ingest_table(path, tmp_path / "data")
    assert (report.records_read, report.works_written, report.institutions_written) == (2, 2, 2)
    assert (report.authorships_written, report.affiliations_written) == (3, 3)
    store = Store(tmp_path / "data", threads=1)
    try:
        assert store.fractional_weights("10.1/a") == {
            "https://ror.org/057zh3y96": Fraction(1, 2),
            "Other Univ": Fraction(1, 2),
        }
        rows = store.indicators([parse_unit("country:US")], Options(2020, 2020))
        assert {r.p for r in rows if r.counting == "full"} == {1.0}
    finally:
        store.close()


def test_bad_row_names_file_and_line(tmp_path):
    path = write(
        tmp_path, "10.1/a,2020,article,Physics,12,X,JP\n10.1/b,twenty,article,Physics,1,X,JP\n"
    )
    with pytest.raises(KyotenError) as error:
        ingest_table(path, tmp_path / "data")
    assert error.value.location == f"{path}:3"
    assert "'year' is 'twenty', expected a whole number" in str(error.value)


def test_skip_counts_bad_and_duplicate_rows(tmp_path):
    path = write(
        tmp_path,
        "10.1/a,2020,article,Physics,12,X,JP\n"
        "10.1/b,2020,article,Physics,-1,X,JP\n"
        "10.1/A,2020,article,Physics,3,X,JP\n",
    )
    report = ingest_table(path, tmp_path / "data", on_error="skip")
    assert report.works_written == 1
    assert [(m.line, m.reason.split(",")[0]) for m in report.malformed] == [
        (3, "column 'citations' is '-1'"),
        (4, "duplicate paper '10.1/a'"),
    ]


def test_missing_column_and_header_mapping(tmp_path):
    path = write(tmp_path, "10.1/a,2020,article,Physics,12,X\n", header="DI,PY,DT,WC,TC,C1\n")
    with pytest.raises(KyotenError) as error:
        ingest_table(path, tmp_path / "data")
    assert "missing columns" in str(error.value)
    mapping = {"doi": "DI", "year": "PY", "type": "DT", "field": "WC", "citations": "TC"}
    report = ingest_table(path, tmp_path / "data", columns=mapping | {"institutions": "C1"})
    assert report.works_written == 1


def test_parquet_input_names_the_row(tmp_path):
    path = tmp_path / "papers.parquet"
    pq.write_table(
        pa.table(
            {
                "doi": ["10.1/a", "10.1/b"],
                "year": [2020, None],
                "type": ["article", "article"],
                "field": ["Physics", "Physics"],
                "citations": [3, 4],
                "institutions": ["X", "Y"],
            }
        ),
        path,
    )
    with pytest.raises(KyotenError) as error:
        ingest_table(path, tmp_path / "data")
    assert error.value.location == f"{path}:row 2"
