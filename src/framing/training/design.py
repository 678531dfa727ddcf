"""A head's training design, computed once and refitted many times (the fast path).

:func:`framing.training.binary.fit.fit_head` encodes its records (vocabulary, idf, cross-fitted
lexicons, name penalties) and its augmented examples, then fits a logistic regression and
its Platt scaling. Here the first half is kept as a :class:`Design` (and cached on disk by
:mod:`framing.training.design_cache`), and :func:`fit_design` does the second half with
extra rows appended (readers' corrections, :mod:`framing.training.feedback`). With no extra
rows :func:`fit_design` gives the head :func:`fit_head` gives, to floating-point rounding.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix, vstack

from framing.core.encoder import encode
from framing.core.features import FeatureSpace
from framing.core.head import Head
from framing.training.binary.fit import (
    Augmenter,
    Learner,
    Recipe,
    Record,
    _calibration_rows,
    _checked_targets,
    _encode_added,
    _groups,
    _hidden_space,
    _splitter,
    encode_records,
    fit_linear,
    fit_platt,
)

__all__ = [
    "Design",
    "Rows",
    "Linear",
    "calibrated_head",
    "fast_model",
    "fit_design",
    "head_design",
    "platt_scaling",
    "raw_model",
    "warm_model",
]


@dataclass
class Rows:
    """Encoded training rows: the design matrix (column-scaled), targets and weights."""

    X: csr_matrix
    targets: np.ndarray
    weights: np.ndarray

    @staticmethod
    def empty(n_features: int) -> Rows:
        return Rows(csr_matrix((0, n_features)), np.zeros(0), np.zeros(0))

    def __len__(self) -> int:
        return self.X.shape[0]


@dataclass
class Design:
    """What :func:`fit_head` computes before fitting: the head's space, its records' rows
    (``base``), the augmented rows (``added``, training rows only), the column scale of the
    name penalty, the groups and the rows Platt scaling is fitted on."""

    name: str
    recipe: Recipe
    space: FeatureSpace
    base: Rows
    added: Rows
    scale: np.ndarray | float
    groups: np.ndarray
    calib: np.ndarray
    seed: int = 0

    def encode(self, texts: Sequence[str], *, lexicons: bool = True) -> csr_matrix:
        """``texts`` encoded in the head's space (column-scaled like the training rows);
        ``lexicons=False`` leaves every lexicon feature out (only the n-grams and shapes)."""
        space = self.space
        if not lexicons:
            space = space.with_lexicons({k: {} for k in space.lexicon_names})
        X = encode(space, list(texts)).to_scipy()
        return X.multiply(self.scale).tocsr() if not np.isscalar(self.scale) else X * self.scale


def head_design(
    name: str,
    records: Sequence[Record],
    recipe: Recipe,
    *,
    seed: int = 0,
    augment: Augmenter | None = None,
    learn: Learner | None = None,
) -> Design:
    """The design of ``fit_head(name, records, recipe, seed=, augment=, learn=)``.

    The augmenter must not depend on which records it is given (the loaded head's contrast
    examples do not): its rows are encoded once and serve every calibration fold."""
    records = list(records)
    targets = _checked_targets(records)
    features, vec, X, weights, scale = encode_records(records, recipe, learn)
    extra = augment(records) if augment else []
    added = Rows.empty(vec.space_.n_features)
    if extra:
        hidden = _hidden_space(vec.space_, recipe, features.get("lexicons") or {})
        Xa = _encode_added(vec.space_, hidden, extra)
        Xa = Xa.multiply(scale).tocsr() if not np.isscalar(scale) else Xa * scale
        added = Rows(
            Xa,
            np.array([r.target for r in extra], dtype=np.float64),
            np.array([r.weight for r in extra], dtype=np.float64),
        )
    return Design(
        name=name,
        recipe=recipe,
        space=vec.space_,
        base=Rows(X.tocsr(), targets, weights),
        added=added,
        scale=scale,
        groups=_groups(records),
        calib=_calibration_rows(records, recipe),
        seed=seed,
    )


def _stack(parts: Sequence[Rows]) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
    parts = [p for p in parts if len(p)]
    return (
        vstack([p.X for p in parts]).tocsr(),
        np.concatenate([p.targets for p in parts]),
        np.concatenate([p.weights for p in parts]),
    )


def _subset(rows: Rows, idx: np.ndarray) -> Rows:
    return Rows(rows.X[idx], rows.targets[idx], rows.weights[idx])


def raw_model(design: Design, extra: Rows | None = None, rows: np.ndarray | None = None):
    """The uncalibrated logistic regression on the design's rows (all, or ``rows``), its
    augmented rows and ``extra`` (e.g. readers' corrections)."""
    base = design.base if rows is None else _subset(design.base, rows)
    X, t, w = _stack([base, design.added, extra or Rows.empty(design.space.n_features)])
    return fit_linear(X, t, w, design.recipe, design.seed)


class Linear:
    """A fitted linear model: ``coef_`` (1, n_features) and ``intercept_`` (1,)."""

    def __init__(self, coef: np.ndarray, intercept: float):
        self.coef_ = np.asarray(coef, dtype=np.float64).reshape(1, -1)
        self.intercept_ = np.array([float(intercept)])

    def decision_function(self, X) -> np.ndarray:
        return np.asarray(X @ self.coef_[0]).ravel() + self.intercept_[0]


def warm_model(
    design: Design,
    extra: Rows | None,
    start: Linear,
    *,
    free: np.ndarray | None = None,
    max_iter: int = 2000,
) -> Linear:
    """:func:`raw_model`'s objective minimised from ``start`` (the optimum without ``extra``)
    over the weights ``free`` (column indices, the intercept being column ``n_features``;
    ``None``: all), the others held at ``start``.

    The objective is liblinear's exactly: ``0.5 |w|^2 + C sum_i s_i log(1 + exp(-y_i z_i))``
    with the intercept a feature of constant 1 (penalised like the weights), over the soft
    design (:func:`framing.training.binary.fit._soft_design`), and so is the stopping rule
    (``|grad| <= tol * min(pos, neg) / n * |grad at 0|``, the gradient over the free
    weights). With ``free`` the features of a few added rows (readers' word marks: the
    word's own n-grams), L-BFGS solves a problem of a few hundred weights instead of a cold
    fit of all of them: the fast path of ``framing train --feedback`` (compared with the full
    refit in docs/retraining-from-feedback.md)."""
    from scipy.optimize import minimize
    from scipy.sparse import hstack

    from framing.training.binary.fit import _class_balance, _soft_design

    recipe = design.recipe
    X, t, w = _stack([design.base, design.added, extra or Rows.empty(design.space.n_features)])
    if recipe.class_weight == "balanced":
        w_neg, w_pos = _class_balance(t, w)
        w = w * np.where(t >= 0.5, w_pos, w_neg)
    Xd, y, sw = _soft_design(X, t, w)
    Xb = hstack([Xd, np.ones((Xd.shape[0], 1))]).tocsc()
    sign = 2.0 * y - 1.0
    C = recipe.C
    theta0 = np.concatenate([start.coef_[0], start.intercept_])
    n_pos = float((y == 1).sum())
    g0 = np.linalg.norm(C * (Xb.T @ (sw * sign * 0.5)))
    stop = recipe.tol * min(n_pos, len(y) - n_pos) / len(y) * g0
    cols = np.arange(len(theta0)) if free is None else np.asarray(free)
    Xf = Xb[:, cols].tocsr()
    XfT = Xf.T.tocsr()
    offset = Xb @ theta0 - Xf @ theta0[cols]
    fixed_norm = float(theta0 @ theta0 - theta0[cols] @ theta0[cols])
    best = {"theta": theta0[cols].copy(), "gnorm": np.inf}

    def objective(theta):
        m = sign * (offset + Xf @ theta)
        loss = 0.5 * (theta @ theta + fixed_norm) + C * float(sw @ np.logaddexp(0.0, -m))
        g = theta - C * (XfT @ (sw * sign * _expit(-m)))
        gnorm = float(np.linalg.norm(g))
        if gnorm < best["gnorm"]:
            best.update(theta=theta.copy(), gnorm=gnorm)
        if gnorm <= stop:
            raise _Converged
        return loss, g

    with contextlib.suppress(_Converged):
        minimize(
            objective,
            best["theta"],
            jac=True,
            method="L-BFGS-B",
            options={"gtol": 0.0, "ftol": 0.0, "maxiter": max_iter},
        )
    theta = theta0.copy()
    theta[cols] = best["theta"]
    return Linear(theta[:-1], theta[-1])


def fast_model(design: Design, extra: Rows, start: Linear) -> Linear:
    """The fast refit: :func:`warm_model` over the features ``extra``'s rows hold (the
    intercept and every other weight kept: a correction moves the marked words' own
    features, not every text's score)."""
    return warm_model(design, extra, start, free=np.unique(extra.X.tocsr().indices))


class _Converged(Exception):
    """Raised inside the optimiser once liblinear's stopping rule holds."""


def _expit(z: np.ndarray) -> np.ndarray:
    from scipy.special import expit

    return expit(z)


def platt_scaling(design: Design, extra: Rows | None = None) -> tuple[float, float]:
    """Platt scaling ``(a, b)`` fitted, as :func:`fit_head` does, on out-of-fold logits of the
    design's own records (each fold's model trained with the augmented and ``extra`` rows)."""
    base = design.base
    oof = np.zeros(len(base))
    folds = _splitter(design.recipe.calibration_folds, design.seed, base.targets, design.groups)
    for tr, te in folds:
        oof[te] = raw_model(design, extra, rows=tr).decision_function(base.X[te])
    c = design.calib
    return fit_platt(oof[c], base.targets[c], base.weights[c])


def calibrated_head(design: Design, clf, platt: tuple[float, float], **kwargs) -> Head:
    """The head of the raw model ``clf`` (fitted on ``design``'s columns) and ``platt``."""
    a, b = platt
    return Head(
        name=design.name,
        space=design.space,
        coef=a * clf.coef_[0] * design.scale,
        intercept=np.array([a * clf.intercept_[0] + b]),
        labels=[design.name],
        calibration=np.array([[a, b]]),
        **kwargs,
    )


def fit_design(
    design: Design,
    extra: Rows | None = None,
    *,
    platt: tuple[float, float] | None = None,
    unit: str = "text",
    description: str = "",
) -> Head:
    """The calibrated head of ``design`` with ``extra`` rows added to every fit (the final
    one and each calibration fold's); Platt scaling stays fitted on out-of-fold logits of the
    design's own records (the extra rows are training rows only, like augmented ones).
    Given ``platt``, that scaling is kept instead (one fit instead of four: the fast path)."""
    clf = raw_model(design, extra)
    if platt is None:
        platt = platt_scaling(design, extra)
    return calibrated_head(design, clf, platt, unit=unit, description=description)
