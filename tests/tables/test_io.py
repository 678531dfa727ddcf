"""Reading and writing rows: formats, encodings, per-row errors, formula guard, atomic output."""

import csv
import io
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from framing.errors import InputError
from framing.tables.formats import format_of
from framing.tables.read import ReadStats, read_chunks
from framing.tables.write import (
    DelimitedWriter,
    JsonlWriter,
    atomic_output,
    neutralize_formula,
    write_rows,
)


def rows_of(data: bytes, fmt: str, **kw):
    stats = ReadStats()
    rows = [r for chunk in read_chunks(io.BytesIO(data), fmt, stats=stats, **kw) for r in chunk]
    return rows, stats


def test_format_from_extension_or_flag():
    assert format_of("a.CSV", None) == "csv"
    assert format_of("a.ndjson", None) == "jsonl"
    assert format_of("weird.dat", "tsv") == "tsv"
    with pytest.raises(InputError, match="--format"):
        format_of("weird.dat", None)
    with pytest.raises(InputError, match="--output-format"):
        format_of("out.txt", None, output=True)


def test_csv_with_bom_crlf_and_multiline_fields():
    data = '\ufeffid,headline\r\n1,"two\r\nlines"\r\n2,plain\r\n'.encode()
    rows, stats = rows_of(data, "csv")
    assert stats.columns == ["id", "headline"]
    assert [r.fields["headline"] for r in rows] == ["two\r\nlines", "plain"]
    assert [r.line for r in rows] == [2, 4]


def test_invalid_bytes_are_a_row_error_not_a_crash():
    data = b"headline\nok\nbad \xff byte\nfine\n"
    rows, _ = rows_of(data, "csv")
    assert [r.error is None for r in rows] == [True, False, True]
    assert "undecodable bytes" in rows[1].error and "--encoding" in rows[1].error
    assert rows[1].fields["headline"] == "bad \ufffd byte"


def test_invalid_bytes_in_extra_fields_stay_out_of_the_error(tmp_path):
    """A row with more fields than the header, some with bytes that are not UTF-8: its
    error quotes them as U+FFFD, so the row can be written (it used to fail the write)."""
    data = b"id,headline\n1,ok,x\xff,y\n2,fine\n"
    rows, _ = rows_of(data, "csv")
    assert "extra fields" in rows[0].error and "\ufffd" in rows[0].error
    assert rows[0].error.encode("utf-8") and rows[1].error is None
    src = tmp_path / "extra.csv"
    src.write_bytes(data)
    out = subprocess.run(
        [sys.executable, "-m", "framing", "score", str(src), "-q"], capture_output=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode("utf-8").count("\n") == 3


def test_other_encoding():
    rows, _ = rows_of("headline\nCafé déjà\n".encode("latin-1"), "csv", encoding="latin-1")
    assert rows[0].fields["headline"] == "Café déjà" and rows[0].error is None


def test_ragged_csv_rows_are_kept():
    rows, _ = rows_of(b"a,b\n1\n1,2,3\n", "csv")
    assert rows[0].fields == {"a": "1", "b": ""} and rows[0].error is None
    assert "3 fields" in rows[1].error


def test_jsonl_bad_lines_become_row_errors():
    data = b'{"headline": "a"}\nnot json\n[1, 2]\n\n{"headline": "b", "new": 1}\n'
    rows, stats = rows_of(data, "jsonl", chunk_size=1)
    assert len(rows) == 5
    assert rows[1].error.startswith("malformed JSON line")
    assert "list, not an object" in rows[2].error
    assert rows[3].error.startswith("empty line")
    # a file is read once first for the keys of every line: none is first seen late
    assert stats.columns == ["headline", "new"] and stats.late_columns == []


class Stream(io.BytesIO):
    """stdin-like: cannot be read twice."""

    def seekable(self):
        return False


def test_jsonl_stream_keys_after_the_first_chunk_are_late():
    data = b'{"headline": "a"}\n{"headline": "b", "new": 1}\n'
    stats = ReadStats()
    rows = [r for c in read_chunks(Stream(data), "jsonl", chunk_size=1, stats=stats) for r in c]
    assert len(rows) == 2
    assert stats.columns == ["headline"] and stats.late_columns == ["new"]


def test_text_lines_and_chunking():
    chunks = list(read_chunks(io.BytesIO(b"a\r\nb\nc"), "txt", chunk_size=2))
    assert [[r.fields["headline"] for r in c] for c in chunks] == [["a", "b"], ["c"]]


def test_empty_csv_and_duplicate_header_are_fatal():
    with pytest.raises(InputError, match="empty"):
        rows_of(b"", "csv")
    with pytest.raises(InputError, match="repeats"):
        rows_of(b"a,a\n1,2\n", "csv")


@given(st.text(max_size=30))
def test_neutralized_cells_never_start_a_formula(value):
    out = neutralize_formula(value)
    assert out == value or out == "'" + value
    if out and out[0] in "=+-@\t\r":
        float(out)  # only plain numbers may keep a leading sign


def test_formula_guard_applies_to_user_columns_only():
    buf = io.StringIO()
    w = DelimitedWriter(buf, ["headline", "score"], "csv", user_columns=["headline"])
    write_rows(w, [{"headline": "=HYPERLINK(1)", "score": -0.5}, {"headline": "-3.5", "score": 1}])
    rows = list(csv.reader(io.StringIO(buf.getvalue())))
    assert rows[1] == ["'=HYPERLINK(1)", "-0.5"] and rows[2] == ["-3.5", "1"]


def test_jsonl_writer_embeds_raw_json():
    buf = io.StringIO()
    writer = JsonlWriter(buf, ["a", "t"], raw_json_columns=["t"])
    write_rows(writer, [{"a": 1, "t": "[1]"}, {"t": None}])
    import json

    assert [json.loads(x) for x in buf.getvalue().splitlines()] == [{"a": 1, "t": [1]}, {"t": None}]


def test_parquet_roundtrip(tmp_path):
    pytest.importorskip("pyarrow")
    from framing.tables.write import ParquetWriter

    path = tmp_path / "x.parquet"
    with open(path, "wb") as fh:
        w = ParquetWriter(fh, ["headline", "n"], {"n": "int64"})
        write_rows(w, [{"headline": "a", "n": 1}, {"headline": None, "n": 2}])
        w.close()
    with open(path, "rb") as fh:
        rows, stats = rows_of(fh.read(), "parquet")
    assert stats.columns == ["headline", "n"] and [r.fields["n"] for r in rows] == [1, 2]


def test_atomic_output_keeps_the_old_file_on_failure(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_output(str(target)) as fh:
        fh.write("partial")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]
    with atomic_output(str(target)) as fh:
        fh.write("new")
    assert target.read_text() == "new"
    with (
        pytest.raises(InputError, match="does not exist"),
        atomic_output(str(tmp_path / "no" / "x")),
    ):
        pass
