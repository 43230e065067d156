"""Outcome indicators: a center's DOIs from its stored reports, publishing a run, bad input.

The pages that show the published run are in test_outcomes_pages.py.
"""

import pytest

from kyoten.audit.models import AuditEntry
from kyoten.bibliometrics.band import reference_band
from kyoten.bibliometrics.indicators import Options
from kyoten.bibliometrics.provenance import fingerprint
from kyoten.bibliometrics.units import parse_unit, read_dois
from kyoten.cli import EXIT_BAD_INPUT, EXIT_OK, main
from kyoten.outcomes.models import IndicatorRun, RunUnit, UnitIndicators
from kyoten.outcomes.services import center_papers, find_center, publish
from kyoten.submissions import services
from kyoten.text import KyotenError
from web.outcomes import BENCH_UNIT, YEAR, ingest_ircn_snapshot, ircn_sample_dois, load_ircn_samples
from web.reporting import ircn_data, stored


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """The ingested snapshot of web/outcomes.py (no database needed, so built once)."""
    return ingest_ircn_snapshot(tmp_path_factory.mktemp("outcomes"))


@pytest.fixture
def ircn(db):
    return load_ircn_samples()


def written():
    """Rows of every table a publish writes: runs, units, values, audit trail."""
    return (
        IndicatorRun.objects.count(),
        RunUnit.objects.count(),
        UnitIndicators.objects.count(),
        AuditEntry.objects.count(),
    )


def publish_cli(data_dir, *extra, lang="en"):
    return main(
        ["outcomes", "publish", str(data_dir), "--years", str(YEAR), "--lang", lang, *extra]
    )


def headline(run, name):
    return UnitIndicators.objects.get(
        unit__run=run, unit__name=name, counting="full", method="cwts"
    )


# --- a center's DOIs from its stored reports -----------------------------------------------


def test_center_papers_are_the_dois_of_every_sample_year(ircn):
    papers = center_papers(ircn)
    assert papers.fiscal_years == tuple(range(2017, 2024))
    assert len(papers.dois) == len(set(papers.dois)) > 500
    assert all(d.startswith("10.5555/sample.ircn.") for d in papers.dois)
    assert papers.from_samples == len(papers.dois)
    assert set(ircn_sample_dois()) <= set(papers.dois)


def test_center_papers_restricted_to_report_years(ircn):
    papers = center_papers(ircn, (2018, 2019))
    assert papers.fiscal_years == (2018, 2019)
    assert {d.split(".")[3] for d in papers.dois} == {"2018", "2019"}


def test_sample_reports_can_be_left_out(ircn):
    papers = center_papers(ircn, include_samples=False)
    assert (papers.dois, papers.fiscal_years, papers.from_samples) == ((), (), 0)


def test_an_accepted_report_replaces_the_sample_and_a_draft_does_not(ircn, personas):
    officer = personas["hana"]
    sample_2018 = set(center_papers(ircn, (2018, 2018)).dois)
    for year in (2018, 2019):
        version = stored(officer, fiscal_year=year, data=ircn_data(year))
    # FY2019 stays a draft: its sample is still read
    assert set(center_papers(ircn, (2018, 2019)).dois) > sample_2018
    report_2018 = version.report.center.annual_reports.get(fiscal_year=2018, is_sample=False)
    for action in ("submit", "accept"):
        services.act(report_2018, action, officer)

    papers = center_papers(ircn, (2018, 2018))
    # the accepted real report's two DOIs, normalised (one was written as a doi.org link)
    assert papers.dois == ("10.1234/a", "10.1234/b")
    assert papers.from_samples == 0


def test_a_doi_listed_in_two_years_counts_once(ircn, personas):
    officer = personas["hana"]
    for year in (2018, 2019):
        report = stored(officer, fiscal_year=year, data=ircn_data(year)).report
        for action in ("submit", "accept"):
            services.act(report, action, officer)
    assert center_papers(ircn, (2018, 2019)).dois == ("10.1234/a", "10.1234/b")


@pytest.mark.parametrize("code", ["IRCN", "ircn", " Ircn "])
def test_a_center_is_found_by_short_name_or_key(ircn, code):
    assert find_center(code) == ircn


def test_center_dois_command_writes_a_file_the_dois_reader_takes(ircn, tmp_path, capsys):
    out = tmp_path / "ircn.txt"
    code = main(["outcomes", "center-dois", "IRCN", "--report-years", "2018", "--out", str(out)])
    assert code == EXIT_OK
    assert read_dois(out) == center_papers(ircn, (2018, 2018)).dois
    assert parse_unit(f"center:IRCN={out}").dois == read_dois(out)
    assert "IRCN:" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "unknown center; expected the short name or key of a center in the registry"),
        ("ja", "不明な拠点です。登録簿にある拠点の略称かキーを指定してください"),
    ],
)
@pytest.mark.parametrize("command", ["center-dois", "publish"])
def test_an_unknown_center_is_refused_naming_it(ircn, data_dir, capsys, lang, words, command):
    before = written()
    if command == "center-dois":
        code = main(["outcomes", "center-dois", "NOPE", "--lang", lang])
    else:
        code = publish_cli(data_dir, "--center", "NOPE", lang=lang)
    assert code == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert words in err
    assert "NOPE" in err
    assert "IRCN" in err  # the known centers are listed
    assert written() == before


# --- publishing ---------------------------------------------------------------------------


def test_publish_computes_centers_and_benchmarks_in_one_run_with_provenance(ircn, data_dir, capsys):
    code = publish_cli(data_dir, "--benchmark", BENCH_UNIT, "--benchmark", "world")
    assert code == EXIT_OK
    run = IndicatorRun.objects.get()
    assert (run.first_year, run.last_year, run.field_scheme) == (YEAR, YEAR, "field")
    assert (run.doc_types, run.include_retracted, run.bootstrap) == ("article,review", False, 0)
    assert (run.report_years, run.include_samples) == ("", True)
    data = fingerprint(data_dir)
    assert (run.data_folder, run.data_sha256, run.works_in_data) == (
        str(data_dir.resolve()),
        data.sha256,
        100,
    )
    assert run.actor is None
    assert run.actor_label == "kyoten outcomes publish"

    # only IRCN has reports (its samples); the other centers are named as not measured
    units = list(run.units.values_list("name", "kind"))
    assert units == [("IRCN", "center"), (BENCH_UNIT, "benchmark"), ("world", "benchmark")]
    unit = run.units.get(name="IRCN")
    listed = len(center_papers(ircn).dois)
    assert (unit.center, unit.dois_listed, unit.dois_found) == (ircn, listed, 12)
    assert unit.dois_not_found == listed - 12
    assert unit.dois_from_samples == listed
    err = capsys.readouterr().err
    assert f"IRCN: 12 of {listed} report DOIs found in the data" in err
    assert "AIMR: no DOI in its reports; not measured" in err

    # every unit in both countings and both tie methods
    assert UnitIndicators.objects.filter(unit__run=run).count() == 3 * 4
    center = headline(run, "IRCN")
    assert center.p == 12
    assert center.pp_top10 == pytest.approx(3 / 12)  # cited 99, 95 and 91: the top 10
    assert center.pp_top1 == pytest.approx(1 / 12)  # cited 99: the top 1
    assert center.mncs == pytest.approx(321 / 49.5 / 12)
    assert center.pp_top10_lb is None  # no bootstrap asked for
    assert headline(run, BENCH_UNIT).pp_top10 == pytest.approx(0.5)
    assert headline(run, "world").pp_top10 == pytest.approx(0.1)
    band = reference_band()
    assert [band.position(headline(run, n).pp_top10) for n in ("IRCN", BENCH_UNIT, "world")] == [
        "within",
        "above",
        "below",
    ]


def test_publish_with_report_years_bootstrap_and_without_samples(ircn, data_dir):
    code = publish_cli(data_dir, "--report-years", "2018", "--bootstrap", "50", "--center", "ircn")
    assert code == EXIT_OK
    run = IndicatorRun.objects.get()
    assert (run.report_years, run.bootstrap) == ("2018-2018", 50)
    center = headline(run, "IRCN")
    assert center.pp_top10_lb <= center.pp_top10 <= center.pp_top10_ub
    assert run.units.get().dois_listed == len(center_papers(ircn, (2018, 2018)).dois)

    before = written()
    assert publish_cli(data_dir, "--no-samples") == EXIT_BAD_INPUT  # no accepted report
    assert written() == before


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "no works.parquet here; expected a folder written by 'kyoten bib ingest'"),
        ("ja", "works.parquet がありません。'kyoten bib ingest' の出力フォルダを指定してください"),
    ],
)
def test_a_folder_that_is_not_an_ingest_output_is_refused(
    ircn, data_dir, tmp_path, capsys, lang, words
):
    assert publish_cli(data_dir) == EXIT_OK
    before = written()
    run = IndicatorRun.objects.get()
    assert publish_cli(tmp_path, lang=lang) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert words in err
    assert str(tmp_path) in err
    assert written() == before
    assert IndicatorRun.objects.get() == run  # the published run is kept


@pytest.mark.parametrize(
    ("benchmark", "words"),
    [
        ("ror:0zzzzzz99", "unknown unit: no institution with this ror in the data"),
        ("country:XX", "unknown unit: no institution with this country_code in the data"),
        ("ror:nonsense", "not a ROR id"),
    ],
)
def test_a_bad_benchmark_is_refused_with_nothing_written(ircn, data_dir, capsys, benchmark, words):
    before = written()
    assert publish_cli(data_dir, "--benchmark", benchmark) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert words in err
    assert benchmark.split(":")[1] in err
    assert written() == before


def test_republishing_a_window_replaces_its_run(ircn, data_dir):
    assert publish_cli(data_dir, "--benchmark", "world") == EXIT_OK
    first = IndicatorRun.objects.get()
    assert publish_cli(data_dir, "--benchmark", BENCH_UNIT) == EXIT_OK
    second = IndicatorRun.objects.get()
    assert second.pk != first.pk
    assert list(RunUnit.objects.values_list("name", flat=True)) == ["IRCN", BENCH_UNIT]
    assert UnitIndicators.objects.count() == 2 * 4

    # another window is another run; the page shows the newest
    assert publish_cli(data_dir, "--years", "2019-2020") == EXIT_OK
    assert IndicatorRun.objects.count() == 2
    assert IndicatorRun.objects.first().window == "2019–2020"


def test_a_failure_while_writing_keeps_the_previous_run(ircn, data_dir, monkeypatch):
    options = Options(YEAR, YEAR)
    publish(data_dir, options, [parse_unit("world")])
    before = written()
    kept = IndicatorRun.objects.get()
    calls = []

    def fail_on_the_third(**values):
        calls.append(values)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(**values)

    original = UnitIndicators.objects.create
    monkeypatch.setattr(UnitIndicators.objects, "create", fail_on_the_third)
    with pytest.raises(RuntimeError, match="disk full"):
        publish(data_dir, options, [parse_unit(BENCH_UNIT)])
    assert written() == before
    assert IndicatorRun.objects.get() == kept
    assert list(kept.units.values_list("name", flat=True)) == ["IRCN", "world"]


def test_publishing_is_in_the_audit_trail(ircn, data_dir):
    publish_cli(data_dir, "--benchmark", "world")
    first = IndicatorRun.objects.get()
    entries = AuditEntry.objects.filter(model__startswith="outcomes.")
    assert {e.actor_label for e in entries} == {"kyoten outcomes publish"}
    created = entries.filter(action="create")
    assert created.filter(model="outcomes.IndicatorRun", object_pk=str(first.pk)).exists()
    assert created.filter(model="outcomes.RunUnit").count() == 2
    run_entry = created.get(model="outcomes.IndicatorRun")
    assert run_entry.after["data_sha256"] == first.data_sha256

    publish_cli(data_dir, "--benchmark", "world")
    deleted = AuditEntry.objects.filter(action="delete", model__startswith="outcomes.")
    assert deleted.filter(model="outcomes.IndicatorRun", object_pk=str(first.pk)).exists()
    assert deleted.filter(model="outcomes.UnitIndicators").count() == 2 * 4


def test_publish_refuses_when_no_center_has_a_doi(db, data_dir):
    with pytest.raises(KyotenError, match="no publication DOI"):
        publish(data_dir, Options(YEAR, YEAR))
    assert IndicatorRun.objects.count() == 0


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "--report-years: expected a report fiscal year or a range such as 2019-2022"),
        ("ja", "--report-years：報告の年度か 2019-2022 のような範囲を指定してください"),
    ],
)
def test_bad_report_years_are_refused_naming_them(ircn, data_dir, capsys, lang, words):
    before = written()
    assert publish_cli(data_dir, "--report-years", "FY18", lang=lang) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert words in err
    assert "FY18" in err
    assert written() == before
