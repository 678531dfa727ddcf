"""framing's own loaded-terms list: every entry is readable and has a neutral counterpart."""

from framing.training import lexicons


def test_every_loaded_term_has_a_neutral_alternative():
    alternatives = lexicons.loaded_term_alternatives()
    assert len(alternatives) >= 200
    missing = [entry for entry, alts in alternatives.items() if not alts]
    assert missing == []
    # the alternatives never reach the lexicon the model learns from
    terms = lexicons.loaded_terms()
    assert set(terms) == set(alternatives)
    assert all("|" not in t and ";" not in t for t in terms)


def test_canonical_counterparts():
    alternatives = lexicons.loaded_term_alternatives()
    assert alternatives["despot"][0] == "leader"
    assert alternatives["hermit nation"][0] == "North Korea"
    assert alternatives["chilling"][0] == "stark"
    assert alternatives["slams"] == ["criticises"]
    assert alternatives["shamelessly"] == [lexicons.DROP]


def test_word_list_lines_drop_the_alternatives():
    lex = lexicons.from_lines(["# comment", "", "Rogue State | state; country", "vile"])
    assert lex == {"rogue state": 1.0, "vile": 1.0}


def _rec(text, target):
    from framing.training.binary.fit import Record

    return Record(text, float(target))


def test_label_lean_splits_words_by_the_sentences_labels():
    rows = [_rec("Outrage over the despicable plan", 1)] * 6 + [
        _rec("The council published the plan", 0)
    ] * 6
    lex = lexicons.label_lean(rows, prefix="x")
    assert set(lex) == {"x_loaded", "x_neutral"}
    assert {"outrage", "despicable"} <= set(lex["x_loaded"])
    assert {"council", "published"} <= set(lex["x_neutral"])
    # a word as common on both sides leans nowhere; stop words are not content words
    assert "plan" not in lex["x_loaded"] and "plan" not in lex["x_neutral"]
    assert "the" not in lex["x_neutral"]
    assert all(0 < w <= 1 for v in lex.values() for w in v.values())


def test_label_lean_leaves_rare_words_out_and_grows_with_the_evidence():
    rows = (
        [_rec("vile", 1)] * 2
        + [_rec("awful", 1)] * 20
        + [_rec("sorry", 1)] * 4
        + [_rec("calm", 0)] * 26
    )
    lex = lexicons.label_lean(rows, prefix="x", min_count=3)
    assert "vile" not in lex["x_loaded"]  # seen twice
    assert lex["x_loaded"]["awful"] > lex["x_loaded"]["sorry"]
