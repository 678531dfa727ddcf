"""The top words of each text: per-token contributions summed per word and ranked.

The words of a batch (token forms per text) are grouped once, with one sort, however many
heads are ranked on them (:func:`top_terms_many`); each head then only sums its per-token
contributions per word and picks its ``k`` strongest words per text from arrays, and Python
objects are made for the chosen words only.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import NamedTuple

import numpy as np

from framing.core.tokens import TokenBatch

__all__ = ["TopTerm", "WordGroups", "strongest", "top_terms", "top_terms_many"]

_KEY_BITS = 62  # packed sort keys stay below 2**_KEY_BITS
_ROUNDS = 8  # up to this k the strongest words are picked round by round, else sorted


class TopTerm(NamedTuple):
    """One of a text's strongest words: its form, summed contribution and character spans."""

    term: str
    contribution: float
    spans: list[tuple[int, int]]


_new_top_term = partial(tuple.__new__, TopTerm)  # TopTerm((term, contribution, spans))


class WordGroups:
    """The words (distinct forms) of each text of a token batch, grouped by (text, form).

    ``tokens[ptr[g]:ptr[g+1]]`` are word ``g``'s tokens in text order; words are sorted by
    text, then form; ``word_of[t]`` is token ``t``'s word."""

    def __init__(self, tb: TokenBatch):
        n_tok = len(tb.form_id)
        n_forms = max(len(tb.forms), 1)
        key = tb.doc * n_forms + tb.form_id
        shift = max(n_tok - 1, 0).bit_length()
        if (tb.n_docs * n_forms) << shift < 1 << _KEY_BITS:
            packed = key << shift
            packed |= np.arange(n_tok)
            packed.sort()
            tokens = packed & ((1 << shift) - 1)
            sk = packed >> shift
        else:  # too many texts and forms to pack a token into the key
            tokens = np.argsort(key, kind="stable")
            sk = key[tokens]
        opens = np.ones(n_tok, dtype=bool)
        opens[1:] = sk[1:] != sk[:-1]
        starts = np.flatnonzero(opens)
        self.tokens = tokens
        self.ptr = np.append(starts, n_tok)
        self.doc, self.form = np.divmod(sk[starts], n_forms)
        self.first = tokens[starts]  # each word's first token (its first appearance)
        self.word_of = np.empty(n_tok, dtype=np.int64)
        self.word_of[tokens] = np.cumsum(opens) - 1
        self.tb = tb

    def __len__(self) -> int:
        return len(self.first)

    def sums(self, per_token: np.ndarray) -> np.ndarray:
        """Each word's total contribution (its tokens' sum, in text order)."""
        return np.bincount(self.word_of, weights=per_token, minlength=len(self))

    def strongest(self, sums: np.ndarray, k: int) -> np.ndarray:
        """The words chosen per text, by text, strongest first: the ``k`` largest ``|sum|``
        (ties: first appearance first), words summing to exactly 0 left out."""
        if k <= 0 or len(self) == 0:
            return np.zeros(0, dtype=np.int64)
        if k > _ROUNDS:
            order = np.lexsort((self.first, -np.abs(sums), self.doc))
            sdoc = self.doc[order]
            rank = np.arange(len(order)) - np.searchsorted(sdoc, sdoc, side="left")
            return order[(rank < k) & (sums[order] != 0)]
        seg = np.flatnonzero(np.concatenate([[True], self.doc[1:] != self.doc[:-1]]))
        seg_of = np.repeat(np.arange(len(seg)), np.diff(np.append(seg, len(self))))
        value = np.where(sums != 0, np.abs(sums), -1.0)
        rank = np.full(len(self), k, dtype=np.int64)
        big = np.iinfo(np.int64).max
        for r in range(k):
            best = np.maximum.reduceat(value, seg)[seg_of]
            cand = (value == best) & (best >= 0)
            if not cand.any():
                break
            earliest = np.minimum.reduceat(np.where(cand, self.first, big), seg)[seg_of]
            pick = cand & (self.first == earliest)
            rank[pick] = r
            value[pick] = -1.0
        chosen = np.flatnonzero(rank < k)
        return chosen[np.argsort(self.doc[chosen] * k + rank[chosen])]

    def terms(self, sums: np.ndarray, chosen: np.ndarray) -> list[list[TopTerm]]:
        """Per text, the :class:`TopTerm` of its chosen words (from :meth:`strongest`)."""
        tb = self.tb
        out: list[list[TopTerm]] = [[] for _ in range(tb.n_docs)]
        if len(chosen) == 0:
            return out
        lo, hi = self.ptr[chosen], self.ptr[chosen + 1]
        counts = hi - lo
        idx = np.repeat(lo - (np.cumsum(counts) - counts), counts) + np.arange(int(counts.sum()))
        toks = self.tokens[idx]
        pairs = list(zip(tb.starts[toks].tolist(), tb.ends[toks].tolist(), strict=True))
        ends = np.cumsum(counts).tolist()
        spans = [pairs[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]
        forms = tb.forms
        names = [forms[f] for f in self.form[chosen].tolist()]
        terms = list(map(_new_top_term, zip(names, sums[chosen].tolist(), spans, strict=True)))
        docs = self.doc[chosen]
        bounds = np.flatnonzero(np.concatenate([[True], docs[1:] != docs[:-1], [True]])).tolist()
        for a, b in zip(bounds[:-1], bounds[1:], strict=True):
            out[int(docs[a])] = terms[a:b]
        return out


def top_terms_many(
    tb: TokenBatch, per_tokens: Sequence[np.ndarray], k: int
) -> list[list[list[TopTerm]]]:
    """:func:`top_terms` of several heads on one batch (``per_tokens``: one array of
    per-token contributions per head), grouping the batch's words once."""
    if k <= 0 or len(tb.form_id) == 0:
        return [[[] for _ in range(tb.n_docs)] for _ in per_tokens]
    groups = WordGroups(tb)
    out = []
    for per_token in per_tokens:
        sums = groups.sums(per_token)
        out.append(groups.terms(sums, groups.strongest(sums, k)))
    return out


def top_terms(tb: TokenBatch, per_token: np.ndarray, k: int) -> list[list[TopTerm]]:
    """Per text, its ``k`` words with the largest absolute total contribution.

    A word (token form) sums its tokens' contributions, like :class:`framing.explanation.Term`;
    ties keep the order of first appearance; words contributing exactly 0 are left out.
    """
    return top_terms_many(tb, [per_token], k)[0]


def strongest(values: np.ndarray, k: int | None) -> np.ndarray:
    """The indices of the ``k`` largest ``|values|`` (None: all), largest first, ties in
    index order: the first ``k`` of a stable sort, sorting only the candidates."""
    size = np.abs(values)
    if k is None or k >= len(size):
        return np.argsort(-size, kind="stable")
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    kth = np.partition(size, len(size) - k)[len(size) - k]  # the k-th largest
    candidates = np.flatnonzero(size >= kth)  # every value of the first k, ties included
    return candidates[np.argsort(-size[candidates], kind="stable")][:k]
