"""One pass for every head: the shared path gives each head exactly its own path's numbers."""

import numpy as np
import pytest
import test_features
from conftest import CLICKBAIT, LOADED, NEUTRAL, NEWS, tiny_recipe
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import reference_logit, reference_per_token

import framing.core.budget as budget
import framing.core.forms as forms
import framing.core.grams as grams
import framing.core.shared as shared
from framing.core.encoder import encoder
from framing.core.shared import shared_pass
from framing.core.tokens import tokenize_batch
from framing.training.binary.fit import Record, fit_head
from framing.training.multilabel.fit import fit_multilabel_head


@pytest.fixture(scope="module")
def heads(tiny_model):
    """The tiny model's two heads, a head of other features (character 1-3 grams, word
    1-3 grams, no lexicon, no shapes) and a multi-label head without character n-grams."""
    records = [Record(t, 1.0) for t in CLICKBAIT + LOADED] + [
        Record(t, 0.0) for t in NEWS + NEUTRAL
    ]
    other = fit_head(
        "other",
        records,
        tiny_recipe(char_ngrams=(1, 3), word_ngrams=(1, 3), lexicons={}, shapes=False),
    )
    texts = [r.text for r in records]
    y = np.array([[i % 2, i % 3 == 0] for i in range(len(texts))], dtype=float)
    multi = fit_multilabel_head(
        "multi", texts, y, tiny_recipe(char_ngrams=None), labels=["a", "b"], compact=True
    )
    return [tiny_model["clickbait"], tiny_model["loaded"], other, multi]


def _alone(head, tb):
    if head.is_binary:
        att = head.attribute(tb, entries=False)
        return att.logit, att.per_token, att.hits
    return (*head.attribute_labels(tb), None)


def _joined(head, tb, via):
    if head.is_binary:
        att = head.attribute(tb, entries=False, via=via)
        return att.logit, att.per_token, att.hits
    return (*head.attribute_labels(tb, via=via), None)


def _check(heads, texts, order):
    tb = tokenize_batch(texts)
    via = shared_pass([heads[i].space for i in order], tb)
    for i in order:
        head = heads[i]
        logit, per_token, hits = _joined(head, tb, via)
        want_logit, want_per_token, want_hits = _alone(head, tb)
        # bit for bit: the joined pass sums in the same order as the head's own
        np.testing.assert_array_equal(logit, want_logit)
        np.testing.assert_array_equal(per_token, want_per_token)
        if hits is not None:
            alone = encoder(head.space).hits(tb, chars=False)
            for got, want in zip(
                (hits.doc, hits.feat, hits.weight, hits.lo, hits.hi),
                (alone.doc, alone.feat, alone.weight, alone.lo, alone.hi),
                strict=True,
            ):
                np.testing.assert_array_equal(got, want)
            for d, text in enumerate(texts):
                got = per_token[tb.ptr[d] : tb.ptr[d + 1]]
                np.testing.assert_allclose(got, reference_per_token(head, text), rtol=0, atol=1e-12)
                assert abs(logit[d] - reference_logit(head, text)) < 1e-9


@settings(max_examples=60, deadline=None)
@given(st.lists(test_features.TEXTS, max_size=6), st.permutations(range(4)))
def test_one_pass_for_all_heads_equals_each_heads_own_path(heads, texts, order):
    """Every head, whatever its place among the joined spaces, gets from the shared pass
    exactly the logits, per-token contributions and hits of its own path, and the
    reference's."""
    _check(heads, texts, order)


def test_one_pass_without_packed_keys(heads, monkeypatch):
    """Batches too long for packed sort keys take the other sorts; same numbers."""
    texts = ["banana banana ananas", "", "the shock the SHOCK weird trick right now", "nana"]
    monkeypatch.setattr(shared, "_KEY_BITS", 0)
    _check(heads, texts, [2, 0, 3, 1])


def test_a_pass_survives_the_form_table_starting_again(heads, monkeypatch):
    """When the table of words fills up it starts again; a pass made before still gives
    the right numbers (it looks its words up again)."""
    monkeypatch.setattr(shared, "_SHARED", {})  # a new table
    spaces = [h.space for h in heads]
    first = tokenize_batch(["the despot shamelessly denied the chilling reports"])
    via = shared_pass(spaces, first)
    generation = via.table.generation
    monkeypatch.setattr(budget, "CACHE_BYTES", via.table.nbytes + 100)
    other = tokenize_batch(["seventeen things only ninety kids remember now"])
    shared_pass(spaces, other)  # more bytes than the limit: the table starts again
    assert via.table.generation > generation and len(via.table) == len(other.forms)
    for head in heads:
        np.testing.assert_array_equal(_joined(head, first, via)[1], _alone(head, first)[1])


@pytest.mark.parametrize("key_bits", [grams.KEY_BITS, 0])
def test_grams_as_keys_or_as_strings_give_the_same_numbers(heads, monkeypatch, key_bits):
    """New words' character n-grams are found as integer keys, or as strings when the
    vocabulary's alphabet is too large for the keys (forced here): the reference's numbers
    either way, with non-Latin letters, digits and characters no vocabulary holds."""
    monkeypatch.setattr(grams, "KEY_BITS", key_bits)
    monkeypatch.setattr(forms, "KEYS_AFTER", 0)
    monkeypatch.setattr(shared, "_SHARED", {})  # new tables
    texts = ["banana ananas BANANA 42", "the despot's chilling régime ☃ Ωmega", "日本語 a", ""]
    _check(heads, texts, [1, 3, 0, 2])
    table = shared_pass([h.space for h in heads], tokenize_batch(["x"])).table
    assert bool(table._keys) == (key_bits > 0)


def test_threads_share_one_form_table(heads):
    """Passes made in several threads at once (the app serves sessions from threads) add
    their words to one table and get the numbers of a pass made alone."""
    from concurrent.futures import ThreadPoolExecutor

    spaces = [h.space for h in heads]
    words = [
        "shock",
        "weird",
        "trick",
        "despot",
        "regime",
        "chilling",
        "council",
        "budget",
        "vote",
        "plan",
        "talks",
    ]
    batches = [
        [" ".join(f"{w}{i}{j}" for w in words[j % 3 :]) for j in range(20)] for i in range(8)
    ]

    def score(texts):
        tb = tokenize_batch(texts)
        via = shared_pass(spaces, tb)
        return [_joined(h, tb, via)[1] for h in heads], tb

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(score, batches))
    for got, tb in results:
        for head, per_token in zip(heads, got, strict=True):
            np.testing.assert_array_equal(per_token, _alone(head, tb)[1])
