"""The JSON of ``/v1/score``: written by orjson (the JSON columns embedded as fragments) or as
text from the columns, the same values either way."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("fastapi", reason='fastapi is missing: pip install "framing[serve]"')
from framing.serve.api import score_json, score_json_text  # noqa: E402

N = 4
floats = st.floats(allow_nan=True, allow_infinity=True) | st.none()
json_cells = st.sampled_from([None, "", '[{"term":"despot","contribution":0.5}]', '["a warning"]'])
ids = st.none() | st.integers(min_value=-(10**30), max_value=10**30) | st.text(max_size=8)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(floats, min_size=N, max_size=N),
    st.lists(st.none() | st.integers(0, 1), min_size=N, max_size=N),
    st.lists(json_cells, min_size=N, max_size=N),
    st.lists(st.none() | st.text(max_size=12), min_size=N, max_size=N),
    st.lists(ids, min_size=N, max_size=N),
)
def test_the_rows_are_the_same_by_orjson_or_as_text(probs, labels, terms, errors, row_ids):
    scored = {
        "loaded_probability": probs,
        "loaded_label": labels,
        "loaded_terms": terms,
        "warnings": terms,
        "error": errors,
    }
    try:
        expected = score_json_text(scored, row_ids)
    except UnicodeEncodeError:  # a lone surrogate cannot be written as UTF-8 either way
        return
    got = json.loads(score_json(scored, row_ids))
    assert got == json.loads(expected)
    for row, ident in zip(got["rows"], row_ids, strict=True):
        assert list(row)[0] == "id" if ident is not None else "id" not in row
