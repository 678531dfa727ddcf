"""The feature space: the fast index path agrees with the reference analysis, exactly."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.text import normalize

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


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_fast_indices_equal_reference_lookup(tiny_model, text):
    for head in (tiny_model["clickbait"], tiny_model["loaded"]):
        space = head.space
        ref_idx, ref_w, _ = space.lookup(space.analyze(text))
        idx, w, lo, hi, (forms, starts, ends) = space.indices(text, positions=True)
        assert idx == ref_idx
        assert w == ref_w
        assert len(lo) == len(hi) == len(idx)
        assert all(0 <= a < b <= len(forms) for a, b in zip(lo, hi, strict=True))


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
def test_encode_counts_match_the_occurrence_multiset(tiny_model, texts):
    """With unit idf, no norm, raw tf: encode's values are the occurrence counts."""
    space = tiny_model["clickbait"].space
    enc = space.encode(texts)
    assert enc.shape == (len(texts), space.n_features)
    for d, text in enumerate(texts):
        idx, _, _ = space.lookup(space.analyze(text))
        row = enc.indices[enc.indptr[d] : enc.indptr[d + 1]]
        assert set(row.tolist()) == set(idx)
        assert np.all(np.diff(row) > 0)


def test_model_pickles_without_caches(tiny_model):
    import pickle

    space = tiny_model["clickbait"].space
    space.encode(["warm the caches up"])
    clone = pickle.loads(pickle.dumps(space))
    assert not hasattr(clone, "_char_cache")
    assert (
        clone.encode(["warm the caches up"]).data.tolist()
        == space.encode(["warm the caches up"]).data.tolist()
    )
