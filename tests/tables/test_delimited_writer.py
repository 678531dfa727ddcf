"""CSV/TSV output: any cell content is one cell of one row for every reader, formula-guarded."""

import csv
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.tables.write import LINE_BREAKS, DelimitedWriter, neutralize_formula, write_rows

# text biased towards what breaks rows and starts formulas
TRICKY = st.sampled_from(
    list(LINE_BREAKS) + ["\r\n", ",", "\t", '"', "=", "+", "-", "@", "\uff1d", " ", "\x00", "1"]
)
CELL = st.lists(st.one_of(TRICKY, st.text(max_size=5)), max_size=8).map("".join)


def write(rows, fmt="csv", guard=True, columns=("id", "text")):
    buf = io.StringIO(newline="")
    w = DelimitedWriter(buf, list(columns), fmt, ["text"], guard)
    write_rows(w, rows)
    return buf.getvalue()


def read(data: str, fmt="csv"):
    return list(csv.reader(io.StringIO(data, newline=""), delimiter="\t" if fmt == "tsv" else ","))


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(CELL, min_size=1, max_size=5), fmt=st.sampled_from(["csv", "tsv"]))
def test_any_cell_is_one_row_and_guarded(cells, fmt):
    data = write([{"id": str(i), "text": c} for i, c in enumerate(cells)], fmt)
    rows = read(data, fmt)
    assert rows[0] == ["id", "text"]
    assert rows[1:] == [[str(i), neutralize_formula(c)] for i, c in enumerate(cells)]
    # no physical line starts outside a quoted cell except where a row starts: every line
    # break outside quotes ends a row
    in_quotes, breaks = False, 0
    for ch in data:
        if ch == '"':
            in_quotes = not in_quotes
        elif ch in LINE_BREAKS and not in_quotes:
            breaks += 1
    assert breaks == len(cells) + 1


@settings(max_examples=200, deadline=None)
@given(cell=CELL)
def test_the_guard_applies_to_the_start_of_every_user_cell(cell):
    guarded = neutralize_formula(cell)
    stripped = guarded.lstrip(" \u3000\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2028\u2029")
    plain_number = re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", cell)
    if guarded[:1] != "'" and not plain_number:  # "+0", "-3.5" are numbers, left alone
        assert not stripped.startswith(("=", "+", "@", "\uff1d", "\uff0b", "\uff20", "\uff0d"))
        assert not guarded.startswith(("\t", "\r", "\n"))
        assert not stripped.startswith("-") or stripped == guarded


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
@pytest.mark.parametrize("brk", list(LINE_BREAKS))
def test_a_bare_line_break_cannot_start_a_row(fmt, brk):
    data = write([{"id": "1", "text": f"Ok{brk}=1+1"}, {"id": "2", "text": "@SUM(A1)"}], fmt)
    rows = read(data, fmt)
    assert rows == [["id", "text"], ["1", f"Ok{brk}=1+1"], ["2", "'@SUM(A1)"]]
    assert data.splitlines()[0] == ("id\ttext" if fmt == "tsv" else "id,text")
    assert f'"Ok{brk}=1+1"' in data  # quoted


def test_guard_examples():
    assert neutralize_formula("=1+1") == "'=1+1"
    assert neutralize_formula(" =1+1") == "' =1+1"
    assert neutralize_formula("\uff1dSUM(A1)") == "'\uff1dSUM(A1)"
    assert neutralize_formula("\n=1") == "'\n=1"
    assert neutralize_formula("-3.5") == "-3.5" and neutralize_formula("+1e5") == "+1e5"
    assert neutralize_formula("Ok\r=1+1") == "Ok\r=1+1"  # one cell: its start is safe
    assert write([], columns=("=cmd", "text")).splitlines()[0] == "'=cmd,text"


VALUE = st.one_of(
    CELL,
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False),
    st.lists(st.text(max_size=3), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(
        st.fixed_dictionaries({"id": VALUE, "text": VALUE, "score": VALUE}), min_size=1, max_size=6
    ),
    fmt=st.sampled_from(["csv", "tsv"]),
    guard=st.booleans(),
)
def test_columns_are_written_as_the_same_rows(rows, fmt, guard):
    # framing score renders chunks column by column: byte for byte what write_rows gives
    cols = ["id", "text", "score", "missing"]
    by_rows = io.StringIO(newline="")
    write_rows(DelimitedWriter(by_rows, cols, fmt, ["id", "text"], guard), rows)
    by_columns = io.StringIO(newline="")
    writer = DelimitedWriter(by_columns, cols, fmt, ["id", "text"], guard)
    writer.write_chunk(writer.render({c: [r[c] for r in rows] for c in cols[:3]}))
    assert by_columns.getvalue() == by_rows.getvalue()
