from hypothesis import given
from hypothesis import strategies as st

from framing.text import normalize, tokenize


def forms(text):
    return [t.form for t in tokenize(text)]


def test_apostrophes_and_hyphens_stay_inside_words():
    assert forms("Don't call O’Brien a left-wing 'despot'") == [
        "don't",
        "call",
        "o'brien",
        "a",
        "left-wing",
        "despot",
    ]


def test_digits_fold_and_punctuation_tokens():
    assert forms("17 things you NEED to see!?") == [
        "00",
        "things",
        "you",
        "need",
        "to",
        "see",
        "!",
        "?",
    ]


def test_offsets_point_at_original_spelling():
    text = "Ünïcode\tcafé — “RÉGIME” crushes   dissent…"
    for tok in tokenize(text):
        assert normalize(text[tok.start : tok.end]) == tok.form
    assert [text[t.start : t.end] for t in tokenize(text)][:3] == ["Ünïcode", "café", "RÉGIME"]


def test_empty_and_whitespace():
    assert tokenize("") == []
    assert tokenize(" \n\t ") == []


@given(st.text())
def test_offsets_reproduce_forms_on_any_text(text):
    toks = tokenize(text)
    for tok in toks:
        assert 0 <= tok.start < tok.end <= len(text)
        assert normalize(text[tok.start : tok.end]) == tok.form
    starts = [t.start for t in toks]
    assert starts == sorted(starts)
