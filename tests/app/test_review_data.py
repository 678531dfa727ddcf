"""The Review page's tables as plain functions (framing.app.review_data): marks listed and
counted, the least-sure items of a scored file, scores before and after, markable words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import explain
from framing.app.review_data import (
    before_after,
    head_counts,
    least_sure,
    marks_table,
    probability_columns,
    word_choices,
    word_counts,
)
from framing.core.house_style import model_fingerprint
from framing.feedback import Mark

TEXT = "The despot slams the despot"


def test_marks_table_shows_words_and_answers_in_words():
    marks = [
        Mark(TEXT, "headline", start=4, end=10, answer="neutral", id=2, score=0.81234),
        Mark(
            TEXT, "headline", answer="0", id=1, user="ana", created_at="2026-12-07T08:01:02.1+00:00"
        ),
    ]
    table = marks_table(marks)
    assert table["word"].tolist() == ["despot", ""]
    assert table["answer"].tolist() == ["not loaded", "label 0"]
    assert table.loc[0, "score"] == 0.812 and table.loc[1, "time"] == "2026-12-07 08:01:02"
    assert marks_table([]).columns.tolist()[:3] == ["id", "time", "head"]


def test_counts_per_head_and_per_word():
    stats = {
        "total": 4,
        "per_head": {"loaded": {"loaded": 2, "neutral": 1}, "clickbait": {"1": 1}},
        "per_word": {("loaded", "despot"): {"loaded": 2}, ("loaded", "slams"): {"neutral": 1}},
    }
    assert head_counts(stats).values.tolist() == [
        ["clickbait", "1", 1],
        ["loaded", "loaded", 2],
        ["loaded", "neutral", 1],
    ]
    words = word_counts(stats)
    assert words.values.tolist() == [["loaded", "despot", 2, 0], ["loaded", "slams", 0, 1]]
    assert word_counts({}).empty and head_counts({}).empty


def test_probability_columns_leave_out_article_level_ones():
    cols = ["headline", "loaded_probability", "body_loaded_probability", "clickbait_probability"]
    assert probability_columns(cols) == ["loaded_probability", "clickbait_probability"]


def test_least_sure_orders_by_distance_and_skips_errors_and_done():
    frame = pd.DataFrame(
        {
            "headline": ["a", "b", "c", "", "e", "f"],
            "loaded_probability": [0.9, 0.52, 0.45, 0.5, "", 0.48],
        }
    )
    out = least_sure(frame, "headline", "loaded_probability", 0.5, done={"f"})
    assert out["text"].tolist() == ["b", "c", "a"]
    assert out["row"].tolist() == [1, 2, 0]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.one_of(st.floats(0, 1), st.none(), st.just("x")), min_size=1, max_size=30),
    st.floats(0.05, 0.95),
)
def test_least_sure_is_a_sorted_subset_of_the_rows_with_a_probability(probs, threshold):
    frame = pd.DataFrame({"t": [f"text {i}" for i in range(len(probs))], "p": probs})
    out = least_sure(frame, "t", "p", threshold)
    valid = [i for i, p in enumerate(probs) if isinstance(p, float)]
    assert sorted(out["row"]) == valid
    d = out["distance"].to_numpy()
    assert np.all(d[:-1] <= d[1:])
    for row, p in zip(out["row"], out["probability"], strict=True):
        assert p == probs[row]


def test_before_after_uses_the_newest_scored_mark_and_the_model_now(tiny_model):
    text = "The despot shamelessly denied the chilling reports"
    marks = [
        Mark(text, "headline", answer="0", score=0.9, model_hash="new", id=3),
        Mark(text, "headline", answer="1", score=0.2, model_hash="old", id=2),
        Mark("no score", "headline", answer="1", id=1),
        Mark(text, "headline", head="unknown_head", answer="1", score=0.5, id=4),
    ]
    table = before_after(marks, tiny_model)
    assert len(table) == 1
    row = table.iloc[0]
    now = float(tiny_model["loaded"].predict_proba([text])[0, 0])
    assert row["before"] == 0.9 and row["model then"] == "new"
    assert row["after"] == pytest.approx(now, abs=1e-3)
    assert row["model now"] == model_fingerprint(tiny_model)


def test_word_choices_index_the_units_text(tiny_model):
    score = explain(headline=TEXT, model=tiny_model).loaded_headline
    choices = word_choices(score.terms, TEXT)
    assert choices and all(TEXT[a:b] == label.split(" (")[0] for label, a, b in choices)
    despots = [label for label, _, _ in choices if label.startswith("despot")]
    assert len(despots) == 2 and "#1" in despots[0] and "#2" in despots[1]
    shifted = word_choices(score.terms, "xx " + TEXT, offset=3)
    assert [(a, b) for _, a, b in shifted] == [(a + 3, b + 3) for _, a, b in choices]
