"""Helpers: tiny OpenAlex snapshots written from Python dicts, and stores built from them."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from kyoten.bibliometrics.indicators import Store
from kyoten.bibliometrics.ingest import ingest_openalex

OA = "https://openalex.org/"


def institution(name: str, country: str = "JP") -> dict[str, str]:
    """An OpenAlex institution object; ``name`` becomes its id and a made-up ROR."""
    number = sum(ord(ch) for ch in name) % 100
    return {
        "id": f"{OA}I{name}",
        "ror": f"https://ror.org/0{name.lower():x<6.6}{number:02d}",
        "country_code": country,
        "display_name": name,
        "type": "education",
    }


def author(*affiliations: Sequence[dict[str, str]]) -> dict[str, Any]:
    """An authorship with the given affiliations (each a list of institutions)."""
    insts = {i["id"]: i for group in affiliations for i in group}
    return {
        "author_position": "middle",
        "author": {"id": f"{OA}A1"},
        "institutions": list(insts.values()),
        "affiliations": [
            {"raw_affiliation_string": "x", "institution_ids": [i["id"] for i in group]}
            for group in affiliations
        ],
    }


def work(
    number: int,
    cited: int,
    *,
    year: int = 2020,
    field: str = "11",
    kind: str = "article",
    authorships: list[dict[str, Any]] | None = None,
    retracted: bool = False,
) -> dict[str, Any]:
    """An OpenAlex work with what the indicators read."""
    return {
        "id": f"{OA}W{number}",
        "doi": f"https://doi.org/10.5555/t.{number}",
        "publication_year": year,
        "type": kind,
        "language": "en",
        "is_retracted": retracted,
        "cited_by_count": cited,
        "primary_location": {"source": {"id": f"{OA}S1", "type": "journal"}},
        "primary_topic": {
            "id": f"{OA}T{field}01",
            "subfield": {"id": f"{OA}subfields/{field}01"},
            "field": {"id": f"{OA}fields/{field}"},
            "domain": {"id": f"{OA}domains/1"},
        },
        "authorships": authorships if authorships is not None else [],
    }


def write_snapshot(
    root: Path, parts: dict[str, list[str | dict[str, Any]]], merged: Sequence[str] = ()
) -> Path:
    """Write ``{"YYYY-MM-DD/part_000.gz": [work or raw line, ...]}`` in the official layout."""
    for name, lines in parts.items():
        date, part = name.split("/")
        path = root / "data" / "works" / f"updated_date={date}" / part
        path.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            for line in lines:
                handle.write((line if isinstance(line, str) else json.dumps(line)) + "\n")
    if merged:
        folder = root / "data" / "merged_ids" / "works"
        folder.mkdir(parents=True, exist_ok=True)
        with gzip.open(folder / "2026-01-01.csv.gz", "wt", encoding="utf-8") as handle:
            handle.write("merge_date,id,merge_into_id\n")
            handle.writelines(f"2026-01-01,{m},W1\n" for m in merged)
    return root


@pytest.fixture
def make_store(tmp_path: Path) -> Iterator[Any]:
    """Build a :class:`Store` from a list of works (one partition)."""
    stores: list[Store] = []

    def build(works: list[dict[str, Any]]) -> Store:
        root = write_snapshot(tmp_path / f"snap{len(stores)}", {"2026-01-01/part_000.gz": works})
        out = tmp_path / f"data{len(stores)}"
        ingest_openalex(root, out, threads=1)
        store = Store(out, threads=1)
        stores.append(store)
        return store

    yield build
    for store in stores:
        store.close()
