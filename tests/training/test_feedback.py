"""Readers' corrections folded into a head: the fold-in, the time hold-out, the design and its
cache, the card section (framing.training.feedback, design, design_cache)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import LOADED, NEUTRAL
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.errors import InputError
from framing.feedback import Mark
from framing.training import design_cache, feedback
from framing.training.binary.fit import Recipe, Record, fit_head
from framing.training.design import (
    Linear,
    fast_model,
    fit_design,
    head_design,
    raw_model,
    warm_model,
)

TEXTS = [
    (t, y) for t, y in [(t, 1.0) for t in LOADED] + [(t, 0.0) for t in NEUTRAL] for _ in range(3)
]
EXTRA_NEUTRAL = [
    "The board will meet again in the spring",
    "Farmers expect the harvest to start in August",
    "The library extends its opening hours on Saturdays",
    "The bridge reopened after two weeks of repairs",
]
EXTRA_LOADED = [
    "The shameful cover-up was a disgrace to the nation",
    "The corrupt clique rigged the vote again",
]


def _records():
    rows = TEXTS + [(t, 0.0) for t in EXTRA_NEUTRAL] + [(t, 1.0) for t in EXTRA_LOADED]
    return [Record(t, y, group=str(i)) for i, (t, y) in enumerate(rows)]


def _recipe():
    return Recipe(
        features={
            "word_ngrams": (1, 2),
            "char_ngrams": (2, 4),
            "min_df": 1,
            "lexicons": {"hype": {"shock": 1.0, "despot": 1.0}},
        },
        C=2.0,
        calibration_folds=2,
    )


@pytest.fixture(scope="module")
def design():
    return head_design("loaded", _records(), _recipe(), seed=0)


def _t(stamp: str) -> str:
    return f"{stamp}.000000+00:00"


def mark(text, word=None, answer="loaded", when=None, i=None, head="loaded"):
    if word is None:
        return Mark(text=text, unit="sentence", head=head, answer=answer, created_at=when, id=i)
    s = text.index(word)
    return Mark(
        text=text,
        unit="sentence",
        head=head,
        start=s,
        end=s + len(word),
        answer=answer,
        created_at=when,
        id=i,
    )


# ---- the design: the same head as fit_head -----------------------------------------------------
def test_design_without_marks_is_fit_head(design):
    expected = fit_head("loaded", _records(), _recipe(), seed=0)
    got = fit_design(design)
    np.testing.assert_allclose(got.coef, expected.coef, atol=1e-9)
    np.testing.assert_allclose(got.intercept, expected.intercept, atol=1e-9)
    np.testing.assert_allclose(got.calibration, expected.calibration, atol=1e-9)


def test_warm_model_reaches_the_cold_optimum(design):
    """From the optimum without the extra rows, L-BFGS over every weight reaches the cold
    liblinear fit with them (same objective and stopping rule); the fast refit moves only
    the extra rows' features and keeps the intercept."""
    text = "People talked about the harvest today"
    s = text.index("harvest")
    m = Mark(text=text, unit="sentence", start=s, end=s + 7, answer="loaded")
    rows = feedback.mark_rows(design, [m])
    start = raw_model(design)
    start = Linear(start.coef_[0], start.intercept_[0])
    cold = raw_model(design, rows)
    warm = warm_model(design, rows, start)
    probe = design.encode(["Yesterday the harvest was late", "The despot spoke"])
    np.testing.assert_allclose(
        warm.decision_function(probe), cold.decision_function(probe), atol=0.05
    )
    fast = fast_model(design, rows, start)
    moved = np.flatnonzero(fast.coef_[0] != start.coef_[0])
    assert set(moved) <= set(rows.X.indices) and len(moved) > 0
    assert fast.intercept_[0] == start.intercept_[0]


# ---- the fold-in -------------------------------------------------------------------------------
def test_word_mark_is_the_word_alone_without_lexicons(design):
    text = "The despot met the council"
    rows = feedback.mark_rows(design, [mark(text, "despot", "neutral")], word_weight=7.0)
    expected = design.encode(["despot"], lexicons=False)
    assert (expected != rows.X).nnz == 0
    assert rows.targets.tolist() == [0.0] and rows.weights.tolist() == [7.0]
    # the lexicon feature of "despot" is not in the word example
    assert (design.encode(["despot"]) != expected).nnz > 0


def test_unit_mark_is_its_text_with_the_label(design):
    text = "The committee met to discuss the proposal"
    rows = feedback.mark_rows(design, [mark(text, answer="1")], unit_weight=3.0)
    assert (design.encode([text]) != rows.X).nnz == 0
    assert rows.targets.tolist() == [1.0] and rows.weights.tolist() == [3.0]


@settings(max_examples=8, deadline=None)
@given(st.sampled_from(["budget", "harvest", "council", "bridge", "despot", "corrupt"]))
def test_a_word_mark_moves_the_word_in_other_texts(design, word):
    """The marked word's contribution, in a text the marks never held, moves the marked way."""
    before = fit_design(design)
    other = f"Yesterday the {word} was in the news again"
    s = other.index(word)
    c0 = feedback.word_contribution(before, other, s, s + len(word))
    for answer, sign in (("loaded", 1), ("neutral", -1)):
        marks = [mark(f"People talked about the {word} today", word, answer)]
        after = fit_design(design, feedback.mark_rows(design, marks))
        c1 = feedback.word_contribution(after, other, s, s + len(word))
        assert sign * (c1 - c0) > 0, (word, answer, c0, c1)


# ---- checks and the time hold-out --------------------------------------------------------------
@pytest.mark.parametrize(
    "bad, message",
    [
        (Mark(text="abc", unit="sentence", start=2, end=9, answer="loaded"), "mark 1"),
        (Mark(text="abc", unit="sentence", start=0, end=3, answer="yes"), "fix or delete"),
        (Mark(text="abc", unit="sentence", answer="loaded", id=7), "mark 7: .*answer"),
    ],
)
def test_bad_marks_get_a_clear_error(bad, message):
    with pytest.raises(InputError, match=message):
        feedback.split_by_time([bad])


def test_the_newest_share_is_held_out():
    marks = [mark("x y", "y", when=_t(f"2026-12-0{d}T10:00:00"), i=d) for d in (5, 1, 9, 3, 7)]
    marks.append(mark("x y", "y", when=None, i=99))  # no time: the oldest
    marks.append(mark("x y", "y", head="clickbait", when=_t("2026-12-31T00:00:00")))
    fs = feedback.split_by_time(marks, share=0.34)
    assert [m.id for m in fs.heldout] == [7, 9]
    assert [m.id for m in fs.train] == [99, 1, 3, 5]
    assert fs.ignored == 1
    assert feedback.split_by_time(marks, share=0).heldout == []
    assert len(feedback.split_by_time(marks[:2], share=0.1).heldout) == 1
    with pytest.raises(InputError, match="hold-out share"):
        feedback.split_by_time(marks, share=1.0)


def test_fingerprint_is_of_the_content_in_time_order():
    a = mark("x y", "y", when=_t("2026-12-01T00:00:00"), i=1)
    b = mark("x z", "z", "neutral", when=_t("2026-12-02T00:00:00"), i=2)
    assert feedback.marks_fingerprint([a, b]) == feedback.marks_fingerprint([b, a])
    flipped = Mark(**{**a.__dict__, "answer": "neutral"})
    assert feedback.marks_fingerprint([flipped, b]) != feedback.marks_fingerprint([a, b])


def test_marks_from_files_and_stores(tmp_path):
    from framing.feedback import open_store, write_marks

    marks = [
        mark("The despot spoke", "despot", "neutral", when=_t("2026-12-01T00:00:00")),
        Mark("Fine weather", "headline", answer="0", created_at=_t("2026-12-02T00:00:00")),
    ]
    for name in ("m.jsonl", "m.csv"):
        write_marks(marks, tmp_path / name)
        got = feedback.load_marks(str(tmp_path / name))
        assert [(m.start, m.end, m.answer) for m in got] == [(4, 10, "neutral"), (None, None, "0")]
    db = tmp_path / "marks.db"
    with open_store(str(db)) as store:
        store.add_many(marks)
    got = feedback.load_marks(str(db))
    assert feedback.marks_fingerprint(got) == feedback.marks_fingerprint(marks)
    with pytest.raises(InputError, match="no such marks file"):
        feedback.load_marks(str(tmp_path / "missing.jsonl"))


# ---- held-out figures and the card section ------------------------------------------------------
def test_heldout_figures_count_agreement_and_movement(design):
    before = fit_design(design)
    word = mark("Yesterday the harvest was in the news", "harvest", "loaded")
    unit = mark("The bridge reopened after repairs", answer="1")
    marks = [mark("People talked about the harvest", "harvest"), unit]
    after = fit_design(design, feedback.mark_rows(design, marks, word_weight=50, unit_weight=50))
    figs = feedback.heldout_figures(before, after, [word, unit])
    assert figs["word"]["n"] == 1 and figs["unit"]["n"] == 1
    assert figs["word"]["moved_marked_way"] == 1.0 and figs["unit"]["moved_marked_way"] == 1.0
    assert figs["unit"]["agree_after"] >= figs["unit"]["agree_before"]


def _info(**kw):
    info = {
        "head": "loaded",
        "source": "marks.jsonl",
        "trained_at": "2026-12-07T08:00:00+00:00",
        "n_marks": 10,
        "n_train": 8,
        "n_heldout": 2,
        "n_word": 9,
        "n_unit": 1,
        "ignored": 3,
        "fingerprint": "ab" * 32,
        "word_weight": 20.0,
        "unit_weight": 5.0,
        "holdout_share": 0.2,
        "heldout": {
            "word": {"n": 2, "agree_before": 0.0, "agree_after": 1.0, "moved_marked_way": 1.0}
        },
        "protocols": {},
    }
    return {**info, **kw}


def test_card_section_states_the_corrections_and_figures():
    text = feedback.card_section(_info())
    assert text.startswith(
        "## Trained with 10 corrections from marks.jsonl at 2026-12-07T08:00:00+00:00"
    )
    assert "| word | 2 | 0.000 | 1.000 | 1.000 |" in text
    assert "abababababababab" in text and "weight 20 each" in text
    assert "not measured in this run" in text
    protocols = {
        "loaded/babe_auc": {
            "figures": {"roc_auc": (0.8141, 0.8132)},
            "plain": {"roc_auc": 0.7994},
            "protocol": "BABE SG2, 5-fold",
        }
    }
    text = feedback.card_section(_info(protocols=protocols, heldout={}))
    assert "| loaded/babe_auc | roc_auc | 0.814 | 0.813 | -0.001 | 0.799 |" in text
    assert "No marks held out" in text


# ---- the cache ---------------------------------------------------------------------------------
def test_design_cache_round_trip_and_bound(design, tmp_path, monkeypatch):
    monkeypatch.setenv("FRAMING_CACHE_DIR", str(tmp_path))
    assert design_cache.load_design("k0", "loaded") is None
    start = raw_model(design)
    design_cache.store_design("k0", design, (1.5, -0.25), Linear(start.coef_[0], -0.5))
    got, platt, got_start = design_cache.load_design("k0", "loaded")
    assert platt == (1.5, -0.25)
    np.testing.assert_array_equal(got_start.coef_, start.coef_)
    assert got_start.intercept_[0] == -0.5
    assert (got.base.X != design.base.X).nnz == 0 and (got.added.X != design.added.X).nnz == 0
    np.testing.assert_array_equal(got.base.targets, design.base.targets)
    assert (got.encode(["the despot"]) != design.encode(["the despot"])).nnz == 0
    np.testing.assert_allclose(fit_design(got).coef, fit_design(design).coef, atol=1e-12)
    for k in ("k1", "k2"):
        design_cache.store_design(k, design)
    kept = sorted(p.stem for p in design_cache.cache_dir().glob("*.npz"))
    assert len(kept) == design_cache.MAX_ENTRIES and "k2" in kept
    (design_cache.cache_dir() / "k2.npz").write_bytes(b"not a design")
    assert design_cache.load_design("k2", "loaded") is None
    assert not (design_cache.cache_dir() / "k2.npz").exists()


def test_design_key_follows_data_and_recipe():
    r = {"recipe": _recipe().describe()}
    k = design_cache.design_key("loaded", {"a/b.csv": "1"}, 0, r)
    assert k == design_cache.design_key("loaded", {"a/b.csv": "1"}, 0, r)
    assert k != design_cache.design_key("loaded", {"a/b.csv": "2"}, 0, r)
    assert k != design_cache.design_key("loaded", {"a/b.csv": "1"}, 0, {"recipe": "other"})
    assert k != design_cache.design_key("loaded", {"a/b.csv": "1"}, 1, r)


def test_data_files_are_remembered(tmp_path, monkeypatch):
    monkeypatch.setenv("FRAMING_CACHE_DIR", str(tmp_path / "c"))
    assert design_cache.recall_files("t") is None
    f = tmp_path / "a.csv"
    f.write_text("x")
    design_cache.remember_files("t", [f])
    assert design_cache.recall_files("t") == [f]
    f.unlink()
    assert design_cache.recall_files("t") is None


def test_printable_source_hides_passwords():
    from framing.training.feedback_runs import printable_source

    assert printable_source("postgresql://ann:s3cret@db.example:5432/marks") == (
        "postgresql://ann:***@db.example:5432/marks"
    )
    assert printable_source("marks.jsonl") == "marks.jsonl"


def test_option_help_states_the_library_defaults():
    import argparse

    from framing.training.options import add_feedback_arguments

    p = argparse.ArgumentParser()
    add_feedback_arguments(p)
    text = " ".join(p.format_help().split())
    assert f"word mark (default {feedback.WORD_WEIGHT:g})" in text
    assert f"unit mark (default {feedback.UNIT_WEIGHT:g})" in text
    assert f"to evaluate (default {feedback.HOLDOUT_SHARE:g})" in text
    args = p.parse_args(["--feedback", "m.jsonl"])
    from framing.training.feedback_runs import options_from

    opts = options_from(args)
    assert (opts.word_weight, opts.unit_weight, opts.holdout, opts.full_refit) == (
        feedback.WORD_WEIGHT,
        feedback.UNIT_WEIGHT,
        feedback.HOLDOUT_SHARE,
        False,
    )
