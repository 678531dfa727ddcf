"""Distributional word vectors from unlabelled text (framing.training.wordvectors) and their
use by the word model (framing.training.words): words used alike get similar vectors, the
vectors are unit-length float16 of a fixed seed, and a word model trained with them gives a
head whose vector term is the word's vector times the learnt weights, exactly explained."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from framing.core.tokens import tokenize_batch
from framing.training import words, wordvectors

DOCS = [
    wordvectors.tokens(t)
    for t in [
        "the furious mob attacked the town",
        "the angry mob attacked the village",
        "the furious crowd stormed the town",
        "the angry crowd stormed the village",
        "the council met in the town hall",
        "the committee met in the village hall",
        "the council voted in the town hall",
        "the committee voted in the village hall",
    ]
    * 4
]


def test_tokens_are_lower_case_words():
    assert wordvectors.tokens("Fury as O’Brien's 2 re-election BID!") == [
        "fury",
        "as",
        "o'brien's",
        "re-election",
        "bid",
    ]


def test_words_used_alike_get_similar_unit_vectors():
    terms, M = wordvectors.ppmi_svd(DOCS, dims=4, window=2, min_count=2)
    assert M.dtype == np.float16 and M.shape == (len(terms), 4)
    np.testing.assert_allclose(np.linalg.norm(M.astype(float), axis=1), 1.0, atol=2e-3)
    V = {t: M[i].astype(float) for i, t in enumerate(terms)}
    assert V["furious"] @ V["angry"] > V["furious"] @ V["committee"]
    assert V["council"] @ V["committee"] > V["council"] @ V["angry"]
    again = wordvectors.ppmi_svd(DOCS, dims=4, window=2, min_count=2)
    assert again[0] == terms and np.array_equal(again[1], M)  # fixed seed
    few, _ = wordvectors.ppmi_svd(DOCS, dims=2, window=2, min_count=2, max_words=5)
    assert few == terms[:5]


def test_unknown_sources_are_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown corpus sources"):
        wordvectors.corpus(tmp_path, exclude=("bab",))
    assert wordvectors.corpus(tmp_path) == []  # no source present: nothing read


def test_a_word_model_with_vectors_learns_through_them_and_stays_exact():
    terms, M = wordvectors.ppmi_svd(DOCS, dims=4, window=2, min_count=2)
    recipe = words.WordRecipe(
        lexicons={"list": {"despot": 1.0}},
        min_df=1,
        char_ngrams=(2, 3),
        C=1.0,
        margin=1.0,
    )
    recipe = replace(recipe, vector_scale=1.0, vector_terms=tuple(terms), vector_matrix=M)
    loaded = ["the furious mob", "a furious crowd"] * 5
    neutral = ["the council met", "the committee voted"] * 5
    sets = [
        words.MarkSet(
            "babe", loaded, [((t.index("furious"), t.index("furious") + 7),) for t in loaded]
        ),
        words.MarkSet("neutral", neutral, [()] * len(neutral)),
    ]
    space, coef, b = words.fit_word_model(sets, recipe)
    assert len(coef) == space.n_features + M.shape[1]
    head = words.word_head_of(space, coef, b, (1.0, 0.0, 0.0, 0.0), 1.0, recipe=recipe)
    assert head.vectors is not None and head.coef.shape[1] == space.n_features
    # "angry" never marked, never in the word model's texts: its vector carries it
    z, _ = head.word_logits(tokenize_batch(["angry committee"]))
    assert z[0] > z[1]
    att = head.attribute(tokenize_batch(["an angry furious mob", "the committee"]))
    total = np.bincount(
        tokenize_batch(["an angry furious mob", "the committee"]).doc, weights=att.per_token
    )
    np.testing.assert_allclose(att.logit, total + att.intercept, rtol=0, atol=1e-9)
    assert "vectors" in recipe.describe() and "vector_matrix" not in recipe.describe()


def test_identity_hidden_rows_keep_everything_but_the_word_block():
    from scipy.sparse import csr_matrix

    recipe = words.WordRecipe(lexicons={"list": {"vile": 1.0}}, min_df=1, char_ngrams=(2, 3))
    sets = [words.MarkSet("babe", ["a vile mob", "the mob"], [((2, 6),), ()])]
    space, _, _ = words.fit_word_model(sets, recipe)
    X = csr_matrix(np.ones((2, space.n_features)))
    X2, y2, w2 = words._with_identity_hidden(space, X, np.array([1, 0]), np.array([2.0, 1.0]), 0.25)
    assert X2.shape == (4, space.n_features) and y2.tolist() == [1, 0, 1, 0]
    assert w2.tolist() == [1.5, 0.75, 0.5, 0.25]
    lo, hi = space.offsets["word"], space.offsets["char"]
    assert X2[2:, lo:hi].nnz == 0 and X2[2:, hi:].toarray().all()
    assert (X2[:2].toarray() == 1).all()
