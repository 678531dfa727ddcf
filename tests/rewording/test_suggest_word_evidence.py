"""framing.suggest with a `loaded` head made of word evidence: a word the head judges loaded
on its own but the list has no neutral wording for is reported, not passed over."""

from __future__ import annotations

import numpy as np

from framing.cli.suggest import render_suggestion
from framing.core.model import Model
from framing.core.wordhead import WordHead
from framing.rewording import suggest
from framing.training.binary.fit import TextVectorizer


def word_model(loaded: dict[str, float]) -> Model:
    """A model whose only head is a word-evidence `loaded` head: the words ``loaded`` get
    the given word logits, every other word -4."""
    vec = TextVectorizer(word_ngrams=(1, 1), char_ngrams=None, min_df=1).fit(list(loaded))
    space = vec.space_
    coef = np.zeros((1, space.n_features))
    for word, z in loaded.items():
        coef[0, space.word_vocab[word]] = z + 4.0
    head = WordHead(
        name="loaded",
        space=space,
        coef=coef,
        intercept=[-2.0],
        labels=["loaded"],
        calibration=[[1.0, 0.0]],
        word_intercept=-4.0,
        top_weight=1.0,
        sum_weight=0.5,
        margin=2.0,
    )
    return Model({"loaded": head})


MODEL = word_model({"barmy": 4.0, "despot": 4.0, "bendy": -1.0})


def test_a_loaded_word_without_a_neutral_wording_is_reported():
    s = suggest("Barmy eurocrats ban bendy bananas again", model=MODEL)
    assert not s.changed
    unlisted = [k for k in s.skipped if k.reason.startswith("no neutral wording")]
    assert [k.original for k in unlisted] == ["Barmy"]  # "bendy" is below 0.5 on its own
    assert "0.98" in unlisted[0].reason
    assert "no neutral wording for 'Barmy'" in render_suggestion(s)
    assert "no loaded word to replace" not in render_suggestion(s)


def test_a_listed_word_is_replaced_and_not_reported_again():
    s = suggest("Barmy despot bans bananas", model=MODEL)
    assert [r.original for r in s.replacements] == ["despot"]
    assert [k.original for k in s.skipped] == ["Barmy"]


def test_quoted_and_body_words():
    text = 'He said "barmy" ideas were common. The barmy plan failed.'
    s = suggest(text, model=MODEL, kind="body")
    reported = [(k.start, k.original) for k in s.skipped if k.reason.startswith("no neutral")]
    assert reported == [(text.rindex("barmy"), "barmy")]  # the quoted one is left to quotes
