"""The column specification: names built and parsed back by the one module."""

from hypothesis import given
from hypothesis import strategies as st

from framing.core.columns import (
    BODY_PREFIX,
    KINDS,
    OVERALL,
    column_dtype,
    column_name,
    head_columns,
    headline_heads,
    is_json,
    name_collides,
    parse_column,
    score_title,
)
from framing.core.head import HEAD_NAME_RULE, head_name_problem

names = st.from_regex(HEAD_NAME_RULE, fullmatch=True)


@given(names, st.sampled_from(list(KINDS)), st.sampled_from(["", BODY_PREFIX]))
def test_a_valid_heads_columns_parse_back_to_it(head, kind, prefix):
    if head_name_problem(head) is not None:
        return
    parsed = parse_column(column_name(head, kind, prefix))
    assert (parsed.head, parsed.prefix, parsed.kind) == (head, prefix, kind)


@given(names)
def test_a_colliding_name_is_one_whose_columns_read_as_another_heads(head):
    old_rule = head.startswith("body_") or head.endswith("_outlet")
    assert name_collides(head) == old_rule


def test_kinds_types_and_json():
    cols = head_columns("loaded", BODY_PREFIX, terms=True)
    assert cols == [
        "body_loaded_probability",
        "body_loaded_label",
        "body_loaded_terms",
        "body_loaded_outlet_probability",
    ]
    assert [column_dtype(c) for c in cols] == ["float64", "int64", "string", "float64"]
    assert [is_json(c) for c in cols] == [False, False, True, False]
    assert column_dtype(OVERALL) == "float64"
    assert column_dtype("frame_top") == column_dtype("error") == "string"
    assert is_json("warnings") and not is_json("warnings", terms_only=True)
    assert parse_column("error") is None and parse_column("_probability") is None
    assert "body_loaded_terms" not in head_columns("loaded", BODY_PREFIX, terms=False)


def test_headline_heads_and_titles():
    cols = head_columns("clickbait", "", terms=True) + head_columns(
        "loaded", BODY_PREFIX, terms=True
    )
    assert headline_heads(cols + [OVERALL]) == ["clickbait"]
    assert score_title("body_loaded_outlet_probability") == "body loaded outlet"
    assert score_title(OVERALL) == "overall score"
