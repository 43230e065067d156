"""Benchmark of kyoten.bibliometrics (not a timed test): ingest, indicators, peak memory.

For the same snapshot files on the same machine in one run, prints:

- ingest throughput against ``gzip -dc`` of those files (the decompression limit) and against
  a plain ``json.loads`` loop over the decompressed lines;
- indicator time against an idiomatic pandas implementation of the same definitions (the
  results are checked to agree);
- the peak memory (max RSS) of each phase, each run in its own process.

Usage::

    python benchmarks/bench_bibliometrics.py --snapshot var/synth1m --work-dir var/bench1m
    python benchmarks/bench_bibliometrics.py --works 1000000 --seed 1 --work-dir var/bench1m
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

TARGET_INGEST_SHARE = 0.5
TARGET_SPEEDUP = 10.0
TARGET_PEAK_BYTES = 4 * 2**30
WINDOW = (2014, 2023)
UNITS = ("world", "country:JP", "country:US", "country:DE", "country:GB", "country:CN")


def _peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def _cpu_seconds() -> float:
    """CPU time of this process (all its threads) and of its finished children."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def _parts(snapshot: Path) -> list[Path]:
    from kyoten.bibliometrics.ingest import find_snapshot

    return list(find_snapshot(snapshot).parts)


def phase_gzip(snapshot: Path, _: Path) -> dict[str, Any]:
    parts = _parts(snapshot)
    started = time.perf_counter()
    command = ["gzip", "-dc", *map(str, parts)]
    size = lines = 0
    with subprocess.Popen(command, stdout=subprocess.PIPE) as gzip_dc:
        assert gzip_dc.stdout is not None
        while block := gzip_dc.stdout.read(1 << 20):  # count as it streams: bounded memory
            size += len(block)
            lines += block.count(b"\n")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "bytes": size, "lines": lines}


def phase_json(snapshot: Path, _: Path) -> dict[str, Any]:
    started = time.perf_counter()
    lines = 0
    for part in _parts(snapshot):
        with gzip.open(part, "rt", encoding="utf-8") as handle:
            for line in handle:
                json.loads(line)
                lines += 1
    return {"seconds": time.perf_counter() - started, "lines": lines}


def phase_ingest(snapshot: Path, work: Path) -> dict[str, Any]:
    from kyoten.bibliometrics.ingest import ingest_openalex

    started = time.perf_counter()
    report = ingest_openalex(snapshot, work / "data", on_error="skip")
    return {
        "seconds": time.perf_counter() - started,
        "records": report.records_read,
        "works": report.works_written,
        "peak_bytes": _peak_bytes(),
    }


def _units(work: Path) -> list[Any]:
    from kyoten.bibliometrics.units import parse_unit

    return [parse_unit(u) for u in UNITS]


def phase_duckdb(_: Path, work: Path) -> dict[str, Any]:
    from kyoten.bibliometrics.indicators import Options, Store

    started = time.perf_counter()
    store = Store(work / "data")
    rows = store.indicators(_units(work), Options(*WINDOW))
    store.close()
    seconds = time.perf_counter() - started
    values = {f"{r.unit}|{r.counting}|{r.method}": [r.p, r.p_top10, r.p_top1, r.mncs] for r in rows}
    return {"seconds": seconds, "values": values, "peak_bytes": _peak_bytes()}


def phase_pandas(_: Path, work: Path) -> dict[str, Any]:
    """The same definitions written the way a pandas user would."""
    import numpy as np
    import pandas as pd

    started = time.perf_counter()
    data = work / "data"
    cell = ["field", "publication_year", "type"]
    works = pd.read_parquet(
        data / "works.parquet",
        columns=["work_key", *cell, "cited_by_count", "is_retracted"],
    )
    scope = works[
        works.publication_year.between(*WINDOW)
        & works.type.isin(["article", "review"])
        & ~works.is_retracted
        & works.field.notna()
        & works.cited_by_count.notna()
    ].rename(columns={"cited_by_count": "cits"})
    dist = scope.groupby([*cell, "cits"]).size().rename("n_c").reset_index()
    grouped = dist.groupby(cell)
    dist["cum_c"] = grouped.n_c.cumsum()
    dist["n_cell"] = grouped.n_c.transform("sum")
    dist["sum_cits"] = (dist.n_c * dist.cits).groupby([dist[c] for c in cell]).transform("sum")
    scores = scope.merge(dist[[*cell, "n_cell", "sum_cits"]].drop_duplicates(), on=cell)
    scores["ncs"] = np.where(
        scores.sum_cits == 0, 1.0, scores.cits * scores.n_cell / scores.sum_cits
    )
    for tag, (num, den) in {"top10": (1, 10), "top1": (1, 100)}.items():
        ok = dist[den * dist.cum_c >= (den - num) * dist.n_cell]
        thr = ok.groupby(cell).first().reset_index()[[*cell, "cits", "n_c", "cum_c", "n_cell"]]
        thr.columns = [*cell, "t", "n_t", "cum_t", "n_cell_t"]
        s = scores.merge(thr, on=cell)
        w_t = (den * s.cum_t - (den - num) * s.n_cell_t) / (den * s.n_t)
        above, at = s.cits > s.t, s.cits == s.t
        k_strict = s.n_cell_t - s.cum_t
        k = np.where(k_strict > 0, k_strict, s.n_t)
        in_top = above | (at & (k_strict == 0))
        s[f"cwts_{tag}"] = np.where(above, 1.0, np.where(at, w_t, 0.0))
        s[f"nistep_{tag}"] = np.where(in_top, num * s.n_cell_t / (den * k), 0.0)
        scores = s.drop(columns=["t", "n_t", "cum_t", "n_cell_t"])
    terms = pd.read_parquet(
        data / "affiliations.parquet",
        columns=["work_key", "institution_id", "n_authors", "n_affiliations", "n_institutions"],
    ).dropna(subset=["institution_id"])
    terms["w"] = 1.0 / (terms.n_authors * terms.n_affiliations * terms.n_institutions)
    institutions = pd.read_parquet(data / "institutions.parquet", columns=["id", "country_code"])
    values: dict[str, list[float]] = {}
    metrics = ["cwts_top10", "nistep_top10", "cwts_top1", "nistep_top1", "ncs"]
    for unit in UNITS:
        if unit == "world":
            frac = terms.groupby("work_key").w.sum()
            papers = scores.set_index("work_key")
            weights = {"full": pd.Series(1.0, index=papers.index),
                       "fractional": frac.reindex(papers.index, fill_value=0.0)}  # fmt: skip
        else:
            ids = institutions.id[institutions.country_code == unit.split(":")[1]]
            frac = terms[terms.institution_id.isin(ids)].groupby("work_key").w.sum()
            papers = scores.set_index("work_key").loc[lambda d, f=frac: d.index.isin(f.index)]
            weights = {"full": pd.Series(1.0, index=papers.index),
                       "fractional": frac.reindex(papers.index)}  # fmt: skip
        for counting, weight in weights.items():
            sums = {m: float((papers[m] * weight).sum()) for m in metrics}
            p = float(weight.sum())
            for method in ("cwts", "nistep"):
                values[f"{unit}|{counting}|{method}"] = [
                    p,
                    sums[f"{method}_top10"],
                    sums[f"{method}_top1"],
                    sums["ncs"] / p if p else float("nan"),
                ]
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "values": values, "peak_bytes": _peak_bytes()}


PHASES = {
    "gzip": phase_gzip,
    "json": phase_json,
    "ingest": phase_ingest,
    "duckdb": phase_duckdb,
    "pandas": phase_pandas,
}


def run_phase(name: str, snapshot: Path, work: Path) -> dict[str, Any]:
    """Run one phase in a fresh process, so that its peak memory is its own."""
    command = [sys.executable, __file__, "--phase", name, "--snapshot", str(snapshot)]
    command += ["--work-dir", str(work)]
    out = subprocess.run(command, stdout=subprocess.PIPE, check=True, text=True).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _gib(n: int) -> str:
    return f"{n / 2**30:.2f} GiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--snapshot", type=Path, help="an existing snapshot root")
    parser.add_argument("--works", type=int, help="generate a snapshot of this many works")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work-dir", type=Path, required=True)
    parser.add_argument("--skip-json", action="store_true", help="skip the json.loads loop")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.work_dir.mkdir(parents=True, exist_ok=True)
    snapshot = args.snapshot or args.work_dir / "snapshot"
    if args.phase:
        result = PHASES[args.phase](snapshot, args.work_dir)
        result["cpu_seconds"] = _cpu_seconds()
        print(json.dumps(result))
        return 0
    if args.snapshot is None:
        from kyoten.bibliometrics.synth import generate

        generate(snapshot, works=args.works, seed=args.seed, jobs=2)
    parts = _parts(snapshot)
    size = sum(p.stat().st_size for p in parts)
    print(f"snapshot: {snapshot} ({len(parts)} files, {size / 2**20:.0f} MiB gzipped)")
    print(f"machine: {os.cpu_count()} cores; load average {_load()} (other work skews the times)")
    gz = run_phase("gzip", snapshot, args.work_dir)
    print(
        f"gzip -dc:        {gz['seconds']:8.1f} s  {gz['lines'] / gz['seconds']:>10,.0f} lines/s"
        f"  ({gz['bytes'] / 2**20 / gz['seconds']:.0f} MiB/s of JSON)"
    )
    if not args.skip_json:
        js = run_phase("json", snapshot, args.work_dir)
        rate = js["lines"] / js["seconds"]
        print(f"json.loads loop: {js['seconds']:8.1f} s  {rate:>10,.0f} lines/s")
    ing = run_phase("ingest", snapshot, args.work_dir)
    share = gz["seconds"] / ing["seconds"]
    print(
        f"kyoten ingest:   {ing['seconds']:8.1f} s"
        f"  {ing['records'] / ing['seconds']:>10,.0f} lines/s"
        f"  = {share:.0%} of the gzip -dc limit (target >= {TARGET_INGEST_SHARE:.0%});"
        f" peak {_gib(ing['peak_bytes'])}; {ing['works']:,} works written"
    )
    if not args.skip_json:
        print(f"                 = {js['seconds'] / ing['seconds']:.2f}x the json.loads loop")
    duck = run_phase("duckdb", snapshot, args.work_dir)
    pand = run_phase("pandas", snapshot, args.work_dir)
    worst = 0.0
    for key, ours in duck["values"].items():
        for a, b in zip(ours, pand["values"][key], strict=True):
            worst = max(worst, abs(a - b) / max(abs(b), 1e-12))
    speedup = pand["seconds"] / duck["seconds"]
    print(
        f"indicators ({len(UNITS)} units x 2 countings x 2 methods, {WINDOW[0]}-{WINDOW[1]}):\n"
        f"  kyoten (DuckDB): {duck['seconds']:8.2f} s  peak {_gib(duck['peak_bytes'])}\n"
        f"  pandas:          {pand['seconds']:8.2f} s  peak {_gib(pand['peak_bytes'])}\n"
        f"  speedup {speedup:.1f}x (target >= {TARGET_SPEEDUP:.0f}x);"
        f" largest relative difference {worst:.1e}"
    )
    peak = max(ing["peak_bytes"], duck["peak_bytes"])
    print(f"peak memory (ingest, indicators): {_gib(peak)} (target <= {_gib(TARGET_PEAK_BYTES)})")
    cpu = {"gzip -dc": gz, "ingest": ing, "DuckDB": duck, "pandas": pand}
    print("CPU seconds: " + ", ".join(f"{k} {v['cpu_seconds']:.1f}" for k, v in cpu.items()))
    print(f"load average at the end: {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
