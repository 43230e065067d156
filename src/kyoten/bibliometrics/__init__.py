"""Bibliometrics core: OpenAlex ingest and field-normalised citation indicators (no Django).

Modules: :mod:`~kyoten.bibliometrics.db` (the DuckDB wrapper), :mod:`.ingest` (OpenAlex
snapshots), :mod:`.tabular` (CSV/Parquet tables), :mod:`.indicators` (P, PP(top 10%/1%),
MNCS), :mod:`.units`, :mod:`.output`, :mod:`.synth` (synthetic snapshots) and :mod:`.cli`.
"""
