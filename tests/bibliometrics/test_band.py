"""The program document's PP(top 10%) band and the data fingerprint stored with published runs."""

import pytest

from kyoten.bibliometrics.band import format_share, load_band_data, reference_band
from kyoten.bibliometrics.provenance import fingerprint
from kyoten.text import KyotenError

from .conftest import work, write_snapshot

BAND = reference_band()


@pytest.mark.parametrize(
    ("share", "position"),
    [
        (0.1999, "below"),  # just under 20%
        (0.2, "within"),  # the bounds belong to the band
        (0.1 + 0.1, "within"),  # a float sum a hair off 20% is still 20%
        (0.25, "within"),
        (0.2501, "above"),
        (None, None),  # a unit with no paper has no share
    ],
)
def test_a_share_is_placed_against_the_band(share, position):
    assert BAND.position(share) == position


@pytest.mark.parametrize(
    ("share", "text"),
    [
        (0.19999, "19.9%"),  # rounded down: never reads as reaching the band
        (0.2, "20.0%"),
        (3 / 12, "25.0%"),
        (1 / 12, "8.3%"),
        (None, "—"),
    ],
)
def test_a_share_is_written_rounded_down(share, text):
    assert format_share(share) == text


def test_the_band_stays_marked_unconfirmed_with_its_caveat_in_both_languages():
    data = load_band_data()
    assert BAND.unconfirmed is data["unconfirmed"] is True
    assert (BAND.low, BAND.high) == (data["low"], data["high"])
    assert BAND.caveat.en.startswith("[unconfirmed]")
    assert BAND.caveat.ja.startswith("［未確認］")
    assert "20" in BAND.label.ja and "25" in BAND.label.en
    assert "MEXT" in BAND.source


def test_the_fingerprint_follows_the_data(tmp_path):
    from kyoten.bibliometrics.ingest import ingest_openalex

    def ingested(name, cited):
        root = write_snapshot(tmp_path / f"s-{name}", {"2026-01-01/part_000.gz": [work(1, cited)]})
        ingest_openalex(root, tmp_path / name, threads=1)
        return fingerprint(tmp_path / name)

    first, again, other = ingested("a", 3), ingested("b", 3), ingested("c", 4)
    assert first.works == 1
    assert first.folder == str((tmp_path / "a").resolve())
    assert first.sha256 == again.sha256 != other.sha256


def test_a_folder_that_is_not_an_ingest_output_has_no_fingerprint(tmp_path):
    with pytest.raises(KyotenError) as caught:
        fingerprint(tmp_path)
    assert caught.value.location == str(tmp_path)
    assert "expected a folder written by 'kyoten bib ingest'" in caught.value.localized("en")
