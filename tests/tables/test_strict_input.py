"""Strict text and JSON (issue 25, classes 2, 3 and 8): lone surrogates, deep nesting and
non-finite numbers are read into row errors or kept as text, and every JSON written is strict."""

import io
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import strict
from framing.tables.read import ReadStats, read_chunks
from framing.tables.write import (
    DelimitedWriter,
    JsonlWriter,
    ParquetWriter,
    atomic_output,
    write_rows,
)


def _refuse(name):
    raise ValueError(f"not strict JSON: {name}")


def strict_parse(text: str):
    """A strict parser (what browsers and jq accept): no NaN, Infinity."""
    return json.loads(text, parse_constant=_refuse)


def rows_of(data: bytes, fmt: str = "jsonl"):
    stats = ReadStats()
    return [r for chunk in read_chunks(io.BytesIO(data), fmt, stats=stats) for r in chunk]


# ---- strict JSON written ------------------------------------------------------------------
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=8,
)


def _named(value):
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {k: _named(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_named(v) for v in value]
    return value


@settings(max_examples=200, deadline=None)
@given(JSON_VALUES)
def test_dumps_is_strict_json_and_names_non_finite_numbers(value):
    assert strict_parse(strict.dumps(value)) == _named(value)


def test_json_writers_write_strict_json():
    rows = [{"n": math.inf, "m": [math.nan, 1.5], "t": "x"}]
    buf = io.StringIO()
    write_rows(JsonlWriter(buf, ["n", "m", "t"]), rows)
    assert strict_parse(buf.getvalue()) == {"n": "Infinity", "m": ["NaN", 1.5], "t": "x"}
    buf = io.StringIO()
    write_rows(DelimitedWriter(buf, ["n", "m"], "csv", ["n", "m"]), rows)
    assert buf.getvalue().splitlines()[1] == 'Infinity,"[""NaN"", 1.5]"'


# ---- non-finite numbers read ---------------------------------------------------------------
def test_non_finite_input_numbers_are_kept_as_their_text():
    data = b'{"headline": "a", "n": 1e400, "m": -1E+999, "c": NaN, "k": [Infinity, 2.5e3]}\n'
    (row,) = rows_of(data)
    assert row.error is None
    assert row.fields == {"headline": "a", "n": "1e400", "m": "-1E+999", "c": "NaN"} | {
        "k": ["Infinity", 2500.0]
    }


# ---- deep nesting --------------------------------------------------------------------------
@settings(max_examples=30, deadline=None)
@given(depth=st.integers(1, 3 * strict.MAX_DEPTH), kind=st.sampled_from(["[]", "{}"]))
def test_nesting_is_refused_exactly_over_the_bound(depth, kind):
    if kind == "[]":
        text = "[" * depth + "]" * depth
    else:
        text = '{"a": ' * (depth - 1) + "{}" + "}" * (depth - 1)
    if depth > strict.MAX_DEPTH:
        with pytest.raises(strict.TooDeep):
            strict.loads(text)
    else:
        assert strict.dumps(strict.loads(text)) == json.dumps(json.loads(text))


@pytest.mark.parametrize("depth", [strict.MAX_DEPTH + 1, 100_000])
def test_a_deeply_nested_jsonl_line_is_a_row_error(depth):
    deep = '{"headline": "x", "v": ' + "[" * depth + "]" * depth + "}\n"
    data = ('{"headline": "a"}\n' + deep + '{"headline": "b"}\n').encode()
    rows = rows_of(data)
    assert [r.fields.get("headline") for r in rows] == ["a", None, "b"]
    assert rows[1].error.startswith("JSON line nested more than 200 levels deep")
    assert rows[0].error is None and rows[2].error is None


# ---- lone surrogates -----------------------------------------------------------------------
PIECES = ["a", " ", "é", "😀", "\\ud800", "\\udc80", "\\udfff", "\\ud83d\\ude00", '\\"']
ESCAPED = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)


@settings(max_examples=150, deadline=None)
@given(headline=ESCAPED, key=ESCAPED, nested=ESCAPED)
def test_any_escaped_text_is_read_into_text_that_can_be_written(headline, key, nested):
    line = f'{{"headline": "{headline}", "{key}x": ["{nested}"]}}\n'
    (row,) = rows_of(line.encode())
    decoded = json.loads(line)  # Python's json accepts lone surrogate escapes
    nested_text = next(v for v in decoded.values() if isinstance(v, list))[0]
    texts = [*decoded, decoded["headline"], nested_text]
    lone = any(strict.has_surrogates(t) for t in texts)
    assert (row.error is not None) == lone
    if lone:
        assert "lone surrogate" in row.error and "U+FFFD" in row.error
    for writer in _writers():
        writer(list(row.fields), [row.fields])  # never raises


def _writers():
    def jsonl(columns, rows):
        buf = io.BytesIO()
        with io.TextIOWrapper(buf, encoding="utf-8") as fh:
            write_rows(JsonlWriter(fh, columns), rows)
            fh.flush()
            strict_parse(buf.getvalue().decode("utf-8"))

    def csv(columns, rows):
        buf = io.BytesIO()
        with io.TextIOWrapper(buf, encoding="utf-8") as fh:
            write_rows(DelimitedWriter(fh, columns, "csv", columns), rows)
            fh.flush()

    def parquet(columns, rows):
        pytest.importorskip("pyarrow")
        writer = ParquetWriter(io.BytesIO(), columns)
        write_rows(writer, rows)
        writer.close()

    return jsonl, csv, parquet


def test_the_lone_surrogate_row_says_where_and_shows_u_fffd():
    rows = rows_of(b'{"headline": "ok"}\n{"headline": "bad \\ud800 x"}\n')
    assert rows[0].error is None
    assert rows[1].fields["headline"] == "bad \ufffd x"
    assert rows[1].error.startswith("field 'headline' is not valid Unicode: a lone surrogate")
    assert "'\\ud800' at character 4" in rows[1].error


def test_a_valid_surrogate_pair_escape_is_text():
    (row,) = rows_of(b'{"headline": "smile \\ud83d\\ude00"}\n')
    assert row.error is None and row.fields["headline"] == "smile \U0001f600"


def test_writers_never_fail_on_a_lone_surrogate_no_reader_cleaned(tmp_path):
    """A lone surrogate that reached a writer (e.g. in a Dask DataFrame's column) is written
    as U+FFFD in every text file the project writes, and by the Parquet writer."""
    rows = [{"id": "x\ud800y"}]
    path = tmp_path / "out.jsonl"
    with atomic_output(str(path)) as fh:
        write_rows(JsonlWriter(fh, ["id"]), rows)
    assert strict_parse(path.read_text(encoding="utf-8")) == {"id": "x\ufffdy"}
    path = tmp_path / "out.csv"
    with atomic_output(str(path)) as fh:
        write_rows(DelimitedWriter(fh, ["id"], "csv", ["id"]), rows)
    assert path.read_text(encoding="utf-8") == "id\nx\ufffdy\n"
    pq = pytest.importorskip("pyarrow.parquet")
    buf = io.BytesIO()
    writer = ParquetWriter(buf, ["id"])
    write_rows(writer, rows)
    writer.close()
    assert pq.read_table(io.BytesIO(buf.getvalue())).to_pylist() == [{"id": "x\ufffdy"}]


def test_every_json_the_project_writes_goes_through_the_strict_helper():
    """One owner of the rule: no module but framing.strict calls json.dump(s) or json.load(s)
    (a new call would write NaN or raise RecursionError again)."""
    from pathlib import Path

    src = Path(strict.__file__).parent
    offenders = [
        f"{path.relative_to(src)}:{n}"
        for path in sorted(src.rglob("*.py"))
        if path.name != "strict.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if any(call in line for call in ("json.dumps(", "json.dump(", "json.loads(", "json.load("))
        and not line.lstrip().startswith("#")
    ]
    assert offenders == [], offenders


def test_undecodable_bytes_in_a_key_or_a_nested_value_are_shown_as_u_fffd():
    stats = ReadStats()
    data = b'{"headline": "ok", "k\xff": ["a\xfe"]}\n{"headline": "b"}\n'
    rows = [r for c in read_chunks(io.BytesIO(data), "jsonl", stats=stats) for r in c]
    assert rows[0].fields == {"headline": "ok", "k\ufffd": ["a\ufffd"]}
    assert rows[0].error.startswith("undecodable bytes") and rows[1].error is None
    assert stats.columns == ["headline", "k\ufffd"]  # the key as the row holds it
