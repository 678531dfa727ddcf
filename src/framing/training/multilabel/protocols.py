"""Multi-label metrics and the evaluation protocols of the ``technique``, ``frame`` and users'
categorical heads, each beside a plain one-vs-rest TF-IDF + LR baseline of the same run.

Plain baseline (as the issue measured it): TF-IDF word 1-2 grams, sublinear tf, min_df 2;
one LogisticRegression per label with balanced class weights; threshold 0.5.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score

from framing.training.binary.fit import Recipe
from framing.training.multilabel.fit import best_f1_threshold, fit_multilabel_head_oof, group_folds

__all__ = [
    "cv_multilabel",
    "multiclass_metrics",
    "multilabel_metrics",
    "plain_multilabel",
    "protocol_technique",
]


# ---- metrics ------------------------------------------------------------------------------------
def multilabel_metrics(Y, proba, decision, labels: Sequence[str]) -> dict:
    """Per-label n_pos, n_detected (rows decided positive), ROC AUC, F1, precision, recall;
    micro and macro F1; mean AUC."""
    Y = np.asarray(Y) >= 0.5
    decision = np.asarray(decision, dtype=bool)
    per = {}
    for k, name in enumerate(labels):
        y, d = Y[:, k], decision[:, k]
        tp = int((y & d).sum())
        per[name] = {
            "n_pos": int(y.sum()),
            "n_detected": int(d.sum()),
            "roc_auc": float(roc_auc_score(y, proba[:, k])) if 0 < y.sum() < len(y) else None,
            "f1": float(f1_score(y, d, zero_division=0)),
            "precision": tp / d.sum() if d.sum() else 0.0,
            "recall": tp / y.sum() if y.sum() else 0.0,
        }
    aucs = [v["roc_auc"] for v in per.values() if v["roc_auc"] is not None]
    return {
        "n": int(len(Y)),
        "micro_f1": float(f1_score(Y, decision, average="micro", zero_division=0)),
        "macro_f1": float(f1_score(Y, decision, average="macro", zero_division=0)),
        "mean_auc": float(np.mean(aucs)) if aucs else None,
        "per_label": per,
    }


def multiclass_metrics(Y, proba, labels: Sequence[str]) -> dict:
    """Accuracy and macro F1 of the arg-max label, for rows with exactly one gold label."""
    Y = np.asarray(Y) >= 0.5
    one = Y.sum(axis=1) == 1
    gold = Y[one].argmax(axis=1)
    pred = np.asarray(proba)[one].argmax(axis=1)
    return {
        "n": int(one.sum()),
        "accuracy": float((gold == pred).mean()),
        "macro_f1": float(
            f1_score(gold, pred, average="macro", labels=np.arange(len(labels)), zero_division=0)
        ),
    }


# ---- the plain baseline -------------------------------------------------------------------------
def _plain_label(X, y, Xt) -> np.ndarray:
    if len(np.unique(y)) < 2:  # one class in training (a small sample)
        return np.full(Xt.shape[0], float(y[0]))
    clf = LogisticRegression(max_iter=2000, class_weight="balanced")
    clf.fit(X, y.astype(int))
    return clf.predict_proba(Xt)[:, 1]


def plain_multilabel(train_texts, train_Y, test_texts, threshold: float = 0.5, n_jobs: int = 1):
    """Plain one-vs-rest probabilities and decisions on ``test_texts`` (``n_jobs`` labels
    fitted at once, the same figures)."""
    from joblib import Parallel, delayed

    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    X = vec.fit_transform(list(train_texts))
    Xt = vec.transform(list(test_texts))
    train_Y = np.asarray(train_Y) >= 0.5
    columns = Parallel(n_jobs=n_jobs)(
        delayed(_plain_label)(X, train_Y[:, k], Xt) for k in range(train_Y.shape[1])
    )
    proba = np.column_stack(columns) if columns else np.zeros((Xt.shape[0], 0))
    return proba, proba >= threshold


# ---- protocols ----------------------------------------------------------------------------------
def _ours(Y, proba, oof, oof_Y, thresholds, labels) -> dict:
    """Our figures with per-label thresholds, and with one shared (micro-F1) threshold; both
    chosen on training-fold (out-of-fold) probabilities ``oof`` of ``oof_Y``."""
    shared = best_f1_threshold(np.asarray(oof).ravel(), np.asarray(oof_Y).ravel())
    return {
        "ours": multilabel_metrics(Y, proba, proba >= thresholds, labels),
        "ours_shared_threshold": multilabel_metrics(Y, proba, proba >= shared, labels),
        "thresholds": dict(zip(labels, np.round(thresholds, 4).tolist(), strict=True)),
        "shared_threshold": round(float(shared), 4),
    }


def protocol_technique(
    train: tuple[Sequence[str], np.ndarray, Sequence[str]],
    dev: tuple[Sequence[str], np.ndarray],
    labels: Sequence[str],
    recipe: Recipe,
    *,
    extra: tuple[Sequence[str], np.ndarray, Sequence[str]] | None = None,
    seed: int = 0,
    learn=None,
    n_jobs: int = 1,
) -> dict:
    """Technique head: fit on PTC train (+ ``extra``: (texts, Y, groups) of other articles),
    score PTC dev sentences. Thresholds come from training folds only. The plain baseline is
    fitted on PTC train only (as the issue measured it). ``learn`` (indices into train +
    extra -> lexicons) learns lexicons from the training rows only (cross-fitted). ``n_jobs``
    fits that many labels at once (the same figures)."""
    texts, Y, groups = list(train[0]), np.asarray(train[1]), list(train[2])
    if extra is not None:
        texts += list(extra[0])
        Y = np.vstack([Y, extra[1]])
        groups += list(extra[2])
    head, oof = fit_multilabel_head_oof(
        "technique",
        texts,
        Y,
        recipe,
        labels=labels,
        groups=groups,
        seed=seed,
        learn=learn,
        n_jobs=n_jobs,
    )
    dev_texts, dev_Y = list(dev[0]), np.asarray(dev[1])
    proba = head.predict_proba(dev_texts)
    out = _ours(dev_Y, proba, oof, Y, head.label_thresholds(), labels)
    p_proba, p_dec = plain_multilabel(train[0], train[1], dev_texts, n_jobs=n_jobs)
    out["plain"] = multilabel_metrics(dev_Y, p_proba, p_dec, labels)
    out["protocol"] = (
        "PTC train -> dev, sentence level; ours trains on PTC train + SemEval-2023 dev lines "
        "(disjoint articles)"
        + (", lexicons learned from its training spans (cross-fitted)" if learn else "")
        + "; thresholds from training folds; plain = one-vs-rest TF-IDF 1-2 "
        "+ LR (balanced, threshold 0.5) on PTC train"
    )
    out["n_train"] = len(texts)
    return out


def cv_multilabel(
    texts: Sequence[str],
    Y: np.ndarray,
    groups: Sequence[str],
    labels: Sequence[str],
    recipe: Recipe,
    *,
    name: str = "labels",
    seed: int = 0,
    n_splits: int = 5,
    plain_thresholds: Sequence[float] = (0.3, 0.4, 0.5),
    n_jobs: int = 1,
    also: dict[str, Sequence[str]] | None = None,
) -> dict:
    """K-fold CV by group (seed 0): our figures (per-label and shared thresholds, each fold's
    thresholds chosen inside its training part) and the plain baseline at fixed thresholds,
    with the spread over folds; multi-class figures (arg-max) when every row has one label.
    ``n_jobs`` fits that many labels at once (the same figures). ``also`` (name -> another
    text of each row, e.g. its headline only) adds ``ours_on_{name}``: the same fold models,
    at their own thresholds, reading those texts instead."""
    texts, Y = list(texts), np.asarray(Y, dtype=np.float64)
    folds = group_folds(groups, n_splits, seed)
    also = {k: list(v) for k, v in (also or {}).items()}
    also_proba = {k: np.zeros(Y.shape) for k in also}
    also_dec = {k: np.zeros(Y.shape, dtype=bool) for k in also}
    proba = np.zeros(Y.shape)
    dec_label = np.zeros(Y.shape, dtype=bool)
    dec_shared = np.zeros(Y.shape, dtype=bool)
    plain = np.zeros(Y.shape)
    for tr, te in folds:
        tr_texts, te_texts = [texts[i] for i in tr], [texts[i] for i in te]
        head, oof = fit_multilabel_head_oof(
            name,
            tr_texts,
            Y[tr],
            recipe,
            labels=labels,
            groups=[groups[i] for i in tr],
            seed=seed,
            n_jobs=n_jobs,
        )
        proba[te] = head.predict_proba(te_texts)
        dec_label[te] = proba[te] >= head.label_thresholds()
        dec_shared[te] = proba[te] >= best_f1_threshold(oof.ravel(), Y[tr].ravel())
        plain[te] = plain_multilabel(tr_texts, Y[tr], te_texts, n_jobs=n_jobs)[0]
        for k, other in also.items():
            also_proba[k][te] = head.predict_proba([other[i] for i in te])
            also_dec[k][te] = also_proba[k][te] >= head.label_thresholds()
    out = {
        "ours": _with_folds(Y, proba, dec_label, folds, labels),
        "ours_shared_threshold": _with_folds(Y, proba, dec_shared, folds, labels),
    }
    for t in plain_thresholds:
        out[f"plain@{t}"] = _with_folds(Y, plain, plain >= t, folds, labels)
    for k in also:
        out[f"ours_on_{k}"] = _with_folds(Y, also_proba[k], also_dec[k], folds, labels)
    if (Y.sum(axis=1) == 1).all():
        out["multiclass"] = {
            "ours": {
                **multiclass_metrics(Y, proba, labels),
                **_class_spread(Y, proba, folds, labels),
            },
            "plain": {
                **multiclass_metrics(Y, plain, labels),
                **_class_spread(Y, plain, folds, labels),
            },
        }
    out["protocol"] = f"{n_splits}-fold CV by group, seed {seed}"
    return out


def _with_folds(Y, proba, decision, folds, labels) -> dict:
    out = multilabel_metrics(Y, proba, decision, labels)
    micro = [
        multilabel_metrics(Y[te], proba[te], decision[te], labels)["micro_f1"] for _, te in folds
    ]
    macro = [
        multilabel_metrics(Y[te], proba[te], decision[te], labels)["macro_f1"] for _, te in folds
    ]
    out["fold_micro_f1"] = [round(x, 4) for x in micro]
    out["fold_macro_f1"] = [round(x, 4) for x in macro]
    out["micro_f1_sd"] = float(np.std(micro, ddof=1))
    out["macro_f1_sd"] = float(np.std(macro, ddof=1))
    return out


def _class_spread(Y, proba, folds, labels) -> dict:
    acc, mf1 = [], []
    for _, te in folds:
        m = multiclass_metrics(Y[te], proba[te], labels)
        acc.append(m["accuracy"])
        mf1.append(m["macro_f1"])
    return {
        "fold_accuracy": [round(x, 4) for x in acc],
        "fold_macro_f1": [round(x, 4) for x in mf1],
        "accuracy_sd": float(np.std(acc, ddof=1)),
        "macro_f1_sd": float(np.std(mf1, ddof=1)),
    }
