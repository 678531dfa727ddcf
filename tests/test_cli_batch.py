"""The batched scoring path equals the one-text-at-a-time path (logits, per-word terms)."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import reference_logit

from framing.attribution import attribute, encoder, tokenize_batch, top_terms
from framing.batch import ScoreOptions, Scorer, prepare, resolve_columns
from framing.errors import InputError
from framing.explain import explain_text
from framing.io import Row

WORDS = [
    "You",
    "won't",
    "believe",
    "this",
    "weird",
    "trick",
    "SHOCK",
    "shocking",
    "right",
    "now",
    "17",
    "things",
    "despot",
    "regime",
    "Parliament",
    "budget",
    "the",
    "The",
    "!",
    "?",
    "O'Brien",
    "left-wing",
    "right now",
    "naïve",
    "ÉTÉ",
    "don’t",
    "2024",
]
texts_st = st.lists(
    st.lists(st.sampled_from(WORDS), min_size=0, max_size=12).map(" ".join) | st.text(max_size=40),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=texts_st, k=st.integers(0, 4))
def test_batched_scores_and_terms_equal_explain_text(tiny_model, texts, k):
    tb = tokenize_batch(texts)
    for name in ("clickbait", "loaded"):
        head = tiny_model[name]
        att = attribute(head, tb)
        want_logits = [reference_logit(head, t) for t in texts]
        np.testing.assert_allclose(att.logit, want_logits, rtol=0, atol=1e-9)
        np.testing.assert_allclose(att.logit, head.logits(texts)[:, 0], rtol=0, atol=1e-9)
        enc = head.encode(texts)
        mine = att.encoded(head.space.n_features)
        np.testing.assert_array_equal(mine.indptr, enc.indptr)
        np.testing.assert_array_equal(mine.indices, enc.indices)
        np.testing.assert_allclose(mine.data, enc.data, atol=1e-12)
        for text, got in zip(texts, top_terms(tb, att.per_token, k), strict=True):
            ref = explain_text(head, text, with_features=False)
            want = [t for t in ref.terms if abs(t.contribution) > 1e-9][:k]
            assert len(got) == len(want) or any(abs(t.contribution) <= 1e-9 for t in got)
            for g, w in zip(got, want, strict=False):
                assert abs(abs(g.contribution) - abs(w.contribution)) < 1e-9
            by_term = {t.term: t for t in ref.terms}
            for g in got:
                assert g.contribution == pytest.approx(by_term[g.term].contribution, abs=1e-9)
                assert g.spans == [(s.start, s.end) for s in by_term[g.term].spans]
                assert all(text[s:e] for s, e in g.spans)


def test_cache_reuse_across_batches_gives_same_result(tiny_model):
    head = tiny_model["clickbait"]
    texts = ["This weird trick will SHOCK you right now", "Budget passes"]
    encoder(head.space)._cache.clear()
    first = attribute(head, tokenize_batch(texts)).logit
    again = attribute(head, tokenize_batch(texts[::-1])).logit
    assert first.tolist() == again[::-1].tolist()


def test_resolve_columns_defaults_and_errors():
    assert resolve_columns(["id", "Title", "body"]) == ("Title", "body")
    assert resolve_columns(["text"]) == (None, "text")
    assert resolve_columns(["a", "b"], headline_col="b") == ("b", None)
    with pytest.raises(InputError, match="columns are: 'a', 'b'"):
        resolve_columns(["a", "b"])
    with pytest.raises(InputError, match="--headline-col"):
        resolve_columns(["a"], headline_col="headline")
    with pytest.raises(InputError, match="--id-col"):
        resolve_columns(["headline"], id_col="uid")


def test_prepare_reports_each_unusable_row():
    rows = [
        Row({"headline": "fine"}),
        Row({"headline": "   "}),
        Row({"headline": "x" * 11}),
        Row({"headline": ["a", "list"]}),
        Row({"headline": "ok"}, error="undecodable bytes in headline"),
        Row({"headline": 42}),
    ]
    heads, _, errors = prepare(rows, "headline", None, max_chars=10)
    assert errors[0] is None and heads[0] == "fine"
    assert errors[1].startswith("empty text")
    assert "too long" in errors[2] and "--max-chars" in errors[2]
    assert "list, not text" in errors[3]
    assert errors[4] == "undecodable bytes in headline"
    assert errors[5] is None and heads[5] == "42"


def test_scorer_columns_and_overall(tiny_model):
    scorer = Scorer(tiny_model, ScoreOptions(headline_col="h", body_col="b", top_k=2))
    out = scorer.score(["You won't believe this", ""], ["", "The despot denied it"], [None, None])
    assert out["clickbait_probability"][1] is None and out["clickbait_probability"][0] > 0
    assert out["body_loaded_probability"][0] is None
    assert out["overall_score"][1] == out["body_loaded_probability"][1]
    assert out["overall_score"][0] == max(
        out["clickbait_probability"][0], out["loaded_probability"][0]
    )
    assert out["error"] == [None, None]
