"""Swap-in pairs (framing.training.swapin) and the held-out lexicon-entry protocol."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.training import swapin
from framing.training.binary import protocols
from framing.training.binary.fit import Recipe, Record

ENTRIES = {e.key: e for e in swapin.entries()}


def _pair(key, text, seed=0):
    rng = np.random.default_rng(seed)
    return swapin.replace_pair(ENTRIES[key], text, rng, "test")


def test_replace_keeps_the_text_and_case():
    p = _pair("despot", "North Korean leader Kim Jong-un meets Shoigu")
    assert p.loaded == "North Korean despot Kim Jong-un meets Shoigu"
    assert p.loaded[p.span[0] : p.span[1]] == "despot"
    assert _pair("regime", "The Government Announces New Measures").loaded == (
        "The Regime Announces New Measures"
    )
    # US spelling of the counterpart, and a/an agreement
    assert _pair("slams", "Senator criticizes new budget plan").loaded == (
        "Senator slams new budget plan"
    )
    assert _pair("thug", "An attacker was arrested").loaded == "A thug was arrested"


def test_proper_noun_counterpart_takes_an_article():
    p = _pair("hermit nation", "Washington reviews its alliance with North Korea.")
    assert p.loaded == "Washington reviews its alliance with the hermit nation."
    assert p.loaded[p.span[0] : p.span[1]] == "hermit nation"
    assert _pair("hermit nation", "North Korea test-fires missile").loaded == (
        "The hermit nation test-fires missile"
    )


def test_no_counterpart_no_replace_pair():
    assert _pair("despot", "The council met on Tuesday.") is None
    assert _pair("utterly", "The council met on Tuesday.") is None  # <drop> only


@given(
    st.lists(st.sampled_from(["The", "council", "met", "on", "Tuesday", ".", "?"])).filter(
        lambda ws: any(w.isalpha() or w == "?" for w in ws)
    ),
    st.sampled_from(sorted(ENTRIES)),
    st.integers(0, 1000),
)
@settings(max_examples=100, deadline=None)
def test_insert_pair_holds_the_entry_at_its_span(words, key, seed):
    text = " ".join(words)
    p = swapin.insert_pair(ENTRIES[key], text, np.random.default_rng(seed), "test")
    assert p.neutral == text
    s, e = p.span
    assert p.loaded[s:e].lower() == key
    joined = p.loaded[:s] + p.loaded[e:]  # the text plus the one space the insertion added
    assert any(joined[:i] + joined[i + 1 :] == text for i, c in enumerate(joined) if c == " ")


def test_entry_folds_partition_the_entries():
    keys = sorted(ENTRIES)
    folds = swapin.entry_folds(keys, 5, 0)
    assert sorted(k for f in folds for k in f) == keys
    assert max(map(len, folds)) - min(map(len, folds)) <= 1
    assert folds == swapin.entry_folds(keys, 5, 0)


def test_pairs_do_not_depend_on_the_other_entries():
    pools = {"headline": ["Leader of the government criticises the plan", "Leader resigns"]}
    both = swapin.build_pairs([ENTRIES["despot"], ENTRIES["regime"]], pools, seed=0)
    one = swapin.build_pairs([ENTRIES["regime"]], pools, seed=0)
    assert [p for p in both if p.entry == "regime"] == one


def test_contrast_records_are_twins():
    recs = swapin.contrast_records([ENTRIES["despot"]], {"h": ["The leader spoke"]}, weight=0.5)
    assert [r.target for r in recs] == [0.0, 1.0, 0.0, 1.0, 0.0, 1.0][: len(recs)]
    assert recs[0].text == "The leader spoke" and "despot" in recs[1].text
    assert all(r.weight == 0.5 and r.dataset == "contrast" for r in recs)


def test_heldout_protocol_runs_and_holds_out(monkeypatch):
    """A tiny run: the held-out entries never reach the training lexicon or the contrast."""
    entries = [ENTRIES[k] for k in ("despot", "regime", "slams", "chilling")]
    seen_lexicons = []

    def recipe_without(held):
        lex = {"loaded_terms": {e.key: 1.0 for e in entries if e.key not in held}}
        seen_lexicons.append((set(held), set(lex["loaded_terms"])))
        features = {"word_ngrams": (1, 1), "char_ngrams": None, "min_df": 1, "lexicons": lex}
        return Recipe(features=features, calibrate_on=None), None

    words = ["vile", "awful", "nasty", "cruel", "fine", "calm", "plain", "good"]
    records = [
        Record(f"the {w} plan number {i}", float(j < 4), group=f"g{i}")
        for i in range(40)
        for j, w in [(i % 8, words[i % 8])]
    ]
    pools = {
        "headline": ["The leader speaks", "Government plans cut", "Senator criticises plan"],
        "sentence": ["The government said the leader criticises the stark report."],
    }
    out = protocols.protocol_heldout_entries(
        records, recipe_without, pools, records, entries=entries, n_folds=2, seed=0
    )
    for held, lex in seen_lexicons:
        assert held and not held & lex
    assert out["ours"]["n"] > 0 and set(protocols.PAIR_METRICS) <= set(out["ours"])
    assert set(protocols.PAIR_METRICS) <= set(out["plain"])
    assert out["n_entries"] == 4
