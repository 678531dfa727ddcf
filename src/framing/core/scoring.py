"""Batch scoring of texts with a head: probabilities and logits, in input order."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Set

import numpy as np

from framing import strict
from framing.core.model import Model, as_model
from framing.errors import InputError

__all__ = [
    "score",
    "texts_list",
]


def texts_list(texts, func: str, what: str = "texts", *, none: bool = False) -> list:
    """``texts`` as a list, or an :class:`InputError` naming ``func``: not one string, not
    bytes, not a mapping (its keys are not texts) nor a set (it has no order); each item a
    ``str`` (or None when ``none``) holding valid Unicode (no lone surrogate)."""
    if isinstance(texts, str):
        raise InputError(f"{func} takes a list of {what}, not one string: wrap it in a list")
    if isinstance(texts, bytes | bytearray | memoryview):
        raise InputError(f"{func} takes a list of {what} (str), not bytes: decode it first")
    if isinstance(texts, Mapping | Set):
        raise InputError(
            f"{func} takes a list of {what}, not a {type(texts).__name__} (a mapping's keys "
            "are not texts; a set has no order): pass a list, e.g. list(d.values())"
        )
    try:
        texts = list(texts)
    except TypeError:
        raise InputError(
            f"{func} takes a list of {what} (str), not {type(texts).__name__}"
        ) from None
    for i, t in enumerate(texts):
        if isinstance(t, bytes | bytearray):
            raise InputError(f"text {i} is bytes, not str: decode it first")
        if t is None and none:
            continue
        if not isinstance(t, str):
            raise InputError(f"text {i} is {type(t).__name__}, not str")
        problem = strict.text_problem(t)
        if problem is not None:
            raise InputError(f"text {i} is {problem}")
    return texts


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
    texts = texts_list(texts, "score()")
    if not isinstance(head, str):
        raise InputError(f"head must be a head's name (str), not {type(head).__name__}")
    h = as_model(model)[head]
    proba = h.predict_proba(texts)
    return proba[:, 0] if h.is_binary else proba
