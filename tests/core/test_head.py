from dataclasses import replace

import numpy as np
import pytest
from conftest import tiny_recipe
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import reference_logit

from framing.core.head import sigmoid
from framing.core.tokens import tokenize_batch
from framing.training.binary.fit import Record, fit_head


def test_probabilities_are_calibrated_sigmoids_of_logits(tiny_model):
    head = tiny_model["clickbait"]
    texts = ["You won't believe this weird trick", "Parliament passes the budget"]
    logits = head.logits(texts)
    assert np.allclose(head.predict_proba(texts), sigmoid(logits))
    p = head.predict_proba(texts)[:, 0]
    assert p[0] > 0.5 > p[1]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=300), max_size=4))
def test_contributions_plus_intercept_equal_logit(tiny_model, texts):
    tb = tokenize_batch(texts)
    for name in ("clickbait", "loaded"):
        head = tiny_model[name]
        att = head.attribute(tb)
        logits = head.logits(texts)[:, 0]
        for d, text in enumerate(texts):
            assert abs(logits[d] - reference_logit(head, text)) < 1e-9
            assert abs(att.logit[d] - logits[d]) < 1e-9
            tokens = att.per_token[tb.ptr[d] : tb.ptr[d + 1]]
            assert abs(tokens.sum() + head.intercept[0] - logits[d]) < 1e-9
            entries = att.contrib[att.udoc == d]
            assert abs(entries.sum() + head.intercept[0] - logits[d]) < 1e-9


def test_lexicon_phrase_contribution_lands_on_its_words(tiny_model):
    head = tiny_model["clickbait"]
    tb = tokenize_batch(["This weird trick is odd"])
    att = head.attribute(tb)
    forms = [tb.forms[f] for f in tb.form_id.tolist()]
    lex = head.space.offsets["lex"] + head.space.lex_vocab["hype"]
    hits = att.hits
    spans = [(lo, hi) for f, lo, hi in zip(hits.feat, hits.lo, hits.hi, strict=True) if f == lex]
    assert [(forms[lo], forms[hi - 1]) for lo, hi in spans] == [("weird", "trick")]


def test_batch_equals_one_by_one(tiny_model):
    head = tiny_model["loaded"]
    texts = ["The despot lied", "", "Officials met", "A chilling, shameful farce!"]
    batch = head.logits(texts)[:, 0]
    single = [head.logits([t])[0, 0] for t in texts]
    assert np.allclose(batch, single, atol=1e-12)


def test_one_class_data_is_refused():
    recs = [Record(f"text {i}", 1.0) for i in range(20)]
    with pytest.raises(ValueError, match="one class"):
        fit_head("x", recs, tiny_recipe())


def test_soft_labels_order_scores():
    # the same text graded 0.9 must score above one graded 0.2 when otherwise alike
    recs = []
    for i in range(10):
        recs.append(Record(f"alpha story {i}", 0.9, group=f"a{i}"))
        recs.append(Record(f"beta story {i}", 0.2, group=f"b{i}"))
        recs.append(Record(f"gamma story {i}", 0.0, group=f"c{i}"))
    head = fit_head("x", recs, tiny_recipe(char_ngrams=None))
    p = head.predict_proba(["alpha", "beta", "gamma"])[:, 0]
    assert p[0] > p[1] > p[2]


def test_calibrate_on_fits_platt_to_the_named_dataset_only():
    # dataset "crowd": 1 positive in 5; dataset "publisher": half positive, same vocabulary
    recs = []
    for i in range(60):
        recs.append(
            Record(f"story number {i} teaser", float(i % 5 == 0), dataset="crowd", group=f"c{i}")
        )
        recs.append(
            Record(
                f"story number {i} teaser", float(i % 2 == 0), dataset="publisher", group=f"p{i}"
            )
        )
    texts = [f"story number {i} teaser" for i in range(60)]
    both = fit_head("x", recs, tiny_recipe(char_ngrams=None))
    crowd = fit_head("x", recs, replace(tiny_recipe(char_ngrams=None), calibrate_on="crowd"))
    mean_both = both.predict_proba(texts)[:, 0].mean()
    mean_crowd = crowd.predict_proba(texts)[:, 0].mean()
    assert abs(mean_crowd - 0.2) < abs(mean_both - 0.2)
    assert (crowd.coef != 0).any()
