"""Marks that contradict the loaded-terms list (framing.training.feedback.corrected_entries):
an entry whose word readers mark more often "neutral" than "loaded" is corrected, leaves the
retrained head's list, and the held-out entry protocol reports its pairs apart."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import LOADED, NEUTRAL
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.feedback import Mark
from framing.training import feedback
from framing.training.binary.fit import Recipe, Record
from framing.training.design import Linear, head_design, platt_scaling, raw_model
from framing.training.feedback_protocols import ENTRY_FIGURES, split_figures
from framing.training.feedback_runs import Cached, FeedbackOptions, corrections, refit
from framing.training.swapin import Pair

KEYS = {"invasion", "regime", "rogue regime", "despot"}


def word_mark(text, word, answer, head="loaded"):
    s = text.index(word)
    return Mark(text=text, unit="sentence", head=head, start=s, end=s + len(word), answer=answer)


def test_a_word_matches_its_entry_as_the_lexicon_does():
    assert feedback.entry_of("invasion", KEYS) == "invasion"
    assert feedback.entry_of("Invasions", KEYS) == "invasion"  # case and simple inflection
    assert feedback.entry_of("rogue regime", KEYS) == "rogue regime"  # a phrase entry
    assert feedback.entry_of("regimen", KEYS) is None
    assert feedback.entry_of("council", KEYS) is None
    assert feedback.entry_of("", KEYS) is None


def test_more_neutral_than_loaded_word_marks_correct_an_entry():
    t = "The invasion of Normandy began at dawn under the regime of the tides"
    marks = [
        word_mark(t, "invasion", "neutral"),
        word_mark(t.replace("invasion", "Invasions"), "Invasions", "neutral"),
        word_mark(t, "invasion", "loaded"),
        # a tie keeps the reviewed list
        word_mark(t, "regime", "neutral"),
        word_mark(t, "regime", "loaded"),
        # marks about another head, unit marks and words off the list say nothing
        word_mark(t, "regime", "neutral", head="clickbait"),
        word_mark(t, "regime", "neutral", head="clickbait"),
        Mark(text="The regime fell", unit="sentence", head="loaded", answer="0"),
        word_mark(t, "Normandy", "neutral"),
    ]
    assert feedback.corrected_entries(marks, KEYS) == {"invasion": (2, 1)}
    assert feedback.corrected_entries(marks, KEYS, head="clickbait") == {"regime": (2, 0)}
    assert feedback.corrected_entries(marks[2:3], KEYS) == {}


# ---- the retrained head's list ---------------------------------------------------------------
def _design():
    records = [Record(t, 1.0, group=f"l{i}") for i, t in enumerate(LOADED * 3)]
    records += [Record(t, 0.0, group=f"n{i}") for i, t in enumerate(NEUTRAL * 3)]
    records += [
        Record("The despot crushed the protest", 1.0, group="d1"),
        Record("A despot ruled the country by fear", 1.0, group="d2"),
    ]
    recipe = Recipe(
        features={
            "word_ngrams": (1, 2),
            "char_ngrams": (2, 4),
            "min_df": 1,
            "lexicons": {"loaded_terms": {"despot": 1.0, "shock": 1.0}},
        },
        C=2.0,
        calibration_folds=2,
    )
    design = head_design("loaded", records, recipe, seed=0)
    start = raw_model(design)
    return Cached(design, platt_scaling(design), Linear(start.coef_[0], start.intercept_[0]))


@pytest.fixture(scope="module")
def cached():
    return _design()


def test_the_retrained_list_leaves_out_the_corrected_entries(cached):
    marks = [
        word_mark("The despot of the chess club retired", "despot", "neutral"),
        word_mark("Our despot of a cat wants breakfast", "despot", "neutral"),
    ]
    assert corrections(cached, marks, FeedbackOptions()) == {"despot": (2, 0)}
    head = refit(cached, marks, FeedbackOptions())
    assert set(head.space.lexicons()["loaded_terms"]) == {"shock"}
    assert head.space.n_features == cached.design.space.n_features
    kept = refit(cached, marks, FeedbackOptions(correct_list=False))
    assert set(kept.space.lexicons()["loaded_terms"]) == {"despot", "shock"}
    assert corrections(cached, marks, FeedbackOptions(correct_list=False)) == {}
    # the same weights; only the lexicon feature stops firing for the corrected word
    np.testing.assert_array_equal(head.coef, kept.coef)
    text = "The despot spoke"
    lex = cached.design.space.offsets["lex"] + cached.design.space.lex_vocab["loaded_terms"]
    assert kept.space is cached.design.space
    from framing.core.encoder import encode

    assert encode(kept.space, [text]).to_scipy()[0, lex] > 0
    assert encode(head.space, [text]).to_scipy()[0, lex] == 0
    # no correction: the head keeps the design's own space
    plain = refit(
        cached, marks[:1] + [word_mark("A despot!", "despot", "loaded")], FeedbackOptions()
    )
    assert plain.space is cached.design.space


# ---- the held-out entry protocol: pairs built on corrected entries reported apart -----------
def _pair(entry, kind="replace"):
    return Pair(entry, f"n {entry}", f"l {entry}", (0, 1), kind, "sentence")


def test_pairs_on_corrected_entries_are_reported_apart():
    pairs = [_pair("invasion")] * 2 + [_pair("despot")] * 3 + [_pair("slam")] * 1
    pairs += [_pair("despot", "insert")]
    n = len(pairs)
    before = (np.full(n, 0.9), np.full(n, 0.1), [["invasion"]] * 2 + [["despot"]] * 5)
    # after: the corrected entry's loaded twins fall below their neutral twins, others stay
    after_l = np.array([0.05, 0.05, 0.9, 0.9, 0.9, 0.9, 0.9])
    after = (after_l, np.full(n, 0.1), [["x"]] * 2 + [["despot"]] * 5)
    plain = (np.full(n, 0.4), np.full(n, 0.6), [["y"]] * n)
    out = split_figures(pairs, [before, after, plain], ["invasion"])
    assert out["n"] == 4  # the replace pairs on every other entry
    assert out["figures"]["loaded_gt_neutral"] == (1.0, 1.0)
    assert out["figures"]["top2"] == (0.75, 0.75)  # "slam"'s pair has no entry word on top
    assert out["plain"]["loaded_gt_neutral"] == 0.0
    c = out["corrected"]
    assert c["entries"] == ["invasion"] and c["n"] == 2
    assert c["figures"]["loaded_gt_neutral"] == (1.0, 0.0)
    assert c["figures"]["top2"] == (1.0, 0.0)
    assert set(c["figures"]) == set(out["figures"]) == set(ENTRY_FIGURES)
    # nothing corrected: every pair in the headline, no separate line
    whole = split_figures(pairs, [before, after, plain], [])
    assert whole["n"] == 6 and "corrected" not in whole
    assert whole["figures"]["loaded_gt_neutral"] == (1.0, 4 / 6)
    # with the kept-list column
    kept = split_figures(pairs, [before, after, before, plain], ["invasion"], kept=True)
    assert kept["list_kept"]["loaded_gt_neutral"] == 1.0


def test_the_card_names_the_corrected_entries_and_their_line():
    info = {
        "head": "loaded",
        "source": "marks.jsonl",
        "trained_at": "2026-12-07T08:00:00+00:00",
        "n_marks": 4,
        "n_train": 4,
        "n_heldout": 0,
        "n_word": 4,
        "n_unit": 0,
        "ignored": 0,
        "fingerprint": "ab" * 32,
        "word_weight": 20.0,
        "unit_weight": 5.0,
        "holdout_share": 0.0,
        "heldout": {},
        "corrected_entries": {"invasion": [2, 0], "regime": [3, 1]},
        "protocols": {
            "loaded/heldout_entries": {
                "figures": {"top2": (0.9008, 0.9001)},
                "plain": {"top2": 0.18},
                "corrected": {
                    "entries": ["invasion", "regime"],
                    "n": 61,
                    "figures": {"top2": (0.738, 0.279)},
                    "plain": {"top2": 0.1},
                },
                "protocol": "entries",
            }
        },
    }
    text = feedback.card_section(info)
    assert "invasion (2 neutral, 0 loaded), regime (3 neutral, 1 loaded)" in text
    assert "| loaded/heldout_entries | top2 | 0.901 | 0.900 | -0.001 | 0.180 |" in text
    assert (
        "| loaded/heldout_entries, the 61 pairs on corrected entries | top2 | 0.738 | 0.279 | "
        "-0.459 | 0.100 |" in text
    )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["regime", "Regimes", "despot", "budget"]), st.booleans()),
        max_size=12,
    )
)
def test_an_entry_is_corrected_exactly_when_neutral_marks_outnumber_loaded(marks):
    t = "They said the {} was news"
    made = [word_mark(t.format(w), w, "neutral" if n else "loaded") for w, n in marks]
    counts: dict = {}
    for w, n in marks:
        key = {"regime": "regime", "Regimes": "regime", "despot": "despot"}.get(w)
        if key:
            counts.setdefault(key, [0, 0])[0 if n else 1] += 1
    expected = {k: (n, lo) for k, (n, lo) in counts.items() if n > lo}
    assert feedback.corrected_entries(made, KEYS) == dict(sorted(expected.items()))
