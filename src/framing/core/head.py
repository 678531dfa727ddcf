"""A head: one calibrated linear model (one row of weights per label) over a feature space.

The stored weights are already on the calibrated logit scale: with Platt scaling
``p = sigmoid(a * raw_logit + b)``, ``coef = a * raw_coef`` and ``intercept = a * raw_intercept
+ b``. So ``logit = coef @ x + intercept`` is the calibrated logit, its per-feature parts are
``coef * x``, and ``probability = sigmoid(logit)``. ``calibration`` keeps ``(a, b)`` per label
for transparency.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence

import numpy as np

from framing.core.columns import name_collides
from framing.core.encoder import encode
from framing.core.engine import Attribution, attribute, attribute_labels
from framing.core.features import Encoded, FeatureSpace
from framing.core.shared import SharedPass
from framing.core.tokens import TokenBatch

__all__ = [
    "HEAD_NAME_RULE",
    "MAX_LOGIT",
    "MAX_TEXT_CHARS",
    "Head",
    "head_name_problem",
    "sigmoid",
]

# a head's name becomes column names (framing.core.columns)
HEAD_NAME_RULE = re.compile(r"[a-z][a-z0-9_]{0,39}")
# the longest text any surface scores (the body limit, framing.explanation.guards) and the
# largest logit magnitude a model may produce on it: far from overflow in float32 and float64
MAX_TEXT_CHARS = 2_000_000
MAX_LOGIT = 1e9


def head_name_problem(name) -> str | None:
    """Why ``name`` cannot name a head (None when it can): the one rule for ``framing train``
    and for loading a model. A lower-case letter, then lower-case letters, digits or ``_``
    (at most 40); not ``body_...`` nor ``..._outlet``, whose columns would be those of another
    head (``body_loaded_probability`` is ``loaded`` on the body, ``x_outlet_probability``
    is ``x`` in outlet voice)."""
    if not isinstance(name, str) or not HEAD_NAME_RULE.fullmatch(name):
        return (
            f"head name {name!r}: use a lower-case letter, then lower-case letters, digits "
            "or _ (at most 40), e.g. partisan or my_frames"
        )
    if name_collides(name):
        return (
            f"head name {name!r}: names starting with body_ or ending in _outlet give score "
            "columns of other heads (body_loaded_probability is loaded on the body); "
            "choose another name"
        )
    return None


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function, computed without overflow."""
    z = np.asarray(z, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, -z))


class Head:
    """A trained head. ``labels`` has one name for a binary head, several for multi-label.

    ``thresholds`` (optional) holds one decision threshold per label; without it every label
    uses ``threshold``. Heads pickled before it existed read it as ``None`` (class default).
    """

    thresholds: np.ndarray | None = None
    kind = "calibrated_linear"  # the artifact's head kind (framing.core.artifact.KINDS)
    joins_shared_pass = True  # its space joins the shared pass of the heads scored together

    def __init__(
        self,
        *,
        name: str,
        space: FeatureSpace,
        coef: np.ndarray,
        intercept: np.ndarray,
        labels: Sequence[str],
        calibration: np.ndarray,
        threshold: float = 0.5,
        thresholds: Sequence[float] | None = None,
        unit: str = "text",
        description: str = "",
    ):
        self.name = name
        self.space = space
        # float32 weights (compact heads) are kept as they are; anything else is float64
        self.coef = np.atleast_2d(np.asarray(coef))
        if self.coef.dtype != np.float32:
            self.coef = self.coef.astype(np.float64)
        self.intercept = np.atleast_1d(np.asarray(intercept, dtype=np.float64))
        self.labels = list(labels)
        self.calibration = np.atleast_2d(np.asarray(calibration, dtype=np.float64))
        self.threshold = float(threshold)
        if thresholds is not None:
            self.thresholds = np.asarray(thresholds, dtype=np.float64).reshape(-1)
            if len(self.thresholds) != len(self.labels):
                raise ValueError(
                    f"head {name!r}: {len(self.thresholds)} thresholds for "
                    f"{len(self.labels)} labels"
                )
        self.unit = unit
        self.description = description
        if self.coef.shape != (len(self.labels), space.n_features):
            raise ValueError(
                f"head {name!r}: coef shape {self.coef.shape} does not match "
                f"{len(self.labels)} labels x {space.n_features} features"
            )

    def logit_bound(self, max_chars: int = MAX_TEXT_CHARS) -> np.ndarray:
        """Per label, a bound on ``|logit|`` over every text of at most ``max_chars``
        characters: the TF-IDF blocks are L2-normalised (``|coef . x| <= |weight| *
        ||coef||_2``); a lexicon feature is at most the text's tokens (at most its
        characters) times the largest entry weight, divided by ``sqrt`` of them under the
        ``sqrt`` norm."""
        with np.errstate(over="ignore", invalid="ignore"):  # a huge weight: an infinite bound
            return self._logit_bound(float(max_chars))

    def _logit_bound(self, max_chars: float) -> np.ndarray:
        s = self.space
        coef = np.abs(np.asarray(self.coef, dtype=np.float64))
        bound = np.abs(self.intercept).astype(np.float64)
        edges = (s.offsets["word"], s.offsets["char"], s.offsets["lex"], s.n_features)
        blocks = zip((s.word_weight, s.char_weight), edges[:2], edges[1:3], strict=True)
        for weight, lo, hi in blocks:
            bound += abs(weight) * np.linalg.norm(coef[:, lo:hi], axis=1)
        tokens = max_chars**0.5 if s.lexicon_norm == "sqrt" else max_chars
        entry = max([w for found in s.lex_entries.values() for _, w in found] + [1.0])
        lex = coef[:, edges[2] :].sum(axis=1)
        return bound + abs(s.lexicon_weight) * entry * tokens * lex

    def with_space(self, space: FeatureSpace) -> Head:
        """The same head (weights shared) over ``space``, a space with the same features
        (e.g. :meth:`FeatureSpace.with_lexicons`), with caches of its own."""
        if space.n_features != self.space.n_features:
            raise ValueError(
                f"head {self.name!r}: a space of {space.n_features} features for "
                f"{self.space.n_features}"
            )
        out = copy.copy(self)
        out.space = space
        out.fresh_caches()
        return out

    def fresh_caches(self) -> None:
        """Start this head's own caches empty (a linear head keeps none)."""

    def label_thresholds(self) -> np.ndarray:
        """The decision threshold of each label (``thresholds``, else ``threshold`` for all)."""
        if self.thresholds is None:
            return np.full(len(self.labels), self.threshold)
        return self.thresholds.copy()

    @property
    def is_binary(self) -> bool:
        return len(self.labels) == 1

    def encode(self, texts: Sequence[str]) -> Encoded:
        return encode(self.space, texts)

    def attribute(
        self,
        tb: TokenBatch,
        label: int = 0,
        *,
        entries: bool = True,
        via: SharedPass | None = None,
    ) -> Attribution:
        """Logits and exact per-token contributions of label ``label`` on a token batch
        (:func:`framing.core.engine.attribute` with this head's weights; ``via``: the
        :class:`~framing.core.shared.SharedPass` of ``tb`` for the heads scored together)."""
        return attribute(
            self.space,
            self.coef[label],
            float(self.intercept[label]),
            tb,
            entries=entries,
            via=via,
        )

    def attribute_labels(
        self, tb: TokenBatch, *, via: SharedPass | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Every label at once: logits ``(n_texts, n_labels)`` and per-token contributions
        ``(n_tokens, n_labels)`` (:func:`framing.core.engine.attribute_labels`)."""
        return attribute_labels(self.space, self.coef, self.intercept, tb, via=via)

    def logits_from(self, encoded: Encoded) -> np.ndarray:
        """Calibrated logits, shape (n_texts, n_labels)."""
        n = encoded.shape[0]
        rows = np.repeat(np.arange(n), np.diff(encoded.indptr))
        out = np.empty((n, len(self.labels)))
        for k in range(len(self.labels)):
            parts = encoded.data * self.coef[k, encoded.indices]
            out[:, k] = np.bincount(rows, weights=parts, minlength=n) + self.intercept[k]
        return out

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        return self.logits_from(self.encode(texts))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities, shape (n_texts, n_labels)."""
        return sigmoid(self.logits(texts))

    def feature_names(self) -> np.ndarray:
        return self.space.feature_names()

    def top_features(self, label: int = 0, k: int = 30) -> tuple[list, list]:
        """The ``k`` strongest positive and negative features: lists of (name, weight)."""
        names = self.feature_names()
        w = self.coef[label]
        order = np.argsort(w)
        neg = [(str(names[j]), float(w[j])) for j in order[:k] if w[j] < 0]
        pos = [(str(names[j]), float(w[j])) for j in order[::-1][:k] if w[j] > 0]
        return pos, neg
