"""framing.app.render: escaped highlighting, labels and chart rows (pure, no Streamlit)."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.app import render
from framing.app.render import Mark
from framing.explanation.build import explain_text

TAG = re.compile(r"<[^>]*>")


def _visible(fragment: str) -> str:
    """The characters a browser would show: tags removed, entities decoded."""
    return html.unescape(TAG.sub("", fragment))


@st.composite
def text_and_marks(draw):
    text = draw(st.text(max_size=80))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    marks = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        if a < b:
            c = draw(st.floats(-5, 5, allow_nan=False))
            marks.append(Mark(a, b, draw(st.text(max_size=10)), c, 1, draw(st.booleans())))
    return text, marks


@settings(max_examples=200, deadline=None)
@given(text_and_marks())
def test_highlighting_shows_exactly_the_text_and_no_user_markup(case):
    text, marks = case
    out = render.highlight_html(text, marks)
    assert _visible(out) == text
    # every tag in the output is one of ours
    for tag in TAG.findall(out):
        assert re.fullmatch(r'</?(div|mark)( class="[a-z\- ]+"| [a-z\-]+="[^"<>]*")*>', tag), tag


@pytest.mark.parametrize(
    "payload", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><b>x</b>']
)
def test_injection_is_escaped_inside_and_between_marks(tiny_model, payload):
    text = f"{payload} You won't believe {payload} this weird trick"
    score = explain_text(tiny_model["clickbait"], text)
    out = render.highlight_html(text, render.marks_from_terms(score.terms))
    assert "<script" not in out and "<img" not in out and "<b>" not in out
    assert _visible(out) == text
    assert out.count("<mark") >= 3


def test_colour_direction_intensity_quotes_and_hover():
    text = "alpha beta gamma"
    marks = [
        Mark(0, 5, "alpha", 2.0),
        Mark(6, 10, "beta", -0.5),
        Mark(11, 16, "gamma", 0.2, 2, True),
    ]
    out = render.highlight_html(text, marks)
    alpha, beta, gamma = re.findall(r"<mark [^>]*>", out)
    assert "fr-up" in alpha and "rgba(214, 39, 40, 0.850)" in alpha  # largest: full strength
    assert "fr-down" in beta and "rgba(31, 119, 180" in beta
    assert "fr-quoted" in gamma and "fr-quoted" not in alpha
    strength = [float(x) for x in re.findall(r"rgba\([^)]*, ([0-9.]+)\)", out)]
    assert strength[0] > strength[1] > strength[2]
    assert 'title="alpha: +2.0000 to the logit, level 5"' in alpha
    assert "(sum over its 2 occurrences); inside a quotation" in gamma


def test_min_abs_and_one_fixed_scale():
    marks = [Mark(0, 1, "a", 0.01), Mark(2, 3, "b", 1.0)]
    assert render.highlight_html("a b", marks, min_abs=0.1).count("<mark") == 1
    # a contribution's colour does not depend on the other words of its text
    alone = render.highlight_html("a b", [Mark(2, 3, "b", 0.1)])
    beside = render.highlight_html("a b", [Mark(0, 1, "a", 1.9), Mark(2, 3, "b", 0.1)])
    style = re.compile(r'<mark [^>]*style="([^"]*)"[^>]*>b</mark>')
    assert style.search(alone).group(1) == style.search(beside).group(1)


@pytest.mark.parametrize(
    ("c", "level"),
    [(0.0, 1), (0.1, 1), (-0.25, 2), (0.49, 2), (0.5, 3), (-1.0, 4), (1.99, 4), (2.0, 5), (7.0, 5)],
)
def test_levels_of_the_fixed_scale(c, level):
    assert render.level(c) == level
    assert f"<b>{level}</b>" in render.legend_html()


def test_marks_from_terms_shift_offsets(tiny_model):
    body = "Intro sentence. The despot shamelessly denied it."
    start = body.index("The")
    score = explain_text(tiny_model["loaded"], body[start:])
    for m in render.marks_from_terms(score.terms, offset=start):
        from framing.core.text import normalize

        assert normalize(body[m.start : m.end]) == m.term


def test_labels_are_the_models():
    assert [render.verdict(x) for x in (True, False, None)] == ["yes", "no", "not scored"]


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=120), st.integers(0, 12))
def test_waterfall_ends_at_the_logit(tiny_model, text, k):
    score = explain_text(tiny_model["clickbait"], text)
    rows = render.waterfall_rows(score, k=k)
    assert rows[0]["kind"] == "intercept"
    assert abs(rows[-1]["end"] - score.logit) < 1e-9
    for a, b in zip(rows, rows[1:], strict=False):
        assert a["end"] == b["start"]
    assert len(rows) <= k + 2


def test_term_rows_and_search(tiny_model):
    score = explain_text(tiny_model["loaded"], "The despot denied the despot's reports")
    rows = render.term_rows(score)
    assert {r["term"] for r in rows} >= {"despot", "denied"}
    the = next(r for r in rows if r["term"] == "the")
    assert the["occurrences"] == 2 and the["offsets"].count("-") == 2
    hits = render.search_weights(["regime", "the regime", "dog"], [0.5, -2.0, 1.0], " Regime ")
    assert [h["feature"] for h in hits] == ["the regime", "regime"]
    assert render.search_weights(["a"], [1.0], "  ") == []


@settings(max_examples=150, deadline=None)
@given(text_and_marks(), st.lists(st.tuples(st.integers(-5, 90), st.text(max_size=12)), max_size=4))
def test_labels_are_badges_that_leave_the_text_and_marks_intact(case, labels):
    """Badges (e.g. a sentence's techniques) add only their own escaped text at their offset:
    removing them gives back the highlighting without labels."""
    text, marks = case
    out = render.highlight_html(text, marks, labels=labels)
    badge = re.compile(r'<span class="fr-label">([^<]*)</span>')
    assert [html.unescape(b) for b in badge.findall(out)] == [
        lab for _, lab in sorted((min(max(o, 0), len(text)), lab) for o, lab in labels)
    ]
    assert badge.sub("", out) == render.highlight_html(text, marks)


# ---- names put into Markdown -------------------------------------------------------------
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_as_text_leaves_no_markdown_and_shows_the_characters(value):
    """Every ASCII punctuation character comes backslash-escaped (CommonMark then shows it
    as itself: no link, image, emphasis, tag or directive can form), nothing is a control
    character, and removing the escapes gives the text with control characters written as
    escapes."""
    shown = render.as_text(value)
    assert not any(ch in "\n\r\t\x1b\u202e" or ord(ch) < 32 for ch in shown)
    i = 0
    while i < len(shown):
        if shown[i] == "\\":
            assert shown[i + 1] in _PUNCT
            i += 2
        else:
            assert shown[i] not in _PUNCT
            i += 1


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cc", "Cf", "Zl", "Zp")), max_size=60))
def test_as_text_shows_text_without_control_characters_as_it_is(value):
    assert _ESCAPE.sub(r"\1", render.as_text(value)) == value


def test_as_text_of_a_link_and_an_image():
    value = "[click](http://evil.example) ![x](y.png)\n# h"
    assert render.as_text(value) == (
        r"\[click\]\(http\:\/\/evil\.example\) \!\[x\]\(y\.png\)\\n\# h"
    )
