"""The one batch path: chunks of rows in, scored rows out, in input order, nothing dropped.

``framing score`` (one process or several), the Dask engine (per partition) and the app's
file page all call :func:`run_chunks`; they differ only in where the chunks come from and
where the scored rows go::

    summary = run_chunks(chunks, Scorer(model, options), writer)

``scorer`` is anything with ``score_many(chunks)`` yielding ``(chunk, columns)`` in input
order: a :class:`~framing.batch.scorer.Scorer` (this process) or a :class:`ProcessScorer`
(a pool of worker processes). Each chunk's rows are merged with their scored
columns and handed to the writer's one ``write_chunk``, in the form the writer declares it
takes (its ``takes``): ``"rows"`` (:func:`~framing.batch.scorer.merge`), ``"columns"``
(:func:`~framing.batch.scorer.merge_columns`) or ``"text"`` (rendered by the writer's
picklable ``render`` where the chunk is scored: the workers' job when there are several, so
the parent of a pool only reads and writes). A function is a writer too, as
:class:`ChunkSink`. The :class:`RunSummary` counts rows and row errors and keeps the first
few errors.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from framing.batch.scorer import (
    ScoreOptions,
    Scorer,
    chunk_cells,
    merge,
    merge_columns,
    prepare,
)
from framing.core.language import language_model
from framing.core.model import load_model
from framing.errors import FramingError
from framing.tables.read import Row

__all__ = ["ChunkSink", "ProcessScorer", "RunSummary", "run_chunks"]

FIRST_ERRORS = 3
PARENT_CHECK_SECONDS = 0.5  # how often a worker checks that its parent is alive


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


class ChunkSink:
    """A writer made of a function: ``write`` takes each chunk as ``takes`` says
    (``"rows"``: merged rows; ``"columns"``: column name -> values), e.g. to keep the scored
    rows in memory (``ChunkSink(records.extend)``)."""

    def __init__(self, write: Callable, takes: str = "rows"):
        if takes not in ("rows", "columns"):
            raise ValueError(f"takes must be 'rows' or 'columns', not {takes!r}")
        self.takes = takes
        self.write_chunk = write

    def close(self) -> None:
        """Nothing to finish."""


def run_chunks(
    chunks: Iterable[list[Row]],
    scorer,
    writer,
    *,
    input_columns: Sequence[str],
    id_col: str | None = None,
    on_chunk: Callable[[RunSummary], None] | None = None,
) -> RunSummary:
    """Score every chunk with ``scorer`` and write its rows (input fields, then the scored
    columns) with ``writer``, in input order. The writer is not closed.

    Args:
        chunks: lists of :class:`~framing.tables.read.Row`, in input order.
        scorer: has ``score_many(chunks)`` yielding ``(chunk, columns)`` in input order
            (and ``render_many``, for a writer that takes text).
        writer: declares what it takes (``takes``) and has one ``write_chunk``, given each
            chunk's merged rows (``"rows"``: dicts, every input column, then the scored
            columns), its columns (``"columns"``: column name -> values) or its text
            (``"text"``: what its picklable ``render`` makes of the columns, run where the
            chunk is scored). The writers of :func:`~framing.batch.output.open_writer`, or a
            :class:`ChunkSink`.
        input_columns: the input's columns, in order (missing fields are written empty).
        id_col: names rows in :attr:`RunSummary.first_errors` (else their line).
        on_chunk: called after each chunk is written (progress).

    Returns:
        The run's :class:`RunSummary`.
    """
    takes = writer.takes
    if takes == "text":
        results = scorer.render_many(chunks, input_columns, writer.render)
    elif takes in ("rows", "columns"):
        merged = merge_columns if takes == "columns" else merge
        results = (
            (chunk, scored["error"], merged(chunk, scored, input_columns))
            for chunk, scored in scorer.score_many(chunks)
        )
    else:
        raise ValueError(f"a writer takes 'rows', 'columns' or 'text', not {takes!r}")
    write = writer.write_chunk
    summary = RunSummary()
    for chunk, errors, out in results:
        write(out)
        summary.add(chunk, errors, id_col)
        if on_chunk is not None:
            on_chunk(summary)
    return summary


_WORKER: dict = {}  # in a worker process: its scorer


def _start_worker(model_path: str | None, options: ScoreOptions, model) -> None:
    """A worker's start: its scorer (the model inherited when forked, else loaded). Ctrl-C
    and SIGTERM are left to the parent, which stops the pool; a worker whose parent was
    killed outright ends itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_end_with_parent, args=(os.getppid(),), daemon=True).start()
    _WORKER["scorer"] = Scorer(model if model is not None else load_model(model_path), options)


def _end_with_parent(parent: int) -> None:
    """Ends this worker once its parent is gone (killed outright, it could not stop us)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _result(chunk: list[Row], future: Future):
    """What a chunk's worker returned, or a clear error if its worker died."""
    try:
        return future.result()
    except BrokenProcessPool:
        where = f" (the chunk from line {chunk[0].line})" if chunk and chunk[0].line else ""
        raise FramingError(
            f"a worker process ended unexpectedly while scoring{where}: killed for memory, or "
            "crashed; rerun with fewer --workers or a lower --chunk-chars, or with --workers 1"
        ) from None


def _score_in_worker(texts: tuple) -> dict:
    return _WORKER["scorer"].score_texts(*texts)


def _render_in_worker(*args) -> tuple[list, str]:
    return _WORKER["scorer"]._render_cells(*args)


class ProcessScorer:
    """Scores chunks in ``workers`` processes; results in input order.

    Given the loaded ``model``, the workers are forked from this process on Linux (they
    share the model and start in milliseconds); else (or with ``start_method``
    ``"spawn"``) they are spawned and each loads the model from ``model_path`` (None:
    ``$FRAMING_MODEL`` or the shipped model). Workers get each chunk's texts and row errors
    (:func:`~framing.batch.scorer.prepare`), not its rows; with :meth:`render_many`, its
    cells and reading errors, and they hand back the chunk's text (the parent then only
    reads and writes). At most
    ``2 * workers`` chunks are in flight, so memory stays bounded. The output is the same
    as one :class:`Scorer`'s.
    """

    def __init__(
        self, model_path, options: ScoreOptions, workers: int, model=None, start_method=None
    ):
        self.model_path = None if model_path is None else str(model_path)
        self.options = options
        self.workers = workers
        self.model = model
        # fork only on Linux: macOS system libraries are not safe to use after a fork
        forks = sys.platform.startswith("linux") and model is not None
        self.start_method = start_method or ("fork" if forks else "spawn")

    def score_many(self, chunks: Iterable[list[Row]]) -> Iterator[tuple[list[Row], dict]]:
        """Each chunk with its scored columns, in order."""
        o = self.options

        def job(chunk):
            return _score_in_worker, prepare(chunk, o.headline_col, o.body_col, o.max_chars)

        return self._run(chunks, job)

    def render_many(
        self, chunks: Iterable[list[Row]], input_columns: Sequence[str], render
    ) -> Iterator[tuple[list[Row], list, str]]:
        """Each chunk with its ``error`` column and its rows as text, rendered in the workers
        (as :meth:`framing.batch.Scorer.render_many` does in one process): the parent only
        reads and writes."""
        cols = list(input_columns)
        o = self.options

        def job(chunk):
            cells = chunk_cells(chunk, cols, o.headline_col, o.body_col)
            return _render_in_worker, *cells, cols, render

        for chunk, (errors, text) in self._run(chunks, job):
            yield chunk, errors, text

    def _run(self, chunks: Iterable[list[Row]], job) -> Iterator[tuple[list[Row], object]]:
        """Each chunk with what its worker returned, in order; ``job(chunk)`` gives the
        worker's function and arguments."""
        context = multiprocessing.get_context(self.start_method)
        # a house-style model is not on disk: spawned workers get it pickled
        styled = getattr(self.model, "house_style", None) is not None
        model = self.model if self.start_method == "fork" or styled else None
        if model is not None:  # forked workers share the language model instead of each loading it
            language_model()
        in_flight: deque[tuple[list[Row], Future]] = deque()
        pool = ProcessPoolExecutor(
            self.workers, context, _start_worker, (self.model_path, self.options, model)
        )
        chunks = iter(chunks)
        try:
            while True:
                try:
                    chunk = next(chunks)
                except StopIteration:
                    break
                except Exception:  # a reading error: the chunks read before it come out first
                    while in_flight:
                        done, future = in_flight.popleft()
                        yield done, _result(done, future)
                    raise
                in_flight.append((chunk, pool.submit(*job(chunk))))
                if len(in_flight) >= 2 * self.workers:
                    done, future = in_flight.popleft()
                    yield done, _result(done, future)
            while in_flight:
                done, future = in_flight.popleft()
                yield done, _result(done, future)
        finally:  # stopped early (an error, a closed pipe, a signal): drop what is queued
            pool.shutdown(wait=True, cancel_futures=True)
