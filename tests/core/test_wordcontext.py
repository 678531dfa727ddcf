"""The context form of a word-evidence head (framing.core.wordcontext): the neighbours' word
classes are those of the nearest content words of the same text, a word without lexicon
evidence gets no context term, the text's logit stays exactly the intercept plus its words'
contributions, and the form round-trips through the data-only artifact."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import ModelError
from framing.core.artifact import dumps, loads
from framing.core.tokens import tokenize_batch
from framing.core.wordcontext import CLASSES, NO_NEIGHBOUR, OTHER, WordContext, lemma_candidates
from framing.core.wordhead import WordHead
from framing.training.binary.fit import TextVectorizer

STOP = frozenset({"the", "of", "a", "in"})
CLASS_OF = {"migrant": CLASSES.index("person"), "water": CLASSES.index("thing")}
VOCAB = ["flood", "of", "migrants", "water", "the", "rises", "in", "a", "town", "!", "42"]


def make_head(coef_ctx=None) -> WordHead:
    vec = TextVectorizer(
        word_ngrams=(1, 1), char_ngrams=(2, 3), min_df=1, lexicons={"list": {"flood": 1.0}}
    ).fit(VOCAB)
    space = vec.space_
    coef = np.random.default_rng(3).normal(size=(1, space.n_features))
    if coef_ctx is None:
        coef_ctx = np.random.default_rng(4).normal(size=(2, len(CLASSES)))
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
        context=WordContext(CLASS_OF, coef_ctx, STOP),
    )


def test_lemma_candidates():
    assert lemma_candidates("Migrants")[:2] == ["migrants", "migrant"]
    assert "slam" in lemma_candidates("slammed")
    assert "parties"[:-3] + "y" in lemma_candidates("parties")


def naive(words, form_class):
    out = []
    for t in range(len(words)):
        before = [form_class(w) for w in words[:t] if form_class(w) >= 0]
        after = [form_class(w) for w in words[t + 1 :] if form_class(w) >= 0]
        out.append((before[-1] if before else NO_NEIGHBOUR, after[0] if after else NO_NEIGHBOUR))
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(VOCAB), max_size=8), min_size=1, max_size=4))
def test_neighbours_are_the_nearest_content_words_of_the_same_text(texts):
    ctx = WordContext(CLASS_OF, np.zeros((2, len(CLASSES))), STOP)
    tb = tokenize_batch([" ".join(t) for t in texts])
    prev, nxt = ctx.neighbours(tb)
    for d in range(tb.n_docs):
        a, b = int(tb.ptr[d]), int(tb.ptr[d + 1])
        words = [tb.forms[f] for f in tb.form_id[a:b]]
        assert list(zip(prev[a:b].tolist(), nxt[a:b].tolist(), strict=True)) == naive(
            words, ctx.form_class
        )


def test_classes_of_forms():
    ctx = WordContext(CLASS_OF, np.zeros((2, len(CLASSES))), STOP)
    assert ctx.form_class("Migrants") == CLASSES.index("person")
    assert ctx.form_class("the") == -1 and ctx.form_class("42") == -1
    assert ctx.form_class("town") == OTHER


def test_only_words_with_lexicon_evidence_get_a_context_term():
    coef = np.zeros((2, len(CLASSES)))
    coef[1, CLASSES.index("person")] = 2.0
    with_ctx, without = make_head(coef), make_head(np.zeros((2, len(CLASSES))))
    texts = ["flood of migrants", "flood water", "town of migrants"]
    z1, _ = with_ctx.word_logits(tokenize_batch(texts))
    z0, _ = without.word_logits(tokenize_batch(texts))
    np.testing.assert_allclose(z1 - z0, [2.0, 0, 0, 0, 0, 0, 0, 0], atol=1e-12)


HEAD = make_head()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from([*VOCAB, "é", "FLOOD", "Water,"]), max_size=10).map(" ".join),
        min_size=1,
    )
)
def test_logit_is_intercept_plus_word_contributions(texts):
    tb = tokenize_batch(texts)
    att = HEAD.attribute(tb)
    sums = np.bincount(tb.doc, weights=att.per_token, minlength=len(texts)) + att.intercept
    np.testing.assert_allclose(att.logit, sums, rtol=0, atol=1e-9)
    for d, text in enumerate(texts):
        assert HEAD.attribute(tokenize_batch([text])).logit[0] == pytest.approx(att.logit[d])


def test_round_trip_and_refusals():
    back = loads(dumps({"loaded": HEAD}))["loaded"]
    texts = ["flood of migrants", "the flood water rises in a town", ""]
    np.testing.assert_array_equal(back.logits(texts), HEAD.logits(texts))
    assert back.context.classes == CLASS_OF and back.context.stop == STOP
    import io
    import zipfile

    data = dumps({"loaded": HEAD})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            if item.filename != "head0.context_stop.npy":
                zout.writestr(item, zin.read(item.filename))
    with pytest.raises(ModelError, match="context_stop"):
        loads(out.getvalue())


def test_a_space_with_the_gate_lexicon_gates_on_it_alone():
    from framing.core.wordcontext import GATE_LEXICON
    from framing.core.wordhead import lexicon_gate

    lexicons = {"list": {"flood": 1.0, "rises": 1.0}, GATE_LEXICON: {"flood": 0.5}}
    space = TextVectorizer(word_ngrams=(1, 1), min_df=1, lexicons=lexicons).fit(VOCAB).space_
    gate = lexicon_gate(space, tokenize_batch(["flood", "rises", "town"]))
    assert gate.tolist() == [True, False, False]
    space = TextVectorizer(word_ngrams=(1, 1), min_df=1, lexicons={"list": lexicons["list"]})
    gate = lexicon_gate(space.fit(VOCAB).space_, tokenize_batch(["flood", "rises", "town"]))
    assert gate.tolist() == [True, True, False]
