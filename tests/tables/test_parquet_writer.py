"""Parquet output: the schema is fixed before the first row, so any chunk sequence fits it."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from framing import strict  # noqa: E402
from framing.tables.write import ParquetWriter, write_rows  # noqa: E402

JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=5,
)
ROW = st.fixed_dictionaries(
    {
        "id": JSON_VALUE,  # a JSONL key whose type may change in any row
        "clickbait_probability": st.none() | st.floats(0, 1),
        "clickbait_label": st.none() | st.sampled_from([0, 1]),
        "error": st.none() | st.text(max_size=10),
    }
)
COLUMNS = ["id", "clickbait_probability", "clickbait_label", "error"]
TYPES = {"clickbait_probability": "float64", "clickbait_label": "int64", "error": "string"}


def text(value):
    if value is None or isinstance(value, str):
        return value
    return strict.dumps(value, ensure_ascii=False, default=str)  # NaN as "NaN": strict JSON


@settings(max_examples=150, deadline=None)
@given(chunks=st.lists(st.lists(ROW, max_size=4), max_size=5))
def test_any_chunk_sequence_is_written(chunks):
    buf = io.BytesIO()
    w = ParquetWriter(buf, COLUMNS, TYPES)
    for chunk in chunks:
        write_rows(w, chunk)
    w.close()
    table = pq.read_table(io.BytesIO(buf.getvalue()))
    assert table.column_names == COLUMNS
    assert str(table.schema.field("clickbait_label").type) == "int64"
    got = table.to_pylist()
    want = [r for chunk in chunks for r in chunk]
    assert len(got) == len(want)
    for g, r in zip(got, want, strict=True):
        assert g["id"] == (None if r["id"] is None else text(r["id"]))
        assert g["error"] == r["error"] and g["clickbait_label"] == r["clickbait_label"]
        assert g["clickbait_probability"] == r["clickbait_probability"]


def test_an_error_after_the_first_chunk_and_a_type_change():
    buf = io.BytesIO()
    w = ParquetWriter(buf, COLUMNS, TYPES)
    write_rows(w, [{"id": 1, "clickbait_probability": 0.5, "clickbait_label": 1, "error": None}])
    write_rows(w, [{"id": "x", "error": "empty text"}, {"id": {"a": [1]}}])
    w.close()
    rows = pq.read_table(io.BytesIO(buf.getvalue())).to_pylist()
    assert [r["id"] for r in rows] == ["1", "x", '{"a": [1]}']
    assert [r["error"] for r in rows] == [None, "empty text", None]


def test_typed_input_columns_keep_their_type():
    buf = io.BytesIO()
    w = ParquetWriter(buf, ["n", "error"], {"n": pa.int32(), "error": "string"})
    w.close()
    assert str(pq.read_table(io.BytesIO(buf.getvalue())).schema.field("n").type) == "int32"
