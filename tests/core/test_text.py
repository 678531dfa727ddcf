from hypothesis import given, settings
from hypothesis import strategies as st

from framing.core.text import normalize, tokenize


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


# ---- sentences, paragraphs, quotations, language -------------------------------------------
from framing.core.text import (  # noqa: E402
    blank_spans,
    quote_spans,
    split_paragraphs,
    split_sentences,
)


def sentences(text):
    return [text[a:b] for a, b in split_sentences(text)]


def quotes(text):
    return [text[a:b] for a, b in quote_spans(text)]


def test_sentences_keep_abbreviations_decimals_and_acronyms():
    text = (
        "Mr. Smith met Dr. Jones in the U.S. Senate on Jan. 5. Prices rose 3.5% to $1.25. "
        "J. K. Rowling agreed, e.g. on tax."
    )
    assert sentences(text) == [
        "Mr. Smith met Dr. Jones in the U.S. Senate on Jan. 5.",
        "Prices rose 3.5% to $1.25.",
        "J. K. Rowling agreed, e.g. on tax.",
    ]


def test_sentences_with_quotes_ellipses_and_questions():
    text = '"Is it over?" he asked. "Yes." Then... nothing. Wait... what? It ended!'
    assert sentences(text) == [
        '"Is it over?" he asked.',
        '"Yes."',
        "Then... nothing.",
        "Wait... what?",
        "It ended!",
    ]


def test_sentences_never_cross_paragraphs_and_cover_all_text():
    text = "First para has no full stop\n\nSecond one. Two sentences.\n\n\n  "
    assert split_paragraphs(text) == [(0, 27), (29, 55)]
    assert sentences(text) == ["First para has no full stop", "Second one.", "Two sentences."]
    assert split_sentences("") == [] and split_paragraphs(" \n ") == []


def test_single_line_breaks_split_paragraphs_only_without_blank_lines():
    assert len(split_paragraphs("one\ntwo\nthree")) == 3
    assert len(split_paragraphs("one\ntwo\n\nthree")) == 2


def test_quotes_straight_curly_single_and_guillemets():
    assert quotes('Mr Kirby described North Korea as a "rogue regime"') == ['"rogue regime"']
    assert quotes("He called it ‘a sham’ and “a farce”.") == ["‘a sham’", "“a farce”"]
    assert quotes("Kirby calls North Korea 'rogue regime'") == ["'rogue regime'"]
    assert quotes("Il a dit « non » et »ja« und „gut“.") == ["« non »", "»ja«", "„gut“"]


def test_apostrophes_are_not_quotes():
    assert quotes("Don't call O'Brien names; it's the students' union") == []
    assert quotes("O’Brien’s ‘despot’ remark") == ["‘despot’"]
    assert quotes("In the '90s we didn't care") == []  # unclosed single quote is ignored


def test_nested_and_unbalanced_quotes():
    assert quotes("She said \"they called it 'a sham' today\" and left") == [
        "\"they called it 'a sham' today\""
    ]
    # an unclosed double quote runs to the end of its paragraph, not beyond
    text = '"This quote runs on. And on.\n\nNot quoted here.'
    assert quotes(text) == ['"This quote runs on. And on.']
    assert quotes("a stray closing mark” does nothing") == []
    assert quotes("5'10\" tall") == []


def test_blank_spans_keeps_offsets():
    text = 'as a "rogue regime" today'
    blanked = blank_spans(text, quote_spans(text))
    assert len(blanked) == len(text)
    assert blanked.split() == ["as", "a", "today"]


@given(st.text())
def test_sentences_and_quotes_are_well_formed_on_any_text(text):
    spans = split_sentences(text)
    covered = set()
    for a, b in spans:
        assert 0 <= a < b <= len(text) and not text[a].isspace() and not text[b - 1].isspace()
        covered.update(range(a, b))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)
    assert [a for a, _ in spans] == sorted(a for a, _ in spans)
    q = quote_spans(text)
    for k, (a, b) in enumerate(q):
        assert 0 <= a < b <= len(text)
        assert k + 1 == len(q) or b < q[k + 1][0]
    # a quotation never splits a token
    for tok in tokenize(text):
        inside = [a <= tok.start < b for a, b in q]
        assert inside == [a <= tok.end - 1 < b for a, b in q]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab 's\"“”„‟＂‘’‚‛«»‹›\n.-(!?x1", max_size=14), max_size=8))
def test_quote_spans_many_is_quote_spans_of_each_text(texts):
    """The batched search for quote marks finds every text that has a quotation."""
    from framing.core.text import quote_spans, quote_spans_many

    assert quote_spans_many(texts) == [quote_spans(t) for t in texts]
