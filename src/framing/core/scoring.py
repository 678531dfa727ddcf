"""Batch scoring of texts with a head: probabilities and logits, in input order."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from framing.core.model import Model, default_model
from framing.errors import InputError

__all__ = [
    "score",
]


def score(texts: Iterable[str], head: str = "clickbait", model: Model | None = None) -> np.ndarray:
    """Calibrated probabilities of ``head`` for each text (shape ``(n,)`` for a binary head).

    ``model`` defaults to the shipped model (loaded once per process).
    """
    if isinstance(texts, str):
        raise InputError("score() takes a list of texts, not one string: wrap it in a list")
    texts = list(texts)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise InputError(f"text {i} is {type(t).__name__}, not str")
    h = (model or default_model())[head]
    proba = h.predict_proba(texts)
    return proba[:, 0] if h.is_binary else proba
