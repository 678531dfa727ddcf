"""A head: one calibrated linear model (one row of weights per label) over a feature space.

The stored weights are already on the calibrated logit scale: with Platt scaling
``p = sigmoid(a * raw_logit + b)``, ``coef = a * raw_coef`` and ``intercept = a * raw_intercept
+ b``. So ``logit = coef @ x + intercept`` is the calibrated logit, its per-feature parts are
``coef * x``, and ``probability = sigmoid(logit)``. ``calibration`` keeps ``(a, b)`` per label
for transparency.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from framing.core.encoder import encode
from framing.core.engine import Attribution, attribute, attribute_labels
from framing.core.features import Encoded, FeatureSpace
from framing.core.shared import SharedPass
from framing.core.tokens import TokenBatch

__all__ = [
    "Head",
    "sigmoid",
]


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
