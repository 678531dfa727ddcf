"""Reading is bounded by characters: chunks end at a character budget, and a row over the
row limit is a row error read in pieces, never held whole, with every other row intact."""

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.errors import InputError
from framing.tables.read import ReadStats, read_chunks


def chunks_of(data: bytes, fmt: str, **kw):
    stats = ReadStats()
    return list(read_chunks(io.BytesIO(data), fmt, stats=stats, **kw)), stats


def test_chunks_end_at_the_character_budget():
    data = "".join(json.dumps({"headline": "x" * 90}) + "\n" for _ in range(10)).encode()
    chunks, _ = chunks_of(data, "jsonl", chunk_size=1000, chunk_chars=250)
    assert [len(c) for c in chunks] == [3, 3, 3, 1]
    data = ("id,headline\n" + "".join(f"{i},{'y' * 99}\n" for i in range(10))).encode()
    chunks, _ = chunks_of(data, "csv", chunk_size=4, chunk_chars=10_000)
    assert [len(c) for c in chunks] == [4, 4, 2]  # the row count still applies


@pytest.mark.parametrize("fmt", ["jsonl", "txt"])
def test_an_over_long_line_is_a_row_error(fmt):
    long = json.dumps({"headline": "z" * 5000}) if fmt == "jsonl" else "z" * 5000
    short = json.dumps({"headline": "ok"}) if fmt == "jsonl" else "ok"
    data = f"{short}\n{long}\r\n{short}\n".encode()
    chunks, _ = chunks_of(data, fmt, max_row_chars=1000)
    rows = [r for c in chunks for r in c]
    assert len(rows) == 3 and [r.line for r in rows] == [1, 2, 3]
    assert rows[1].error.startswith("row too long (5,0") and "--max-chars" in rows[1].error
    assert rows[0].error is None and rows[2].error is None
    assert rows[2].fields["headline"] == "ok"


def test_an_over_long_csv_record_spanning_lines_is_skipped_exactly():
    body = '"quoted, with ""quotes""\n' * 300  # one field of many lines
    text = f'id,body\n1,short\n2,"{body.replace(chr(34), chr(34) * 2)}"\n3,after\n'
    chunks, _ = chunks_of(text.encode(), "csv", max_row_chars=500)
    rows = [r for c in chunks for r in c]
    assert [r.fields["id"] for r in rows] == ["1", "", "3"]
    assert rows[1].error.startswith("row too long") and rows[2].fields["body"] == "after"
    with pytest.raises(InputError, match="header row is longer"):
        chunks_of(b"a" * 600 + b",b\n1,2\n", "csv", max_row_chars=500)


CELL = st.lists(
    st.one_of(st.sampled_from(['"', ",", "\n", "\r\n", "\r", "\t", "x" * 40]), st.text(max_size=8)),
    max_size=12,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.lists(CELL, min_size=2, max_size=2), max_size=6), limit=st.integers(10, 80))
def test_any_csv_rows_keep_their_place_under_a_row_limit(rows, limit):
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)  # a lone \r quoted too
    w.writerow(["a", "b"])
    w.writerows(rows)
    data = buf.getvalue()
    chunks, _ = chunks_of(data.encode(), "csv", max_row_chars=limit)
    got = [r for c in chunks for r in c]
    assert len(got) == len(rows)
    for r, cells in zip(got, rows, strict=True):
        if r.error is None:
            assert [r.fields["a"], r.fields["b"]] == cells
        else:
            assert r.error.startswith("row too long")
            written = sum(len(c) + c.count('"') + 2 for c in cells) + 2  # quotes, comma, \n
            assert written > limit
