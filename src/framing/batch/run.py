"""The one batch path: chunks of rows in, scored rows out, in input order, nothing dropped.

``framing score`` (one process or several), the Dask engine (per partition) and the app's
file page all call :func:`run_chunks`; they differ only in where the chunks come from and
where the scored rows go::

    summary = run_chunks(chunks, Scorer(model, options), writer.write)

``scorer`` is anything with ``score_many(chunks)`` yielding ``(chunk, columns)`` in input
order: a :class:`~framing.batch.scorer.Scorer` (this process) or a :class:`ProcessScorer`
(a pool of worker processes, joblib's). Each chunk's rows are merged with their scored
columns (:func:`~framing.batch.scorer.merge`) and handed to ``write``; the
:class:`RunSummary` counts rows and row errors and keeps the first few errors.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from framing.batch.scorer import ScoreOptions, Scorer, merge, merge_columns
from framing.core.model import load_model
from framing.tables.read import Row

__all__ = ["ProcessScorer", "RunSummary", "run_chunks"]

FIRST_ERRORS = 3


@dataclass
class RunSummary:
    """What a run did: rows read, rows with an error, and the first few errors."""

    rows: int = 0
    errors: int = 0
    first_errors: list[str] = field(default_factory=list)

    @property
    def scored(self) -> int:
        return self.rows - self.errors

    def add(self, chunk: Sequence[Row], errors: Sequence, id_col: str | None = None) -> None:
        """Count a written chunk (``errors``: its ``error`` column)."""
        self.rows += len(chunk)
        for row, err in zip(chunk, errors, strict=True):
            if not err:
                continue
            self.errors += 1
            if len(self.first_errors) < FIRST_ERRORS:
                where = f"{id_col}={row.fields.get(id_col)!r}" if id_col else f"line {row.line}"
                self.first_errors.append(f"{where}: {err}")

    def merge(self, other: RunSummary) -> None:
        """Add the counts of another run (e.g. another partition)."""
        self.rows += other.rows
        self.errors += other.errors
        room = FIRST_ERRORS - len(self.first_errors)
        self.first_errors += other.first_errors[: max(room, 0)]

    def describe(self, elapsed: float) -> str:
        """Rows read, scored and with errors, time and speed: ``framing score``'s summary."""
        return (
            f"{self.rows:,} rows read, {self.scored:,} scored, {self.errors:,} with errors "
            f"(see the error column); {elapsed:.1f} s, {self.rows / max(elapsed, 1e-9):,.0f} "
            "rows/s"
        )


def run_chunks(
    chunks: Iterable[list[Row]],
    scorer,
    write: Callable[[list[dict]], None],
    *,
    input_columns: Sequence[str],
    id_col: str | None = None,
    on_chunk: Callable[[RunSummary], None] | None = None,
    columns: bool = False,
) -> RunSummary:
    """Score every chunk with ``scorer`` and write its rows (input fields, then the scored
    columns) with ``write``, in input order.

    Args:
        chunks: lists of :class:`~framing.tables.read.Row`, in input order.
        scorer: has ``score_many(chunks)`` yielding ``(chunk, columns)`` in input order.
        write: takes the merged rows of one chunk (dicts: every input column, then the
            scored columns).
        input_columns: the input's columns, in order (missing fields are written empty).
        id_col: names rows in :attr:`RunSummary.first_errors` (else their line).
        on_chunk: called after each chunk is written (progress).
        columns: give ``write`` each chunk as columns instead
            (:func:`~framing.batch.scorer.merge_columns`: column name -> values), for
            writers that take them (``write_columns`` of the CSV and Parquet writers).

    Returns:
        The run's :class:`RunSummary`.
    """
    summary = RunSummary()
    for chunk, scored in scorer.score_many(chunks):
        write((merge_columns if columns else merge)(chunk, scored, input_columns))
        summary.add(chunk, scored["error"], id_col)
        if on_chunk is not None:
            on_chunk(summary)
    return summary


@lru_cache(maxsize=4)
def _worker_scorer(model_path: str | None, options: ScoreOptions) -> Scorer:
    """The scorer of a worker process, built once per model and options."""
    return Scorer(load_model(model_path), options)


def _score_in_worker(model_path: str | None, options: ScoreOptions, rows: list[Row]) -> dict:
    return _worker_scorer(model_path, options).score_rows(rows)


class ProcessScorer:
    """Scores chunks in ``workers`` processes (joblib's pool); results in input order.

    Each worker loads the model from ``model_path`` once (None: ``$FRAMING_MODEL`` or the
    shipped model) and keeps it for the chunks it gets; at most ``2 * workers`` chunks are
    in flight, so memory stays bounded. The output is the same as one :class:`Scorer`'s.
    """

    def __init__(self, model_path, options: ScoreOptions, workers: int):
        self.model_path = None if model_path is None else str(model_path)
        self.options = options
        self.workers = workers

    def score_many(self, chunks: Iterable[list[Row]]) -> Iterator[tuple[list[Row], dict]]:
        from joblib import Parallel, delayed

        pending: list[list[Row]] = []

        def tasks():
            for chunk in chunks:
                pending.append(chunk)
                yield delayed(_score_in_worker)(self.model_path, self.options, chunk)

        parallel = Parallel(
            n_jobs=self.workers, return_as="generator", pre_dispatch="2*n_jobs", batch_size=1
        )
        results = parallel(tasks())
        try:
            for scored in results:
                yield pending.pop(0), scored
        finally:  # stopped early (an error, a closed pipe): cancel quietly
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                results.close()
