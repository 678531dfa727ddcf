"""Scores of every head from one shared pass equal each head scored on its own, exactly."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.explanation.scores import score_bodies, score_headlines

WORDS = st.sampled_from(
    [
        "You",
        "won't",
        "believe",
        "'shock'",
        '"despot"',
        "the",
        "THE",
        "regime",
        "weird",
        "trick",
        "right",
        "now",
        "17",
        "!",
        "“chilling”",
        "O’Brien",
        "said",
        ".",
    ]
)
TEXTS = st.lists(WORDS, max_size=20).map(" ".join)


def _same(a, b):
    """Logits and per-token contributions: the shared pass against the per-head path."""
    np.testing.assert_allclose(a.raw.logit, b.raw.logit, rtol=0, atol=1e-9)
    np.testing.assert_allclose(a.raw.per_token, b.raw.per_token, rtol=0, atol=1e-12)
    np.testing.assert_allclose(a.outlet_logit, b.outlet_logit, rtol=0, atol=1e-9)
    np.testing.assert_allclose(a.outlet.per_token, b.outlet.per_token, rtol=0, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXTS, max_size=6))
def test_headlines_share_one_pass(tiny_model, headlines):
    shared = score_headlines(tiny_model, headlines, ["clickbait", "loaded"])
    alone = score_headlines(tiny_model, headlines, ["clickbait", "loaded"], entries=True)
    for name in ("clickbait", "loaded"):
        _same(shared.heads[name], alone.heads[name])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(TEXTS, max_size=4).map(". ".join), max_size=4))
def test_body_sentences_share_one_pass(tiny_model, bodies):
    shared = score_bodies(tiny_model, bodies, ["loaded", "clickbait"], also=["clickbait"])
    alone = score_bodies(tiny_model, bodies, ["loaded", "clickbait"], entries=True)
    for name in ("loaded", "clickbait"):
        if name in alone.heads:
            _same(shared.heads[name], alone.heads[name])
    if shared.via is not None:
        assert shared.via.covers(tiny_model["clickbait"].space, shared.sentence_tokens)
