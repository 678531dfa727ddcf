"""The word-evidence head: a text's logit is exactly the intercept plus its words'
contributions, each word's contribution is a function of its own evidence, and the head
round-trips through the data-only artifact."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import ModelError, explain
from framing.core.artifact import dumps, loads
from framing.core.model import Model
from framing.core.tokens import tokenize_batch
from framing.core.wordhead import WordHead, aggregate, softplus
from framing.training.binary.fit import TextVectorizer

WORDS = [
    "despot",
    "regime",
    "slams",
    "leader",
    "said",
    "council",
    "prices",
    "flood",
    "water",
    "migrants",
    "fury",
    "chaos",
]


def make_head(seed: int = 0, **agg) -> WordHead:
    vec = TextVectorizer(
        word_ngrams=(1, 1),
        char_ngrams=(2, 4),
        min_df=1,
        lexicons={"list": {"despot": 1.0, "slam": 1.0, "hermit nation": 1.0}},
    ).fit(WORDS)
    space = vec.space_
    coef = np.random.default_rng(seed).normal(size=(1, space.n_features))
    params = {
        "word_intercept": -1.0,
        "top_weight": 1.3,
        "sum_weight": 0.6,
        "margin": 1.5,
        "mean_weight": 4.0,
    }
    params.update(agg)
    return WordHead(
        name="loaded",
        space=space,
        coef=coef,
        intercept=[-2.5],
        labels=["loaded"],
        calibration=[[1.0, 0.0]],
        description="test",
        **params,
    )


HEAD = make_head()


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(max_size=200), min_size=1, max_size=5))
def test_logit_is_intercept_plus_word_contributions(texts):
    tb = tokenize_batch(texts)
    att = HEAD.attribute(tb)
    sums = np.bincount(tb.doc, weights=att.per_token, minlength=len(texts)) + att.intercept
    np.testing.assert_allclose(att.logit, sums, rtol=0, atol=1e-9)
    # each text alone gives the same logit (a word's evidence does not depend on the batch)
    for d, text in enumerate(texts):
        alone = HEAD.attribute(tokenize_batch([text]))
        assert alone.logit[0] == pytest.approx(att.logit[d], abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-8, 8), min_size=0, max_size=30),
    st.floats(0, 3),
    st.floats(0, 3),
    st.floats(-2, 4),
    st.floats(0, 30),
)
def test_contribution_is_a_function_of_the_words_own_evidence(z, a1, a2, m, a3):
    z = np.asarray(z, dtype=np.float64)
    is_word = np.ones(len(z), dtype=bool)
    ptr = np.array([0, len(z)])
    logit, per_token = aggregate(
        z, is_word, ptr, intercept=-1.0, top_weight=a1, sum_weight=a2, margin=m, mean_weight=a3
    )
    assert logit[0] == pytest.approx(-1.0 + per_token.sum(), abs=1e-9)
    expected = a2 * softplus(z - m) + a3 / max(len(z), 1) / (1 + np.exp(-z))
    if len(z):
        top = int(np.argmax(z))  # the first of the largest
        expected[top] += a1 * softplus(z[top])
    np.testing.assert_allclose(per_token, expected, atol=1e-12)


def test_words_without_a_letter_carry_nothing_and_caps_count():
    tb = tokenize_batch(["... 2024 !!", "DESPOT slams", "despot slams"])
    att = HEAD.attribute(tb)
    assert att.logit[0] == pytest.approx(-2.5)
    assert np.all(att.per_token[: tb.ptr[1]] == 0)
    assert np.isnan(att.word_logit[: tb.ptr[1]]).all()
    assert np.isfinite(att.word_logit[tb.ptr[1] :]).all()


def test_round_trip_and_refusals():
    heads = loads(dumps({"loaded": HEAD}))
    back = heads["loaded"]
    assert isinstance(back, WordHead)
    texts = ["The despot slams the council", "Flood water rises", ""]
    np.testing.assert_array_equal(back.logits(texts), HEAD.logits(texts))
    with pytest.raises(ValueError, match="must not be negative"):
        make_head(top_weight=-1.0)


def test_artifact_without_its_aggregation_is_refused():
    import io
    import zipfile

    data = dumps({"loaded": HEAD})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            if info.filename != "head0.aggregation.npy":
                zout.writestr(info, zin.read(info))
    with pytest.raises(ModelError, match="aggregation"):
        loads(out.getvalue())


def test_explain_gives_each_words_own_probability():
    model = Model({"loaded": HEAD})
    res = explain("The despot slams the council!", model=model)
    terms = res.loaded_headline.terms
    assert terms and all(t.probability is not None for t in terms if t.term.isalpha())
    punct = [t for t in terms if t.term == "!"]
    assert not punct or punct[0].probability is None
    d = terms[0].to_dict()
    assert set(d) == {"term", "contribution", "spans", "quoted", "probability"}
    total = sum(t.contribution for t in terms) + res.loaded_headline.intercept
    assert total == pytest.approx(res.loaded_headline.logit, abs=1e-9)
