"""Body explanations, quotations, outlet voice, limits, batching and the golden article."""

import json
import sys
from collections import Counter

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from reference import reference_logit

import framing.explanation.build  # noqa: F401 (the module, for monkeypatching its limits)
from framing import InputError, explain, load_model
from framing.core.text import blank_spans, normalize, quote_spans, tokenize
from framing.explanation.build import explain_many, explain_text

EXPLAIN = sys.modules["framing.explanation.build"]
UNICODE = st.one_of(
    st.text(max_size=150),
    st.text(
        alphabet=st.sampled_from(
            list("aAeéÉüß'’‘“”\"«»-–—!?.,0123 \t\n😀🇺🇸שלוםمرحبا中文despotSHOCKregime")
        ),
        max_size=150,
    ),
)


def logit_sum(score):
    return sum(t.contribution for t in score.terms) + score.intercept


@settings(max_examples=60, deadline=None)
@given(UNICODE)
def test_feature_occurrences_are_exactly_the_vectorizers(tiny_model, text):
    for head in tiny_model.heads.values():
        space = head.space
        score = explain_text(head, text)
        # the model's own arithmetic, and the per-word and per-feature splits, agree
        assert abs(score.logit - reference_logit(head, text)) < 1e-9
        assert abs(logit_sum(score) - score.logit) < 1e-9
        assert (
            abs(sum(f.contribution for f in score.features) + score.intercept - score.logit) < 1e-9
        )
        # same multiset of features as FeatureSpace.analyze (vocabulary hits)
        occ = space.analyze(text)
        names = space.feature_names()
        known = set(names.tolist())
        expected = Counter()
        for block in ("word", "char", "lex"):
            for n in occ.names[block]:
                name = {"word": n, "char": f"char:{n}"}.get(block) or (
                    n if n.startswith("shape:") else f"lex:{n}"
                )
                if name in known:
                    expected[name] += 1
        found = Counter({f.feature: len(f.spans) for f in score.features})
        assert found == expected
        # every occurrence is rebuilt from text[start:end]
        for f in score.features:
            for span in f.spans:
                forms = [t.form for t in tokenize(text[span.start : span.end])]
                if f.feature.startswith("char:"):
                    assert len(forms) == 1 and f.feature[5:] in f" {forms[0]} "
                elif f.feature.startswith(("lex:", "shape:")):
                    assert forms
                else:
                    assert " ".join(forms) == f.feature
        # and the features with a value are those FeatureSpace.encode gives
        enc = head.encode([text])
        in_encode = {str(names[j]) for j in enc.indices.tolist()}
        assert in_encode == {f.feature for f in score.features if f.feature in in_encode}
        assert all(f.contribution == 0 for f in score.features if f.feature not in in_encode)
        # per-word terms: offsets spell the term, quoted words are inside quotations
        q = quote_spans(text)
        for term in score.terms:
            for span in term.spans:
                assert normalize(text[span.start : span.end]) == term.term
                assert term.quoted == any(a <= span.start < b for a, b in q)


@settings(max_examples=40, deadline=None)
@given(UNICODE, UNICODE)
def test_body_sentences_are_exact_and_outlet_voice_is_the_blanked_text(tiny_model, head, body):
    assume(head.strip() or body.strip())  # only white space: "empty text" (test_explain_inputs)
    res = explain(head, body, model=tiny_model)
    json.dumps(res.to_dict())
    loaded = tiny_model["loaded"]
    assert abs(logit_sum(res.clickbait_outlet) - res.clickbait_outlet.logit) < 1e-9
    blanked = blank_spans(head, quote_spans(head))
    assert abs(res.clickbait_outlet.logit - tiny_model["clickbait"].logits([blanked])[0, 0]) < 1e-9
    body_quotes = [(q.start, q.end) for q in res.body_quotes]
    n_tokens = 0
    for s in res.sentences:
        sentence = body[s.start : s.end]
        assert abs(s.loaded.logit - loaded.logits([sentence])[0, 0]) < 1e-9
        assert abs(logit_sum(s.loaded) - s.loaded.logit) < 1e-9
        for term in s.loaded.terms:
            for span in term.spans:
                assert s.start <= span.start < span.end <= s.end
                assert normalize(body[span.start : span.end]) == term.term
            n_tokens += len(term.spans)
        if s.loaded_outlet is not None:
            inside = [(max(a, s.start) - s.start, min(b, s.end) - s.start) for a, b in body_quotes]
            blank = blank_spans(sentence, [(a, b) for a, b in inside if a < b])
            assert abs(s.loaded_outlet.logit - loaded.logits([blank])[0, 0]) < 1e-9
            assert abs(logit_sum(s.loaded_outlet) - s.loaded_outlet.logit) < 1e-9
            assert not any(t.quoted for t in s.loaded_outlet.terms)
    assert n_tokens == len(tokenize(body))  # every word of the body is in one sentence
    if res.article:
        ranked = [s.loaded.logit for s in res.ranked_sentences()]
        assert ranked == sorted(ranked, reverse=True)
        assert res.overall is None if res.not_scored else 0 <= res.overall.score <= 1


def test_quoted_terms_and_outlet_voice(tiny_model):
    res = explain('Mr Kirby described North Korea as a "rogue regime"', model=tiny_model)
    quoted = {t.term for t in res.loaded_headline.terms if t.quoted}
    assert quoted == {"rogue", "regime"}
    assert not any(t.quoted for t in res.loaded_headline.terms if t.term in {"kirby", "korea"})
    outlet_terms = {t.term for t in res.loaded_headline_outlet.terms}
    assert "regime" not in outlet_terms and "kirby" in outlet_terms
    assert [res.headline[q.start : q.end] for q in res.headline_quotes] == ['"rogue regime"']


def test_a_word_quoted_once_and_unquoted_once_gives_two_terms(tiny_model):
    res = explain('The regime denied it: "no regime" here', model=tiny_model)
    regimes = [t for t in res.loaded_headline.terms if t.term == "regime"]
    assert sorted(t.quoted for t in regimes) == [False, True]


def test_article_score_definition(tiny_model):
    body = (
        "The despot shamelessly denied the chilling reports. The committee met to discuss "
        "the proposal. The council approved the plan by a vote of six to three. Officials "
        "released the figures for the third quarter."
    )
    res = explain(body=body, model=tiny_model)
    probs = sorted((s.loaded.probability for s in res.sentences), reverse=True)
    assert len(res.sentences) == 4 and res.article.top_k == 3
    assert res.article.probability == pytest.approx(sum(probs[:3]) / 3)
    assert res.article.max_probability == pytest.approx(probs[0])
    assert res.article.share_above_threshold == pytest.approx(
        sum(p >= 0.5 for p in probs) / len(probs)
    )
    assert res.ranked_sentences()[0].index == 0
    assert res.overall.components == {"loaded_body": res.article_outlet.probability}
    assert res.clickbait is None and res.sentences[0]["start"] == 0


def test_overall_is_the_mean_of_the_outlet_voice_scores(tiny_model):
    res = explain("Shocking trick", "The sham trial was a farce.", model=tiny_model)
    parts = [
        res.clickbait_outlet.probability,
        res.loaded_headline_outlet.probability,
        res.article_outlet.probability,
    ]
    assert res.overall.score == pytest.approx(sum(parts) / 3)


def test_fully_quoted_body_has_no_outlet_article_score(tiny_model):
    res = explain(body='"The despot shamelessly denied it."', model=tiny_model)
    assert res.sentences[0].quoted and res.article is not None
    assert res.article_outlet is None and any("quoted" in w for w in res.warnings)


def test_language_warning(tiny_model):
    res = explain(
        "Die Regierung hat am Montag neue Maßnahmen gegen die Inflation beschlossen",
        model=tiny_model,
    )
    assert res.language["headline"].english is False
    assert res.language["headline"].language == "de" and res.not_scored == "language de"
    assert res.to_dict()["not_scored"] == "language de"
    assert any(w.startswith("not scored: language de") for w in res.warnings)
    assert res.overall is None and res.clickbait.label is None and res.loaded_headline.label is None
    assert explain("The despot denied the reports on Monday", model=tiny_model).warnings == []


def test_long_input_is_truncated_with_a_warning(tiny_model, monkeypatch):
    monkeypatch.setattr(EXPLAIN, "MAX_BODY_CHARS", 100)
    monkeypatch.setattr(EXPLAIN, "MAX_HEADLINE_CHARS", 20)
    res = explain("word " * 10, "The regime fell. " * 20, model=tiny_model)
    assert res.truncated and len(res.body) <= 100 and len(res.headline) <= 20
    assert sum("over the limit" in w for w in res.warnings) == 2
    assert res.sentences[-1].end <= len(res.body)


def test_bad_input_is_refused_clearly(tiny_model):
    with pytest.raises(InputError, match="headline, a body or both"):
        explain(model=tiny_model)
    with pytest.raises(InputError, match="must be a string"):
        explain(b"bytes", model=tiny_model)
    with pytest.raises(InputError, match="not one string"):
        explain_many("one headline", model=tiny_model)
    with pytest.raises(InputError, match="2 headlines but 1 bodies"):
        explain_many(["a", "b"], ["x"], model=tiny_model)


def test_explain_many_equals_explain_item_by_item(tiny_model):
    heads = ["You won't believe this weird trick", "", 'The "despot" denied it', None]
    bodies = [None, "The regime fell. Officials said so.", None, "Just a body."]
    many = explain_many(heads, bodies, model=tiny_model)
    for h, b, got in zip(heads, bodies, many, strict=True):
        one = explain(h, b, model=tiny_model, features=False)
        _close(got, one)


def _close(a, b):
    da, db = a.to_dict(), b.to_dict()
    assert da["warnings"] == db["warnings"] and da["headline_quotes"] == db["headline_quotes"]
    assert da.keys() == db.keys()
    for key in ("clickbait", "loaded_headline", "clickbait_outlet", "overall", "article"):
        if da[key] is None:
            assert db[key] is None
            continue
        for field in ("probability", "logit", "score"):
            if field in da[key]:
                assert da[key][field] == pytest.approx(db[key][field], abs=1e-12)
    assert [s["loaded"]["logit"] for s in da["sentences"]] == pytest.approx(
        [s["loaded"]["logit"] for s in db["sentences"]], abs=1e-12
    )


def test_explain_many_keeps_the_head_texts_form(tiny_model):
    scores = explain_many(tiny_model["loaded"], ["The despot", "The committee met"])
    assert [round(s.logit, 9) for s in scores] == [
        round(v, 9) for v in tiny_model["loaded"].logits(["The despot", "The committee met"])[:, 0]
    ]


GOLDEN_HEADLINE = "Kirby slams North Korea's 'rogue regime' after missile test"
GOLDEN_BODY = (
    'Mr. Kirby described North Korea as a "rogue regime" on Monday. The despot shamelessly '
    "denied the chilling reports, a disastrous and humiliating failure.\n\n"
    "Officials said the talks would resume in Geneva on Tuesday. The committee will publish "
    "its report in March."
)


def test_golden_article_with_the_shipped_model():
    res = explain(GOLDEN_HEADLINE, GOLDEN_BODY, model=load_model())
    body = res.body
    assert [body[s.start : s.end] for s in res.sentences] == [
        'Mr. Kirby described North Korea as a "rogue regime" on Monday.',
        "The despot shamelessly denied the chilling reports, a disastrous and humiliating failure.",
        "Officials said the talks would resume in Geneva on Tuesday.",
        "The committee will publish its report in March.",
    ]
    assert [s.paragraph for s in res.sentences] == [0, 0, 1, 1]
    assert [body[q.start : q.end] for q in res.body_quotes] == ['"rogue regime"']
    assert [s.quoted for s in res.sentences] == [True, False, False, False]
    # ranking: the sentence of loaded words first, the plain procedural ones last
    assert res.article.ranking[0] == 1
    assert set(res.article.ranking[2:]) == {2, 3}
    loaded = res.sentences[1].loaded
    assert loaded.label and loaded.probability > res.sentences[3].loaded.probability
    assert {"shamelessly", "disastrous"} <= {t.term for t in loaded.top(4)}
    # the quoted "rogue regime" counts in the raw score only
    first = res.sentences[0]
    assert {t.term for t in first.loaded.terms if t.quoted} == {"rogue", "regime"}
    assert first.loaded_outlet.logit < first.loaded.logit
    assert {t.term for t in res.loaded_headline.terms if t.quoted} == {"rogue", "regime"}
    assert res.warnings == [] and res.language["body"].english
    for score in (res.clickbait, res.loaded_headline, res.clickbait_outlet, first.loaded):
        assert abs(logit_sum(score) - score.logit) < 1e-9
    assert 0 <= res.overall.score <= 1 and len(res.overall.components) == 3
    json.dumps(res.to_dict())
