"""Training a word-evidence head: word marks become token rows, the word model learns the
marked words, the aggregation keeps its weights non-negative."""

from __future__ import annotations

import numpy as np

from framing.core.tokens import tokenize_batch
from framing.training import words
from framing.training.swapin import Pair

RECIPE = words.WordRecipe(
    lexicons={"list": {"despot": 1.0}}, min_df=1, char_ngrams=(2, 4), C=1.0, margin=1.0
)


def test_token_rows_mark_words_and_leave_out_stop_words_and_punctuation():
    text = "A bunch of thugs, said the mayor."
    span = (text.index("bunch"), text.index("thugs") + len("thugs"))
    marks = words.MarkSet("ptc", [text], [(span,)])
    forms, caps, hide, label, weight, *_ = words.token_rows(marks, RECIPE)
    got = dict(zip(forms.tolist(), label.tolist(), strict=True))
    assert got == {
        "a": False,
        "bunch": True,
        "thugs": True,
        "said": False,
        "the": False,
        "mayor": False,
    }
    assert "of" not in got and "," not in got  # a stop word inside the span; punctuation
    w = dict(zip(forms.tolist(), weight.tolist(), strict=True))
    assert w["thugs"] == RECIPE.weights["ptc"] * RECIPE.positive_weight
    assert w["said"] == RECIPE.weights["ptc"]


def test_swap_in_pairs_mark_the_entry_only():
    pair = Pair("despot", "The leader spoke", "The despot spoke", (4, 10), "replace", "headline")
    sets = words.mark_sets_of([], [], ["The council met"], [pair], hide_every=1)
    swap = next(s for s in sets if s.source == "swapin")
    forms, _, hide, label, *_ = words.token_rows(swap, RECIPE)
    assert dict(zip(forms.tolist(), label.tolist(), strict=True)) == {
        "the": False,
        "despot": True,
        "spoke": False,
    }
    assert hide.all()  # the list's own feature hidden on this pair
    assert "leader" not in forms  # the counterpart is no evidence either way


def test_the_word_model_learns_the_marked_words_and_the_head_is_exact():
    loaded = ["The despot lied", "A vile despot", "Vile lies again", "The vile mayor"]
    neutral = ["The mayor spoke", "The council met", "A mayor met the council", "Lies told"]
    sets = [
        words.MarkSet(
            "babe",
            loaded,
            [
                tuple(
                    (m.start(), m.end()) for m in __import__("re").finditer("despot|vile|Vile", t)
                )
                for t in loaded
            ],
        ),
        words.MarkSet("neutral", neutral, [()] * len(neutral)),
    ]
    space, coef, b = words.fit_word_model(sets, RECIPE)
    z, is_word, tb = words.word_logits_of(space, coef, b, ["vile despot mayor council"])
    assert z[0] > z[2] and z[1] > z[3]
    texts = loaded + neutral
    z, is_word, tb = words.word_logits_of(space, coef, b, texts)
    sums = words.sentence_sums(z, is_word, tb.ptr, RECIPE.margin)
    agg = words.fit_aggregation(sums, np.array([1] * 4 + [0] * 4))
    assert min(agg[:3]) >= 0
    head = words.word_head_of(space, coef, b, agg, RECIPE.margin)
    att = head.attribute(tokenize_batch(texts))
    total = np.bincount(tokenize_batch(texts).doc, weights=att.per_token, minlength=8)
    np.testing.assert_allclose(att.logit, total + att.intercept, atol=1e-9)


def test_fit_aggregation_drops_a_column_that_would_weigh_negative():
    rng = np.random.default_rng(0)
    top = rng.normal(size=400)
    y = (top + 0.3 * rng.normal(size=400) > 0).astype(int)
    sums = np.column_stack([top, -top + 0.1 * rng.normal(size=400), rng.normal(size=400)])
    agg = words.fit_aggregation(sums, y)
    assert agg[0] > 0 and min(agg[:3]) >= 0


def test_literal_marks_count_only_the_word_in_its_span():
    text = "Flood water rises in the valley"
    marks = words.MarkSet("literal", [text], [()], only=[((0, 5),)])
    forms, _, _, label, weight, *_ = words.token_rows(marks, RECIPE)
    assert forms.tolist() == ["flood"] and not label.any()
    assert weight.tolist() == [RECIPE.weights["literal"]]


def test_placed_swap_ins_keep_inserts_only_for_entries_dropped_in_neutral_wording():
    from dataclasses import replace

    pairs = [
        Pair("despot", "The leader spoke", "The despot spoke", (4, 10), "replace", "headline"),
        Pair("despot", "The council met", "The council despot met", (12, 18), "insert", "headline"),
        Pair("utterly", "It failed", "It utterly failed", (3, 10), "insert", "headline"),
    ]
    placed = replace(RECIPE, all_inserts=False)
    swap = next(
        s for s in words.mark_sets_of([], [], [], pairs, recipe=placed) if s.source == "swapin"
    )
    assert swap.texts == ["The despot spoke", "It utterly failed"]
    swap = next(
        s for s in words.mark_sets_of([], [], [], pairs, recipe=RECIPE) if s.source == "swapin"
    )
    assert len(swap.texts) == 3


def test_the_context_form_learns_a_sense_contrast():
    from dataclasses import replace

    from framing.core.wordcontext import CLASSES

    classes = {"migrant": CLASSES.index("person"), "water": CLASSES.index("thing")}
    recipe = replace(
        RECIPE, lexicons={"list": {"flood": 1.0}}, context_scale=1.0, context_classes=classes
    )
    loaded = ["flood of migrants", "a flood of migrants came", "migrants flood in"] * 5
    literal = ["flood water rises", "the flood water", "water from the flood"] * 5
    sets = [
        words.MarkSet(
            "babe", loaded, [((t.index("flood"), t.index("flood") + 5),) for t in loaded]
        ),
        words.MarkSet(
            "literal",
            literal,
            [()] * len(literal),
            only=[((t.index("flood"), t.index("flood") + 5),) for t in literal],
        ),
    ]
    space, coef, b = words.fit_word_model(sets, recipe)
    assert len(coef) == space.n_features + 2 * len(CLASSES)
    head = words.word_head_of(space, coef, b, (1.0, 0.0, 0.0, 0.0), 1.0, recipe=recipe)
    p = head.predict_proba(["flood of migrants", "flood water"])[:, 0]
    assert p[0] > p[1]
    att = head.attribute(tokenize_batch(["flood of migrants"]))
    assert att.logit[0] == np.float64(att.per_token.sum() + att.intercept)  # exact


def test_mark_agreement_counts_the_uses_of_entries_inside_marks():
    from framing.training.binary.fit import Record
    from framing.training.word_protocols import mark_agreement

    text = "The regime jailed the despot's critics."
    despot = (text.index("despot"), text.index("despot") + len("despot"))
    records = [
        Record(text, 1.0, spans=(despot,)),
        Record("The regime fell.", 0.0, spans=((4, 10),)),  # a negative record marks nothing
    ]
    got = mark_agreement(records, ["regime", "despot", "crony", "rogue state"], ["regime"])
    assert got["missed"] == {
        "entries": 1,
        "uses": 2,
        "marked": 0,
        "marked_share": 0.0,
        "never_used": 0,
    }
    # phrases are left out; crony is never used
    assert got["carried"]["entries"] == 2 and got["carried"]["never_used"] == 1
    assert got["carried"]["marked"] == 1 and got["carried"]["uses"] == 1


def test_loaded_at_neutral_share_is_the_best_threshold_at_that_neutral_figure():
    from framing.training.word_protocols import loaded_at_neutral_share

    neutral = np.linspace(0.0, 0.99, 100)
    loaded = np.array([0.05, 0.5, 0.95, 0.96])
    # the 0.93 quantile of the neutral twins is about 0.92: two loaded twins above it
    assert loaded_at_neutral_share(loaded, neutral, 0.93) == 0.5
    assert loaded_at_neutral_share(loaded, neutral, 0.0) == 1.0
