"""The feature space: the fast index path agrees with the reference analysis, exactly."""

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import reference_logit, reference_per_token, reference_values

from framing.core.encoder import encode, encoder
from framing.core.text import TOKEN_PATTERN, normalize
from framing.core.tokens import tokenize_batch

WORDS = st.sampled_from(
    [
        "shock",
        "weird",
        "trick",
        "right",
        "now",
        "You",
        "WON'T",
        "believe",
        "despot",
        "17",
        "!",
        "?",
        "café",
        "O’Brien",
        "left-wing",
        "🙂",
        "שלום",
        "\t",
        "\n",
        " ",
        "  ",
        "-",
        "'",
        "SHOCK",
    ]
)
TEXTS = st.one_of(st.text(max_size=120), st.lists(WORDS, max_size=25).map(" ".join))


def reference_hits(space, text):
    """Sorted (feature, weight, first token, end token) of the reference analysis."""
    occ = space.analyze(text)
    idx, wts, pos = space.lookup(occ)
    lo = [*occ.lo["word"], *occ.lo["char"], *occ.lo["lex"]]
    hi = [*occ.hi["word"], *occ.hi["char"], *occ.hi["lex"]]
    return sorted((j, w, lo[p], hi[p]) for j, w, p in zip(idx, wts, pos, strict=True))


@settings(max_examples=100, deadline=None)
@given(st.lists(TEXTS, max_size=5))
def test_batched_hits_equal_reference_lookup(tiny_model, texts):
    """The batched engine finds exactly the reference occurrences, text by text."""
    tb = tokenize_batch(texts)
    for head in (tiny_model["clickbait"], tiny_model["loaded"]):
        space = head.space
        hits = encoder(space).hits(tb)
        for d, text in enumerate(texts):
            mine = hits.doc == d
            first = tb.ptr[d]
            got = sorted(
                zip(
                    hits.feat[mine].tolist(),
                    hits.weight[mine].tolist(),
                    (hits.lo[mine] - first).tolist(),
                    (hits.hi[mine] - first).tolist(),
                    strict=True,
                )
            )
            assert got == reference_hits(space, text)


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_occurrence_names_are_rebuilt_from_their_text(tiny_model, text):
    """Every word n-gram's name is the forms of the original text under its offsets."""
    space = tiny_model["loaded"].space
    occ = space.analyze(text)
    for name, lo, hi in zip(occ.names["word"], occ.lo["word"], occ.hi["word"], strict=True):
        rebuilt = [normalize(text[occ.starts[i] : occ.ends[i]]) for i in range(lo, hi)]
        assert " ".join(rebuilt) == name
    for name, lo in zip(occ.names["char"], occ.lo["char"], strict=True):
        word = normalize(text[occ.starts[lo] : occ.ends[lo]])
        assert name in f" {word} "


@settings(max_examples=80, deadline=None)
@given(st.lists(TEXTS, max_size=6))
def test_encode_equals_the_reference_values(tiny_model, texts):
    """encode's rows are the reference features and values of each text."""
    space = tiny_model["clickbait"].space
    enc = encode(space, texts)
    assert enc.shape == (len(texts), space.n_features)
    for d, text in enumerate(texts):
        row = enc.indices[enc.indptr[d] : enc.indptr[d + 1]]
        assert np.all(np.diff(row) > 0)
        want = reference_values(space, text)
        assert set(row.tolist()) == set(want)
        got = enc.data[enc.indptr[d] : enc.indptr[d + 1]]
        np.testing.assert_allclose(got, [want[j] for j in row.tolist()], rtol=0, atol=1e-12)


def test_space_pickles_without_the_engine_caches(tiny_model):
    import pickle

    space = tiny_model["clickbait"].space
    encode(space, ["warm the caches up"])
    assert encoder(space)._cache  # the per-word cache lives beside the space, not in it
    data = pickle.dumps(space)
    assert b"_cache" not in data
    clone = pickle.loads(data)
    assert encoder(clone) is not encoder(space)
    assert (
        encode(clone, ["warm the caches up"]).data.tolist()
        == encode(space, ["warm the caches up"]).data.tolist()
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(TEXTS, max_size=6))
def test_batch_tokens_are_each_texts_own_tokens(texts):
    """One batch gives every text the tokens and offsets it has on its own."""
    tb = tokenize_batch(texts)
    assert tb.n_docs == len(texts)
    for d, text in enumerate(texts):
        a, b = tb.ptr[d], tb.ptr[d + 1]
        spans = list(zip(tb.starts[a:b].tolist(), tb.ends[a:b].tolist(), strict=True))
        assert spans == [m.span() for m in re.finditer(TOKEN_PATTERN, text)]
        assert [tb.forms[f] for f in tb.form_id[a:b]] == [normalize(text[s:e]) for s, e in spans]


def _assert_reference_shares(head, tb, texts, att) -> None:
    for d, text in enumerate(texts):
        got = att.per_token[tb.ptr[d] : tb.ptr[d + 1]]
        np.testing.assert_allclose(got, reference_per_token(head, text), rtol=0, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.lists(TEXTS, max_size=6), st.booleans())
def test_attribution_equals_the_reference_per_token(tiny_model, texts, entries):
    """Both ways of attributing (with the per-feature entries, and the faster one without
    them that corrects only repeated character n-grams) give each token the reference
    share, and each text the reference logit."""
    tb = tokenize_batch(texts)
    for head in (tiny_model["clickbait"], tiny_model["loaded"]):
        att = head.attribute(tb, entries=entries)
        _assert_reference_shares(head, tb, texts, att)
        for d, text in enumerate(texts):
            assert abs(att.logit[d] - reference_logit(head, text)) < 1e-9


def test_attribution_without_packed_keys_equals_the_reference(tiny_model, monkeypatch):
    """Batches too long to pack a token into one sort key take the other sort; same shares."""
    import framing.core.shared as shared

    monkeypatch.setattr(shared, "_KEY_BITS", 0)
    texts = ["banana banana ananas", "", "the shock the SHOCK weird trick right now", "nana"]
    tb = tokenize_batch(texts)
    for head in (tiny_model["clickbait"], tiny_model["loaded"]):
        _assert_reference_shares(head, tb, texts, head.attribute(tb, entries=False))
