"""A body sentence's ``to_dict()`` is made from the scoring arrays directly when its scores
were not built (the JSON of a long body, e.g. ``framing serve``): the same dict, to the
last bit, as the one made from the built scores."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import explain, load_model, strict
from framing.core.model import Model
from framing.core.wordhead import WordHead
from framing.training.binary.fit import TextVectorizer

WORDS = [
    "the",
    "despot",
    "lied",
    "chilling",
    "regime",
    "officials",
    "said",
    "council",
    "budget",
    "vote",
    "slams",
    "fury",
]
sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(
    lambda ws: " ".join(ws).capitalize() + "."
)
quoted = sentence.map(lambda s: f'He said "{s[:-1]}".')
bodies = st.lists(sentence | quoted, min_size=1, max_size=8).map(" ".join)


def both_paths(model, body: str, **kwargs) -> tuple[dict, dict]:
    direct = explain("Despot slams talks", body, model=model, **kwargs).to_dict()
    built = explain("Despot slams talks", body, model=model, **kwargs)
    for s in built.sentences:  # the scores built first: to_dict() reads them
        for head in s.heads:
            s.score(head)
            s.score(head, outlet=True)
    return direct, built.to_dict()


@settings(max_examples=25, deadline=None)
@given(bodies, st.booleans())
def test_the_sentences_json_is_the_same_built_or_not(body, sentence_features):
    direct, built = both_paths(load_model(), body, sentence_features=sentence_features)
    assert strict.dumps_bytes(direct) == strict.dumps_bytes(built)
    assert json.dumps(direct) == json.dumps(built)


def word_head() -> WordHead:
    """A small head made of word evidence (its terms carry their word's probability)."""
    vec = TextVectorizer(word_ngrams=(1, 1), char_ngrams=(2, 4), min_df=1).fit(WORDS)
    coef = np.random.default_rng(0).normal(size=(1, vec.space_.n_features))
    return WordHead(
        name="loaded",
        space=vec.space_,
        coef=coef,
        intercept=[-2.5],
        labels=["loaded"],
        calibration=[[1.0, 0.0]],
        description="test",
        word_intercept=-1.0,
        top_weight=1.3,
        sum_weight=0.6,
        margin=1.5,
        mean_weight=4.0,
    )


def test_a_word_evidence_head_s_probabilities_too():
    model = Model({"loaded": word_head()})
    body = 'The despot lied. He said "chaos and fury". Prices flood the council.'
    direct, built = both_paths(model, body)
    assert json.dumps(direct) == json.dumps(built)
    terms = [t for s in direct["sentences"] for t in s["loaded"]["terms"]]
    assert any("probability" in t for t in terms)
