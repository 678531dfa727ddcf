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
