"""Which labels of a multi-label head are reliable enough to be shown by default.

A persuasion technique is shown as detected only where its precision at the shipped
threshold, measured on held-out data, reaches :data:`MIN_PRECISION` (0.5), on at least
:data:`MIN_DETECTIONS` (10) held-out detections (a precision of 1 of 2 says nothing). Training
measures it (for the ``technique`` head: the PTC train -> dev protocol model, at its own thresholds
chosen on training folds) and records, per label, the precision, recall, support and the
decision in the model's manifest::

    manifest["heads_info"]["technique"]["reliability"] = {
        "rule": "...", "min_precision": 0.5, "protocol": "technique/ptc_dev",
        "labels": {"Loaded_Language": {"precision": 0.57, "recall": 0.26, "support": 288,
                                       "detected": 131, "reliable": true}, ...},
    }

The library decides from that record, never from a list in code. The other labels stay
available (``explain(..., all_techniques=True)``, ``framing explain --all-techniques``,
``framing score --techniques --all-techniques``) and are labelled low-confidence wherever
they are shown. A head without a record (trained with ``--skip-eval``, or a user's head) has
unmeasured labels: they are all shown, as before, and none is labelled low-confidence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from framing.core.model import Model

__all__ = [
    "MIN_DETECTIONS",
    "MIN_PRECISION",
    "RELIABILITY_KEY",
    "LabelReliability",
    "label_reliability",
    "low_confidence_labels",
    "reliability_record",
    "shown_labels",
]

MIN_PRECISION = 0.5
MIN_DETECTIONS = 10
RELIABILITY_KEY = "reliability"  # in manifest["heads_info"][head]


@dataclass(frozen=True, slots=True)
class LabelReliability:
    """One label's held-out figures and whether it is shown by default.

    ``reliable`` is None when the label was not measured (then it is shown, unlabelled)."""

    label: str
    precision: float | None = None
    recall: float | None = None
    support: int | None = None  # held-out rows that hold the label
    detected: int | None = None  # held-out rows the head decided hold it
    reliable: bool | None = None

    @property
    def low_confidence(self) -> bool:
        """Measured, and below the rule: hidden by default, labelled when shown."""
        return self.reliable is False

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "precision": self.precision,
            "recall": self.recall,
            "support": self.support,
            "detected": self.detected,
            "reliable": self.reliable,
        }


def reliability_record(
    per_label: Mapping[str, Mapping],
    labels: Sequence[str],
    *,
    protocol: str,
    rule: str,
    min_precision: float = MIN_PRECISION,
    min_detections: int = MIN_DETECTIONS,
) -> dict:
    """The manifest record of a head's label reliability from held-out per-label metrics
    (``{label: {"precision", "recall", "n_pos", "n_detected", ...}}``, as the training
    protocols give): reliable where precision >= ``min_precision`` on at least
    ``min_detections`` detections."""
    out = {}
    for label in labels:
        m = per_label.get(label)
        if m is None:
            out[label] = dict.fromkeys(("precision", "recall", "support", "detected", "reliable"))
            continue
        precision, detected = float(m["precision"]), int(m["n_detected"])
        out[label] = {
            "precision": round(precision, 4),
            "recall": round(float(m["recall"]), 4),
            "support": int(m["n_pos"]),
            "detected": detected,
            "reliable": bool(precision >= min_precision and detected >= min_detections),
        }
    return {
        "rule": rule,
        "min_precision": min_precision,
        "min_detections": min_detections,
        "protocol": protocol,
        "labels": out,
    }


def _record(model: Model, head: str) -> dict:
    info = model.manifest.get("heads_info", {})
    record = info.get(head, {}).get(RELIABILITY_KEY) if isinstance(info, dict) else None
    return record if isinstance(record, dict) else {}


def label_reliability(model: Model, head: str = "technique") -> dict[str, LabelReliability]:
    """Every label of ``head`` with its recorded figures, in the head's order (labels without
    a record are unmeasured: ``reliable`` None)."""
    labels = model[head].labels
    recorded = _record(model, head).get("labels", {})
    out = {}
    for label in labels:
        r = recorded.get(label) if isinstance(recorded, dict) else None
        if not isinstance(r, dict):
            out[label] = LabelReliability(label)
            continue
        reliable = r.get("reliable")
        out[label] = LabelReliability(
            label,
            r.get("precision"),
            r.get("recall"),
            r.get("support"),
            r.get("detected"),
            reliable if isinstance(reliable, bool) else None,
        )
    return out


def low_confidence_labels(model: Model, head: str = "technique") -> list[str]:
    """The labels of ``head`` measured below the rule, in the head's order."""
    return [k for k, r in label_reliability(model, head).items() if r.low_confidence]


def shown_labels(model: Model, head: str = "technique", *, all_labels: bool = False) -> np.ndarray:
    """Per label of ``head`` (in its order): shown as detected. By default every label that is
    not low-confidence; with ``all_labels`` every label."""
    rel = label_reliability(model, head)
    return np.array([all_labels or not r.low_confidence for r in rel.values()], dtype=bool)
