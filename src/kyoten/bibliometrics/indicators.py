"""Field-normalised citation indicators: P, P/PP(top 10%), P/PP(top 1%) and MNCS.

Reference cells are field × publication year × document type over the whole ingested world
(works of the selected types, not retracted, with a field and a citation count). Within a
cell of N papers with citation counts c, for a top share p = num/den:

- the threshold t is the smallest c whose cumulative count reaches the bottom 1 − p, tested in
  integers as ``den·cum(c) ≥ (den − num)·N``;
- **CWTS** (Waltman–Schreiber): a paper above t scores 1, a paper at t scores
  ``(den·cum(t) − (den − num)·N) / (den·n(t))``, others 0;
- **NISTEP** (adjusted count): the top set is the papers above t (all papers at t when none is
  above); each scores ``num·N / (den·K)`` with K the size of the top set;
- NCS = c · N / Σc (1 when the cell has no citation).

Both methods give a cell total of exactly p·N. Unit values (a center, an institution, a
country, the world) are weighted sums over the unit's papers, with full counting (weight 1)
or CWTS fractional counting (Σ 1/(n_authors · n_affiliations · n_institutions) over the
unit's author–affiliation–institution links).

The SQL uses only group-bys, joins and standard window functions so that the same definitions
run on another engine (Spark SQL).
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa  # type: ignore[import-untyped]

from kyoten.bibliometrics.db import Database, ident
from kyoten.bibliometrics.ingest import TABLES, table_path
from kyoten.bibliometrics.units import Unit
from kyoten.text import Bilingual, KyotenError

FieldScheme = Literal["field", "subfield", "domain", "topic"]
FIELD_SCHEMES: tuple[FieldScheme, ...] = ("field", "subfield", "domain", "topic")
DEFAULT_DOC_TYPES = ("article", "review")
# Top shares as exact fractions (numerator, denominator), by the tag used in column names.
PERCENTILES: dict[str, tuple[int, int]] = {"top10": (1, 10), "top1": (1, 100)}
METHODS = ("cwts", "nistep")
_TAG = re.compile(r"[a-z][a-z0-9_]*")  # a percentile tag becomes part of column names
COUNTINGS = ("full", "fractional")


@dataclass(frozen=True)
class Options:
    """What to compute: the publication-year window, the field scheme, the document types.

    Args:
        first_year: first publication year of the window.
        last_year: last publication year of the window.
        field_scheme: the works column that defines a field.
        doc_types: the document types in the reference world and the units.
        include_retracted: keep retracted works.
        bootstrap: number of bootstrap resamples for stability intervals (0: none).
        seed: the random seed of the bootstrap.
    """

    first_year: int
    last_year: int
    field_scheme: FieldScheme = "field"
    doc_types: tuple[str, ...] = DEFAULT_DOC_TYPES
    include_retracted: bool = False
    bootstrap: int = 0
    seed: int = 0

    def __post_init__(self) -> None:
        if self.first_year > self.last_year:
            raise KyotenError(
                Bilingual(
                    en="the year window is empty; expected first year <= last year",
                    ja="年の範囲が空です。開始年 <= 終了年 としてください",
                ),
                location="years",
                value=f"{self.first_year}-{self.last_year}",
            )
        if self.field_scheme not in FIELD_SCHEMES:
            raise KyotenError(
                Bilingual(
                    en=f"unknown field scheme; expected one of {', '.join(FIELD_SCHEMES)}",
                    ja=f"分野の区分が不明です。{', '.join(FIELD_SCHEMES)} のいずれかです",
                ),
                location="field_scheme",
                value=self.field_scheme,
            )
        if self.bootstrap < 0:
            raise KyotenError(
                Bilingual(
                    en="the number of bootstrap resamples must be 0 or more",
                    ja="ブートストラップの反復回数は 0 以上です",
                ),
                location="bootstrap",
                value=self.bootstrap,
            )


@dataclass(frozen=True)
class IndicatorRow:
    """The indicators of one unit, for one counting method and one tie method."""

    unit: str
    counting: str
    method: str
    first_year: int
    last_year: int
    p: float
    p_top10: float
    pp_top10: float | None
    p_top1: float
    pp_top1: float | None
    mncs: float | None
    pp_top10_lb: float | None = None
    pp_top10_ub: float | None = None
    pp_top1_lb: float | None = None
    pp_top1_ub: float | None = None
    mncs_lb: float | None = None
    mncs_ub: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """The row as a plain dict (column name -> value)."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _scope_sql(field_column: str) -> str:
    """The reference world: papers of the window and types, with a field and a citation count.

    A table of its own because the scores read it twice.
    """
    return f"""
        CREATE OR REPLACE TEMPORARY TABLE scope AS
        SELECT w.work_key, w.{field_column} AS field, w.publication_year AS pub_year,
               w.type AS doc_type, w.cited_by_count AS cits
        FROM works AS w
        JOIN doc_types AS t ON w.type = t.doc_type
        WHERE w.publication_year BETWEEN $first_year AND $last_year
          AND w.{field_column} IS NOT NULL
          AND w.cited_by_count IS NOT NULL
          AND (NOT w.is_retracted OR $include_retracted)
    """  # noqa: S608 -- constant fragments and an escaped identifier; values are $parameters


def _cell_scores_sql(tags: Sequence[str]) -> str:
    """The scores of a paper by its cell and citation count (every score depends only on them).

    Exact integer numerators and denominators, and their quotients; one row per citation count
    that occurs in a cell of ``scope``, so a small table however many papers there are.
    """
    threshold_cols = []
    value_cols = []
    for tag in tags:
        n, d = f"$num_{tag}", f"$den_{tag}"
        at_or_above = f"{d} * cum_c >= ({d} - {n}) * n_cell"
        # t: the threshold; cum_t: papers up to and at t; below_t: papers below t.
        threshold_cols.append(f"""
               MIN(cits) FILTER (WHERE {at_or_above}) AS t_{tag},
               MIN(cum_c) FILTER (WHERE {at_or_above}) AS cum_t_{tag},
               coalesce(MAX(cum_c) FILTER (WHERE NOT ({at_or_above})), 0) AS below_t_{tag}""")
        t, cum_t, below_t = f"h.t_{tag}", f"h.cum_t_{tag}", f"h.below_t_{tag}"
        value_cols.append(f"""
               CASE WHEN c.cits > {t} THEN 1
                    WHEN c.cits = {t} THEN {d} * {cum_t} - ({d} - {n}) * c.n_cell
                    ELSE 0 END AS cwts_{tag}_num,
               CASE WHEN c.cits = {t} THEN {d} * ({cum_t} - {below_t}) ELSE 1 END
                 AS cwts_{tag}_den,
               CASE WHEN c.cits > {t} OR (c.cits = {t} AND {cum_t} = c.n_cell)
                    THEN {n} * c.n_cell ELSE 0 END AS nistep_{tag}_num,
               {d} * CASE WHEN c.n_cell > {cum_t} THEN c.n_cell - {cum_t}
                          ELSE {cum_t} - {below_t} END AS nistep_{tag}_den""")
    exact = ", ".join(f"{c}_num, {c}_den" for c in _score_names(tags))
    quotients = ", ".join(f"CAST({c}_num AS DOUBLE) / {c}_den AS {c}" for c in _score_names(tags))
    return f"""
        WITH dist AS (
          SELECT field, pub_year, doc_type, cits, COUNT(*) AS n_c
          FROM scope GROUP BY field, pub_year, doc_type, cits
        ),
        cum AS (
          SELECT field, pub_year, doc_type, cits,
                 CAST(SUM(n_c) OVER (PARTITION BY field, pub_year, doc_type ORDER BY cits
                      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS cum_c,
                 CAST(SUM(n_c) OVER (PARTITION BY field, pub_year, doc_type) AS BIGINT)
                   AS n_cell,
                 CAST(SUM(n_c * cits) OVER (PARTITION BY field, pub_year, doc_type) AS BIGINT)
                   AS sum_cits
          FROM dist
        ),
        thresholds AS (
          SELECT field, pub_year, doc_type,{",".join(threshold_cols)}
          FROM cum GROUP BY field, pub_year, doc_type
        ),
        cell_values AS (
          SELECT c.field, c.pub_year, c.doc_type, c.cits, c.n_cell,
                 CASE WHEN c.sum_cits = 0 THEN 1 ELSE c.cits * c.n_cell END AS ncs_num,
                 CASE WHEN c.sum_cits = 0 THEN 1 ELSE c.sum_cits END AS ncs_den,
                 {",".join(value_cols)}
          FROM cum AS c
          JOIN thresholds AS h
            ON c.field = h.field AND c.pub_year = h.pub_year AND c.doc_type = h.doc_type
        )
        SELECT field, pub_year, doc_type, cits, n_cell, {exact}, {quotients}
        FROM cell_values
    """  # noqa: S608 -- constant fragments; values are $parameters


def _score_names(tags: Sequence[str]) -> list[str]:
    """The scores of a paper: NCS, then each tie method's score for each top share."""
    return ["ncs"] + [f"{method}_{tag}" for tag in tags for method in METHODS]


def _scores_sql(tags: Sequence[str]) -> str:
    """Each paper of ``scope`` with its scores as numbers (for sums over units)."""
    return f"""
        SELECT s.work_key, {", ".join(f"c.{name}" for name in _score_names(tags))}
        FROM scope AS s
        JOIN cell_scores AS c
          ON s.field = c.field AND s.pub_year = c.pub_year AND s.doc_type = c.doc_type
         AND s.cits = c.cits
    """  # noqa: S608 -- constant column names


# One row per (work, author, affiliation, institution) link, with the CWTS fractional term
# 1 / (n_authors · n_affiliations · n_institutions) as its integer denominator.
_TERMS_SQL = """
    CREATE OR REPLACE TEMPORARY VIEW terms AS
    SELECT work_key, institution_id, n_authors * n_affiliations * n_institutions AS term_den
    FROM affiliations
    WHERE institution_id IS NOT NULL
"""


def _unit_papers_sql(centers: bool) -> str:
    """The views of the units' papers with their full (1) and fractional weights.

    ``linked_papers``: the papers of institutions and countries (through their links) and of
    centers (by DOI; only when asked for). ``unit_papers``: those and every paper of the
    world, paper by paper (for the bootstrap). Papers outside the reference world drop out
    when joined with ``scores``.
    """
    linked = [
        """
        SELECT m.unit, t.work_key, 1.0 AS w_full, SUM(CAST(1 AS DOUBLE) / t.term_den)
                 AS w_fractional
        FROM terms AS t
        JOIN unit_institutions AS m ON t.institution_id = m.institution_id
        GROUP BY m.unit, t.work_key"""
    ]
    if centers:
        linked.append("""
        SELECT DISTINCT u.unit, w.work_key, 1.0 AS w_full, 1.0 AS w_fractional
        FROM unit_dois AS u
        JOIN works AS w ON w.doi = u.doi""")
    return f"""
        CREATE OR REPLACE TEMPORARY VIEW linked_papers AS {" UNION ALL ".join(linked)};
        CREATE OR REPLACE TEMPORARY VIEW unit_papers AS
        SELECT * FROM linked_papers
        UNION ALL
        SELECT u.unit, s.work_key, 1.0 AS w_full, coalesce(f.w, 0.0) AS w_fractional
        FROM world_units AS u
        CROSS JOIN scores AS s
        LEFT JOIN (SELECT work_key, SUM(CAST(1 AS DOUBLE) / term_den) AS w
                   FROM terms GROUP BY work_key) AS f
          ON f.work_key = s.work_key;
    """  # noqa: S608 -- constant fragments


def _aggregate_sql(world: bool) -> str:
    """Each unit's sums: papers and scores, full then fractional, in the header's order.

    The world's fractional sums are taken over the links directly (a paper's weight is the
    sum of its link terms, so Σ papers weight·score = Σ links term·score): no grouping by paper.
    """
    names = _score_names(list(PERCENTILES))
    linked = (
        "SELECT u.unit, CAST(COUNT(*) AS DOUBLE), SUM(u.w_fractional), "  # noqa: S608
        + ", ".join(f"SUM(s.{n})" for n in names)
        + ", "
        + ", ".join(f"SUM(u.w_fractional * s.{n})" for n in names)
        + " FROM linked_papers AS u JOIN scores AS s ON s.work_key = u.work_key GROUP BY u.unit"
    )
    if not world:
        return linked
    # One row for the world even when nothing matches: empty sums are 0, not NULL.
    paper_sums = ", ".join(f"coalesce(SUM({n}), 0) AS {n}" for n in names)
    link_sums = ", ".join(f"coalesce(SUM(s.{n} / t.term_den), 0) AS {n}" for n in names)
    return f"""
        {linked}
        UNION ALL
        SELECT u.unit, f.p, l.p, {", ".join(f"f.{n}" for n in names)},
               {", ".join(f"l.{n}" for n in names)}
        FROM world_units AS u
        CROSS JOIN (SELECT CAST(COUNT(*) AS DOUBLE) AS p, {paper_sums} FROM scores) AS f
        CROSS JOIN (SELECT coalesce(SUM(CAST(1 AS DOUBLE) / t.term_den), 0) AS p, {link_sums}
                    FROM terms AS t JOIN scores AS s ON s.work_key = t.work_key) AS l
    """  # noqa: S608 -- constant column names


class Store:
    """The ingested Parquet tables of one folder, queryable through one :class:`Database`.

    Args:
        data_dir: the folder written by ``kyoten bib ingest``.
        time_limit_s: the time limit of each query.
        memory_limit: DuckDB's memory limit.
        threads: DuckDB threads (None: all cores).
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        time_limit_s: float = 600.0,
        memory_limit: str = "2GB",
        threads: int | None = None,
    ) -> None:
        paths = {table: table_path(data_dir, table) for table in TABLES}
        self.db = Database(time_limit_s=time_limit_s, memory_limit=memory_limit, threads=threads)
        for table, path in paths.items():
            self.db.register_parquet(table, [path])
        self.db.execute(_TERMS_SQL)

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def build_scores(
        self, options: Options, percentiles: Mapping[str, tuple[int, int]] = PERCENTILES
    ) -> None:
        """Create the temporary table ``scores`` (one row per paper in the reference world).

        Args:
            options: the window, field scheme and document types.
            percentiles: top shares as exact fractions (numerator, denominator) by tag.
        """
        self.db.register("doc_types", pa.table({"doc_type": list(options.doc_types)}))
        params: dict[str, Any] = {
            "first_year": options.first_year,
            "last_year": options.last_year,
            "include_retracted": options.include_retracted,
        }
        for tag, (num, den) in percentiles.items():
            if not _TAG.fullmatch(tag) or not 0 < num < den:
                raise KyotenError(
                    Bilingual(
                        en="a top share needs a tag such as top10 and a fraction strictly"
                        " between 0 and 1",
                        ja="上位の割合には top10 のような名前と 0 と 1 の間の分数が必要です",
                    ),
                    location=f"percentile {tag}",
                    value=f"{num}/{den}",
                )
            params[f"num_{tag}"] = num
            params[f"den_{tag}"] = den
        scope = _scope_sql(ident(options.field_scheme))
        self.db.execute(scope, {k: v for k, v in params.items() if f"${k}" in scope})
        self.db.execute(
            "CREATE OR REPLACE TEMPORARY TABLE cell_scores AS "
            + _cell_scores_sql(list(percentiles)),
            {k: v for k, v in params.items() if k.startswith(("num_", "den_"))},
        )
        self.db.execute(
            "CREATE OR REPLACE TEMPORARY TABLE scores AS " + _scores_sql(list(percentiles))
        )

    def paper_scores(
        self, options: Options, percentiles: Mapping[str, tuple[int, int]] = PERCENTILES
    ) -> list[dict[str, Any]]:
        """Every paper's exact scores (integer numerators and denominators), by id."""
        self.build_scores(options, percentiles)
        return self.db.fetch_dicts(
            "SELECT w.id, s.field, s.pub_year, s.doc_type, c.* EXCLUDE (field, pub_year, doc_type)"
            " FROM scope AS s"
            " JOIN cell_scores AS c ON s.field = c.field AND s.pub_year = c.pub_year"
            " AND s.doc_type = c.doc_type AND s.cits = c.cits"
            " JOIN works AS w ON w.work_key = s.work_key ORDER BY w.id"
        )

    def fractional_weights(self, work_id: str) -> dict[str, Fraction]:
        """A work's exact CWTS fractional weight per institution id."""
        weights: dict[str, Fraction] = {}
        for institution, den in self.db.fetchall(
            "SELECT t.institution_id, t.term_den FROM terms AS t"
            " JOIN works AS w ON w.work_key = t.work_key WHERE w.id = $w",
            {"w": work_id},
        ):
            weights[institution] = weights.get(institution, Fraction(0)) + Fraction(1, den)
        return weights

    def _resolve(self, units: Sequence[Unit]) -> None:
        institutions: dict[str, list[str]] = {"unit": [], "institution_id": []}
        dois: dict[str, list[str]] = {"unit": [], "doi": []}
        world: list[str] = []
        names = [unit.name for unit in units]
        for name in names:
            if names.count(name) > 1:
                raise KyotenError(
                    Bilingual(
                        en="two units have the same name; give each center a different name",
                        ja="同じ名前の単位が二つあります。拠点ごとに別の名前を付けてください",
                    ),
                    location="--unit",
                    value=name,
                )
        for unit in units:
            if unit.kind == "world":
                world.append(unit.name)
                continue
            if unit.kind == "center":
                dois["unit"] += [unit.name] * len(unit.dois)
                dois["doi"] += list(unit.dois)
                continue
            column = "ror" if unit.kind == "institution" else "country_code"
            rows = self.db.fetchall(
                f"SELECT id FROM institutions WHERE {ident(column)} = $key"  # noqa: S608
                " ORDER BY id",
                {"key": unit.key},
            )
            if not rows:
                raise KyotenError(
                    Bilingual(
                        en=f"unknown unit: no institution with this {column} in the data",
                        ja=f"不明な単位です：この {column} の機関はデータにありません",
                    ),
                    location=f"unit {unit.name}",
                    value=unit.key,
                )
            institutions["unit"] += [unit.name] * len(rows)
            institutions["institution_id"] += [r[0] for r in rows]
        string = pa.string()
        self.db.register(
            "unit_institutions",
            pa.table({k: pa.array(v, type=string) for k, v in institutions.items()}),
        )
        self.db.register(
            "unit_dois", pa.table({k: pa.array(v, type=string) for k, v in dois.items()})
        )
        self.db.register("world_units", pa.table({"unit": pa.array(world, type=string)}))

    def matched_dois(self, unit: Unit) -> int:
        """How many of a center's DOIs are found among the ingested works."""
        self.db.register("check_dois", pa.table({"doi": pa.array(unit.dois, type=pa.string())}))
        (count,) = self.db.fetchall(
            "SELECT count(DISTINCT c.doi) FROM check_dois AS c JOIN works AS w ON w.doi = c.doi"
        )[0]
        return int(count)

    def indicators(self, units: Sequence[Unit], options: Options) -> list[IndicatorRow]:
        """Compute the indicators of every unit, in both countings and both tie methods."""
        self.build_scores(options)
        self._resolve(units)
        kinds = {unit.kind for unit in units}
        self.db.execute(_unit_papers_sql(centers="center" in kinds))
        found = {row[0]: row for row in self.db.fetchall(_aggregate_sql(world="world" in kinds))}
        header = ["unit"] + [f"p_{c}" for c in COUNTINGS]
        header += [f"{col}_{c}" for c in COUNTINGS for col in _score_names(list(PERCENTILES))]
        rows: list[IndicatorRow] = []
        for unit in units:
            values = dict(
                zip(
                    header,
                    found.get(unit.name, (unit.name,) + (0.0,) * (len(header) - 1)),
                    strict=True,
                )
            )
            samples = self._samples(unit, options) if options.bootstrap else {}
            for counting in COUNTINGS:
                p = float(values[f"p_{counting}"])
                for method in METHODS:
                    top10 = float(values[f"{method}_top10_{counting}"])
                    top1 = float(values[f"{method}_top1_{counting}"])
                    ncs = float(values[f"ncs_{counting}"])
                    bounds = _bootstrap(samples.get(counting, []), method, options)
                    rows.append(
                        IndicatorRow(
                            unit=unit.name,
                            counting=counting,
                            method=method,
                            first_year=options.first_year,
                            last_year=options.last_year,
                            p=p,
                            p_top10=top10,
                            pp_top10=top10 / p if p else None,
                            p_top1=top1,
                            pp_top1=top1 / p if p else None,
                            mncs=ncs / p if p else None,
                            **bounds,
                        )
                    )
        return rows

    def _samples(self, unit: Unit, options: Options) -> dict[str, list[tuple[float, ...]]]:
        """Per paper of ``unit``: (weight, ncs, cwts10, nistep10, cwts1, nistep1) by counting."""
        columns = ", ".join(f"s.{c}" for c in _score_names(list(PERCENTILES)))
        out: dict[str, list[tuple[float, ...]]] = {}
        for counting in COUNTINGS:
            rows = self.db.fetchall(
                f"SELECT u.w_{counting}, {columns} FROM unit_papers AS u"  # noqa: S608
                " JOIN scores AS s ON s.work_key = u.work_key"
                " JOIN works AS w ON w.work_key = u.work_key WHERE u.unit = $unit"
                " ORDER BY w.id",  # the resampling sees papers in id order, however ingested
                {"unit": unit.name},
            )
            out[counting] = [tuple(float(v) for v in row) for row in rows]
        return out


def _bootstrap(
    papers: list[tuple[float, ...]], method: str, options: Options
) -> dict[str, float | None]:
    """CWTS stability intervals: 2.5th and 97.5th percentiles of resampled weighted means."""
    if not papers or not options.bootstrap:
        return {}
    index = _score_names(list(PERCENTILES))
    picks = {
        "pp_top10": 1 + index.index(f"{method}_top10"),
        "pp_top1": 1 + index.index(f"{method}_top1"),
        "mncs": 1 + index.index("ncs"),
    }
    rng = random.Random(options.seed)  # noqa: S311 -- resampling, not cryptography
    n = len(papers)
    means: dict[str, list[float]] = {name: [] for name in picks}
    for _ in range(options.bootstrap):
        sample = [papers[i] for i in rng.choices(range(n), k=n)]
        weight = sum(paper[0] for paper in sample)
        for name, column in picks.items():
            total = sum(paper[0] * paper[column] for paper in sample)
            means[name].append(total / weight if weight else 0.0)
    low = int(0.025 * options.bootstrap)
    high = min(int(0.975 * options.bootstrap), options.bootstrap - 1)
    bounds: dict[str, float | None] = {}
    for name, values in means.items():
        values.sort()
        bounds[f"{name}_lb"] = values[low]
        bounds[f"{name}_ub"] = values[high]
    return bounds
