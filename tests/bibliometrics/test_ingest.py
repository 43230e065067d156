"""OpenAlex snapshot ingest: layout, later versions, merged ids, malformed lines, progress."""

from __future__ import annotations

import gzip
import io
import json

import pyarrow.parquet as pq
import pytest

from kyoten.bibliometrics.ingest import PIECE_BYTES, find_snapshot, ingest_openalex, piece_size
from kyoten.bibliometrics.progress import Progress
from kyoten.bibliometrics.synth import generate
from kyoten.text import KyotenError

from .conftest import author, institution, work, write_snapshot


def table(out, name):
    return [tuple(row.values()) for row in pq.read_table(out / f"{name}.parquet").to_pylist()]


def by_work_id(out, name):
    """A table's rows with work_key replaced by the work's id, sorted."""
    ids = {row[0]: row[1] for row in table(out, "works")}
    return sorted((ids[row[0]], *row[1:]) for row in table(out, name))


def test_later_version_replaces_earlier_and_merged_ids_go(tmp_path):
    root = write_snapshot(
        tmp_path / "snap",
        {
            "2026-01-01/part_000.gz": [work(1, 5), work(2, 7), work(3, 1)],
            "2026-02-01/part_000.gz": [work(1, 9)],  # a later version of W1
        },
        merged=["W3"],
    )
    report = ingest_openalex(root, tmp_path / "out")
    rows = {r[1]: r[8] for r in table(tmp_path / "out", "works")}
    assert rows == {"W1": 9, "W2": 7}
    assert (report.records_read, report.replaced_versions, report.merged_removed) == (4, 1, 1)
    assert report.works_written == 2


def test_within_one_file_the_higher_count_then_the_later_line_wins(tmp_path):
    first, later, lower = work(1, 4), work(1, 4), work(1, 3)
    first["language"], later["language"] = "ja", "de"
    root = write_snapshot(tmp_path / "snap", {"2026-01-01/part_000.gz": [first, later, lower]})
    report = ingest_openalex(root, tmp_path / "out")
    assert [(r[1], r[6], r[8]) for r in table(tmp_path / "out", "works")] == [("W1", "de", 4)]
    assert report.replaced_versions == 2


def test_files_staged_in_parallel_give_the_same_files_as_one_at_a_time(tmp_path):
    # Byte for byte: the data fingerprint of published indicators relies on it.
    generate(tmp_path / "snap", works=1200, seed=5, part_size=200)
    one = ingest_openalex(tmp_path / "snap", tmp_path / "one", threads=1)
    two = ingest_openalex(tmp_path / "snap", tmp_path / "two", threads=2)
    assert one.lines() == two.lines()
    assert one.files > 2  # more files than threads
    for name in ("works", "authorships", "affiliations", "institutions"):
        path = f"{name}.parquet"
        assert (tmp_path / "one" / path).read_bytes() == (tmp_path / "two" / path).read_bytes()


def test_running_out_of_memory_is_said_as_such_not_as_malformed_input(tmp_path):
    generate(tmp_path / "snap", works=200, seed=1)
    with pytest.raises(KyotenError) as error:
        ingest_openalex(tmp_path / "snap", tmp_path / "out", memory_limit="4MB")
    assert error.value.location == "database"
    assert "--memory-limit" in error.value.message.en
    assert "メモリ上限" in error.value.localized("ja")
    assert not (tmp_path / "out" / "works.parquet").exists()


def test_pieces_shrink_so_that_every_thread_fits_in_the_memory_limit():
    assert piece_size(PIECE_BYTES, "64GB", 2) == PIECE_BYTES
    assert piece_size(PIECE_BYTES, "1GiB", 4) == 2**30 // 16
    assert piece_size(PIECE_BYTES, "1MB", 8) == 2**20  # never below 1 MiB
    assert piece_size(PIECE_BYTES, "75%", 2) == PIECE_BYTES  # not a size: left as asked


def test_threads_below_one_are_refused_before_anything_is_written(tmp_path):
    generate(tmp_path / "snap", works=10, seed=1)
    with pytest.raises(KyotenError) as error:
        ingest_openalex(tmp_path / "snap", tmp_path / "out", threads=0)
    assert (error.value.location, error.value.value) == ("--threads", 0)
    assert "正の整数" in error.value.localized("ja")
    assert not (tmp_path / "out").exists()


def test_a_snapshot_without_files_gives_empty_tables(tmp_path):
    (tmp_path / "snap" / "data" / "works").mkdir(parents=True)
    report = ingest_openalex(tmp_path / "snap", tmp_path / "out")
    assert (report.files, report.works_written) == (0, 0)
    columns = pq.read_table(tmp_path / "out" / "affiliations.parquet").column_names
    assert columns[:3] == ["work_key", "author_seq", "affil_seq"]


def test_partitions_are_ordered_by_date_not_by_name(tmp_path):
    root = write_snapshot(
        tmp_path / "snap",
        {"2025-12-31/part_001.gz": [work(1, 1)], "2026-01-01/part_000.gz": [work(1, 2)]},
    )
    assert [p.parent.name for p in find_snapshot(root).parts] == [
        "updated_date=2025-12-31",
        "updated_date=2026-01-01",
    ]
    ingest_openalex(root, tmp_path / "out")
    assert [r[8] for r in table(tmp_path / "out", "works")] == [2]


def test_authorships_affiliations_and_institutions_are_kept(tmp_path):
    u1, u2 = institution("U1", "JP"), institution("U2", "FR")
    root = write_snapshot(
        tmp_path / "snap",
        {"2026-01-01/part_000.gz": [work(1, 3, authorships=[author([u1], [u2]), author()])]},
    )
    report = ingest_openalex(root, tmp_path / "out")
    assert sorted(table(tmp_path / "out", "authorships")) == [
        (1, 0, "middle", "A1", 2, None, None),
        (1, 1, "middle", "A1", 0, None, None),
    ]
    assert sorted(table(tmp_path / "out", "affiliations")) == [
        # key, author, affiliation, raw string, institution, n_inst, n_authors, n_affil
        (1, 0, 0, "x", "IU1", 1, 2, 2),
        (1, 0, 1, "x", "IU2", 1, 2, 2),
    ]
    assert sorted((r[0], r[1], r[2]) for r in table(tmp_path / "out", "institutions")) == [
        ("IU1", u1["ror"], "JP"),
        ("IU2", u2["ror"], "FR"),
    ]
    assert report.institutions_written == 2


def test_malformed_line_is_fatal_by_default_with_file_and_line(tmp_path):
    root = write_snapshot(
        tmp_path / "snap",
        {
            "2026-01-01/part_000.gz": [
                work(1, 5),
                '{"id": "https://openalex.org/W2", "publ',
                work(3, 1),
            ]
        },
    )
    with pytest.raises(KyotenError) as error:
        ingest_openalex(root, tmp_path / "out")
    assert error.value.location.endswith("updated_date=2026-01-01/part_000.gz:2")
    assert "not valid JSON" in str(error.value)
    assert "不正なレコード" in error.value.localized("ja")


def test_a_carriage_return_inside_a_record_does_not_split_it(tmp_path):
    spaced = json.dumps(work(1, 5)).replace(', "type"', ',\r "type"')  # JSON whitespace
    root = write_snapshot(
        tmp_path / "snap",
        {"2026-01-01/part_000.gz": [spaced, '{"id": "https://openalex.org/W2", "publ', work(3, 1)]},
    )
    report = ingest_openalex(root, tmp_path / "out", on_error="skip")
    assert [(m.line, m.reason[:14]) for m in report.malformed] == [(2, "not valid JSON")]
    assert sorted(r[1] for r in table(tmp_path / "out", "works")) == ["W1", "W3"]


def test_a_record_without_an_id_is_malformed(tmp_path):
    root = write_snapshot(
        tmp_path / "snap",
        {"2026-01-01/part_000.gz": [work(1, 5), "null", '{"publication_year": 2020}', work(4, 1)]},
    )
    report = ingest_openalex(root, tmp_path / "out", on_error="skip")
    assert [(m.line, m.reason) for m in report.malformed] == [
        (2, "a JSON NoneType, expected an object"),
        (3, "field 'id' is None, expected a work id string"),
    ]
    assert sorted(r[1] for r in table(tmp_path / "out", "works")) == ["W1", "W4"]


def test_wrong_type_is_malformed_too(tmp_path):
    bad = json.dumps(work(2, 5) | {"publication_year": "MMXX"})
    root = write_snapshot(tmp_path / "snap", {"2026-01-01/part_000.gz": [work(1, 5), bad]})
    with pytest.raises(KyotenError) as error:
        ingest_openalex(root, tmp_path / "out")
    assert error.value.location.endswith("part_000.gz:2")
    assert "'publication_year' is 'MMXX', expected int" in str(error.value)


def test_skip_counts_every_malformed_line_of_a_synthetic_snapshot(tmp_path):
    summary = generate(tmp_path / "snap", works=3000, seed=5, malformed=4, part_size=1000)
    report = ingest_openalex(tmp_path / "snap", tmp_path / "out", on_error="skip")
    assert sorted((str(m.path), m.line) for m in report.malformed) == sorted(summary.malformed)
    assert report.works_written == summary.works - summary.merged
    assert report.replaced_versions == summary.duplicates


def test_small_pieces_name_the_same_lines_and_give_the_same_tables(tmp_path):
    # Files are parsed in pieces that end at line ends: a piece of a few KiB holds a few
    # records, so each file here is cut into many pieces.
    summary = generate(tmp_path / "snap", works=1500, seed=5, malformed=3, part_size=500)
    whole = ingest_openalex(tmp_path / "snap", tmp_path / "whole", on_error="skip")
    cut = ingest_openalex(tmp_path / "snap", tmp_path / "cut", on_error="skip", piece_bytes=4096)
    assert sorted((str(m.path), m.line) for m in cut.malformed) == sorted(summary.malformed)
    assert cut.lines() == whole.lines()
    for name in ("works", "authorships", "affiliations"):  # work_key: a record's place
        assert by_work_id(tmp_path / "cut", name) == by_work_id(tmp_path / "whole", name)
    assert sorted(table(tmp_path / "cut", "institutions")) == sorted(
        table(tmp_path / "whole", "institutions")
    )


def test_synthetic_duplicates_take_the_later_citation_count(tmp_path):
    summary = generate(tmp_path / "snap", works=2000, seed=9, part_size=1000)
    later = next((tmp_path / "snap" / "data" / "works").glob("updated_date=2026-03-15/*.gz"))
    with gzip.open(later, "rt") as handle:
        update = json.loads(handle.readline())
    ingest_openalex(tmp_path / "snap", tmp_path / "out")
    counts = {r[1]: r[8] for r in table(tmp_path / "out", "works")}
    work_id = update["id"].removeprefix("https://openalex.org/")
    assert summary.duplicates > 0
    assert counts.get(work_id, update["cited_by_count"]) == update["cited_by_count"]


def test_generator_is_deterministic(tmp_path):
    generate(tmp_path / "a", works=300, seed=4, part_size=100)
    generate(tmp_path / "b", works=300, seed=4, part_size=100)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.gz"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.gz"))
    assert files_a == files_b
    for name in files_a:
        with gzip.open(tmp_path / "a" / name) as one, gzip.open(tmp_path / "b" / name) as two:
            assert one.read() == two.read()


def test_missing_folder_and_missing_manifest_file_are_named(tmp_path):
    with pytest.raises(KyotenError) as error:
        ingest_openalex(tmp_path / "nowhere", tmp_path / "out")
    assert error.value.location == str(tmp_path / "nowhere")
    root = write_snapshot(tmp_path / "snap", {"2026-01-01/part_000.gz": [work(1, 1)]})
    manifest = root / "data" / "works" / "manifest"
    manifest.write_text(
        json.dumps(
            {"entries": [{"url": "s3://openalex/data/works/updated_date=2026-01-01/part_009.gz"}]}
        )
    )
    with pytest.raises(KyotenError) as error:
        ingest_openalex(root, tmp_path / "out")
    assert error.value.location.endswith("updated_date=2026-01-01/part_009.gz")


def test_corrupt_gzip_is_named(tmp_path):
    root = write_snapshot(tmp_path / "snap", {"2026-01-01/part_000.gz": [work(1, 1)]})
    part = root / "data" / "works" / "updated_date=2026-01-01" / "part_000.gz"
    part.write_bytes(part.read_bytes()[:20])
    with pytest.raises(KyotenError) as error:
        ingest_openalex(root, tmp_path / "out", on_error="skip")
    assert error.value.location == str(part)


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    root = write_snapshot(tmp_path / "snap", {"2026-01-01/part_000.gz": [work(1, 1)]})
    part = root / "data" / "works" / "updated_date=2026-01-01" / "part_000.gz"
    part.write_bytes(gzip.compress(b'{"id": "https://openalex.org/W1", "title": "\xff\xfe"}\n'))
    with pytest.raises(KyotenError) as error:
        ingest_openalex(root, tmp_path / "out", on_error="skip")
    assert error.value.location == str(part)
    assert "UTF-8" in error.value.message.en
    assert not (tmp_path / "out" / "works.parquet").exists()


def test_progress_bar_only_when_asked_or_on_a_terminal():
    quiet = io.StringIO()
    Progress("x", 10, stream=quiet).advance(5)  # a StringIO is not a terminal
    assert quiet.getvalue() == ""
    loud = io.StringIO()
    bar = Progress("x", 10, enabled=True, stream=loud)
    bar.advance(5)
    bar.close()
    assert " 50%" in loud.getvalue()
    assert loud.getvalue().endswith("100%" + loud.getvalue().split("100%")[-1])
