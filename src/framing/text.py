"""Tokens with character offsets: the one tokenisation that features and explanations share.

A token is a run of word characters, optionally joined by apostrophes or hyphens
("don't", "O'Brien", "left-wing"), or a lone "!" or "?". Its *form* (the string that
features are built from) is the token lowercased, with the typographic apostrophe made
straight and every digit replaced by "0" ("17" and "23" are the same listicle number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TOKEN_PATTERN = r"\w+(?:['’\-]\w+)*|[!?]"
_TOKEN_RE = re.compile(TOKEN_PATTERN)
_DIGIT_RE = re.compile(r"\d")
PUNCT_TOKENS = frozenset({"!", "?"})


def normalize(token: str) -> str:
    """Return the feature form of one token's original text."""
    form = token.lower()
    if "’" in form:
        form = form.replace("’", "'")
    if _DIGIT_RE.search(form):
        form = _DIGIT_RE.sub("0", form)
    return form


@dataclass(frozen=True, slots=True)
class Token:
    form: str
    start: int
    end: int


def token_spans(text: str) -> tuple[list[str], list[int], list[int]]:
    """Forms, start offsets and end offsets of the tokens of ``text`` (parallel lists)."""
    forms: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in _TOKEN_RE.finditer(text):
        forms.append(normalize(match.group()))
        starts.append(match.start())
        ends.append(match.end())
    return forms, starts, ends


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``; ``text[t.start:t.end]`` is the original spelling of ``t``."""
    return [Token(f, s, e) for f, s, e in zip(*token_spans(text), strict=True)]
