"""Rationale-rate lexicons of many labels at once: for each label, each content word's rate
of falling inside that label's spans (the ``technique`` head's learnt word lists).

The same figures as one :func:`framing.training.lexicons.rationale_rate` per label, but each
row is tokenised once for every label and every call (the head's training cross-fits them:
six calls per fit), not once per label and call.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from framing.core.text import token_spans
from framing.training.lexicons import _LETTER

__all__ = ["span_rate_learner"]


def span_rate_learner(
    rows: Sequence, labels: Sequence[str], *, key: str = "technique_spans", alpha: float = 1.0
) -> Callable[[np.ndarray], dict[str, dict[str, float]]]:
    """A learner ``learn(indices) -> {f"rate_{label}": {word: rate}}`` over the rows at
    ``indices`` that carry span annotations (``row.meta[key]``: label -> character spans).

    A word's rate for a label is (times inside one of that label's spans) / (times it occurs
    in all annotated rows + ``alpha``); stop words and tokens without a letter are left out,
    and so are words never marked."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    labels = list(labels)
    tokens: dict[int, list[tuple[str, int, int]]] = {}

    def content(i: int) -> list[tuple[str, int, int]]:
        found = tokens.get(i)
        if found is None:
            forms, starts, ends = token_spans(rows[i].text)
            found = tokens[i] = [
                (f, s, e)
                for f, s, e in zip(forms, starts, ends, strict=True)
                if f not in ENGLISH_STOP_WORDS and _LETTER.match(f)
            ]
        return found

    def learn(indices) -> dict[str, dict[str, float]]:
        annotated = [int(i) for i in indices if key in rows[int(i)].meta]
        total: Counter = Counter()
        for i in annotated:
            total.update(f for f, _, _ in content(i))
        out = {}
        for label in labels:
            marked: Counter = Counter()
            for i in annotated:
                spans = rows[i].meta[key].get(label, ())
                if not spans:
                    continue
                for form, s, e in content(i):
                    if any(s < b and e > a for a, b in spans):
                        marked[form] += 1
            out[f"rate_{label}"] = {w: marked[w] / (total[w] + alpha) for w in marked}
        return out

    return learn
