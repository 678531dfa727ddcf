"""The top words of each text: per-token contributions summed per word and ranked."""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import numpy as np

from framing.core.encoder import gather
from framing.core.tokens import TokenBatch

__all__ = ["TopTerm", "top_terms"]


class TopTerm(NamedTuple):
    term: str
    contribution: float
    spans: list[tuple[int, int]]


_new_top_term = partial(tuple.__new__, TopTerm)  # TopTerm((term, contribution, spans))


def top_terms(tb: TokenBatch, per_token: np.ndarray, k: int) -> list[list[TopTerm]]:
    """Per text, its ``k`` words with the largest absolute total contribution.

    A word (token form) sums its tokens' contributions, like :class:`framing.explanation.Term`;
    ties keep the order of first appearance; words contributing exactly 0 are left out.
    """
    out: list[list[TopTerm]] = [[] for _ in range(tb.n_docs)]
    if k <= 0 or len(tb.form_id) == 0:
        return out
    n_forms = max(len(tb.forms), 1)
    key = tb.doc * n_forms + tb.form_id
    ukey, first, inv = np.unique(key, return_index=True, return_inverse=True)
    sums = np.bincount(inv, weights=per_token, minlength=len(ukey))
    udoc = ukey // n_forms
    order = np.lexsort((first, -np.abs(sums), udoc))
    sdoc = udoc[order]
    rank = np.arange(len(order)) - np.searchsorted(sdoc, sdoc, side="left")
    chosen = order[(rank < k) & (sums[order] != 0)]  # by text, strongest first
    if len(chosen) == 0:
        return out
    # the tokens of each chosen word, in text order
    tokens_of = np.argsort(inv, kind="stable")
    word_ptr = np.zeros(len(ukey) + 1, dtype=np.int64)
    np.cumsum(np.bincount(inv, minlength=len(ukey)), out=word_ptr[1:])
    toks, _ = gather(word_ptr, tokens_of, chosen)
    pairs = list(zip(tb.starts[toks].tolist(), tb.ends[toks].tolist(), strict=True))
    ends = np.cumsum(word_ptr[chosen + 1] - word_ptr[chosen]).tolist()
    spans = [pairs[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]
    forms = tb.forms
    names = [forms[f] for f in (ukey[chosen] % n_forms).tolist()]
    terms = list(map(_new_top_term, zip(names, sums[chosen].tolist(), spans, strict=True)))
    docs = udoc[chosen]
    bounds = np.flatnonzero(np.concatenate([[True], docs[1:] != docs[:-1], [True]])).tolist()
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        out[int(docs[a])] = terms[a:b]
    return out
