"""Fitting multi-label heads (persuasion techniques, frames, users' categories): one shared
feature space, one calibrated logistic regression per label, and per-label decision
thresholds chosen on out-of-fold predictions of the training data only.

The binary heads and the shared pieces (records, recipes, the vectorizer, the linear fit and
Platt scaling) are in :mod:`framing.training.binary.fit`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from framing.core.head import Head, sigmoid
from framing.training.binary.fit import (
    IndexLearner,
    Recipe,
    TextVectorizer,
    cross_fitted_rows,
    fit_linear,
    fit_platt,
    penalised,
)

__all__ = [
    "best_f1_threshold",
    "best_fbeta_threshold",
    "fit_multilabel_head",
    "fit_multilabel_head_oof",
    "group_folds",
]


def group_folds(groups: Sequence[str], n_splits: int, seed: int = 0) -> list[tuple]:
    """(train, test) index pairs: whole groups assigned to folds at random (seeded).

    Groups are shuffled, then dealt to folds largest first, each to the fold with the fewest
    rows so far, so fold sizes stay close even when groups (articles) differ in size.
    """
    groups = np.asarray(groups)
    uniq, inverse, counts = np.unique(groups, return_inverse=True, return_counts=True)
    if len(uniq) < n_splits:
        raise ValueError(f"{len(uniq)} groups cannot make {n_splits} folds")
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(uniq))
    order = order[np.argsort(-counts[order], kind="stable")]
    fold_of = np.empty(len(uniq), dtype=np.int64)
    sizes = np.zeros(n_splits)
    for g in order:
        f = int(np.argmin(sizes))
        fold_of[g] = f
        sizes[f] += counts[g]
    row_fold = fold_of[inverse]
    idx = np.arange(len(groups))
    return [(idx[row_fold != f], idx[row_fold == f]) for f in range(n_splits)]


def best_f1_threshold(proba: np.ndarray, y: np.ndarray, default: float = 0.5) -> float:
    """The probability threshold maximising F1 of ``y`` (0/1) on ``proba`` (ties: the higher).

    Returns ``default`` when ``y`` has no positives. The threshold is the midpoint between the
    chosen score and the next lower one, so it does not sit exactly on a training score.
    """
    return best_fbeta_threshold(proba, y, 1.0, default)


def best_fbeta_threshold(
    proba: np.ndarray, y: np.ndarray, beta: float = 1.0, default: float = 0.5
) -> float:
    """The probability threshold maximising F-beta of ``y`` on ``proba`` (as
    :func:`best_f1_threshold`; ``beta`` < 1 weighs precision more: F0.5 counts it twice)."""
    y = np.asarray(y) >= 0.5
    n_pos = int(y.sum())
    if n_pos == 0:
        return float(default)
    order = np.argsort(-proba, kind="stable")
    p_sorted = proba[order]
    tp = np.cumsum(y[order])
    k = np.arange(1, len(y) + 1)
    # only cut where the score changes (tied scores fall on the same side)
    last = np.r_[p_sorted[1:] != p_sorted[:-1], True]
    b2 = beta * beta
    f1 = np.where(last, (1 + b2) * tp / (b2 * n_pos + k), -1.0)
    best = int(np.flatnonzero(f1 == f1.max())[0])
    lower = p_sorted[best + 1] if best + 1 < len(p_sorted) else 0.0
    mid = (p_sorted[best] + lower) / 2
    # scores too close for a float between them (e.g. 5e-324 and 0): cut at the score itself
    return float(mid if mid > lower else p_sorted[best])


def fit_multilabel_head(
    name: str, texts: Sequence[str], Y: np.ndarray, recipe: Recipe, **kw
) -> Head:
    """Fit a calibrated multi-label head: one shared feature space, one LR + Platt per label.

    ``Y`` is (n_texts, n_labels) with 0/1 (or graded) targets. For each label, Platt scaling is
    fitted on out-of-fold logits (``recipe.calibration_folds`` folds by ``groups``); with
    ``thresholds="f1"`` (the default is ``recipe.label_thresholds``) each label's decision
    threshold maximises that label's F1 on those same out-of-fold calibrated probabilities
    (``"f0.5"``: F-beta with beta 0.5, precision weighing twice recall); with ``"micro"`` one
    threshold shared by all labels maximises micro F1 on them. Either way it is chosen on the
    training data only. A number gives every label that fixed threshold. ``compact`` stores
    the weights as float32 (half the size; the stored weights are the model, so explanations
    stay exact).

    Keywords: ``labels`` (required), ``groups``, ``weights``, ``seed``, ``thresholds``,
    ``unit``, ``description``, ``compact``, ``learn``.

    ``learn(indices)`` (optional) builds lexicons (e.g. rationale rates of annotated spans)
    from the training rows at ``indices``. The head keeps lexicons learned from all rows; its
    training rows are cross-fitted as in :func:`fit_head` (each encoded with lexicons learned
    from the other ``LEARN_FOLDS - 1`` groups), so a row's own spans never feed its features.
    """
    return fit_multilabel_head_oof(name, texts, Y, recipe, **kw)[0]


def _check(texts: list, Y: np.ndarray, labels: list, n_folds: int) -> None:
    if Y.ndim != 2 or Y.shape != (len(texts), len(labels)):
        raise ValueError(f"Y has shape {Y.shape}; expected ({len(texts)}, {len(labels)})")
    if len(texts) < 10:
        raise ValueError(f"{len(texts)} training rows: a head needs at least 10")
    if not ((Y >= 0) & (Y <= 1)).all():
        raise ValueError("targets must lie in [0, 1]")
    positives = (Y >= 0.5).sum(axis=0)
    too_few = [f"{lab} ({int(n)})" for lab, n in zip(labels, positives, strict=True) if n < n_folds]
    if too_few or (positives == len(texts)).any():
        raise ValueError(
            f"labels need at least {n_folds} positive and negative rows each; too few: "
            f"{', '.join(too_few) or 'a label is on every row'}"
        )


def _design(texts: list, groups: list, recipe: Recipe, learn: IndexLearner | None):
    """The feature space, the training rows' design matrix (cross-fitted when ``learn``
    builds lexicons, name features penalised per the recipe) and the column scale."""
    features = dict(recipe.features)
    if learn is not None:
        features["lexicons"] = {**(features.get("lexicons") or {}), **learn(np.arange(len(texts)))}
    vec = TextVectorizer(**features).fit(texts)
    if learn is not None:
        X = cross_fitted_rows(vec.space_, texts, np.asarray(groups), features["lexicons"], learn)
    else:
        X = vec.transform(texts)
    X, scale = penalised(X, vec.space_, texts, recipe)
    return vec.space_, X, scale


def _fit_label(X, y, weights, parts, recipe: Recipe, seed: int):
    """One label: the linear fit on all rows, its out-of-fold logits, and Platt (a, b)."""
    clf = fit_linear(X, y, weights, recipe, seed)
    oof = np.zeros(len(y))
    for X_tr, tr, te, X_te in parts:
        if len(np.unique(y[tr] >= 0.5)) < 2:  # a fold without positives: prior logit only
            continue
        oof[te] = fit_linear(X_tr, y[tr], weights[tr], recipe, seed).decision_function(X_te)
    a, b = fit_platt(oof, y, weights)
    return clf.coef_[0], float(clf.intercept_[0]), a, b, oof


def _beta(rule) -> float | None:
    """``beta`` of an F-beta threshold rule ("f1", "f0.5", ...), else None."""
    if isinstance(rule, str) and rule.startswith("f") and rule != "f":
        try:
            beta = float(rule[1:])
        except ValueError:
            return None
        return beta if beta > 0 else None
    return None


def _thresholds(rule, oof_proba: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Each label's decision threshold from the out-of-fold probabilities (see
    :func:`fit_multilabel_head`)."""
    n_labels = Y.shape[1]
    beta = _beta(rule)
    if beta is not None:
        return np.array(
            [best_fbeta_threshold(oof_proba[:, k], Y[:, k], beta) for k in range(n_labels)]
        )
    if rule == "micro":
        return np.full(n_labels, best_f1_threshold(oof_proba.ravel(), Y.ravel()))
    return np.full(n_labels, float(rule))


def fit_multilabel_head_oof(
    name: str,
    texts: Sequence[str],
    Y: np.ndarray,
    recipe: Recipe,
    *,
    labels: Sequence[str],
    groups: Sequence[str] | None = None,
    weights: np.ndarray | None = None,
    seed: int = 0,
    thresholds: str | float | None = None,
    unit: str = "text",
    description: str = "",
    compact: bool = False,
    learn: IndexLearner | None = None,
    n_jobs: int = 1,
) -> tuple[Head, np.ndarray]:
    """:func:`fit_multilabel_head`, also returning the out-of-fold calibrated probabilities
    of the training rows (n_texts, n_labels) that the thresholds were chosen on. ``n_jobs``
    fits that many labels at once (processes: liblinear draws from one random generator per
    process, so threads would make the fits depend on timing; the same head as with one)."""
    from joblib import Parallel, delayed

    thresholds = recipe.label_thresholds if thresholds is None else thresholds
    valid = thresholds == "micro" or _beta(thresholds) is not None
    if not (valid or isinstance(thresholds, int | float)):
        raise ValueError(f"thresholds={thresholds!r}: use 'f1', 'f0.5', 'micro' or a number")
    texts, labels = list(texts), list(labels)
    Y = np.asarray(Y, dtype=np.float64)
    _check(texts, Y, labels, recipe.calibration_folds)
    weights = np.ones(len(texts)) if weights is None else np.asarray(weights, dtype=np.float64)
    groups = [f"_row{i}" for i in range(len(texts))] if groups is None else list(groups)
    space, X, scale = _design(texts, groups, recipe, learn)
    folds = group_folds(groups, recipe.calibration_folds, seed)
    parts = [(X[tr], tr, te, X[te]) for tr, te in folds]
    fitted = Parallel(n_jobs=n_jobs)(
        delayed(_fit_label)(X, Y[:, k], weights, parts, recipe, seed) for k in range(len(labels))
    )
    coef = np.array([a * w * scale for w, _, a, _, _ in fitted]).reshape(len(labels), -1)
    intercept = np.array([a * c + b for _, c, a, b, _ in fitted])
    calibration = np.array([(a, b) for _, _, a, b, _ in fitted])
    oof_proba = np.column_stack([sigmoid(a * oof + b) for _, _, a, b, oof in fitted])
    head = Head(
        name=name,
        space=space,
        coef=coef.astype(np.float32) if compact else coef,
        intercept=intercept,
        labels=labels,
        calibration=calibration,
        thresholds=_thresholds(thresholds, oof_proba, Y),
        unit=unit,
        description=description,
    )
    return head, oof_proba
