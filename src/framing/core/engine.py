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

from framing.core.encoder import Hits, csr, encoder, gather
from framing.core.features import Encoded, FeatureSpace
from framing.core.tokens import TokenBatch

__all__ = ["Attribution", "attribute", "attribute_labels"]

_EMPTY = np.zeros(0, dtype=np.int64)
_KEY_BITS = 62  # packed sort keys stay below 2**_KEY_BITS
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

    def encoded(self, n_features: int) -> Encoded:
        return csr(self.udoc, self.ufeat, self.value, len(self.logit), n_features)


def attribute(
    space: FeatureSpace,
    coef: np.ndarray,
    intercept: float,
    tb: TokenBatch,
    *,
    entries: bool = True,
) -> Attribution:
    """Logits and exact per-token contributions of one linear score on ``tb``.

    ``coef`` holds one weight per feature of ``space`` and ``intercept`` is added to every
    logit (a head's row of weights on the calibrated logit scale).

    With ``entries=False`` only ``logit`` and ``per_token`` are wanted: the character
    n-grams are then attributed without listing their (text, feature) entries
    (:func:`_char_tokens`), which is several times faster on long texts; ``hits`` and the
    entry arrays then cover the other features only.

    With entries, large batches are done in runs of whole texts of about ``_CHUNK_TOKENS``
    tokens (the arithmetic is per text, so the result is the same; smaller arrays stay in
    cache)."""
    if not entries or len(tb.form_id) <= _CHUNK_TOKENS:
        return _attribute(space, coef, intercept, tb, entries)
    bounds = [0]
    while bounds[-1] < tb.n_docs:
        a = bounds[-1]
        b = int(np.searchsorted(tb.ptr, tb.ptr[a] + _CHUNK_TOKENS, side="right")) - 1
        bounds.append(min(max(b, a + 1), tb.n_docs))
    parts = [
        _attribute(space, coef, intercept, tb.docs(a, b), entries)
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


def _attribute(
    sp: FeatureSpace, coef: np.ndarray, intercept: float, tb: TokenBatch, entries: bool = True
) -> Attribution:
    intercept = float(intercept)
    fast_chars = not entries and bool(sp.char_ngrams)
    occ = encoder(sp).hits(tb, chars=not fast_chars)
    n = tb.n_docs
    total_tokens = len(tb.form_id)
    char_tok = _char_tokens(sp, tb, coef[None, :])[:, 0] if fast_chars else None
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


def _char_tokens(sp: FeatureSpace, tb: TokenBatch, coefs: np.ndarray) -> np.ndarray:
    """Per token and label, the exact contribution of its character n-grams (the ``char``
    block): an array ``(n_tokens, n_labels)`` for weights ``coefs`` ``(n_labels, n_features)``.

    The block's value of feature ``j`` in text ``d`` is ``w * tf(c) * idf_j / N_d`` with ``c``
    its count in ``d``, ``N_d`` the block's L2 norm and ``w`` the block weight; each of the
    ``c`` occurrences gets ``coef_j * value / c``. When every count is 1 a token's share is
    ``w * A_f / N_d`` and ``N_d**2 = sum of B_f`` over the text's tokens, with per-form sums
    ``A_f = sum(coef_j * idf_j)`` and ``B_f = sum(idf_j**2)`` over the form's n-grams. So only
    the (text, n-gram) pairs that occur more than once need correcting; they are found with
    one sort of the occurrence keys, and no per-entry arrays are built.
    """
    total_tokens = len(tb.form_id)
    n_labels = coefs.shape[0]
    out = np.zeros((total_tokens, n_labels))
    entries = encoder(sp).entries(tb.forms)
    cptr, cidx = entries.char_ptr, entries.char_idx
    if total_tokens == 0 or len(cidx) == 0:
        return out
    off = sp.offsets["char"]
    idf = sp.char_idf[cidx - off]
    form_of = np.repeat(np.arange(len(tb.forms)), np.diff(cptr))
    n_forms = len(tb.forms)
    num = np.empty((total_tokens, n_labels))
    for k in range(n_labels):
        a_form = np.bincount(form_of, weights=coefs[k, cidx] * idf, minlength=n_forms)
        num[:, k] = a_form[tb.form_id]
    b_form = np.bincount(form_of, weights=idf * idf, minlength=n_forms)
    doc = tb.doc
    sq = np.bincount(doc, weights=b_form[tb.form_id], minlength=tb.n_docs)
    # repeated (text, n-gram) pairs: correct the norm and their occurrences' shares. One sort
    # of the keys (text, n-gram) with each occurrence's token (its place in the text) in the
    # low bits finds them and keeps their tokens.
    lens = cptr[tb.form_id + 1] - cptr[tb.form_id]
    feat, _ = gather(cptr, cidx, tb.form_id)
    local = np.arange(total_tokens) - tb.ptr[doc]
    shift = int(local.max()).bit_length()
    if (tb.n_docs * sp.n_features) << shift >= 1 << _KEY_BITS:  # too long for one key
        return _char_tokens_sorted(sp, tb, coefs, feat, lens, num, sq, out)
    packed = np.repeat(doc * sp.n_features, lens) + feat
    packed <<= shift
    packed |= np.repeat(local, lens)
    packed.sort()
    sk = packed >> shift
    dup = sk[1:] == sk[:-1]
    if dup.any():
        in_pair = np.zeros(len(sk), dtype=bool)  # occurrence of a repeated (text, n-gram)
        in_pair[1:] = dup
        in_pair[:-1] |= dup
        idx = np.flatnonzero(in_pair)
        opens = np.ones(len(idx), dtype=bool)  # first occurrence of its pair
        opens[1:] = ~dup[idx[1:] - 1]
        group = np.cumsum(opens) - 1
        c = np.bincount(group).astype(np.float64)
        g_doc, j = np.divmod(sk[idx[opens]], sp.n_features)
        owner = tb.ptr[g_doc][group] + (packed[idx] & ((1 << shift) - 1))
        _correct(sp, coefs, c, g_doc, j, group, owner, num, sq)
    return _char_finish(sp, tb, num, sq, out)


def _correct(sp, coefs, c, g_doc, j, group, owner, num, sq) -> None:
    """Add to ``num`` (per token and label) and ``sq`` (per text) the corrections of the
    repeated (text, n-gram) pairs: ``c`` occurrences each, text ``g_doc``, feature ``j``;
    occurrence ``k`` belongs to pair ``group[k]`` and token ``owner[k]``."""
    idf = sp.char_idf[j - sp.offsets["char"]]
    tf = np.log(c) + 1.0 if sp.sublinear_tf else c
    sq += np.bincount(g_doc, weights=(tf * tf - c) * idf * idf, minlength=len(sq))
    base = idf * (tf / c - 1.0)
    for k in range(coefs.shape[0]):
        ratio = (coefs[k, j] * base)[group]
        num[:, k] += np.bincount(owner, weights=ratio, minlength=len(num))


def _char_tokens_sorted(sp, tb, coefs, feat, lens, num, sq, out) -> np.ndarray:
    """:func:`_char_tokens` for batches too long to pack a token into the sort key."""
    owner = np.repeat(np.arange(len(tb.form_id)), lens)
    key = tb.doc[owner] * sp.n_features + feat
    order = np.argsort(key, kind="stable")
    sk, owner = key[order], owner[order]
    start = np.flatnonzero(np.concatenate([[True], sk[1:] != sk[:-1]]))
    size = np.diff(np.append(start, len(sk)))
    multi = size > 1
    if multi.any():
        in_pair = np.repeat(multi, size)
        group = np.repeat(np.arange(int(multi.sum())), size[multi])
        g_doc, j = np.divmod(sk[start[multi]], sp.n_features)
        c = size[multi].astype(np.float64)
        _correct(sp, coefs, c, g_doc, j, group, owner[in_pair], num, sq)
    return _char_finish(sp, tb, num, sq, out)


def _char_finish(sp, tb, num, sq, out) -> np.ndarray:
    norm = np.sqrt(sq)[tb.doc][:, None]
    np.divide(num * sp.char_weight, norm, out=out, where=norm > 0)
    return out


def attribute_labels(
    sp: FeatureSpace, coefs: np.ndarray, intercepts: np.ndarray, tb: TokenBatch
) -> tuple[np.ndarray, np.ndarray]:
    """Logits ``(n_texts, n_labels)`` and per-token contributions ``(n_tokens, n_labels)`` of
    every label (row of ``coefs``, with ``intercepts``): the hits and feature values are found
    once, and only the weights differ between labels (the per-word rule of :func:`attribute`,
    label by label; the character n-grams as in ``attribute(..., entries=False)``)."""
    n, n_tok, n_labels = tb.n_docs, len(tb.form_id), coefs.shape[0]
    coefs = np.asarray(coefs, dtype=np.float64)
    logits = np.tile(np.asarray(intercepts, dtype=np.float64), (n, 1))
    per_token = np.zeros((n_tok, n_labels))
    if sp.char_ngrams:
        per_token += _char_tokens(sp, tb, coefs)
    occ = encoder(sp).hits(tb, chars=not sp.char_ngrams)
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
