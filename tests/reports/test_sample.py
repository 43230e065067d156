"""Sample reports: deterministic, plausible, valid, and unmistakably samples."""

import pytest

from kyoten.program import load_program
from kyoten.reports import dump_report, indicators, load_report, report_verdict, sample_report


@pytest.mark.parametrize("track", ["wpi", "core", "multiple_host"])
def test_samples_are_valid_labelled_and_below_the_grant_cap(track):
    report = sample_report("DEMO", 2024, seed=5, track=track)
    meta = report.metadata
    assert meta.is_sample and meta.track == track
    assert "(sample)" in (meta.host_institution or "")
    assert all(p.orcid is None or p.orcid.startswith("0000-0000-") for p in report.roster)
    assert all(p.doi.startswith("10.5555/") for p in report.publications)
    cap = load_program("wpi").annual_grant_cap(track, meta.selection_fiscal_year, 2024).max
    assert 0.8 * cap < indicators(report).wpi_grant <= cap
    assert report_verdict(report).finding("grant.annual_cap").status == "met"


def test_the_same_arguments_give_the_same_report():
    assert sample_report("A", 2024, seed=1) == sample_report("A", 2024, seed=1)
    assert sample_report("A", 2024, seed=1) != sample_report("A", 2024, seed=2)
    assert sample_report("A", 2024, seed=1) != sample_report("B", 2024, seed=1)


@pytest.mark.parametrize("seed", range(5))
def test_samples_are_plausible(seed):
    numbers = indicators(sample_report("DEMO", 2023, seed=seed))
    assert 7 <= numbers.pis <= 16
    assert 0.25 <= float(numbers.researchers_from_abroad.share or 0) <= 0.6
    assert numbers.postdocs_international.whole > 0
    assert numbers.publications > 50


@pytest.mark.parametrize("fmt", ["json", "xlsx", "csv_zip"])
def test_samples_survive_every_format(fmt):
    report = sample_report("DEMO", 2024, seed=2)
    assert load_report(dump_report(report, fmt), f"sample.{fmt}") == report
