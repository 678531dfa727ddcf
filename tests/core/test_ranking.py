"""Top terms: the strongest words of each text, as the plain definition ranks them."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.core.ranking import top_terms, top_terms_many
from framing.core.tokens import tokenize_batch

WORDS = st.sampled_from(["a", "b", "c", "dd", "e", "A", "!", "17", "23"])
TEXTS = st.lists(st.lists(WORDS, max_size=12).map(" ".join), max_size=6)


def plain_top_terms(tb, per_token, k):
    """The definition, text by text: words (forms) summed in text order, ranked by
    |sum| (ties: first appearance), zero sums left out."""
    out = []
    for d in range(tb.n_docs):
        words: dict[int, list] = {}
        for t in range(tb.ptr[d], tb.ptr[d + 1]):
            entry = words.setdefault(int(tb.form_id[t]), [0.0, []])
            entry[0] += per_token[t]
            entry[1].append((int(tb.starts[t]), int(tb.ends[t])))
        ranked = sorted(words.items(), key=lambda fw: -abs(fw[1][0]))  # stable: first seen
        kept = [(tb.forms[f], s, spans) for f, (s, spans) in ranked if s != 0][:k]
        out.append(kept)
    return out


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.integers(0, 12), st.data())
def test_top_terms_follow_the_definition(texts, k, data):
    tb = tokenize_batch(texts)
    n = len(tb.form_id)
    # small integers: many exact ties and zeros; sums stay exact
    values = st.integers(-3, 3).map(float)
    per_a = np.array(data.draw(st.lists(values, min_size=n, max_size=n)), dtype=float)
    per_b = np.array(data.draw(st.lists(values, min_size=n, max_size=n)), dtype=float)
    both = top_terms_many(tb, [per_a, per_b], k)
    for per, got in zip((per_a, per_b), both, strict=True):
        want = plain_top_terms(tb, per, k)
        assert [[tuple(t) for t in row] for row in got] == want
        assert top_terms(tb, per, k) == got
