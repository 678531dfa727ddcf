"""Word vectors of a word-evidence head (framing.core.wordvectors): a word's vector term is a
fixed function of the word (looked up in lower case, then without a simple suffix; 0 outside
the vocabulary), the text's logit stays exactly the intercept plus its words' contributions,
and the vectors round-trip through the data-only artifact (float16, refused when broken)."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import ModelError
from framing.core.artifact import dumps, loads
from framing.core.tokens import tokenize_batch
from framing.core.wordcontext import CLASSES, WordContext
from framing.core.wordhead import WordHead
from framing.core.wordvectors import WordVectors
from framing.training.binary.fit import TextVectorizer

VOCAB = ["fury", "as", "council", "hikes", "charges", "the", "horror", "met", "!", "42"]
TERMS = ["fury", "horror", "council", "hike", "outrage"]


def make_vectors(seed: int = 5) -> WordVectors:
    rng = np.random.default_rng(seed)
    return WordVectors(TERMS, rng.normal(size=(len(TERMS), 3)), rng.normal(size=3))


def make_head(vectors=None, context=None) -> WordHead:
    space = (
        TextVectorizer(
            word_ngrams=(1, 1), char_ngrams=(2, 3), min_df=1, lexicons={"l": {"fury": 1}}
        )
        .fit(VOCAB)
        .space_
    )
    coef = np.random.default_rng(3).normal(size=(1, space.n_features))
    return WordHead(
        name="loaded",
        space=space,
        coef=coef,
        intercept=[-1.5],
        labels=["loaded"],
        calibration=[[1.0, 0.0]],
        word_intercept=-1.0,
        top_weight=1.2,
        sum_weight=0.5,
        margin=1.0,
        mean_weight=2.0,
        context=context,
        vectors=make_vectors() if vectors is None else vectors,
    )


HEAD = make_head()
PLAIN = make_head(vectors=WordVectors(TERMS, np.zeros((len(TERMS), 3)), np.zeros(3)))


def test_a_words_term_is_its_vector_times_the_weights():
    vec = make_vectors()
    expected = vec.vectors.astype(np.float64) @ vec.coef
    got = vec.logits(["Fury", "HORROR", "hikes", "hiked", "outrages", "table", "", "42"])
    np.testing.assert_allclose(got[:5], expected[[0, 1, 3, 3, 4]], rtol=0, atol=1e-12)
    assert got[5:].tolist() == [0.0, 0.0, 0.0]  # unknown words add nothing
    assert vec.bound() == pytest.approx(np.abs(expected).max())


def test_the_vector_term_moves_only_the_word_it_belongs_to():
    tb = tokenize_batch(["Fury as council hikes the charges", "the table met"])
    z, _ = HEAD.word_logits(tb)
    z0, _ = PLAIN.word_logits(tb)
    np.testing.assert_allclose(z - z0, HEAD.vectors.logits([tb.forms[f] for f in tb.form_id]))
    assert (z - z0)[-3:].tolist() == [0.0, 0.0, 0.0]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from([*VOCAB, "OUTRAGE", "Hiked,", "é", "table"]), max_size=10).map(
            " ".join
        ),
        min_size=1,
    )
)
def test_logit_is_intercept_plus_word_contributions(texts):
    head = make_head(context=WordContext({"council": 3}, np.ones((2, len(CLASSES))), frozenset()))
    for h in (HEAD, head):
        tb = tokenize_batch(texts)
        att = h.attribute(tb)
        sums = np.bincount(tb.doc, weights=att.per_token, minlength=len(texts)) + att.intercept
        np.testing.assert_allclose(att.logit, sums, rtol=0, atol=1e-9)
        assert (np.abs(att.logit) <= h.logit_bound(max(map(len, texts)) + 1)).all()


def _without(data: bytes, member: str, replace=None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            if item.filename != member:
                zout.writestr(item, zin.read(item.filename))
            elif replace is not None:
                buf = io.BytesIO()
                np.lib.format.write_array(buf, replace)
                zout.writestr(item, buf.getvalue())
    return out.getvalue()


def test_round_trip_and_refusals():
    data = dumps({"loaded": HEAD})
    back = loads(data)["loaded"]
    texts = ["Fury as council hikes charges", "the horror!", "", "outrage OUTRAGE"]
    np.testing.assert_array_equal(back.logits(texts), HEAD.logits(texts))
    assert back.vectors.terms == TERMS and back.vectors.vectors.dtype == np.float16
    assert dumps({"loaded": back}) == data
    with pytest.raises(ModelError, match="vectors"):
        loads(_without(data, "head0.vectors_terms.npy"))
    bad = HEAD.vectors.vectors.astype(np.float32)
    with pytest.raises(ModelError, match="float16"):
        loads(_without(data, "head0.vectors.npy", bad))
    nan = HEAD.vectors.vectors.copy()
    nan[0, 0] = np.nan
    with pytest.raises(ModelError, match="NaN"):
        loads(_without(data, "head0.vectors.npy", nan))


def test_mismatched_shapes_are_refused():
    with pytest.raises(ValueError, match="one row each"):
        WordVectors(TERMS, np.zeros((2, 3)), np.zeros(3))
    with pytest.raises(ValueError, match="per dimension"):
        WordVectors(TERMS, np.zeros((len(TERMS), 3)), np.zeros(2))
    with pytest.raises(ValueError, match="repeated"):
        WordVectors(["a", "a"], np.zeros((2, 3)), np.zeros(3))
