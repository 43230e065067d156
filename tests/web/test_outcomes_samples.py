"""First start shows the outcome indicators: `kyoten outcomes load-samples` (run by `make
run`) writes a synthetic OpenAlex-shaped snapshot holding the sample reports' DOIs, ingests it
and publishes a sample run, marked sample data wherever shown and replaced by a real publish."""

import pytest

from kyoten.audit.models import AuditEvent
from kyoten.bibliometrics.indicators import Options
from kyoten.bibliometrics.units import parse_unit
from kyoten.cli import EXIT_OK, main
from kyoten.outcomes import samples
from kyoten.outcomes.models import IndicatorRun, RunUnit
from kyoten.outcomes.samples import load_sample_outcomes, sample_papers, window
from kyoten.outcomes.services import publish
from kyoten.registry.models import Center
from kyoten.submissions import services
from kyoten.submissions.samples import load_samples
from web.outcomes import BENCH_UNIT, SAMPLE_DAY, YEAR, ingest_ircn_snapshot
from web.reporting import ircn_data, stored

SMALL = 1500  # background works: enough for a reference set, quick to write and ingest
YEARS = (2014, 2023)  # the ten publication years up to the last complete one on SAMPLE_DAY


@pytest.fixture
def two_centers(db):
    """IRCN (sample reports FY2017–FY2023) and QUP (FY2021–FY2023)."""
    centers = [Center.objects.get(key=key) for key in ("ircn", "qup")]
    load_samples(SAMPLE_DAY, centers=centers)
    return centers


@pytest.fixture
def sample_run(two_centers, tmp_path):
    return load_sample_outcomes(tmp_path / "sample-openalex", SAMPLE_DAY, background_works=SMALL)


def test_the_sample_run_measures_every_center_with_sample_dois(sample_run, two_centers):
    assert window(SAMPLE_DAY) == YEARS
    assert sample_run.is_sample
    assert (sample_run.first_year, sample_run.last_year) == YEARS
    centers = {u.name: u for u in sample_run.units.filter(kind=RunUnit.Kind.CENTER)}
    assert set(centers) == {"IRCN", "QUP"}
    papers = sample_papers(two_centers, YEARS)
    for unit in centers.values():
        assert unit.dois_from_samples == unit.dois_listed > 0  # every DOI from a sample
        # those published in the snapshot's years are in the data (FY2023's of 2024 are
        # not), but for the few the synthetic snapshot merges away as OpenAlex does (0.3%)
        in_years = [p for p in papers if p.doi.startswith(f"10.5555/sample.{unit.key}.")]
        assert len(in_years) * 0.98 < unit.dois_found <= len(in_years) < unit.dois_listed
        assert unit.values.count() == 4  # full and fractional counting, two tie methods
    benchmarks = sample_run.units.filter(kind=RunUnit.Kind.BENCHMARK)
    assert [b.name for b in benchmarks] == ["world", "country:JP"]
    assert AuditEvent.objects.filter(kind="outcomes.sample_loaded").count() == 1
    assert sample_run.actor_label == samples.LOADER


def test_the_sample_papers_carry_their_report_year(two_centers):
    papers = sample_papers(two_centers, YEARS)
    ircn = [p for p in papers if p.doi.startswith("10.5555/sample.ircn.")]
    assert ircn and all(2014 <= p.year <= 2023 for p in papers)
    # a paper of the FY2018 report is published in 2018 or, January to March, in 2019
    assert {p.year for p in ircn if ".2018." in p.doi} == {2018, 2019}
    assert len({p.doi for p in papers}) == len(papers)


def test_the_dois_of_an_accepted_real_report_stay_out_of_the_synthetic_data(two_centers, personas):
    report = stored(personas["hana"], fiscal_year=2018, data=ircn_data(2018)).report
    for action in ("submit", "accept"):
        services.act(report, action, personas["hana"])
    dois = {p.doi for p in sample_papers(two_centers, YEARS)}
    assert not any(".ircn.2018." in d for d in dois)
    assert "10.1234/a" not in dois  # the real report's DOI
    assert any(".ircn.2019." in d for d in dois)


def test_loading_again_adds_nothing(sample_run, tmp_path):
    assert load_sample_outcomes(tmp_path / "again", SAMPLE_DAY, background_works=SMALL) is None
    assert IndicatorRun.objects.count() == 1
    assert not (tmp_path / "again").exists()


def test_the_snapshot_is_written_and_ingested_on_this_machine(sample_run, tmp_path):
    folder = tmp_path / "sample-openalex"
    assert sample_run.data_folder.endswith("data")
    assert (folder / "data").is_dir() and not (folder / "snapshot").exists()
    assert sample_run.works_in_data >= SMALL


@pytest.mark.parametrize(
    ("lang", "banner"),
    [
        ("en", "computed at start-up from a synthetic OpenAlex-shaped snapshot"),
        ("ja", "サンプル報告書のDOIを含む合成のOpenAlex形式データから算出したものです"),
    ],
)
def test_the_sample_indicators_are_marked_wherever_shown(client_as, sample_run, lang, banner):
    client = client_as("hana")
    center = client.get("/centers/ircn/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    section = center[center.index('id="outcomes"') :]
    assert 'id="outcomes-sample"' in section and banner in section
    assert 'id="outcomes-headline"' in section  # the figures are there, marked
    overview = client.get("/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    section = overview[overview.index('id="outcomes-overview"') :]
    assert 'id="outcomes-sample"' in section and banner in section
    assert "outcomes-overview-table" in section


def test_a_real_publish_replaces_the_sample(client_as, sample_run, tmp_path):
    data = ingest_ircn_snapshot(tmp_path / "real")
    real = publish(
        data,
        Options(first_year=YEAR, last_year=YEAR),
        [parse_unit(BENCH_UNIT)],
        centers=[Center.objects.get(key="ircn")],
    ).run
    assert list(IndicatorRun.objects.all()) == [real]
    assert not real.is_sample
    page = client_as("hana").get("/centers/ircn/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="outcomes-headline"' in page and 'id="outcomes-sample"' not in page
    # and the next start adds no sample beside it
    assert load_sample_outcomes(tmp_path / "next", SAMPLE_DAY, background_works=SMALL) is None
    assert list(IndicatorRun.objects.all()) == [real]


def test_the_command_loads_the_samples_into_the_folder_given(
    two_centers, tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(samples, "BACKGROUND_WORKS", SMALL)
    folder = tmp_path / "cli"
    assert main(["outcomes", "load-samples", "--folder", str(folder)]) == EXIT_OK
    assert "sample outcome indicators published from a synthetic snapshot" in (
        capsys.readouterr().out
    )
    assert IndicatorRun.objects.get().is_sample
    assert main(["outcomes", "load-samples", "--folder", str(folder)]) == EXIT_OK
    assert "none added" in capsys.readouterr().out
