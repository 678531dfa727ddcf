"""Lexicons that give the heads word knowledge beyond their training sentences.

A lexicon maps a phrase (token forms joined by a space, at most three) to a positive weight.
Each lexicon becomes ONE feature of the ``lex`` block whose weight the model learns; a match
is attributed to the words it matched (see :mod:`framing.features`). Lexicons are read at
training time and stored inside the model, so scoring needs none of these packages or files.

Sources: VADER's valence lexicon (MIT, shipped in ``vaderSentiment``), Empath's categories
(MIT, shipped in ``empath``), word lists from the data folder, framing's own list
(``resources/loaded_terms.txt``), and *rationale-rate* lexicons learned from annotated spans.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from framing.core.text import token_spans
from framing.core.wordlists import (  # noqa: F401 (the lexicon readers, re-exported)
    DROP,
    RESOURCES,
    from_lines,
    loaded_term_alternatives,
    loaded_terms,
    phrase,
    word_list,
)

__all__ = [
    "EMPATH_CATEGORIES",
    "empath",
    "rationale_rate",
    "vader",
]

_LETTER = re.compile(r"[^\W\d_]")

# Empath categories of emotion, hostility and judgement (topic categories such as crime or
# prison were measured to act as topic detectors with negative weights and are left out).
EMPATH_CATEGORIES = (
    "negative_emotion", "aggression", "violence", "hate", "swearing_terms", "anger", "disgust",
    "fear", "terrorism", "war", "kill", "death", "suffering", "pain", "torment", "rage",
    "ridicule", "shame", "contentment", "positive_emotion", "exasperation", "irritability",
    "monster", "dominant_personality", "deception", "weakness", "neglect", "horror", "sadness",
    "nervousness", "fight", "ugliness", "disappointment", "envy", "pride", "confusion",
    "emotional",
)  # fmt: skip


def vader() -> dict[str, dict[str, float]]:
    """VADER valence split into ``vader_negative`` / ``vader_positive``, weight |valence| / 4."""
    import vaderSentiment

    path = Path(vaderSentiment.__file__).with_name("vader_lexicon.txt")
    neg: dict[str, float] = {}
    pos: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        key = phrase(parts[0])
        if not key or key.count(" ") > 2 or not _LETTER.match(key):
            continue
        valence = float(parts[1])
        if valence < 0:
            neg[key] = -valence / 4.0
        elif valence > 0:
            pos[key] = valence / 4.0
    return {"vader_negative": neg, "vader_positive": pos}


def empath(categories: Sequence[str] = EMPATH_CATEGORIES) -> dict[str, dict[str, float]]:
    """Selected Empath categories, one lexicon each (``empath_<category>``)."""
    import empath as empath_pkg

    path = Path(empath_pkg.__file__).parent / "data" / "categories.tsv"
    wanted = set(categories)
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if parts[0] in wanted:
            out[f"empath_{parts[0]}"] = from_lines(parts[1:])
    return out


def rationale_rate(records: Iterable, alpha: float = 1.0) -> dict[str, float]:
    """Learned lexicon: for each content word, (times inside an annotated span of a positive
    record) / (times it occurs in all records + ``alpha``). Words never marked are left out.

    ``records`` carry ``text``, ``target`` and ``spans`` (character spans of the annotators'
    marked words or technique spans), as :class:`framing.training.fit.Record` does.
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    marked: Counter = Counter()
    total: Counter = Counter()
    for r in records:
        forms, starts, ends = token_spans(r.text)
        spans = r.spans if r.target >= 0.5 else ()
        for form, s, e in zip(forms, starts, ends, strict=True):
            if form in ENGLISH_STOP_WORDS or not _LETTER.match(form):
                continue
            total[form] += 1
            if any(s < b and e > a for a, b in spans):
                marked[form] += 1
    return {w: marked[w] / (total[w] + alpha) for w in marked}
