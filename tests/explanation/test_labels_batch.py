"""The one-pass ranking of every label's words (:func:`explain_labels_batch`) equals the
per-label path it replaced (one ``bincount`` and one ``strongest`` per label per text),
exactly: same words, order, floats and spans, on random texts and the shipped heads (the
totals of the words left out to the last bits of a sum)."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import load_model
from framing.core.head import sigmoid
from framing.core.ranking import strongest
from framing.core.tokens import tokenize_batch
from framing.core.wordlists import is_content_word
from framing.explanation.labels import LabelScore, explain_labels_batch
from framing.explanation.results import Term, new_span

WORDS = [
    "the",
    "The",
    "THE",
    "a",
    "of",
    "and",
    "to",
    "in",
    "patriots",
    "must",
    "defend",
    "our",
    "great",
    "nation",
    "terror",
    "is",
    "coming",
    "for",
    "you",
    "corrupt",
    "despot",
    "lied",
    "shamelessly",
    "disgraceful",
    "sham",
    "trial",
    "flood",
    "towns",
    "destroy",
    "everything",
    "officials",
    "said",
    "talks",
    "would",
    "resume",
    "2024",
    "12",
    "war",
    "economy",
    "crisis",
    "never",
    "always",
    "everyone",
    "knows",
    "!",
    "?",
    ",",
    ".",
    '"',
    "'",
    "-",
    "—",
    "é",
    "ß",
]


def _reference(head, text: str, top_terms, offset: int, content=None) -> list[LabelScore]:
    """The per-label path of before: each label's words ranked on their own."""
    tb = tokenize_batch([text])
    logits, per_token = head.attribute_labels(tb)
    logits = logits[0]
    present = np.unique(tb.form_id)
    names = [tb.forms[f] for f in present.tolist()]
    alphabetical = sorted(range(len(present)), key=names.__getitem__)
    rank = np.empty(len(tb.forms), dtype=np.int64)
    rank[present[alphabetical]] = np.arange(len(present))
    forms = [names[i] for i in alphabetical]
    token_form = rank[tb.form_id]
    thresholds = head.label_thresholds()
    scores = []
    listed = np.arange(len(forms))
    if content is not None:
        listed = np.flatnonzero([bool(content(f)) for f in forms])
    others = np.setdiff1d(np.arange(len(forms)), listed)
    for k, lab in enumerate(head.labels):
        per_form_all = np.bincount(token_form, weights=per_token[:, k], minlength=len(forms))
        per_form = per_form_all[listed]
        kept = strongest(per_form, top_terms)
        terms = []
        for j in listed[kept].tolist():
            mask = token_form == j
            pairs = zip(
                (tb.starts[mask] + offset).tolist(), (tb.ends[mask] + offset).tolist(), strict=True
            )
            terms.append(Term(forms[j], float(per_form_all[j]), list(map(new_span, pairs))))
        rest = float(per_form.sum() - per_form[kept].sum())
        logit = float(logits[k])
        prob = float(sigmoid(logit))
        t = float(thresholds[k])
        score = LabelScore(
            lab, prob, logit, float(head.intercept[k]), t, bool(prob >= t), terms, rest
        )
        if content is not None:
            score.function_words = float(per_form_all[others].sum())
        scores.append(score)
    return sorted(scores, key=lambda s: -s.probability)


@pytest.fixture(scope="module")
def heads():
    model = load_model()
    found = [model.heads[n] for n in ("technique", "frame") if n in model.heads]
    if not found:
        pytest.skip("the shipped model has no multi-label head")
    return found


texts = st.lists(
    st.one_of(
        st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join),
        st.text(max_size=30),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(texts, st.one_of(st.none(), st.integers(-1, 12)), st.integers(0, 500), st.data())
def test_one_pass_equals_the_per_label_path(heads, batch, top_terms, offset, data):
    head = data.draw(st.sampled_from(heads))
    only = data.draw(st.one_of(st.none(), st.sets(st.sampled_from(head.labels))))
    content = data.draw(st.sampled_from([None, is_content_word]))
    offsets = [offset + 7 * i for i in range(len(batch))]
    got = explain_labels_batch(
        head, batch, top_terms=top_terms, offsets=offsets, only=only, content=content
    )
    for text, off, result in zip(batch, offsets, got, strict=True):
        want = _reference(head, text, top_terms, off, content)
        if only is not None:
            want = [s for s in want if s.label in only]
        # dataclass equality: every float exact, every term, span and order; the totals of
        # the words left out (rest, function_words) are summed in one pass over the batch,
        # so to the last bits of a sum of a text's words (the reference sums each text's
        # row on its own, pairwise)
        for s, w in zip(result.labels, want, strict=True):
            assert s.rest == pytest.approx(w.rest, rel=1e-12, abs=1e-12)
            assert s.function_words == pytest.approx(w.function_words, rel=1e-12, abs=1e-12)
        level = [dataclasses.replace(s, rest=0.0, function_words=0.0) for s in result.labels]
        assert level == [dataclasses.replace(s, rest=0.0, function_words=0.0) for s in want]
        assert len(result.labels) == len(want)


sentences = st.lists(st.sampled_from(WORDS[:44]), min_size=1, max_size=25).map(
    lambda ws: " ".join(ws).capitalize() + "."
)


@settings(max_examples=15, deadline=None)
@given(st.lists(sentences, min_size=1, max_size=12), st.booleans())
def test_a_bodys_techniques_equal_each_sentence_explained_alone(body_sentences, all_techniques):
    """explain() ranks a body's technique words from the arrays of the body's own scoring:
    exactly what explaining each sentence alone gives (floats, words, spans, order)."""
    from framing.explanation.build import explain
    from framing.explanation.techniques import ShownTechniques

    model = load_model()
    if "technique" not in model.heads:
        pytest.skip("the shipped model has no technique head")
    head, shown = model["technique"], ShownTechniques.of(model, all_techniques)
    body = " ".join(body_sentences)
    result = explain("A headline", body, model=model, all_techniques=all_techniques)
    fresh = result.to_dict()  # the labels' dicts made without the objects
    for s in result.sentences:
        alone = explain_labels_batch(head, [body[s.start : s.end]], top_terms=5, offsets=[s.start])
        assert s.techniques == shown.keep(alone[0].labels)
    built = result.to_dict()  # the objects' to_dict()
    assert fresh == built
    assert json.dumps(fresh) == json.dumps(built)
    assert [d["techniques"] for d in built["sentences"]] == [
        [t.to_dict() for t in s.techniques] for s in result.sentences
    ]
