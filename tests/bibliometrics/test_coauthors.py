"""Works shared with a center's people, read from the ingested tables (kyoten.bibliometrics.coauthors)."""

from kyoten.bibliometrics.coauthors import AuthorRow, fields_of, works_with
from kyoten.bibliometrics.ingest import ingest_openalex

from .conftest import OA, work, write_snapshot

PI = "0000-0002-1825-0097"
EXPERT = "0000-0001-5109-3700"


def authorship(name, orcid=None, openalex="A9"):
    return {
        "author_position": "middle",
        "author": {
            "id": f"{OA}{openalex}",
            "orcid": f"https://orcid.org/{orcid}" if orcid else None,
            "display_name": name,
        },
        "institutions": [],
        "affiliations": [],
    }


def ingested(tmp_path, works):
    root = write_snapshot(tmp_path / "snap", {"2026-01-01/part_000.gz": works})
    ingest_openalex(root, tmp_path / "out")
    return tmp_path / "out"


def test_each_authors_orcid_and_name_are_kept_bare(tmp_path):
    out = ingested(tmp_path, [work(1, 3, authorships=[authorship("Takao Hensch", PI, "A1")])])
    (found,) = works_with(out, anchors={PI}, candidates=set(), since_year=2000)
    assert found.authors == (AuthorRow("Takao Hensch", PI, "A1"),)


def test_works_of_the_anchors_since_a_year_with_their_authors(tmp_path):
    pi, expert = authorship("Takao Hensch", PI, "A1"), authorship("Aiko Tanaka", EXPERT, "A2")
    stranger = authorship("Someone Else", None, "A3")
    out = ingested(
        tmp_path,
        [
            work(1, 3, year=2024, authorships=[pi, expert, stranger]),
            work(2, 3, year=2019, authorships=[pi, expert]),  # before the year asked
            work(3, 3, year=2024, authorships=[expert, stranger]),  # no anchor
        ],
    )
    found = works_with(out, anchors={PI}, candidates={EXPERT}, since_year=2020)
    assert [(w.doi, w.year, w.authors_total) for w in found] == [("10.5555/t.1", 2024, 3)]
    assert [a.name for a in found[0].authors] == ["Takao Hensch", "Aiko Tanaka", "Someone Else"]
    # an OpenAlex author id anchors as well as an ORCID iD
    assert [w.doi for w in works_with(out, anchors={"A1"}, candidates=set(), since_year=2020)] == [
        "10.5555/t.1"
    ]


def test_of_a_consortium_paper_only_the_identified_authors_come_back(tmp_path):
    crowd = [authorship(f"Member {i}", None, f"A{100 + i}") for i in range(120)]
    pi, expert = authorship("Takao Hensch", PI, "A1"), authorship("Aiko Tanaka", EXPERT, "A2")
    out = ingested(tmp_path, [work(1, 3, year=2024, authorships=[pi, *crowd, expert])])
    (found,) = works_with(out, anchors={PI}, candidates={EXPERT}, since_year=2020)
    assert found.authors_total == 122
    assert [a.orcid for a in found.authors] == [PI, EXPERT]


def test_no_anchor_no_question(tmp_path):
    assert works_with(tmp_path, anchors=set(), candidates={EXPERT}, since_year=2020) == []


def test_the_fields_a_person_publishes_in(tmp_path):
    expert = authorship("Aiko Tanaka", EXPERT, "A2")
    out = ingested(
        tmp_path,
        [
            work(1, 3, year=2024, field="28", authorships=[expert]),
            work(2, 3, year=2025, field="28", authorships=[expert]),
            work(3, 3, year=2025, field="17", authorships=[expert]),
            work(4, 3, year=2015, field="31", authorships=[expert]),  # before the year asked
        ],
    )
    assert fields_of(out, {EXPERT}, 2020) == {EXPERT: {28: 2, 17: 1}}
    assert fields_of(out, {"A2"}, 2020) == {"A2": {28: 2, 17: 1}}
    assert fields_of(out, set(), 2020) == {}
