"""Lexicons that give the heads word knowledge beyond their training sentences.

A lexicon maps a phrase (token forms joined by a space, at most three) to a positive weight.
Each lexicon becomes ONE feature of the ``lex`` block whose weight the model learns; a match
is attributed to the words it matched (see :mod:`framing.core.features`). Lexicons are read at
training time and stored inside the model, so scoring needs none of these packages or files.

Sources: VADER's valence lexicon (MIT, shipped in ``vaderSentiment``), Empath's categories
(MIT, shipped in ``empath``), word lists from the data folder, framing's own list
(``resources/loaded_terms.txt``), and *rationale-rate* lexicons learned from annotated spans.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from framing.core import budget
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
    "label_lean",
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


def mpqa(path: Path) -> dict[str, dict[str, float]]:
    """MPQA subjectivity clues (Wilson, Wiebe & Hoffmann 2005), one lexicon per kind:
    ``mpqa_strong_negative``, ``mpqa_strong_positive`` (strongly subjective clues of that
    prior polarity; "both" counts as both), ``mpqa_strong_neutral`` and ``mpqa_weak`` (weakly
    subjective clues of any polarity). Inflected forms match through the feature space's
    suffix rule, as for every single-word entry."""
    out: dict[str, dict[str, float]] = {
        "mpqa_strong_negative": {},
        "mpqa_strong_positive": {},
        "mpqa_strong_neutral": {},
        "mpqa_weak": {},
    }
    for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
        word = phrase(fields.get("word1", ""))
        if not word or not _LETTER.match(word):
            continue
        polarity = fields.get("priorpolarity", "")
        if fields.get("type") == "weaksubj":
            out["mpqa_weak"][word] = 1.0
            continue
        if polarity in ("negative", "both"):
            out["mpqa_strong_negative"][word] = 1.0
        if polarity in ("positive", "both"):
            out["mpqa_strong_positive"][word] = 1.0
        if polarity == "neutral":
            out["mpqa_strong_neutral"][word] = 1.0
    return out


def hu_liu(folder: Path) -> dict[str, dict[str, float]]:
    """The Hu & Liu (2004) opinion lexicon: ``huliu_negative`` and ``huliu_positive``."""
    out = {}
    for kind in ("negative", "positive"):
        text = (Path(folder) / f"liu2004_{kind}-words.txt").read_text(
            encoding="utf-8", errors="replace"
        )
        words = [w for w in text.splitlines() if w.strip() and not w.startswith(";")]
        out[f"huliu_{kind}"] = {
            k: 1.0 for k in map(phrase, words) if k and " " not in k and _LETTER.match(k)
        }
    return out


def rationale_rate(records: Iterable, alpha: float = 1.0) -> dict[str, float]:
    """Learned lexicon: for each content word, (times inside an annotated span of a positive
    record) / (times it occurs in all records + ``alpha``). Words never marked are left out.

    ``records`` carry ``text``, ``target`` and ``spans`` (character spans of the annotators'
    marked words or technique spans), as :class:`framing.training.binary.fit.Record` does.
    """
    marked: Counter = Counter()
    total: Counter = Counter()
    for r in records:
        words, hits = _content_words(r.text, tuple(r.spans) if r.target >= 0.5 else ())
        total.update(words)
        marked.update(hits)
    return {w: marked[w] / (total[w] + alpha) for w in marked}


def label_lean(
    records: Iterable,
    *,
    prefix: str = "lean",
    prior: float = 1.0,
    min_count: int = 3,
    least: float = 0.25,
    clip: float = 3.0,
) -> dict[str, dict[str, float]]:
    """Learned lexicons from sentence labels: how much more often a content word occurs in the
    positive records than in the negative ones, as a smoothed log ratio of the shares of
    records holding it, ``log((n1_w + prior) / (n1 + prior)) - log((n0_w + prior) / (n0 +
    prior))``. Words leaning positive go to ``{prefix}_loaded``, words leaning negative to
    ``{prefix}_neutral``, each weighted ``min(|lean|, clip) / clip``; words seen in fewer than
    ``min_count`` records or leaning less than ``least`` are left out. No word spans are read:
    the labels are the sentences' (for Anno-lexical, machine labels)."""
    pos: Counter = Counter()
    neg: Counter = Counter()
    n_pos = n_neg = 0
    for r in records:
        words = set(_content_words(r.text, ())[0])
        if r.target >= 0.5:
            pos.update(words)
            n_pos += 1
        else:
            neg.update(words)
            n_neg += 1
    loaded: dict[str, float] = {}
    neutral: dict[str, float] = {}
    for w in pos.keys() | neg.keys():
        a, b = pos[w], neg[w]
        if a + b < min_count:
            continue
        lean = math.log((a + prior) / (n_pos + prior)) - math.log((b + prior) / (n_neg + prior))
        if abs(lean) < least:
            continue
        (loaded if lean > 0 else neutral)[w] = round(min(abs(lean), clip) / clip, 4)
    return {f"{prefix}_loaded": loaded, f"{prefix}_neutral": neutral}


_WORDS: dict[tuple, tuple] = {}  # (text, spans) -> _content_words, up to CACHE_BYTES
_WORDS_HELD = [0]


def _content_words(text: str, spans: tuple) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The content words of ``text`` and those inside ``spans`` (kept: cross-fitting learns
    from the same records many times; bounded by :mod:`framing.core.budget`)."""
    key = (text, spans)
    found = _WORDS.get(key)
    if found is None:
        found = _find_content_words(text, spans)
        size = budget.str_bytes([text, *found[0], *found[1]]) + 16 * len(spans) + 200
        if _WORDS_HELD[0] + size > budget.CACHE_BYTES:
            _WORDS.clear()
            _WORDS_HELD[0] = 0
        _WORDS_HELD[0] += size
        _WORDS[key] = found
    return found


def _find_content_words(text: str, spans: tuple) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words, hits = [], []
    forms, starts, ends = token_spans(text)
    for form, s, e in zip(forms, starts, ends, strict=True):
        if form in ENGLISH_STOP_WORDS or not _LETTER.match(form):
            continue
        words.append(form)
        if any(s < b and e > a for a, b in spans):
            hits.append(form)
    return tuple(words), tuple(hits)
