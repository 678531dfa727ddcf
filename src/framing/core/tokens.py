"""Tokens of a batch of texts, flattened into arrays, with their character offsets.

:func:`tokenize_batch` tokenises texts with the project's one tokenizer
(:data:`framing.core.text.TOKEN_PATTERN`); tokens are kept as integer ids of distinct forms,
so everything downstream works on arrays.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from framing.core import budget
from framing.core.text import TOKEN_PATTERN, normalize

__all__ = ["TokenBatch", "clear_form_cache", "tokenize_batch"]

_SPLIT_RE = re.compile(f"({TOKEN_PATTERN})")


@dataclass(frozen=True, slots=True)
class TokenBatch:
    """The tokens of a batch of texts, flattened: text ``d`` owns tokens ``ptr[d]:ptr[d+1]``."""

    n_docs: int
    ptr: np.ndarray  # (n_docs + 1,)
    form_id: np.ndarray  # per token: index into ``forms``
    forms: list[str]  # distinct token forms (shared by batches derived with ``select``)
    starts: np.ndarray  # per token: character offsets into its text
    ends: np.ndarray
    allcaps: np.ndarray  # per token: the original spelling is ALL CAPS (>= 2 letters)

    @property
    def n_tokens(self) -> np.ndarray:
        return np.diff(self.ptr)

    @property
    def doc(self) -> np.ndarray:
        return np.repeat(np.arange(self.n_docs), self.n_tokens)

    def select(self, keep: np.ndarray, docs: np.ndarray) -> TokenBatch:
        """The tokens in the mask ``keep`` of the texts ``docs`` (renumbered 0..len(docs)-1)."""
        docs = np.asarray(docs, dtype=np.int64)
        remap = np.full(self.n_docs, -1, dtype=np.int64)
        remap[docs] = np.arange(len(docs))
        doc = remap[self.doc]
        idx = np.flatnonzero(keep & (doc >= 0))
        ptr = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(np.bincount(doc[idx], minlength=len(docs)), out=ptr[1:])
        return TokenBatch(
            len(docs),
            ptr,
            self.form_id[idx],
            self.forms,
            self.starts[idx],
            self.ends[idx],
            self.allcaps[idx],
        )

    def docs(self, a: int, b: int) -> TokenBatch:
        """Texts ``a:b`` (renumbered from 0); their tokens are contiguous, so these are views."""
        lo, hi = int(self.ptr[a]), int(self.ptr[b])
        return TokenBatch(
            b - a,
            self.ptr[a : b + 1] - lo,
            self.form_id[lo:hi],
            self.forms,
            self.starts[lo:hi],
            self.ends[lo:hi],
            self.allcaps[lo:hi],
        )

    def regroup(self, owner: np.ndarray, bounds: np.ndarray) -> TokenBatch:
        """The same tokens grouped into new texts (segments), e.g. the sentences of bodies.

        Segment ``k`` is ``bounds[k] = (start, end)`` in the offsets of text ``owner[k]``;
        segments are sorted by text then offset, disjoint, and every token must lie inside
        one segment of its text (else ``RuntimeError``: the segmentation is broken).
        """
        owner = np.asarray(owner, dtype=np.int64)
        bounds = np.asarray(bounds, dtype=np.int64).reshape(-1, 2)
        big = int(max(self.ends.max(initial=0), bounds.max(initial=0))) + 1
        seg_key = owner * big + bounds[:, 0]
        k = np.searchsorted(seg_key, self.doc * big + self.starts, side="right") - 1
        kk = np.maximum(k, 0)
        if len(k) and (
            (k < 0).any() or (owner[kk] != self.doc).any() or (self.ends > bounds[kk, 1]).any()
        ):
            raise RuntimeError("a token lies outside every segment: the segmentation is broken")
        ptr = np.zeros(len(bounds) + 1, dtype=np.int64)
        np.cumsum(np.bincount(k, minlength=len(bounds)), out=ptr[1:])
        return TokenBatch(
            len(bounds), ptr, self.form_id, self.forms, self.starts, self.ends, self.allcaps
        )


_FORMS: dict[str, str] = {}  # raw token -> its form, kept across batches
_CAPS: set[str] = set()  # the raw tokens among them in ALL CAPS (>= 2 letters)
_HELD = [0]  # the bytes of _FORMS and _CAPS (bounded by framing.core.budget)


def clear_form_cache() -> None:
    """Forget the forms of the raw tokens seen so far (benchmarks of a cold start)."""
    _FORMS.clear()
    _CAPS.clear()
    _HELD[0] = 0


def _forms_of(raws: list[str]) -> list[str]:
    """The form of each of the distinct raw tokens ``raws`` (:func:`framing.core.text.
    normalize`), remembered with whether it is ALL CAPS (in ``_CAPS``), up to
    :data:`framing.core.budget.CACHE_BYTES` of them (then they are found again)."""
    forms = list(map(_FORMS.get, raws))
    if None in forms:
        missing = [i for i, f in enumerate(forms) if f is None]
        new = [normalize(raws[i]) for i in missing]
        # raw and form (the same string when normalising changes nothing), ALL CAPS or not
        size = budget.str_bytes([raws[i] for i in missing]) + budget.str_bytes(new)
        if _HELD[0] + size > budget.CACHE_BYTES:
            clear_form_cache()
        _HELD[0] += size
        for i, form in zip(missing, new, strict=True):
            raw = raws[i]
            forms[i] = _FORMS[raw] = form
            if len(raw) >= 2 and raw.isupper() and raw.isalpha():
                _CAPS.add(raw)
    return forms


def tokenize_batch(texts: Sequence[str]) -> TokenBatch:
    """Tokenise ``texts`` with the project's one tokenizer (see :mod:`framing.core.text`).

    The texts are joined with line breaks (no token spans one) and split once: ``re.split``
    with the token pattern as its one group gives the gaps and the tokens in order, and
    their lengths give every offset at once (no Python work per token)."""
    n_docs = len(texts)
    text_len = np.fromiter(map(len, texts), dtype=np.int64, count=n_docs)
    text_start = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(text_len + 1, out=text_start[1:])
    pieces = _SPLIT_RE.split("\n".join(texts))  # gap, token, gap, ..., token, gap
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    cum = np.cumsum(lengths)
    token_ends = cum[1::2]
    token_starts = token_ends - lengths[1::2]
    doc = np.searchsorted(text_start, token_starts, side="right") - 1
    base = text_start[doc]
    tokens = pieces[1::2]
    # the batch's distinct raw tokens (first appearance first) in a small dictionary, and
    # each one's form and ALL CAPS from the ones remembered across batches
    raws = list(dict.fromkeys(tokens))
    n_raw = len(raws)
    raw_index = dict(zip(raws, range(n_raw), strict=True))
    raw = np.fromiter(map(raw_index.__getitem__, tokens), dtype=np.int64, count=len(tokens))
    forms = _forms_of(raws)
    form_index = dict.fromkeys(forms)  # forms in order of first appearance
    form_index = dict(zip(form_index, range(len(form_index)), strict=True))
    raw_form = np.fromiter(map(form_index.__getitem__, forms), np.int64, n_raw)
    raw_caps = np.fromiter(map(_CAPS.__contains__, raws), dtype=bool, count=n_raw)
    ptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount(doc, minlength=n_docs), out=ptr[1:])
    return TokenBatch(
        n_docs=n_docs,
        ptr=ptr,
        form_id=raw_form[raw],
        forms=list(form_index),
        starts=token_starts - base,
        ends=token_ends - base,
        allcaps=raw_caps[raw],
    )
