"""Batch scoring of texts with a head: probabilities and logits, in input order."""

from __future__ import annotations

import os
from collections.abc import Iterable

import numpy as np

from framing.core.model import Model, as_model
from framing.errors import InputError

__all__ = [
    "score",
]


def score(
    texts: Iterable[str],
    head: str = "clickbait",
    model: Model | str | os.PathLike | None = None,
) -> np.ndarray:
    """Calibrated probabilities of ``head`` for each text (shape ``(n,)`` for a binary head).

    Args:
        texts: a list (or any iterable) of strings.
        head: the head's name.
        model: a :class:`Model`, the path of a model folder, or None for the shipped model
            (loaded once per process).

    Returns:
        A float array of probabilities: shape ``(n,)`` for a binary head, ``(n, n_labels)``
        for a multi-label one.

    Raises:
        InputError: ``texts`` is one string, bytes, or holds something that is not a string;
            the model argument is of the wrong type.
        ModelError: the model cannot be loaded, or has no head ``head``.
    """
    if isinstance(texts, str):
        raise InputError("score() takes a list of texts, not one string: wrap it in a list")
    if isinstance(texts, bytes | bytearray | memoryview):
        raise InputError("score() takes a list of texts (str), not bytes: decode it first")
    try:
        texts = list(texts)
    except TypeError:
        raise InputError(
            f"score() takes a list of texts (str), not {type(texts).__name__}"
        ) from None
    for i, t in enumerate(texts):
        if isinstance(t, bytes | bytearray):
            raise InputError(f"text {i} is bytes, not str: decode it first")
        if not isinstance(t, str):
            raise InputError(f"text {i} is {type(t).__name__}, not str")
    if not isinstance(head, str):
        raise InputError(f"head must be a head's name (str), not {type(head).__name__}")
    h = as_model(model)[head]
    proba = h.predict_proba(texts)
    return proba[:, 0] if h.is_binary else proba
