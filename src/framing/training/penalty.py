"""Heavier regularisation for the features of names: people, parties, places, organisations.

In the training sentences, names correlate with the label (some actors are mostly written
about in biased sentences), so a plain fit gives them weight and the explanations then show
"trump" or "democrats" as loaded words. The linear model stays one model: a feature whose
column is multiplied by ``s`` before fitting, and whose weight is multiplied by ``s`` after,
is the same linear function of the unscaled features with an L2 penalty ``1 / s**2`` times
heavier. So contributions stay exact; only the fit changes.

Which words are names is read from the training texts themselves (unlabelled statistics): a
word is *name-like* when it is written with a capital letter in most of its occurrences that
do not start a sentence. Word n-grams holding a name-like word and character n-grams in
proportion to how often they occur inside name-like words get the scale.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from framing.core.features import FeatureSpace
from framing.core.text import PUNCT_TOKENS, token_spans

__all__ = [
    "feature_scale",
    "name_like_forms",
    "topic_forms",
]

_OPENERS = frozenset(".!?:;\"“”‘'([{-–—•*")


def _title_case(text: str, forms: list[str], starts: list[int]) -> bool:
    """A headline-style line (most of its words capitalised) says nothing about names."""
    words = [text[s] for f, s in zip(forms, starts, strict=True) if f not in PUNCT_TOKENS]
    return bool(words) and sum(c.isupper() for c in words) > 0.6 * len(words)


def name_like_forms(texts: Iterable[str], min_count: int = 3, share: float = 0.5) -> set[str]:
    """Token forms capitalised in more than ``share`` of at least ``min_count`` occurrences
    that do not open a sentence (title-case lines are skipped)."""
    seen: Counter = Counter()
    capital: Counter = Counter()
    for text in texts:
        forms, starts, _ = token_spans(text)
        if _title_case(text, forms, starts):
            continue
        for form, start in zip(forms, starts, strict=True):
            if form in PUNCT_TOKENS or not text[start].isalpha() or form == "i":
                continue
            before = text[:start].rstrip()
            if not before or before[-1] in _OPENERS:
                continue  # sentence or clause opener: capitalised anyway
            seen[form] += 1
            capital[form] += text[start].isupper()
    return {f for f, n in seen.items() if n >= min_count and capital[f] > share * n}


def topic_forms(
    texts: Sequence[str],
    topics: Sequence[str],
    min_count: int = 5,
    share: float = 0.6,
    lift: float = 5.0,
) -> set[str]:
    """Words of one topic: content words found in at least ``min_count`` texts, more than
    ``share`` of them of one topic, and that topic ``lift`` times more often than its base
    rate (``topics`` gives each text's topic, e.g. BABE's ``topic`` column)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    base = Counter(topics)
    n = len(topics)
    per_word: dict[str, Counter] = {}
    for text, topic in zip(texts, topics, strict=True):
        for form in set(token_spans(text)[0]):
            per_word.setdefault(form, Counter())[topic] += 1
    out = set()
    for form, c in per_word.items():
        total = sum(c.values())
        if total < min_count or form in ENGLISH_STOP_WORDS or form in PUNCT_TOKENS:
            continue
        topic, k = c.most_common(1)[0]
        if k > share * total and (k / total) >= lift * base[topic] / n:
            out.add(form)
    return out


def feature_scale(space: FeatureSpace, texts: Iterable[str], names: set[str], scale: float):
    """Column scale of every feature of ``space``: ``scale`` for word n-grams holding a name,
    ``1 - (1 - scale) * share`` for a character n-gram whose occurrences in ``texts`` lie
    inside name words that ``share`` of the time, 1 for lexicon features."""
    if not 0 < scale <= 1:
        raise ValueError(f"scale={scale}: use a number in (0, 1]")
    out = np.ones(space.n_features)
    off = space.offsets["word"]
    for gram, j in space.word_vocab.items():
        if any(tok in names for tok in gram.split(" ")):
            out[off + j] = scale
    if space.char_ngrams and space.char_vocab:
        counts: Counter = Counter()
        for text in texts:
            counts.update(f for f in token_spans(text)[0] if f not in PUNCT_TOKENS)
        inside = np.zeros(len(space.char_vocab))
        total = np.zeros(len(space.char_vocab))
        cmin, cmax = space.char_ngrams
        vocab = space.char_vocab
        for form, n_form in counts.items():
            padded = f" {form} "
            grams = [
                padded[i : i + n]
                for n in range(cmin, min(cmax, len(padded)) + 1)
                for i in range(len(padded) - n + 1)
            ]
            idx = [vocab[g] for g in grams if g in vocab]
            if not idx:
                continue
            np.add.at(total, idx, n_form)
            if form in names:
                np.add.at(inside, idx, n_form)
        share = np.divide(inside, total, out=np.zeros_like(inside), where=total > 0)
        out[space.offsets["char"] : space.offsets["char"] + len(vocab)] = 1 - (1 - scale) * share
    return out
