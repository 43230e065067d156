"""A tiny ingested snapshot whose papers are IRCN's sample-report DOIs, shared by the outcome
tests (tests/web/test_outcomes*.py).

One reference cell (field 11, 2020, articles) of 100 works cited 0, 1, ..., 99 times, so the
top 10% are exactly the works cited 90 or more and the top 1% the one cited 99 times:

- IRCN: 12 of its sample-report DOIs are in the cell, cited 99, 95, 91 and 0–8 times:
  PP(top 10%) = 3/12 = 25.0% (within the band, its upper bound), PP(top 1%) = 1/12 = 8.3%,
  MNCS = (321 / 49.5) / 12 = 0.54;
- the benchmark institution "Bench" authors the works cited 80–99: PP(top 10%) = 10/20 = 50.0%
  (above the band);
- the world: PP(top 10%) = 10.0% (below the band).
"""

import datetime
from pathlib import Path

from bibliometrics.conftest import author, institution, work, write_snapshot
from kyoten.bibliometrics.ingest import ingest_openalex
from kyoten.registry.models import Center
from kyoten.reports import sample_report
from kyoten.submissions.samples import load_samples

# Samples are loaded as on this day, so IRCN (selected FY2017) has FY2017-FY2023.
SAMPLE_DAY = datetime.date(2024, 6, 1)
YEAR = 2020
BENCH = institution("Bench")
BENCH_UNIT = "ror:" + BENCH["ror"].removeprefix("https://ror.org/")
CENTER_CITATIONS = (99, 95, 91, 0, 1, 2, 3, 4, 5, 6, 7, 8)


def ircn_sample_dois():
    """The first DOIs of IRCN's FY2018 sample report (as `kyoten load-samples` stores it)."""
    report = sample_report("IRCN", 2018, track="wpi", selection_fiscal_year=2017)
    return [p.doi for p in report.publications[: len(CENTER_CITATIONS)]]


def write_ircn_snapshot(root: Path) -> Path:
    """The snapshot described in the module docstring, in OpenAlex's layout."""
    center = dict(zip(CENTER_CITATIONS, ircn_sample_dois(), strict=True))
    works = []
    for cited in range(100):
        bench = [author([BENCH])] if cited >= 80 else []
        record = work(cited + 1, cited, year=YEAR, authorships=bench)
        if cited in center:
            record["doi"] = "https://doi.org/" + center[cited].upper()  # normalised on ingest
        works.append(record)
    return write_snapshot(root, {"2026-01-01/part_000.gz": works})


def ingest_ircn_snapshot(tmp: Path) -> Path:
    """Write and ingest the snapshot; return the data folder."""
    snapshot = write_ircn_snapshot(tmp / "snapshot")
    ingest_openalex(snapshot, tmp / "data", threads=1)
    return tmp / "data"


def load_ircn_samples():
    """IRCN's sample reports, FY2017-FY2023; returns the center."""
    ircn = Center.objects.get(key="ircn")
    load_samples(SAMPLE_DAY, centers=[ircn])
    return ircn
