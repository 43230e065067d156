"""Sample outcome indicators, so that a new installation shows them on first start.

``kyoten outcomes load-samples`` (run by ``make run`` after ``kyoten load-samples``) writes a
small synthetic OpenAlex-shaped snapshot with :func:`kyoten.bibliometrics.synth.generate` —
its background works and the DOIs of the centers' sample reports, each published in its
report's fiscal year or the calendar year after, over the ten publication years up to last
year — ingests it and publishes the indicators of every center over those years as a sample
run: marked sample data wherever shown, replaced by the first real ``kyoten outcomes
publish``. Everything is computed from shipped code on this machine; nothing is downloaded.
It does nothing once a run, sample or real, is stored.
"""

from __future__ import annotations

import datetime
import hashlib
import shutil
from pathlib import Path

from kyoten.audit.context import acting_as
from kyoten.bibliometrics.indicators import Options
from kyoten.bibliometrics.ingest import ingest_openalex
from kyoten.bibliometrics.synth import Paper, generate
from kyoten.bibliometrics.units import normalize_doi, parse_unit
from kyoten.outcomes.models import IndicatorRun
from kyoten.outcomes.services import publish
from kyoten.registry.models import Center
from kyoten.submissions.services import shown_versions

# The background works of the snapshot: enough for every field and year to have a reference
# set of about a hundred works, small enough to write, ingest and compute in seconds.
BACKGROUND_WORKS = 20_000
SEED = 0
BENCHMARKS = ("world", "country:JP")
WINDOW_YEARS = 10
LOADER = "kyoten outcomes load-samples"


def window(today: datetime.date) -> tuple[int, int]:
    """The publication years of the sample: the ten years up to the last complete one."""
    return today.year - WINDOW_YEARS, today.year - 1


def sample_papers(centers: list[Center], years: tuple[int, int]) -> list[Paper]:
    """The DOIs of the centers' sample reports shown on the dashboards (a year with an
    accepted real report has no sample shown: its DOIs are real and stay out of synthetic
    data), each published in the report's fiscal year or the next calendar year, within
    ``years``."""
    papers: dict[str, Paper] = {}
    for version in shown_versions(centers):
        if not (version.report.is_sample or version.content.metadata.is_sample):
            continue
        fiscal_year = version.report.fiscal_year
        for publication in version.content.publications:
            doi = normalize_doi(publication.doi)
            # January to March belong to the fiscal year before: about one paper in four
            year = fiscal_year + (hashlib.sha256(doi.encode()).digest()[0] < 64)
            if years[0] <= year <= years[1]:
                papers.setdefault(doi, Paper(doi, year))
    return list(papers.values())


def load_sample_outcomes(
    folder: Path,
    today: datetime.date,
    *,
    background_works: int | None = None,
    threads: int | None = 1,
) -> IndicatorRun | None:
    """Write the sample snapshot under ``folder`` (``background_works`` besides the sample
    DOIs; default :data:`BACKGROUND_WORKS`), ingest it and publish the sample run of the
    :func:`window` of ``today``; None (nothing done) when a run is stored already or no
    center has a sample DOI in those years."""
    if IndicatorRun.objects.exists():
        return None
    centers = list(Center.objects.all())
    years = window(today)
    papers = sample_papers(centers, years)
    if not papers:
        return None
    snapshot, data = folder / "snapshot", folder / "data"
    shutil.rmtree(folder, ignore_errors=True)  # what an interrupted start left
    works = BACKGROUND_WORKS if background_works is None else background_works
    generate(snapshot, works=works, seed=SEED, papers=papers, years=years)
    ingest_openalex(snapshot, data, threads=threads, progress=False)
    shutil.rmtree(snapshot)  # the ingested tables are what the run reads
    with acting_as(None, LOADER):
        published = publish(
            data,
            Options(first_year=years[0], last_year=years[1]),
            [parse_unit(unit) for unit in BENCHMARKS],
            centers=centers,
            threads=threads,
            sample=True,
        )
    return published.run
