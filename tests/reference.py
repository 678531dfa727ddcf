"""An independent reference for the feature values and logits, straight from the definitions.

Uses only :meth:`FeatureSpace.analyze` and :meth:`FeatureSpace.lookup` (plain Python, one
text at a time) and the TF-IDF arithmetic written out here, not the batched engine
(:mod:`framing.core.tokens`) nor :meth:`FeatureSpace._values`, so tests comparing the two
can fail.
"""

from __future__ import annotations

import math
from collections import defaultdict


def reference_values(space, text: str) -> dict[int, float]:
    """Feature index -> value of ``text`` (zero values left out)."""
    idx, wts, _ = space.lookup(space.analyze(text))
    n_tokens = len(space.analyze(text).forms)
    mass: dict[int, float] = defaultdict(float)
    for j, w in zip(idx, wts, strict=True):
        mass[j] += w
    values: dict[int, float] = {}
    for block, idf, weight in (
        ("word", space.word_idf, space.word_weight),
        ("char", space.char_idf, space.char_weight),
    ):
        off = space.offsets[block]
        raw = {}
        for j, m in mass.items():
            if space.block_of(j) == block:
                tf = math.log(m) + 1.0 if space.sublinear_tf else m
                raw[j] = tf * idf[j - off]
        norm = math.sqrt(sum(v * v for v in raw.values()))
        for j, v in raw.items():
            if norm > 0 and v != 0:
                values[j] = v / norm * weight
    scale = space.lexicon_weight
    if space.lexicon_norm == "sqrt":
        scale /= math.sqrt(max(n_tokens, 1))
    for j, m in mass.items():
        if space.block_of(j) == "lex" and m != 0:
            values[j] = m * scale
    return values


def reference_logit(head, text: str, label: int = 0) -> float:
    values = reference_values(head.space, text)
    coef = head.coef[label]
    return float(sum(coef[j] * v for j, v in values.items()) + head.intercept[label])


def reference_per_token(head, text: str, label: int = 0) -> list[float]:
    """Each token's contribution by the per-word rule, one occurrence at a time: a feature's
    ``coef * value`` is split over its occurrences in proportion to their weights, and each
    occurrence's share evenly over the tokens it covers."""
    space = head.space
    occ = space.analyze(text)
    idx, wts, pos = space.lookup(occ)
    lo = [*occ.lo["word"], *occ.lo["char"], *occ.lo["lex"]]
    hi = [*occ.hi["word"], *occ.hi["char"], *occ.hi["lex"]]
    mass: dict[int, float] = defaultdict(float)
    for j, w in zip(idx, wts, strict=True):
        mass[j] += w
    values = reference_values(space, text)
    coef = head.coef[label]
    out = [0.0] * len(occ.forms)
    for j, w, p in zip(idx, wts, pos, strict=True):
        if mass[j] == 0 or j not in values:
            continue
        share = coef[j] * values[j] * w / mass[j] / (hi[p] - lo[p])
        for t in range(lo[p], hi[p]):
            out[t] += share
    return out
