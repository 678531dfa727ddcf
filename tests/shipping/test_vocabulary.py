"""The shipped loaded head points at the words this tool exists to catch, even rare ones."""

import pytest

from framing import explain, load_model

CASES = [
    ("Officials in Seoul said the despot had ordered another missile test on Tuesday.", {"despot"}),
    (
        "The hermit nation has rejected the latest offer of talks, according to diplomats.",
        {"hermit", "nation"},
    ),
    ("Mr Kirby issued a chilling warning about the country's nuclear programme.", {"chilling"}),
    ("The minister shamelessly denied the reports at a press conference.", {"shamelessly"}),
]


@pytest.mark.parametrize(("sentence", "targets"), CASES)
def test_loaded_words_lead_the_explanation(sentence, targets):
    result = explain(sentence, model=load_model()).loaded_headline
    top = [t.term for t in result.top(len(targets) + 1)]
    assert targets <= set(top), top
    for term in result.terms:
        if term.term in targets:
            assert all(sentence[s.start : s.end].lower() == term.term for s in term.spans)


def test_a_loaded_paraphrase_scores_above_the_neutral_one():
    model = load_model()
    loaded = explain("The despot shamelessly denied the chilling reports.", model=model)
    neutral = explain("The president denied the reports.", model=model)
    assert loaded.loaded_headline.probability > neutral.loaded_headline.probability


NEUTRAL_WITH_NAMES = [
    "Trump spoke about climate change in Texas on Monday, and Democrats responded.",
    "Republicans and Democrats voted on the immigration bill in the Senate.",
    "Biden met with Senate Democrats on Tuesday.",
    "Pelosi said the House would vote on the bill next week.",
]


@pytest.mark.parametrize("sentence", NEUTRAL_WITH_NAMES)
def test_naming_people_and_parties_is_not_loaded(sentence):
    """Names of frequent actors are penalised in training (framing.training.penalty): a plain report
    that names them stays below the threshold."""
    result = explain(sentence, model=load_model()).loaded_headline
    assert result.probability < 0.5, [(t.term, t.contribution) for t in result.top(3)]


@pytest.mark.parametrize(
    ("sentence", "loaded", "name"),
    [
        ("Trump's racist tirade shocked Democrats.", {"racist", "tirade"}, "democrats"),
        ("Pelosi's shameless stunt outraged Republicans.", {"shameless", "stunt"}, "republicans"),
    ],
)
def test_loaded_words_outrank_the_names_beside_them(sentence, loaded, name):
    terms = explain(sentence, model=load_model()).loaded_headline.terms
    weight = {t.term: t.contribution for t in terms}
    assert min(weight[w] for w in loaded) > 2 * weight[name], weight
