"""The app's data, without Streamlit: uploaded tables in and out, scored through the one
batch path, and the tables and rows its pages show.

Uploaded files are read with :mod:`framing.tables` (the readers of ``framing score``) and
scored with :func:`framing.batch.run_chunks`, and downloads are written with the same
writers (formula guard included), so the page and the command line give the same file.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from framing import strict, tables
from framing.batch import ChunkSink, ScoreOptions, Scorer, check_new_columns, run_chunks
from framing.batch.output import open_writer
from framing.core.model import Model
from framing.errors import InputError
from framing.tables import Row
from framing.tables.read import chunked

__all__ = [
    "FILE_TYPES",
    "Table",
    "app_options",
    "article_sentences",
    "frame_profile",
    "framing_distributions",
    "read_table",
    "score_summary",
    "score_table",
    "write_table",
]

FILE_TYPES = ("csv", "tsv", "jsonl", "ndjson", "parquet")
CHUNK_ROWS = 500
MIME_TYPES = {"parquet": "application/vnd.apache.parquet", "jsonl": "application/x-ndjson"}


@dataclass
class Table:
    """An uploaded or scored table: rows as dicts (every column, in order) and its columns.

    ``input_columns`` are the columns the file came with (scored tables add theirs after)."""

    records: list[dict]
    columns: list[str]
    input_columns: list[str]

    def frame(self) -> pd.DataFrame:
        """The table as a DataFrame for display."""
        return pd.DataFrame(self.records, columns=self.columns)


def read_table(data: bytes, name: str) -> tuple[Table, list[Row]]:
    """An uploaded file (CSV, TSV, JSONL or Parquet) read as ``framing score`` reads it: the
    table to show, and the rows to score (a row that cannot be read keeps its place, with
    its error)."""
    fmt = tables.format_of(name, None)
    if fmt not in ("csv", "tsv", "jsonl", "parquet"):
        raise InputError(f"{name}: unsupported file type; use one of {', '.join(FILE_TYPES)}")
    stats = tables.ReadStats()
    try:
        rows = [
            r for chunk in tables.read_chunks(io.BytesIO(data), fmt, stats=stats) for r in chunk
        ]
    except InputError as exc:
        raise InputError(f"could not read {name}: {exc}") from None
    columns = list(stats.columns)
    for r in rows:  # JSONL keys first seen after the first rows are kept too
        columns += [k for k in r.fields if k not in columns]
    records = [{c: r.fields.get(c) for c in columns} for r in rows]
    return Table(records, columns, columns), rows


def app_options(
    model: Model,
    headline_col: str | None,
    body_col: str | None = None,
    *,
    top_k: int = 3,
    all_techniques: bool = False,
) -> ScoreOptions:
    """The app's :class:`~framing.batch.ScoreOptions`: the given text columns, and the
    columns of every technique and frame head the model has; chunks of :data:`CHUNK_ROWS`
    rows (the progress bar moves after each)."""
    return ScoreOptions(
        headline_col=headline_col,
        body_col=body_col,
        top_k=top_k,
        frames="frame" in model.heads,
        techniques="technique" in model.heads,
        all_techniques=all_techniques and "technique" in model.heads,
        chunk_size=CHUNK_ROWS,
    )


def score_table(
    rows: list[Row],
    input_columns: list[str],
    model: Model,
    options: ScoreOptions,
    progress: Callable[[int, int], None] | None = None,
) -> Table:
    """Score rows with the scorer of ``framing score`` and its options (the same columns,
    values and per-row ``error``; rows are kept, never dropped) through
    :func:`framing.batch.run_chunks`. ``progress(done, total)`` is called after each chunk."""
    scorer = Scorer(model, options)
    check_new_columns(input_columns, scorer.columns)
    records: list[dict] = []
    chunks = chunked(rows, options.chunk_size, options.chunk_chars)
    run_chunks(
        chunks,
        scorer,
        ChunkSink(records.extend),
        input_columns=input_columns,
        on_chunk=(lambda s: progress(s.rows, len(rows))) if progress else None,
    )
    return Table(records, list(input_columns) + scorer.columns, list(input_columns))


def write_table(table: Table, name: str) -> tuple[bytes, str]:
    """The table in the format of ``name``, written by ``framing score``'s writers (CSV and
    TSV cells from the input that a spreadsheet would run as a formula get a leading ``'``),
    and its MIME type."""
    fmt = tables.format_of(name, None)
    buf = io.BytesIO() if fmt == "parquet" else io.StringIO(newline="")
    writer = open_writer(fmt, buf, table.columns, table.input_columns)
    mime = MIME_TYPES.get(fmt, "text/csv")
    tables.write_rows(writer, table.records)
    writer.close()
    data = buf.getvalue()
    return (data.encode("utf-8", strict.ENCODE_ERRORS) if isinstance(data, str) else data), mime


def article_sentences(explanation, body: str) -> list[dict]:
    """The body's sentences from :func:`framing.explain`: offsets, text, raw ``loaded`` score,
    outlet-voice score and detected techniques. Term spans are offsets into the body."""
    text = explanation.body or body
    return [
        {
            "start": s.start,
            "end": s.end,
            "text": text[s.start : s.end],
            "loaded": s.loaded,
            "outlet": s.outlet,
            "techniques": s.detected_techniques,
        }
        for s in explanation.sentences
        if "loaded" in s.heads
    ]


def frame_profile(explanation) -> pd.DataFrame | None:
    """The article's frames (when the model has a ``frame`` head and the text to read them
    on): probability, threshold, whether it is detected (at or above its threshold, with
    content words behind it) and those words, most probable first."""
    if explanation.frames is None or not explanation.frames.frames:
        return None
    shown = set(explanation.frames.detected)
    return pd.DataFrame(
        [
            {
                "frame": f.label,
                "probability": f.probability,
                "threshold": f.threshold,
                "detected": f.label in shown,
                "words": ", ".join(t.term for t in f.top(3)),
            }
            for f in explanation.frames.frames
        ]
    )


def framing_distributions(scored: pd.DataFrame, group: str | None) -> dict[str, pd.DataFrame]:
    """Per group (or over all rows), the rows' most probable frame and the techniques of their
    articles: counts from the ``frame_top`` and ``techniques`` columns of ``framing score``."""
    out = {}
    keys = scored[group].astype(str) if group else pd.Series("all rows", index=scored.index)
    if "frame_top" in scored.columns:
        top = scored["frame_top"].dropna()
        if len(top):
            out["frame"] = pd.crosstab(keys[top.index], top).rename_axis(index=group or "")
    if "techniques" in scored.columns:
        rows = []
        for idx, cell in scored["techniques"].dropna().items():
            found = strict.loads(cell) if isinstance(cell, str) else cell
            rows += [{"group": keys[idx], "technique": t, "sentences": n} for t, n in found.items()]
        if rows:
            table = pd.DataFrame(rows).pivot_table(
                index="group", columns="technique", values="sentences", aggfunc="sum", fill_value=0
            )
            out["technique"] = table.rename_axis(index=group or "")
    return out


def score_summary(explanation) -> list[dict]:
    """One row per score the page shows, for every head the explanation has (users' heads
    too): on the headline, and the article score over the body's sentences; raw, the
    model's label at its threshold ("not scored" for a text judged not English) and (where
    the library gives it) outlet voice."""
    rows = []
    for name, result in explanation.heads.items():
        if result.headline is not None:
            rows.append((f"{name} (headline)", result.headline, result.headline_outlet))
    for name, result in explanation.heads.items():
        if result.article is not None:
            rows.append((f"{name} (article)", result.article, result.article_outlet))
    return [
        {
            "score": a,
            "raw": b.probability,
            "label": "not scored" if b.label is None else "yes" if b.label else "no",
            "threshold": b.threshold,
            "outlet voice": c.probability if c is not None else None,
        }
        for a, b, c in rows
    ]
