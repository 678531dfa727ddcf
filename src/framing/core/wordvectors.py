"""Distributional word vectors as word knowledge of a word-evidence head.

A word model that knows a word only by its form, its character n-grams and its lexicons has
nothing to say about a loaded word that no mark and no list ever showed it ("fury",
"heartbreak", "henchmen"). A :class:`WordVectors` gives every word of a fixed vocabulary a
short dense vector (computed at training time from unlabelled text: a word-context PPMI
matrix reduced by truncated SVD, :mod:`framing.training.wordvectors`) and the word model a
weight per dimension. The term a word adds to its own logit is ``coef @ vector(word)``: a
fixed function of the word, so a text's logit stays exactly the intercept plus its words'
contributions. A form is looked up in lower case, then without a simple suffix
(:func:`framing.core.features.lexicon_variants`); a word outside the vocabulary adds 0.

Stored in the data-only artifact as ``head{i}.vectors_terms`` (newline-joined UTF-8),
``head{i}.vectors`` (words x dims, float16) and ``head{i}.vectors_coef`` (dims, float64).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from framing.core.features import lexicon_variants

__all__ = ["WordVectors"]


class WordVectors:
    """Per-word dense vectors and the word model's weights on them (see the module docs).

    ``terms``: the vocabulary (lower case, distinct); ``vectors``: ``len(terms)`` x dims;
    ``coef``: dims. ``term_logit[i]`` is what word ``terms[i]`` adds to its logit."""

    def __init__(self, terms: Sequence[str], vectors: np.ndarray, coef: np.ndarray):
        vectors = np.asarray(vectors, dtype=np.float16)
        coef = np.asarray(coef, dtype=np.float64)
        if vectors.ndim != 2 or vectors.shape[0] != len(terms):
            raise ValueError(
                f"word vectors: {vectors.shape} vectors for {len(terms)} terms (one row each)"
            )
        if coef.shape != (vectors.shape[1],):
            raise ValueError(f"word vectors: coef has shape {coef.shape}, not one per dimension")
        if not (np.isfinite(vectors).all() and np.isfinite(coef).all()):
            raise ValueError("word vectors: NaN or infinite values")
        self.terms = list(terms)
        self.index = {t: i for i, t in enumerate(self.terms)}
        if len(self.index) != len(self.terms):
            raise ValueError("word vectors: repeated terms")
        self.vectors = vectors
        self.coef = coef
        self.term_logit = vectors.astype(np.float64) @ coef if len(coef) else np.zeros(len(terms))

    def row(self, form: str) -> int:
        """The vocabulary row of a form (-1: not in the vocabulary)."""
        low = form.lower()
        for v in lexicon_variants(low):
            i = self.index.get(v)
            if i is not None:
                return i
        return -1

    def rows(self, forms: Sequence[str]) -> np.ndarray:
        return np.fromiter((self.row(f) for f in forms), dtype=np.int64, count=len(forms))

    def logits(self, forms: Sequence[str]) -> np.ndarray:
        """Per form: the term it adds to its word logit (0 outside the vocabulary)."""
        r = self.rows(forms)
        out = np.zeros(len(forms))
        hit = r >= 0
        out[hit] = self.term_logit[r[hit]]
        return out

    def bound(self) -> float:
        """The largest ``|term|`` a word can add."""
        return float(np.abs(self.term_logit).max()) if len(self.term_logit) else 0.0
