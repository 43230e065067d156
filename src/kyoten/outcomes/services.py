"""A center's papers from its stored annual reports, and publishing indicators (commands and
tests call these; pages only read what :func:`publish` stored).

Which reports count: for each fiscal year, the version the dashboards show
(:func:`kyoten.submissions.services.shown_versions`) — the latest version of the center's
*accepted* real report, or else of its sample report. Drafts, submitted and returned reports
are not used: their publication lists are not yet accepted by the program office. Sample
reports can be left out (``include_samples=False``); their DOIs (under 10.5555) are counted
apart so pages can say how many there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Q

from kyoten.audit.context import current_actor, recording
from kyoten.audit.models import by
from kyoten.bibliometrics.indicators import IndicatorRow, Options, Store
from kyoten.bibliometrics.provenance import DataFingerprint, fingerprint
from kyoten.bibliometrics.units import Unit, normalize_doi
from kyoten.outcomes.models import IndicatorRun, RunUnit, UnitIndicators
from kyoten.registry.models import Center
from kyoten.submissions.services import shown_versions
from kyoten.text import Bilingual, KyotenError

YearRange = tuple[int, int]
# Columns of an IndicatorRow that name its unit and window (kept on the run and unit instead).
_ROW_IDENTITY = frozenset({"unit", "first_year", "last_year"})


def find_center(code: str) -> Center:
    """The center whose key (``ircn``) or short name (``IRCN``) is ``code``, in any case.

    Raises:
        KyotenError: no such center (the message lists the known short names).
    """
    text = code.strip()
    center = Center.objects.filter(Q(key__iexact=text) | Q(short_name__iexact=text)).first()
    if center is None:
        known = ", ".join(Center.objects.values_list("short_name", flat=True))
        raise KyotenError(
            Bilingual(
                en=f"unknown center; expected the short name or key of a center in the registry"
                f" ({known})",
                ja=f"不明な拠点です。登録簿にある拠点の略称かキーを指定してください（{known}）",
            ),
            location="center",
            value=code,
        )
    return center


@dataclass(frozen=True)
class CenterPapers:
    """A center's DOIs from its reports: deduplicated, in report order, and where they came from.

    Attributes:
        center: the center.
        dois: normalised DOIs (lower case, no resolver), each once.
        from_samples: how many of ``dois`` are listed only in sample reports.
        fiscal_years: the report fiscal years read, oldest first.
    """

    center: Center
    dois: tuple[str, ...]
    from_samples: int
    fiscal_years: tuple[int, ...]

    def unit(self) -> Unit:
        """The center as a unit of :mod:`kyoten.bibliometrics` (named by its short name)."""
        return Unit("center", self.center.short_name, self.center.key, self.dois)


def center_papers(
    center: Center, report_years: YearRange | None = None, *, include_samples: bool = True
) -> CenterPapers:
    """The DOIs of ``center``'s publications in its shown reports (see the module's rule).

    Args:
        center: the center.
        report_years: only reports of these fiscal years (first, last), if given.
        include_samples: read sample reports for years without an accepted real report.
    """
    only_in_samples: dict[str, bool] = {}
    years: list[int] = []
    for version in shown_versions([center]):
        fiscal_year = version.report.fiscal_year
        if report_years and not report_years[0] <= fiscal_year <= report_years[1]:
            continue
        report = version.content
        sample = version.report.is_sample or report.metadata.is_sample
        if sample and not include_samples:
            continue
        years.append(fiscal_year)
        for publication in report.publications:
            doi = normalize_doi(publication.doi)
            only_in_samples[doi] = only_in_samples.get(doi, True) and sample
    return CenterPapers(
        center,
        tuple(only_in_samples),
        sum(only_in_samples.values()),
        tuple(years),
    )


def format_years(years: YearRange | None) -> str:
    """``2014-2023`` (empty for no range)."""
    return f"{years[0]}-{years[1]}" if years else ""


@dataclass(frozen=True)
class Published:
    """What :func:`publish` stored, and the centers it left out (no DOI in their reports)."""

    run: IndicatorRun
    without_dois: list[Center] = field(default_factory=list)


@dataclass(frozen=True)
class _Measured:
    papers: list[CenterPapers]
    found: dict[str, int]
    rows: list[IndicatorRow]


def _measure(
    data_dir: Path,
    options: Options,
    papers: list[CenterPapers],
    benchmarks: Sequence[Unit],
    time_limit_s: float,
    threads: int | None,
) -> _Measured:
    """One :meth:`Store.indicators` run over the centers and the benchmarks."""
    store = Store(data_dir, time_limit_s=time_limit_s, threads=threads)
    try:
        found = {p.center.short_name: store.matched_dois(p.unit()) for p in papers}
        rows = store.indicators([p.unit() for p in papers] + list(benchmarks), options)
    finally:
        store.close()
    return _Measured(papers, found, rows)


def publish(
    data_dir: Path,
    options: Options,
    benchmarks: Sequence[Unit] = (),
    *,
    centers: Sequence[Center] | None = None,
    report_years: YearRange | None = None,
    include_samples: bool = True,
    time_limit_s: float = 600.0,
    threads: int | None = None,
    sample: bool = False,
) -> Published:
    """Compute every center's indicators and the benchmarks' in one run, then store them.

    The computation happens first; the run is then written in one transaction, replacing a
    run of the same publication-year window and, unless it is itself ``sample`` data, the
    sample run. The acting user (see :func:`kyoten.audit.context.acting_as`) is recorded on
    the run and in the audit trail.

    Args:
        data_dir: a folder written by ``kyoten bib ingest``.
        options: the window, field scheme, document types and bootstrap.
        benchmarks: the units shown beside the centers (institutions, countries, the world).
        centers: the centers to measure (default: every center in the registry).
        report_years: only reports of these fiscal years, if given.
        include_samples: read sample reports for years without an accepted real report.
        time_limit_s: the time limit of each query.
        threads: DuckDB threads (None: all cores).
        sample: the data is synthetic (:mod:`kyoten.outcomes.samples`): the run is marked
            sample data wherever shown.

    Raises:
        KyotenError: the folder is not an ingest output, a benchmark is unknown in the data,
            or no center has a DOI in its reports. Nothing is written then.
    """
    chosen = list(centers) if centers is not None else list(Center.objects.all())
    papers = [center_papers(c, report_years, include_samples=include_samples) for c in chosen]
    with_dois = [p for p in papers if p.dois]
    if not with_dois:
        raise KyotenError(
            Bilingual(
                en="no publication DOI in the accepted or sample reports of these centers;"
                " nothing to measure",
                ja="これらの拠点の受理済み・サンプルの報告に論文の DOI がありません。"
                "計測する対象がありません",
            ),
            location="centers",
            value=", ".join(c.short_name for c in chosen),
        )
    data = fingerprint(data_dir)
    measured = _measure(data_dir, options, with_dois, benchmarks, time_limit_s, threads)
    run = _store(measured, benchmarks, options, data, report_years, include_samples, sample)
    return Published(run, [p.center for p in papers if not p.dois])


def _store(
    measured: _Measured,
    benchmarks: Sequence[Unit],
    options: Options,
    data: DataFingerprint,
    report_years: YearRange | None,
    include_samples: bool,
    sample: bool,
) -> IndicatorRun:
    with recording(
        "outcomes.sample_loaded" if sample else "outcomes.published",
        first_year=options.first_year,
        last_year=options.last_year,
    ):
        return _store_run(
            measured, benchmarks, options, data, report_years, include_samples, sample
        )


def _store_run(
    measured: _Measured,
    benchmarks: Sequence[Unit],
    options: Options,
    data: DataFingerprint,
    report_years: YearRange | None,
    include_samples: bool,
    sample: bool,
) -> IndicatorRun:
    user, label = current_actor()
    replaced = Q(first_year=options.first_year, last_year=options.last_year)
    if not sample:
        replaced |= Q(is_sample=True)  # real figures replace the sample's
    IndicatorRun.objects.filter(replaced).delete()
    run = IndicatorRun.objects.create(
        first_year=options.first_year,
        last_year=options.last_year,
        field_scheme=options.field_scheme,
        doc_types=",".join(options.doc_types),
        include_retracted=options.include_retracted,
        bootstrap=options.bootstrap,
        seed=options.seed,
        report_years=format_years(report_years),
        include_samples=include_samples,
        is_sample=sample,
        data_folder=data.folder,
        data_sha256=data.sha256,
        works_in_data=data.works,
        **by(user, label),
    )
    units: dict[str, RunUnit] = {}
    for position, papers in enumerate(measured.papers):
        name = papers.center.short_name
        units[name] = RunUnit.objects.create(
            run=run,
            position=position,
            kind=RunUnit.Kind.CENTER,
            name=name,
            key=papers.center.key,
            center=papers.center,
            dois_listed=len(papers.dois),
            dois_found=measured.found[name],
            dois_from_samples=papers.from_samples,
        )
    for position, unit in enumerate(benchmarks, start=len(units)):
        units[unit.name] = RunUnit.objects.create(
            run=run, position=position, kind=RunUnit.Kind.BENCHMARK, name=unit.name, key=unit.key
        )
    for row in measured.rows:
        values = {k: v for k, v in row.as_dict().items() if k not in _ROW_IDENTITY}
        UnitIndicators.objects.create(unit=units[row.unit], **values)
    return run
