"""Hypothesis strategies of marks: arbitrary Unicode texts, notes and user names (what a
database can store: no lone surrogates, no NUL), word marks on a word of the text."""

from __future__ import annotations

import re

from hypothesis import strategies as st

from framing.core.text import token_spans
from framing.feedback import Mark

CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
TEXTS = st.text(CHARS, min_size=1, max_size=120).filter(lambda t: t.strip())
NOTES = st.none() | st.text(CHARS, max_size=120)
USERS = st.none() | st.text(CHARS, max_size=30)
WORDY = st.from_regex(r"[A-Za-zéß]{1,9}", fullmatch=True)


@st.composite
def marks(draw) -> Mark:
    text = draw(TEXTS)
    if draw(st.booleans()):  # make sure some texts have words
        text = draw(TEXTS) + " " + draw(WORDY) + " " + text
    _forms, starts, ends = token_spans(text)
    spans = [(s, e) for s, e in zip(starts, ends, strict=True) if re.search(r"\w", text[s:e])]
    word = bool(spans) and draw(st.booleans())
    start, end = draw(st.sampled_from(spans)) if word else (None, None)
    answer = draw(st.sampled_from(["loaded", "neutral"] if word else ["1", "0"]))
    return Mark(
        text=text,
        unit=draw(st.sampled_from(["headline", "sentence"])),
        head=draw(st.sampled_from(["loaded", "clickbait", "my_head2"])),
        start=start,
        end=end,
        answer=answer,
        model_hash=draw(st.none() | st.text("0123456789abcdef", max_size=64)),
        score=draw(st.none() | st.floats(0.0, 1.0)),
        user=draw(USERS),
        note=draw(NOTES),
    )
