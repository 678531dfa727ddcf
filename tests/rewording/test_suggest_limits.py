"""suggest() at any length (issue 25): explain()'s length rule, and work linear in the text
(each offset found by bisection, term lists built only for the sentences that hold a
loaded word). Times are measured by benchmarks/bench_memory.py, not here."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import explain, load_model
from framing.explanation import terms
from framing.explanation.guards import MAX_BODY_CHARS, MAX_HEADLINE_CHARS
from framing.rewording import suggest
from framing.rewording.results import Replacement
from framing.rewording.suggest import RewrittenOffsets


@pytest.fixture(scope="module")
def model():
    return load_model()


def test_a_long_headline_is_cut_as_explain_cuts_it(model):
    text = "The despot fled " * 200  # 3,200 characters
    s = suggest(text, model=model, kind="headline")
    ex = explain(headline=text, model=model)
    assert len(s.text) <= MAX_HEADLINE_CHARS and text.startswith(s.text)
    assert s.warnings == (ex.warnings[0],) and "over the limit of 2,000" in s.warnings[0]
    assert s.before["loaded"] == ex.loaded_headline.probability
    assert s.to_dict()["warnings"] == list(s.warnings)


def test_a_body_over_the_limit_is_cut_as_explain_cuts_it(model):
    text = "Officials released the figures. " * (MAX_BODY_CHARS // 32 + 50)
    s = suggest(text, model=model)
    assert s.kind == "body" and len(s.text) <= MAX_BODY_CHARS and text.startswith(s.text)
    assert s.warnings == tuple(explain(body=text, model=model).warnings[:1])
    assert "the body has" in s.warnings[0]


def test_term_lists_are_built_only_for_sentences_with_a_loaded_word(model, monkeypatch):
    """Before: every sentence's term list was built twice (before and after), the bulk of
    the time on a long body."""
    built = []
    real = terms.TermTable._terms
    monkeypatch.setattr(terms.TermTable, "_terms", lambda self, d: built.append(d) or real(self, d))
    neutral = "Officials released the figures on Monday. " * 300
    s = suggest(neutral + "The despot fled.", model=model, kind="body")
    assert s.rewritten.endswith("The leader fled.")
    assert len(s.sentences) == 301 and len(built) <= 2  # the one sentence, raw (and outlet)
    assert [x.before for x in s.sentences] == [
        x.loaded.probability for x in explain(body=s.text, model=model).sentences
    ]


@st.composite
def replacements(draw):
    cuts = sorted(draw(st.lists(st.integers(0, 60), max_size=12, unique=True)))
    out, shift = [], 0
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        new = draw(st.integers(0, 6))
        out.append(Replacement(a, b, "", "", (), "", "", 0.0, a + shift, a + shift + new))
        shift += new - (b - a)
    return out


def _map(pos, reps, end):  # the former linear scan, the reference
    shift = 0
    for r in reps:
        if pos < r.start or (end and pos == r.start):
            break
        if pos < r.end or (not end and pos == r.end and r.start == r.end):
            return r.rewritten_end if end else r.rewritten_start
        shift = r.rewritten_end - r.end
    return pos + shift


@settings(max_examples=300, deadline=None)
@given(replacements(), st.integers(0, 70), st.integers(0, 70), st.booleans())
def test_offsets_by_bisection_equal_the_scan(reps, pos, other, end):
    offsets = RewrittenOffsets(reps)
    assert offsets.map(pos, end) == _map(pos, reps, end)
    a, b = min(pos, other), max(pos, other)
    assert offsets.touches(a, b) == any(r.start < b and r.end > a for r in reps)
