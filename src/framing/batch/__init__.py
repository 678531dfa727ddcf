"""Scoring rows in chunks: the columns to read, the scored columns, and the scorer."""

from framing.batch.scorer import (
    BODY_DEFAULTS,
    HEADLINE_DEFAULTS,
    JSON_COLUMNS,
    ScoreOptions,
    Scorer,
    labelled_texts,
    merge,
    output_columns,
    prepare,
    resolve_columns,
    terms_json,
)

__all__ = [
    "BODY_DEFAULTS",
    "HEADLINE_DEFAULTS",
    "JSON_COLUMNS",
    "ScoreOptions",
    "Scorer",
    "labelled_texts",
    "merge",
    "output_columns",
    "prepare",
    "resolve_columns",
    "terms_json",
]
