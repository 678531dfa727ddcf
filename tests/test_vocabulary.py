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
