"""Exact contributions for a batch of texts: the project's one scoring and attribution engine.

Everything that scores text goes through here: a head's logits, :func:`framing.explain`
(headlines, body sentences, outlet voice), the batch scorer behind ``framing score`` and the
app. It takes arrays (a feature space, weights, intercepts), not a head: a head calls it with
its own (:meth:`framing.core.head.Head.attribute`).

:func:`attribute` turns vocabulary hits (:mod:`framing.core.encoder`) into feature values
with :meth:`FeatureSpace.values` and splits each feature's contribution ``coef * value`` by
the documented rule: over its occurrences in proportion to their weights, then evenly over
the tokens each occurrence covers. Per-token contributions plus the intercept equal the
logit. :func:`attribute_labels` does every label of a multi-label head in one pass.

Only arrays are built here; turning them into result objects is the caller's business
(:mod:`framing.explanation` builds every term, :mod:`framing.batch` only the top ``k`` with
:func:`framing.core.ranking.top_terms`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from framing.core.encoder import Hits, csr, encoder
from framing.core.features import Encoded, FeatureSpace
from framing.core.shared import SharedPass, shared_pass
from framing.core.tokens import TokenBatch

__all__ = ["Attribution", "attribute", "attribute_labels"]

_EMPTY = np.zeros(0, dtype=np.int64)
_CHUNK_TOKENS = 8_192  # tokens per run of texts in attribute()


@dataclass(frozen=True, slots=True)
class Attribution:
    """One head (one label) on a token batch: logits and exact contributions.

    ``per_token[t]`` is token ``t``'s share by the per-word rule; per text,
    ``per_token`` sums (plus the intercept) to ``logit``. Entries are the (text, feature)
    pairs with their contribution ``coef * value``; ``inverse`` maps each occurrence of
    ``hits`` to its entry.
    """

    logit: np.ndarray  # (n_docs,)
    intercept: float
    per_token: np.ndarray  # (n_tokens,)
    hits: Hits
    udoc: np.ndarray
    ufeat: np.ndarray
    value: np.ndarray
    contrib: np.ndarray
    inverse: np.ndarray
    # per token: its own word logit, for heads made of word evidence (else None)
    word_logit: np.ndarray | None = None

    def encoded(self, n_features: int) -> Encoded:
        return csr(self.udoc, self.ufeat, self.value, len(self.logit), n_features)


def attribute(
    space: FeatureSpace,
    coef: np.ndarray,
    intercept: float,
    tb: TokenBatch,
    *,
    entries: bool = True,
    via: SharedPass | None = None,
) -> Attribution:
    """Logits and exact per-token contributions of one linear score on ``tb``.

    ``coef`` holds one weight per feature of ``space`` and ``intercept`` is added to every
    logit (a head's row of weights on the calibrated logit scale).

    With ``entries=False`` only ``logit`` and ``per_token`` are wanted: the character
    n-grams are then attributed without listing their (text, feature) entries
    (:meth:`framing.core.shared.SharedPass.char_tokens`), which is several times faster;
    ``hits`` and the entry arrays then cover the other features only. ``via`` is the
    :class:`~framing.core.shared.SharedPass` of ``tb`` for all the heads scored together
    (their shared work is then done once); by default one for this space alone.

    With entries, large batches are done in runs of whole texts of about ``_CHUNK_TOKENS``
    tokens (the arithmetic is per text, so the result is the same; smaller arrays stay in
    cache)."""
    if not entries:
        if via is None or not via.covers(space, tb):
            via = shared_pass([space], tb)
        occ = via.hits(space)
        char_tok = via.char_tokens(space, coef[None, :])[:, 0] if space.char_ngrams else None
        return _from_hits(space, coef, float(intercept), tb, occ, char_tok)
    if len(tb.form_id) <= _CHUNK_TOKENS:
        return _attribute(space, coef, intercept, tb)
    bounds = [0]
    while bounds[-1] < tb.n_docs:
        a = bounds[-1]
        b = int(np.searchsorted(tb.ptr, tb.ptr[a] + _CHUNK_TOKENS, side="right")) - 1
        bounds.append(min(max(b, a + 1), tb.n_docs))
    parts = [
        _attribute(space, coef, intercept, tb.docs(a, b))
        for a, b in zip(bounds[:-1], bounds[1:], strict=True)
    ]
    return _concat(parts, [int(tb.ptr[a]) for a in bounds[:-1]], bounds[:-1])


def _concat(parts: list[Attribution], tok_base: list[int], doc_base: list[int]) -> Attribution:
    """One :class:`Attribution` from those of consecutive runs of texts."""
    entry_base = np.cumsum([0] + [len(p.ufeat) for p in parts])[:-1].tolist()

    def cat(get, base=None):
        arrays = [get(p) for p in parts]
        if base is not None:
            arrays = [x + o for x, o in zip(arrays, base, strict=True)]
        return np.concatenate(arrays)

    hits = Hits(
        cat(lambda p: p.hits.doc, doc_base),
        cat(lambda p: p.hits.feat),
        cat(lambda p: p.hits.weight),
        cat(lambda p: p.hits.lo, tok_base),
        cat(lambda p: p.hits.hi, tok_base),
    )
    return Attribution(
        cat(lambda p: p.logit),
        parts[0].intercept,
        cat(lambda p: p.per_token),
        hits,
        cat(lambda p: p.udoc, doc_base),
        cat(lambda p: p.ufeat),
        cat(lambda p: p.value),
        cat(lambda p: p.contrib),
        cat(lambda p: p.inverse, entry_base),
    )


def _ranges(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every token of the ranges ``[lo, hi)``, and the range each one comes from."""
    width = hi - lo
    owner = np.repeat(np.arange(len(lo)), width)
    start = np.cumsum(width) - width
    return lo[owner] + (np.arange(int(width.sum())) - start[owner]), owner


def _attribute(sp: FeatureSpace, coef: np.ndarray, intercept: float, tb: TokenBatch):
    """:func:`attribute` with every entry, the character n-grams included."""
    return _from_hits(sp, coef, float(intercept), tb, encoder(sp).hits(tb), None)


def _from_hits(
    sp: FeatureSpace,
    coef: np.ndarray,
    intercept: float,
    tb: TokenBatch,
    occ: Hits,
    char_tok: np.ndarray | None,
) -> Attribution:
    """The attribution of the hits ``occ``, plus each token's character-block share
    ``char_tok`` when the hits leave the character n-grams out."""
    n = tb.n_docs
    total_tokens = len(tb.form_id)
    if len(occ.feat) == 0:
        z = np.zeros(0)
        per_token = np.zeros(total_tokens) if char_tok is None else char_tok
        return Attribution(
            np.bincount(tb.doc, weights=per_token, minlength=n) + intercept,
            intercept,
            per_token,
            occ,
            _EMPTY,
            _EMPTY,
            z,
            z,
            _EMPTY,
        )
    n_tokens = tb.n_tokens.astype(np.float64)
    udoc, ufeat, value, inverse, mass = sp.values(occ.doc, occ.feat, occ.weight, n, n_tokens)
    contrib = coef[ufeat] * value
    logit = np.bincount(udoc, weights=contrib, minlength=n) + intercept
    m = mass[inverse]
    occ_contrib = contrib[inverse] * np.divide(
        occ.weight, m, out=np.zeros_like(occ.weight), where=m != 0
    )
    wide = np.flatnonzero(occ.hi - occ.lo > 1)  # multi-word n-grams and phrases
    if len(wide) == 0:
        per_token = np.bincount(occ.lo, weights=occ_contrib, minlength=total_tokens)
    else:
        one = np.ones(len(occ.lo), dtype=bool)
        one[wide] = False
        per_token = np.bincount(occ.lo[one], weights=occ_contrib[one], minlength=total_tokens)
        per_token = per_token.astype(np.float64, copy=False)  # (int64 when there are none)
        tok_idx, owner = _ranges(occ.lo[wide], occ.hi[wide])
        share = occ_contrib[wide] / (occ.hi[wide] - occ.lo[wide])
        per_token += np.bincount(tok_idx, weights=share[owner], minlength=total_tokens)
    if char_tok is not None:
        per_token += char_tok
        logit += np.bincount(tb.doc, weights=char_tok, minlength=n)
    return Attribution(logit, intercept, per_token, occ, udoc, ufeat, value, contrib, inverse)


def attribute_labels(
    sp: FeatureSpace,
    coefs: np.ndarray,
    intercepts: np.ndarray,
    tb: TokenBatch,
    *,
    via: SharedPass | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Logits ``(n_texts, n_labels)`` and per-token contributions ``(n_tokens, n_labels)`` of
    every label (row of ``coefs``, with ``intercepts``): the hits and feature values are found
    once, and only the weights differ between labels (the per-word rule of :func:`attribute`,
    label by label; the character n-grams as in ``attribute(..., entries=False)``). ``via``:
    as in :func:`attribute`."""
    n, n_tok, n_labels = tb.n_docs, len(tb.form_id), coefs.shape[0]
    if via is None or not via.covers(sp, tb):
        via = shared_pass([sp], tb)
    weights = coefs  # as given: its per-word sums are kept under its identity
    coefs = np.asarray(coefs, dtype=np.float64)
    logits = np.tile(np.asarray(intercepts, dtype=np.float64), (n, 1))
    per_token = np.zeros((n_tok, n_labels))
    if sp.char_ngrams:
        per_token += via.char_tokens(sp, weights)
    occ = via.hits(sp)
    if len(occ.feat):
        n_tokens = tb.n_tokens.astype(np.float64)
        udoc, ufeat, value, inverse, mass = sp.values(occ.doc, occ.feat, occ.weight, n, n_tokens)
        m = mass[inverse]
        share = np.divide(occ.weight, m, out=np.zeros_like(occ.weight), where=m != 0)
        tok, owner = _ranges(occ.lo, occ.hi)
        unit = (value[inverse] * share / (occ.hi - occ.lo))[owner]  # per (occurrence, token)
        feat = ufeat[inverse][owner]
        for k in range(n_labels):
            per_token[:, k] += np.bincount(tok, weights=coefs[k, feat] * unit, minlength=n_tok)
    doc = tb.doc
    for k in range(n_labels):
        logits[:, k] += np.bincount(doc, weights=per_token[:, k], minlength=n)
    return logits, per_token
