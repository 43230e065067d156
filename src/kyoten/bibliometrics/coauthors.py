"""Works of given people, from the tables ``kyoten bib ingest`` writes: those shared with
a center's people (:func:`works_with`), and the fields a person publishes in (:func:`fields_of`).

A conflict-of-interest check asks: which works since a year have one of a center's people
(its director, its PIs — found by ORCID iD or OpenAlex author id) as an author, and who else
wrote them? :func:`works_with` answers with each such work and its other authors, so that
the caller can recognise the persons it checks among them (by identifier, or by name).

The answer stays bounded however large the data: only works of the anchors are read, and of
a work with more than ``names_up_to`` authors (a consortium paper) only the authors whose
identifiers were asked for are returned — names are not compared on such works.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from kyoten.bibliometrics.db import Database
from kyoten.bibliometrics.ingest import table_path

# names are compared on works with at most this many authors; beyond, identifiers only
NAMES_UP_TO = 100
# at most this many works are read for one question: more means the anchors are not a
# center's people (a question that would cost unbounded time)
WORKS_MAX = 200_000


@dataclass(frozen=True)
class AuthorRow:
    name: str
    orcid: str | None
    openalex: str | None


@dataclass(frozen=True)
class SharedWork:
    """A work of an anchor: its DOI (or OpenAlex id), year, number of authors, and the
    authors returned (see the module docstring)."""

    doi: str
    year: int
    authors_total: int
    authors: tuple[AuthorRow, ...]


_SQL = """
    WITH anchored AS (
      SELECT DISTINCT work_key FROM read_parquet($authorships)
      WHERE author_orcid IN (SELECT unnest($anchors)) OR author_id IN (SELECT unnest($anchors))
    ),
    chosen AS (
      SELECT w.work_key, coalesce(w.doi, w.id) AS doi, w.publication_year, w.n_authors
      FROM read_parquet($works) w SEMI JOIN anchored USING (work_key)
      WHERE w.publication_year >= $since
      ORDER BY w.work_key
      LIMIT $works_max
    )
    SELECT c.doi, c.publication_year, c.n_authors, a.author_seq,
           coalesce(a.author_name, ''), a.author_orcid, a.author_id
    FROM chosen c JOIN read_parquet($authorships) a USING (work_key)
    WHERE c.n_authors <= $names_up_to
       OR a.author_orcid IN (SELECT unnest($wanted)) OR a.author_id IN (SELECT unnest($wanted))
    ORDER BY c.work_key, a.author_seq
"""


def works_with(
    data_dir: Path,
    *,
    anchors: Collection[str],
    candidates: Collection[str],
    since_year: int,
    names_up_to: int = NAMES_UP_TO,
) -> list[SharedWork]:
    """The works since ``since_year`` with an author among ``anchors`` (ORCID iDs or
    OpenAlex author ids), each with its authors (all of them up to ``names_up_to``;
    beyond, only the anchors and the ``candidates``' identifiers).

    Raises:
        KyotenError: the folder holds no ingested tables.
    """
    if not anchors:
        return []
    params = {
        "authorships": str(table_path(data_dir, "authorships")),
        "works": str(table_path(data_dir, "works")),
        "anchors": sorted(anchors),
        "wanted": sorted({*anchors, *candidates}),
        "since": since_year,
        "names_up_to": names_up_to,
        "works_max": WORKS_MAX,
    }
    works: dict[str, tuple[int, int, list[AuthorRow]]] = {}
    with Database() as db:
        for doi, year, total, _seq, name, orcid, openalex in db.fetchall(_SQL, params):
            entry = works.setdefault(doi, (year, total, []))
            entry[2].append(AuthorRow(name, orcid, openalex))
    return [
        SharedWork(doi, year, total, tuple(authors))
        for doi, (year, total, authors) in works.items()
    ]


_FIELDS_SQL = """
    SELECT a.author_orcid, a.author_id, w.field, count(DISTINCT w.work_key)
    FROM read_parquet($authorships) a JOIN read_parquet($works) w USING (work_key)
    WHERE (a.author_orcid IN (SELECT unnest($ids)) OR a.author_id IN (SELECT unnest($ids)))
      AND w.publication_year >= $since AND w.field IS NOT NULL
    GROUP BY ALL
"""


def fields_of(data_dir: Path, ids: Collection[str], since_year: int) -> dict[str, dict[int, int]]:
    """For each of ``ids`` (ORCID iDs or OpenAlex author ids) with works since
    ``since_year``: how many of them are in each OpenAlex field (its number, 11–36).

    Raises:
        KyotenError: the folder holds no ingested tables.
    """
    if not ids:
        return {}
    params = {
        "authorships": str(table_path(data_dir, "authorships")),
        "works": str(table_path(data_dir, "works")),
        "ids": sorted(ids),
        "since": since_year,
    }
    counts: dict[str, dict[int, int]] = {}
    with Database() as db:
        for orcid, openalex, field, works in db.fetchall(_FIELDS_SQL, params):
            who = orcid if orcid in ids else openalex
            number = field.rsplit("/", 1)[-1]
            if number.isdigit():
                by_field = counts.setdefault(who, {})
                by_field[int(number)] = by_field.get(int(number), 0) + works
    return counts
