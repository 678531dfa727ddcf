"""Issue 24's written test sets (tests/loaded_fixtures.py) and the shipped `loaded` head on
them. The goals the shipped head does not meet yet are marked ``xfail(strict=True)``: they
fail the suite as soon as a retrained model meets them, so the mark is removed then.
``training/word_evidence.py`` prints the same figures for the word-evidence head."""

from __future__ import annotations

import numpy as np
import pytest
from loaded_fixtures import (
    NEUTRAL_6,
    NEUTRAL_20,
    NEUTRAL_40,
    OTHER_LOADED_WORDS,
    SENSES,
    SENSES_HELDOUT,
    TABLOID,
    inserted,
)

from framing import load_model
from framing.core.features import lexicon_variants
from framing.core.text import token_spans
from framing.core.wordlists import loaded_terms
from framing.training.word_protocols import fixture_figures


def test_the_sets_are_what_they_say():
    assert len(SENSES) >= 40 and len(TABLOID) >= 40
    for family, literal, loaded in SENSES:
        stem = family.split(" ")[0][:4].lower()
        assert stem in literal.lower() and stem in loaded.lower(), family
    assert len({s[0] for s in SENSES}) == len(SENSES)
    assert len(SENSES_HELDOUT) >= 40
    assert len({s[0] for s in SENSES_HELDOUT}) == len(SENSES_HELDOUT)
    assert not {s[0] for s in SENSES} & {s[0] for s in SENSES_HELDOUT}
    for family, literal, loaded in SENSES_HELDOUT:
        stem = family.split(" ")[0][:4].lower()
        assert stem in literal.lower() and stem in loaded.lower(), family
    for sentences, n in ((NEUTRAL_6, 6), (NEUTRAL_20, 20), (NEUTRAL_40, 40)):
        for s in sentences:
            words = [f for f in token_spans(s)[0] if f.isalpha()]
            assert abs(len(words) - n) <= max(1, n // 10), s
    listed = loaded_terms()
    assert not [w for w in OTHER_LOADED_WORDS if any(v in listed for v in lexicon_variants(w))]
    assert inserted("vile", "The council met.") == "The vile council met."


@pytest.fixture(scope="module")
def figures():
    single = sorted(k for k in loaded_terms() if " " not in k)
    lengths = {6: NEUTRAL_6, 20: NEUTRAL_20, 40: NEUTRAL_40}
    head = load_model()["loaded"]
    return fixture_figures(
        head, SENSES, TABLOID, lengths, single, OTHER_LOADED_WORDS, senses_heldout=SENSES_HELDOUT
    )


def test_untouched_neutral_sentences_stay_clear(figures):
    assert max(figures[f"untouched_{n}_flagged"] for n in (6, 20, 40)) <= 0.10


def test_list_words_carry_short_sentences(figures):
    assert figures["list_words_6_flagged"] >= 0.90
    assert figures["list_words_20_flagged"] >= 0.90


@pytest.mark.xfail(strict=True, reason="issue 24: the shipped head flags 0.81 at 40 words")
def test_list_words_carry_40_word_sentences(figures):
    assert figures["list_words_40_flagged"] >= 0.90


@pytest.mark.xfail(strict=True, reason="issue 24: words outside the list are not known")
def test_other_loaded_words_flag_at_every_length(figures):
    assert min(figures[f"other_words_{n}_flagged"] for n in (6, 20, 40)) >= 0.90


@pytest.mark.xfail(strict=True, reason="issue 24: no head separates the senses yet")
def test_senses(figures):
    assert figures["senses_literal_lt"] >= 0.93 and figures["senses_loaded_ge"] >= 0.90


@pytest.mark.xfail(strict=True, reason="issue 24: no head separates the senses yet")
def test_senses_heldout(figures):
    assert (
        figures["senses_heldout_literal_lt"] >= 0.93 and figures["senses_heldout_loaded_ge"] >= 0.90
    )


@pytest.mark.xfail(strict=True, reason="issue 24: tabloid formulas are missed (about half)")
def test_tabloid(figures):
    assert figures["tabloid_sensational_ge"] >= 0.90 and figures["tabloid_sober_lt"] >= 0.90


def test_the_figures_are_shares(figures):
    assert all(0.0 <= v <= 1.0 for k, v in figures.items() if not k.endswith("_n"))
    assert np.isfinite(list(figures.values())).all()
