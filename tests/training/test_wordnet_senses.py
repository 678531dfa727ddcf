"""WordNet's word classes and literal senses (framing.training.wordnet), read from the public
data folder (skipped when it is absent)."""

from __future__ import annotations

import pytest

from framing.core.wordcontext import CLASSES
from framing.training import wordnet


@pytest.fixture(scope="module")
def folder(data_dir):
    if not (data_dir / "wordnet" / "index.noun").is_file():
        pytest.skip("needs ../shared/data/wordnet (WordNet 3.1 database files); absent here")
    return data_dir / "wordnet"


def test_word_classes_are_the_most_frequent_senses(folder):
    classes = wordnet.word_classes(folder)
    assert classes["migrant"] == CLASSES.index("person")
    assert classes["water"] == CLASSES.index("thing")
    assert classes["government"] == CLASSES.index("group")


def test_literal_uses_come_from_physical_senses_only(folder):
    uses = wordnet.literal_uses(folder, ["flood", "vermin", "despot"])
    texts = [t for t, _ in uses]
    assert any(t.startswith("Flood: the rising of a body of water") for t in texts)
    assert any("mice and other vermin" in t for t in texts)
    assert not any("despot" in t.lower() for t in texts)  # no literal sense: no negatives
    assert not any("a flood of requests" in t for t in texts)  # noun.quantity: not literal
    for text, (a, b) in uses:
        assert text[a:b].lower()[:4] in ("floo", "verm")


def test_gloss_lexicon_weighs_the_senses_whose_glosses_use_a_seed(folder):
    seeds = {"violent", "anger", "cruel", "brutal", "intense", "rage"}
    lex = wordnet.gloss_lexicon(folder, seeds)
    assert lex["fury"] > 0.5  # "a feeling of intense anger" ...
    assert "table" not in lex and "council" not in lex
    assert "anger" not in lex or lex["anger"] < 1.0  # the word itself does not count
    assert all(0.2 <= v <= 1.0 and " " not in w for w, v in lex.items())
    assert wordnet.gloss_lexicon(folder, seeds, min_share=0.9).keys() <= lex.keys()
