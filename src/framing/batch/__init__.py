"""Scoring rows in chunks: the one batch path behind ``framing score``, Dask and the app.

The columns to read and to add (:mod:`framing.batch.columns`), the scorer of a chunk
(:mod:`framing.batch.scorer`) and the loop that reads, scores and writes chunks in order
(:func:`run_chunks`).
"""

from framing.batch.columns import (
    BODY_DEFAULTS,
    HEADLINE_DEFAULTS,
    JSON_COLUMNS,
    check_new_columns,
    column_types,
    columns_for,
    output_columns,
    resolve_columns,
)
from framing.batch.options import CHUNK_CHARS, CHUNK_SIZE, MAX_CHARS, ScoreOptions
from framing.batch.run import ChunkSink, ProcessScorer, RunSummary, run_chunks
from framing.batch.scorer import (
    Scorer,
    merge,
    merge_columns,
    prepare,
    terms_json,
)

__all__ = [
    "BODY_DEFAULTS",
    "CHUNK_CHARS",
    "CHUNK_SIZE",
    "HEADLINE_DEFAULTS",
    "JSON_COLUMNS",
    "MAX_CHARS",
    "ChunkSink",
    "ProcessScorer",
    "RunSummary",
    "ScoreOptions",
    "Scorer",
    "check_new_columns",
    "column_types",
    "columns_for",
    "merge",
    "merge_columns",
    "output_columns",
    "prepare",
    "resolve_columns",
    "run_chunks",
    "terms_json",
]
