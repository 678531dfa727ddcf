"""The one writer factory of scored tables: ``framing score``, the Dask engine and the app.

Which writer writes an output format, and how the score columns are written: JSON columns
embedded as JSON in JSONL, typed columns in Parquet (both from the column specification,
:mod:`framing.core.columns`), and the formula guard on the input's cells in CSV and TSV.
"""

from __future__ import annotations

from collections.abc import Sequence

from framing import tables
from framing.core.columns import column_dtype, is_json

__all__ = ["open_writer"]


def open_writer(
    fmt: str,
    fh,
    columns: Sequence[str],
    input_columns: Sequence[str],
    *,
    guard: bool = True,
    input_types: dict | None = None,
):
    """The writer of ``fmt`` (csv, tsv, jsonl, parquet) for ``columns``: the input's columns
    (``input_columns``) followed by the score columns.

    Args:
        fmt: the output format.
        fh: a text file (a binary one for Parquet).
        columns: every column written, in order.
        input_columns: those of ``columns`` that came with the input (never taken for
            score columns; their CSV/TSV cells formula-guarded unless ``guard`` is off).
        guard: prefix formula-like CSV/TSV input cells with ``'``.
        input_types: Parquet types of input columns (others are text).

    Returns:
        A :class:`~framing.tables.DelimitedWriter`, :class:`~framing.tables.JsonlWriter` or
        :class:`~framing.tables.ParquetWriter`.
    """
    given = set(input_columns)
    scored = [c for c in columns if c not in given]
    if fmt in ("csv", "tsv"):
        return tables.DelimitedWriter(fh, list(columns), fmt, list(input_columns), guard)
    if fmt == "jsonl":
        return tables.JsonlWriter(fh, list(columns), [c for c in scored if is_json(c)])
    types = {**(input_types or {}), **{c: column_dtype(c) for c in scored}}
    return tables.ParquetWriter(fh, list(columns), types)
