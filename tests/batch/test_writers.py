"""The writers of :func:`framing.batch.output.open_writer` have one entry point
(``write_chunk``) and say what it takes (``takes``); :func:`framing.batch.run_chunks` reads
that, in one process and with worker processes, and writes what the rows would give."""

from __future__ import annotations

import io
import multiprocessing
import pickle

import pytest

from framing.batch import ChunkSink, ProcessScorer, ScoreOptions, Scorer, run_chunks
from framing.batch.output import open_writer
from framing.core.model import load_model
from framing.tables import pyarrow_module, write_rows
from framing.tables.read import Row

FORMATS = ["csv", "tsv", "jsonl", "parquet"]
INPUTS = ["id", "headline"]
TEXTS = ["You won't believe what happened next", "=1+1 Parliament passes budget", "", "Das ist"]


def chunks(n_chunks=4, size=3):
    rows = [
        Row(
            {"id": str(i), "headline": TEXTS[i % len(TEXTS)]} if i % 5 else {"headline": "x"},
            "bad row" if i % 7 == 3 else None,
            i + 2,
        )
        for i in range(n_chunks * size)
    ]
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def _open(fmt, columns):
    fh = io.BytesIO() if fmt == "parquet" else io.StringIO(newline="")
    return fh, open_writer(fmt, fh, columns, INPUTS)


def _content(fmt, fh):
    if fmt == "parquet":
        fh.seek(0)
        return pyarrow_module().parquet.read_table(fh).to_pylist()
    return fh.getvalue()


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_writer_has_one_entry_point_and_says_what_it_takes(fmt):
    _, writer = _open(fmt, [*INPUTS, "loaded_probability", "error"])
    assert writer.takes in ("rows", "columns", "text")
    assert callable(writer.write_chunk) and callable(writer.close)
    for other in ("write", "write_columns", "write_text"):
        assert not hasattr(writer, other), f"{fmt} writer still has {other}"
    if writer.takes == "text":  # rendered in worker processes: it must travel there
        render = pickle.loads(pickle.dumps(writer.render))
        assert render({"id": ["1"], "headline": ["=2"]}) == writer.render(
            {"id": ["1"], "headline": ["=2"]}
        )
    assert fmt != "jsonl" or writer.takes == "rows"  # JSONL keeps keys first seen later


@pytest.mark.parametrize("fmt", FORMATS)
def test_run_chunks_writes_what_the_merged_rows_give(model_dir, fmt):
    """One process and two worker processes write the same output as the merged rows
    written with :func:`framing.tables.write_rows`, whatever the writer takes."""
    model = load_model(model_dir)
    options = ScoreOptions(headline_col="headline")
    one = Scorer(model, options)
    columns = [*INPUTS, *one.columns]

    rows: list[dict] = []
    run_chunks(chunks(), one, ChunkSink(rows.extend), input_columns=INPUTS)
    assert len(rows) == sum(map(len, chunks()))
    fh, writer = _open(fmt, columns)
    write_rows(writer, rows)
    writer.close()
    want = _content(fmt, fh)

    scorers = {"one process": one}
    if "fork" in multiprocessing.get_all_start_methods():
        scorers["workers"] = ProcessScorer(model_dir, options, 2, model=model, start_method="fork")
    for name, scorer in scorers.items():
        fh, writer = _open(fmt, columns)
        summary = run_chunks(chunks(), scorer, writer, input_columns=INPUTS)
        writer.close()
        assert _content(fmt, fh) == want, name
        assert summary.rows == len(rows) and summary.errors == sum(bool(r["error"]) for r in rows)
        assert summary.errors > 0


def test_a_writer_taking_something_else_is_refused(model_dir):
    class Odd:
        takes = "bytes"

        def write_chunk(self, payload):
            raise AssertionError("not reached")

    scorer = Scorer(load_model(model_dir), ScoreOptions(headline_col="headline"))
    with pytest.raises(ValueError, match="'rows', 'columns' or 'text'"):
        run_chunks(chunks(), scorer, Odd(), input_columns=INPUTS)
    with pytest.raises(ValueError, match="takes must be"):
        ChunkSink(print, "text")
