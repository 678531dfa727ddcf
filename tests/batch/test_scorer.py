"""The batched scoring path equals the one-text-at-a-time path (logits, per-word terms)."""

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import reference_logit

from framing.batch import ScoreOptions, Scorer, prepare, resolve_columns
from framing.core.encoder import encoder
from framing.core.ranking import top_terms
from framing.core.text import normalize
from framing.core.tokens import tokenize_batch
from framing.errors import InputError
from framing.explanation.build import explain, explain_text
from framing.tables.read import Row

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
        att = head.attribute(tb)
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
    first = head.attribute(tokenize_batch(texts)).logit
    again = head.attribute(tokenize_batch(texts[::-1])).logit
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


ROWS = [
    ("You won't believe this weird trick", ""),
    ("", "The despot denied it. Officials met on Monday."),
    (
        'Council calls the plan a "shameful farce"',
        'The despot lied. "This is a chilling, disastrous regime," he said.\n\n'
        "The committee met to discuss the proposal. The sham trial was a shameful farce!",
    ),
    ("17 things only 90s kids will remember", '"A radical mob," she said. "A sham."'),
    ("Budget passes", "Officials released the figures. The minister said so."),
]


def test_scorer_columns_equal_explain(tiny_model):
    """framing score's columns are explain()'s numbers: raw and outlet-voice headline scores,
    the article score over body sentences, and the overall score."""
    scorer = Scorer(tiny_model, ScoreOptions(headline_col="h", body_col="b", top_k=3))
    heads, bodies = [h for h, _ in ROWS], [b for _, b in ROWS]
    out = scorer.score_texts(heads, bodies, [None] * len(ROWS))
    assert out["error"] == [None] * len(ROWS)

    def close(got, want):
        assert (got is None) == (want is None)
        if want is not None:
            assert got == pytest.approx(want, abs=1e-6)

    for i, (h, b) in enumerate(ROWS):
        ex = explain(h or None, b or None, model=tiny_model)
        for col, score in (
            ("clickbait", ex.clickbait),
            ("loaded", ex.loaded_headline),
            ("clickbait_outlet", ex.clickbait_outlet),
            ("loaded_outlet", ex.loaded_headline_outlet),
            ("body_loaded", ex.article),
            ("body_loaded_outlet", ex.article_outlet),
        ):
            close(out[f"{col}_probability"][i], score.probability if score else None)
        if ex.article is not None:
            assert out["body_loaded_label"][i] == int(ex.article.label)
            top = [ex.sentences[j] for j in ex.article.ranking[: ex.article.top_k]]
            words = {t.term for s in top for t in s.loaded.terms}
            terms = json.loads(out["body_loaded_terms"][i])
            assert 0 < len(terms) <= 3 and {t["term"] for t in terms} <= words
            for t in terms:
                for start, end in t["spans"]:
                    assert normalize(b[start:end]) == t["term"]
                    assert any(s.start <= start < s.end for s in top)
        close(out["overall_score"][i], ex.overall.score)
    # the quoted headline and the quoted body really differ in outlet voice
    assert out["loaded_outlet_probability"][2] != out["loaded_probability"][2]
    assert out["body_loaded_outlet_probability"][2] != out["body_loaded_probability"][2]


def test_scorer_batches_equal_rows_one_at_a_time(tiny_model):
    scorer = Scorer(tiny_model, ScoreOptions(headline_col="h", body_col="b", top_k=2))
    heads, bodies = [h for h, _ in ROWS], [b for _, b in ROWS]
    whole = scorer.score_texts(heads, bodies, [None] * len(ROWS))
    for i in range(len(ROWS)):
        one = scorer.score_texts([heads[i]], [bodies[i]], [None])
        assert {c: v[i] for c, v in whole.items()} == {c: v[0] for c, v in one.items()}


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join), max_size=6),
    st.integers(0, 10),
    st.data(),
)
def test_terms_column_is_terms_json_of_top_terms(texts, k, data):
    """The terms column, formatted from arrays, is terms_json of each text's top_terms."""
    from framing.batch.scorer import terms_json, terms_json_column
    from framing.core.ranking import WordGroups

    tb = tokenize_batch(texts)
    n = len(tb.form_id)
    values = st.floats(-2, 2, allow_nan=False).map(lambda v: round(v, 2))
    per_token = np.array(data.draw(st.lists(values, min_size=n, max_size=n)), dtype=float)
    column = terms_json_column(WordGroups(tb), per_token, k)
    assert column == [terms_json(t) for t in top_terms(tb, per_token, k)]


def _overflowing(model):
    """``model`` with weights whose sums overflow (as a hand-made model.npz could hold;
    load_model refuses it, a Model built in memory is not loaded)."""
    import copy

    from framing.core.model import Model

    heads = {}
    for name, head in model.heads.items():
        head = copy.copy(head)
        coef = np.full(head.coef.shape, 1e308)
        coef[:, ::2] = -1e308
        head.coef = coef
        heads[name] = head
    return Model(heads, {})


@settings(max_examples=25, deadline=None)
@given(
    texts=st.lists(
        st.tuples(st.sampled_from(["", "  ", "Shocking news", "despot"]), st.text(max_size=30)),
        min_size=1,
        max_size=6,
    ),
    broken=st.booleans(),
)
def test_every_row_is_scored_or_marked_never_neither(tiny_model, texts, broken):
    """Issue 25: a model whose scores overflow gave rows with an empty probability and an
    empty error; now such a row is an error row."""
    from framing.batch.scorer import NONFINITE

    model = _overflowing(tiny_model) if broken else tiny_model
    scorer = Scorer(model, ScoreOptions(headline_col="headline", body_col="body"))
    rows = [Row({"headline": h, "body": b}) for h, b in texts]
    with np.errstate(all="ignore"):
        out = scorer.score(rows)
    for i, (h, b) in enumerate(texts):
        error = out["error"][i]
        if not (h.strip() or b.strip()):
            assert error.startswith("empty text")
            continue
        if error is not None:  # marked: only the overflow, and nothing else written
            assert broken and error == NONFINITE
            assert out["clickbait_probability"][i] is None and out["overall_score"][i] is None
        else:  # scored: every head read on a text has a probability
            assert h.strip() == "" or out["clickbait_probability"][i] is not None
            # no overall score only for a text judged not English (issue 26's rule), or when
            # no outlet-voice score exists (every word of the texts quoted: '«0')
            foreign = "not scored: language" in (out["warnings"][i] or "")
            voiced = [c for c in out if c.endswith("_outlet_probability") and out[c][i] is not None]
            assert (out["overall_score"][i] is None) == (foreign or not voiced)
    if broken and any(h.strip() in ("Shocking news", "despot") for h, _ in texts):
        assert NONFINITE in out["error"]  # words in the vocabulary: the sums overflow


def test_terms_keep_the_texts_own_digits():
    """A term with digits shows the text's digits ("17", not the form "00"); two numbers of
    one form show both; the spans still point at them (before: "00"). The shipped model:
    the tiny one's loaded head has no number among its words."""
    from framing import load_model

    scorer = Scorer(load_model(), ScoreOptions(headline_col="h", body_col="b", top_k=50))
    head = "17 things only 90s kids will remember"
    body = "In 17 of 23 towns the vote was held, and 17 towns agreed."
    out = scorer.score_texts([head], [body], [None])
    for col, text in (("clickbait_terms", head), ("body_loaded_terms", body)):
        terms = json.loads(out[col][0])
        shown = {t["term"] for t in terms}
        assert not any("00" in t for t in shown), shown
        for t in terms:
            written = {text[a:b] for a, b in t["spans"]}
            if any(map(str.isdigit, t["term"])):
                assert set(t["term"].split(", ")) == written
            else:
                assert {normalize(w) for w in written} == {t["term"]}
    assert "17" in {t["term"] for t in json.loads(out["clickbait_terms"][0])}
    assert "90s" in {t["term"] for t in json.loads(out["clickbait_terms"][0])}
    assert "17, 23" in {t["term"] for t in json.loads(out["body_loaded_terms"][0])}
