"""Issue 13: a loaded word carries a text over the threshold on its own; a neutral word does not.

These tests run against the shipped model (src/framing/resources): the `loaded` head trained
with swap-in contrast examples, lexicon features that do not shrink with text length, and the
MPQA / Hu & Liu lexicons. Cases the shipped model does not meet yet are marked
``xfail(strict=True)`` with the reason: they fail the suite as soon as a retrained model meets
them, so the mark is removed then. Sentences and headlines are written for this project.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing import load_model
from framing.training import swapin
from framing.training.binary.protocols import word_contributions

LOADED_HEADLINES = {
    "despot": "North Korean despot Kim Jong-un meets Shoigu",
    "hermit nation": "Hermit nation test-fires missile",
    "chilling": "Chilling report on prison conditions published",
    "regime": "Regime announces new trade measures",
    "slams": "Senator slams new budget plan",
}

# about 40 words each: the loaded word must carry a long sentence as it carries a headline
LOADED_SENTENCES = {
    "despot": "At a meeting in the capital on Tuesday, officials from both countries said that "
    "the agreement proposed to North Korean despot Kim Jong-un would be discussed again next "
    "month by negotiators from the two delegations and their advisers.",
    "hermit nation": "Officials in Seoul said on Tuesday that the talks, which were held over two "
    "days in the capital and attended by delegations from several countries, would continue "
    "next month as Washington reviews its alliance with the hermit nation.",
    "chilling": "The report, which was published on Monday by the regional health authority "
    "after a review that lasted more than two years, describes the chilling conditions in the "
    "three prisons that inspectors visited last spring and summer.",
    "regime": "The spokesman for the ministry said on Wednesday that the regime would announce a "
    "new set of measures on trade and investment after the meeting of the cabinet, which is "
    "expected to take place later this month.",
    "slams": "In a statement released on Thursday evening after the vote in the chamber, the "
    "senator slams the new budget plan that the committee approved, saying it would cut funding "
    "for schools and roads in the state next year.",
}

# the same texts with the neutral counterpart
NEUTRAL_TWINS = {
    "despot": ("despot", "leader"),
    "hermit nation": ("the hermit nation", "North Korea"),
    "chilling": ("the chilling conditions", "the conditions"),
    "regime": ("regime", "government"),
    "slams": ("slams", "criticises"),
}

NEUTRAL_TEXTS = [
    "Council closes two bridges as flood water rises",
    "Flood warning issued for river towns",
    "Council approves budget for new bridges",
    "Maria Garcia and John Smith open bakery in Leeds",
    "Angela Merkel meets Emmanuel Macron in Berlin",
    "Residents were moved to a school hall on Sunday after the council closed two bridges over "
    "the river, and engineers said the flood water was expected to fall by Tuesday if the "
    "weather stayed dry through the weekend.",
    "John Smith, who chairs the council's transport committee, said the two bridges would "
    "reopen once inspectors from the county had checked them for damage caused by the flood "
    "earlier this month.",
]

NEUTRAL_BASES = [
    "The council met on Tuesday.",
    "Officials said the bridge would reopen next week after repairs.",
    "The minister visited the factory and spoke with workers about the new contract.",
    "The committee published its annual report on Monday, and members said the figures showed "
    "a small rise in the number of visitors to the city's museums and parks.",
    "Rain is expected across the region on Thursday, and the weather service said temperatures "
    "would stay close to the seasonal average, with lighter winds in the afternoon and evening, "
    "before a dry and sunny weekend in most of the towns along the coast.",
]


@pytest.fixture(scope="module")
def head():
    return load_model().heads["loaded"]


def _p(head, text):
    return float(head.predict_proba([text])[0, 0])


@pytest.mark.parametrize("term", sorted(LOADED_HEADLINES))
def test_loaded_term_flags_a_short_headline(head, term):
    text = LOADED_HEADLINES[term]
    assert _p(head, text) >= head.threshold, text
    top = sorted(word_contributions(head, text).items(), key=lambda wc: -wc[1])[:2]
    assert set(term.split()) & {w for w, _ in top}, top


# Not met by the shipped model (issue 13 stays open): in a 40-word sentence the loaded word
# lifts the score from about 0.1 (its neutral twin) to 0.40-0.47, short of 0.5.
_LONG_SENTENCE_GAP = pytest.mark.xfail(
    strict=True, reason="issue 13: a loaded word lifts a 40-word sentence to 0.40-0.47, not 0.5"
)


@pytest.mark.parametrize(
    "term",
    [
        pytest.param(t, marks=_LONG_SENTENCE_GAP) if t != "slams" else t
        for t in sorted(LOADED_SENTENCES)
    ],
)
def test_loaded_term_flags_a_40_word_sentence(head, term):
    text = LOADED_SENTENCES[term]
    assert 35 <= len(text.split()) <= 45
    assert _p(head, text) >= head.threshold, text


@pytest.mark.parametrize("term", sorted(LOADED_SENTENCES))
def test_the_neutral_twin_of_a_40_word_sentence_stays_below(head, term):
    text = LOADED_SENTENCES[term]
    loaded, neutral = NEUTRAL_TWINS[term]
    twin = text.replace(loaded, neutral)
    assert twin != text
    assert _p(head, twin) < head.threshold, twin
    assert _p(head, text) > _p(head, twin) + 0.2, (text, twin)


@pytest.mark.parametrize("text", NEUTRAL_TEXTS)
def test_topic_words_and_names_do_not_flag(head, text):
    assert _p(head, text) < head.threshold, text


_TERMS = sorted(e.key for e in swapin.entries())


@given(
    base=st.sampled_from(NEUTRAL_BASES),
    term=st.sampled_from(_TERMS),
    place=st.floats(min_value=0, max_value=1),
)
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_inserting_a_lexicon_term_raises_the_score(head, base, term, place):
    """Any entry of loaded_terms.txt put anywhere into a neutral sentence of 5 to 60 words
    pushes its score up."""
    words = base.split()
    assert 5 <= len(words) <= 60
    assert _p(head, base) < head.threshold
    k = int(place * len(words))
    text = " ".join(words[:k] + [term] + words[k:])
    assert _p(head, text) > _p(head, base), text


def test_inserted_lexicon_terms_cross_the_threshold_nine_times_in_ten(head):
    """Every entry of loaded_terms.txt, at a seeded place in each neutral sentence: at least
    90% of the texts reach the threshold (the share is in the assertion message)."""
    rng = np.random.default_rng(0)
    texts = []
    for base in NEUTRAL_BASES:
        words = base.split()
        for term in _TERMS:
            k = int(rng.integers(len(words) + 1))
            texts.append(" ".join(words[:k] + [term] + words[k:]))
    share = float((head.predict_proba(texts)[:, 0] >= head.threshold).mean())
    assert share >= 0.90, f"{share:.3f} of {len(texts)} texts reach the threshold"
