"""Worker processes (`framing score --workers N`): the same columns as one process, in input
order, whether the workers are forked or spawned; errors and early stops end the pool."""

from __future__ import annotations

import io
import multiprocessing
import os

import pytest

from framing.batch import ChunkSink, ProcessScorer, ScoreOptions, Scorer, run_chunks
from framing.core.model import load_model
from framing.errors import FramingError
from framing.tables.read import Row
from framing.tables.write import DelimitedWriter

TEXTS = ["You won't believe what happened next", "Parliament passes budget", "", "Das ist gut"]


def chunks(n_chunks=7, size=5):
    rows = [
        Row(
            {"headline": TEXTS[i % len(TEXTS)] + f" {i}" * (i % 3)},
            "bad row" if i % 11 == 0 else None,
        )
        for i in range(n_chunks * size)
    ]
    return [rows[i : i + size] for i in range(0, len(rows), size)]


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_workers_give_one_process_columns_in_order(model_dir, start_method):
    if start_method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"this platform cannot {start_method} processes")
    model = load_model(model_dir)
    options = ScoreOptions(headline_col="headline")
    expected = list(Scorer(model, options).score_many(chunks()))
    scorer = ProcessScorer(model_dir, options, 2, model=model, start_method=start_method)
    got = list(scorer.score_many(chunks()))
    assert [c for c, _ in got] == [c for c, _ in expected]
    assert [s for _, s in got] == [s for _, s in expected]
    assert not multiprocessing.active_children()  # the pool is gone


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
@pytest.mark.parametrize(("fmt", "inputs"), [("csv", ["id", "headline"]), ("tsv", ["id"])])
def test_rows_rendered_in_workers_are_the_writers_text(model_dir, start_method, fmt, inputs):
    """With ``render`` the workers hand back the chunk's lines: the same text the writer
    writes from one process's merged columns (a column missing from the rows is empty; the
    scored column need not be written)."""
    if start_method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"this platform cannot {start_method} processes")
    model = load_model(model_dir)
    options = ScoreOptions(headline_col="headline")
    one = Scorer(model, options)
    buf = io.StringIO()
    writer = DelimitedWriter(buf, [*inputs, *one.columns], fmt, inputs)
    header = buf.getvalue()
    # one process: the merged columns (merge_columns), rendered here
    by_columns = ChunkSink(lambda columns: writer.write_chunk(writer.render(columns)), "columns")
    run_chunks(chunks(), one, by_columns, input_columns=inputs)
    scorer = ProcessScorer(model_dir, options, 2, model=model, start_method=start_method)
    got = list(scorer.render_many(chunks(), inputs, writer.render))
    assert [c for c, _, _ in got] == chunks()
    assert header + "".join(text for _, _, text in got) == buf.getvalue()
    want_errors = [s["error"] for _, s in one.score_many(chunks())]
    assert [e for _, e, _ in got] == want_errors
    assert any(want_errors) and not multiprocessing.active_children()


def test_a_reading_error_reaches_the_caller_and_ends_the_pool(model_dir):
    model = load_model(model_dir)
    scorer = ProcessScorer(model_dir, ScoreOptions(headline_col="headline"), 2, model=model)

    def failing():
        yield from chunks(3)
        raise ValueError("the input broke at chunk 4")

    done = []
    with pytest.raises(ValueError, match="chunk 4"):
        for item in scorer.score_many(failing()):
            done.append(item)
    assert len(done) == 3
    assert not multiprocessing.active_children()


def test_stopping_early_ends_the_pool(model_dir):
    model = load_model(model_dir)
    scorer = ProcessScorer(model_dir, ScoreOptions(headline_col="headline"), 2, model=model)
    results = scorer.score_many(chunks(50))
    first = next(results)
    assert len(first[0]) == 5
    results.close()  # e.g. the output pipe closed: the feeding thread must not block the pool
    assert not multiprocessing.active_children()


def _die(texts):
    os._exit(3)  # a worker killed mid-chunk (the kernel's OOM killer, a crash)


def test_a_dead_worker_is_a_clear_error_not_a_hang(model_dir, monkeypatch):
    import framing.batch.run as run

    monkeypatch.setattr(run, "_score_in_worker", _die)
    model = load_model(model_dir)
    scorer = ProcessScorer(model_dir, ScoreOptions(headline_col="headline"), 2, model=model)
    with pytest.raises(FramingError, match="worker process ended unexpectedly"):
        list(scorer.score_many(chunks()))
    assert not multiprocessing.active_children()
