"""Metrics and evaluation protocols (scikit-learn; used by training, `framing evaluate`).

Every protocol returns figures for the project's recipe and for the plain baseline of
``shared/ANCHORS.md`` (TF-IDF word 1-2 grams, sublinear tf, min_df 2, LogisticRegression)
measured on the same folds in the same run.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, mean_squared_error, roc_auc_score
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold

from framing.core.head import Head
from framing.core.text import normalize
from framing.core.tokens import tokenize_batch
from framing.training.fit import Augmenter, Recipe, Record, cross_validate

__all__ = [
    "binary_metrics",
    "groups_kfold",
    "plain_fit_predict",
    "plain_pipeline",
    "plain_word_contributions",
    "protocol_babe",
    "protocol_ptc",
    "protocol_stop_clickbait",
    "protocol_webis",
    "r_precision",
    "reliability_table",
    "span_recall",
    "top_positive_spans",
    "word_contributions",
]


# ---- metrics ------------------------------------------------------------------------------------
def reliability_table(proba: np.ndarray, target: np.ndarray, bins: int = 10) -> list[dict]:
    """Mean predicted vs observed rate per probability bin (equal width)."""
    proba = np.asarray(proba)
    target = np.asarray(target, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(proba, edges[1:-1]), 0, bins - 1)
    rows = []
    for b in range(bins):
        m = idx == b
        if m.any():
            rows.append(
                {
                    "bin": f"{edges[b]:.1f}-{edges[b + 1]:.1f}",
                    "n": int(m.sum()),
                    "mean_predicted": float(proba[m].mean()),
                    "observed": float(target[m].mean()),
                }
            )
    return rows


def binary_metrics(proba, target, threshold: float = 0.5) -> dict:
    """Accuracy, macro F1, F1 of the positive class, ROC AUC and MSE at ``threshold``."""
    proba = np.asarray(proba, dtype=float)
    y = (np.asarray(target, dtype=float) >= 0.5).astype(int)
    pred = (proba >= threshold).astype(int)
    out = {
        "n": len(y),
        "accuracy": float(accuracy_score(y, pred)),
        "macro_f1": float(f1_score(y, pred, average="macro")),
        "f1": float(f1_score(y, pred)),
        "mse": float(mean_squared_error(np.asarray(target, dtype=float), proba)),
    }
    out["roc_auc"] = float(roc_auc_score(y, proba)) if len(set(y)) == 2 else float("nan")
    return out


def word_contributions(head: Head, text: str) -> dict[str, float]:
    """Per-word (token form) contributions of a head on one text, as users are shown them."""
    tb = tokenize_batch([text])
    out: dict[str, float] = defaultdict(float)
    for f, c in zip(tb.form_id.tolist(), head.attribute(tb).per_token.tolist(), strict=True):
        out[tb.forms[f]] += c
    return out


def _gold_words(words: Sequence[str]) -> set[str]:
    gold = set()
    for w in words:
        for part in str(w).split():
            form = normalize(part.strip(".,;:!?\"'“”‘’()"))
            if form and form not in ENGLISH_STOP_WORDS:
                gold.add(form)
    return gold


def r_precision(contribs: Sequence[dict[str, float]], golds: Sequence[set[str]]) -> float:
    """Micro-averaged R-precision of the top-|gold| positive words against gold words."""
    hits = total = 0
    for contrib, gold in zip(contribs, golds, strict=True):
        if not gold:
            continue
        k = len(gold)
        positive = sorted(((c, w) for w, c in contrib.items() if c > 0), reverse=True)[:k]
        hits += sum(w in gold for _, w in positive)
        total += k
    return hits / total if total else float("nan")


# ---- the plain baseline -----------------------------------------------------------------------
def plain_pipeline():
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    return vec, LogisticRegression(max_iter=2000)


def plain_fit_predict(train: Sequence[Record], test: Sequence[Record]):
    """Plain baseline probabilities on ``test`` and its per-word contributions."""
    vec, clf = plain_pipeline()
    X = vec.fit_transform([r.text for r in train])
    y = np.array([r.target >= 0.5 for r in train], dtype=int)
    clf.fit(X, y)
    Xt = vec.transform([r.text for r in test])
    return clf.predict_proba(Xt)[:, 1], (vec, clf, Xt)


def plain_word_contributions(vec, clf, Xt) -> list[dict[str, float]]:
    names = vec.get_feature_names_out()
    coef = clf.coef_[0]
    out = []
    for i in range(Xt.shape[0]):
        row = Xt.getrow(i)
        contrib: dict[str, float] = defaultdict(float)
        for j, v in zip(row.indices, row.data, strict=True):
            words = names[j].split()
            for w in words:
                contrib[w] += coef[j] * v / len(words)
        out.append(contrib)
    return out


# ---- protocols ---------------------------------------------------------------------------------
def _stratified(records, seed=0, n_splits=5):
    y = np.array([r.target >= 0.5 for r in records], dtype=int)
    return list(StratifiedKFold(n_splits, shuffle=True, random_state=seed).split(y, y))


def _plain_oof(records, folds):
    proba = np.zeros(len(records))
    contribs: list = [None] * len(records)
    for tr, te in folds:
        p, (vec, clf, Xt) = plain_fit_predict([records[i] for i in tr], [records[i] for i in te])
        proba[te] = p
        for i, c in zip(te, plain_word_contributions(vec, clf, Xt), strict=True):
            contribs[i] = c
    return proba, contribs


def protocol_stop_clickbait(stop, webis, recipe: Recipe, n_jobs=1) -> dict:
    """Stop Clickbait, 5-fold stratified CV (seed 0), accuracy; recipe trains with all of Webis."""
    folds = _stratified(stop)
    ours, _ = cross_validate("clickbait", stop, recipe, folds=folds, extra=webis, n_jobs=n_jobs)
    plain, _ = _plain_oof(stop, folds)
    y = [r.target for r in stop]
    return {"ours": binary_metrics(ours, y), "plain": binary_metrics(plain, y)}


def protocol_webis(webis, stop, recipe: Recipe, n_jobs=1) -> dict:
    """Webis-17: 5-fold CV (shuffled, seed 0; duplicates merged), MSE vs truthMean, AUC on
    truthClass; the recipe trains with all of Stop Clickbait."""
    folds = list(KFold(5, shuffle=True, random_state=0).split(np.zeros(len(webis))))
    ours, _ = cross_validate("clickbait", webis, recipe, folds=folds, extra=stop, n_jobs=n_jobs)
    hard = [Record(r.text, float(r.meta["truth_class"])) for r in webis]
    plain, _ = _plain_oof(hard, folds)
    mean = np.array([r.target for r in webis])
    cls = np.array([r.meta["truth_class"] for r in webis])

    def figures(p):
        return {
            "n": len(webis),
            "mse": float(mean_squared_error(mean, p)),
            "roc_auc": float(roc_auc_score(cls, p)),
            "accuracy": float(accuracy_score(cls, p >= 0.5)),
        }

    return {
        "ours": figures(ours),
        "plain": figures(plain),
        "reliability": reliability_table(ours, mean),
    }


def protocol_babe(
    babe, extra, recipe: Recipe, augment: Augmenter | None = None, learn=None, n_jobs=1
):
    """BABE SG2: 5-fold stratified CV (seed 0): macro F1 at 0.5, term R-precision."""
    folds = _stratified(babe)
    ours, fold_heads = cross_validate(
        "loaded",
        babe,
        recipe,
        folds=folds,
        extra=extra,
        augment=augment,
        learn=learn,
        n_jobs=n_jobs,
    )
    plain, plain_contribs = _plain_oof(babe, folds)
    y = [r.target for r in babe]
    golds = [
        _gold_words(r.meta.get("biased_words", [])) if r.target >= 0.5 else set() for r in babe
    ]
    ours_contribs: list = [None] * len(babe)
    for te, head in fold_heads:
        for i in te:
            ours_contribs[i] = word_contributions(head, babe[i].text)
    return {
        "ours": {**binary_metrics(ours, y), "term_r_precision": r_precision(ours_contribs, golds)},
        "plain": {
            **binary_metrics(plain, y),
            "term_r_precision": r_precision(plain_contribs, golds),
        },
        "n_rationale_sentences": sum(bool(g) for g in golds),
        "reliability": reliability_table(ours, y),
    }


def top_positive_spans(head: Head, text: str, k: int = 3) -> list[tuple[int, int]]:
    """Character spans of the ``k`` words with the largest positive contributions."""
    tb = tokenize_batch([text])
    per_token = head.attribute(tb).per_token
    order = np.argsort(-per_token)[:k]
    return [(int(tb.starts[i]), int(tb.ends[i])) for i in order if per_token[i] > 0]


def span_recall(head: Head, records: Sequence[Record], k: int = 3) -> tuple[float, int]:
    """Share of gold spans (``meta['span_recall_gold']``) holding one of their sentence's top-k
    positive words, and the number of gold spans."""
    hits = total = 0
    for r in records:
        gold = r.meta.get("span_recall_gold") or []
        if not gold:
            continue
        tops = top_positive_spans(head, r.text, k)
        for gs, ge in gold:
            total += 1
            hits += any(gs <= s and e <= ge for s, e in tops)
    return (hits / total if total else float("nan")), total


def _plain_span_recall(vec, clf, records, k: int = 3) -> float:
    contribs = plain_word_contributions(vec, clf, vec.transform([r.text for r in records]))
    hits = total = 0
    for r, contrib in zip(records, contribs, strict=True):
        gold = r.meta.get("span_recall_gold") or []
        if not gold:
            continue
        words = [w for w, c in sorted(contrib.items(), key=lambda wc: -wc[1])[:k] if c > 0]
        for gs, ge in gold:
            total += 1
            span_words = set(re.findall(r"(?u)\b\w\w+\b", r.text[gs:ge].lower()))
            hits += any(w in span_words for w in words)
    return hits / total if total else float("nan")


def protocol_ptc(
    ptc_train, ptc_dev, extra, recipe: Recipe, augment=None, learn=None, head_fit=None
) -> dict:
    """PTC train -> dev: does a line contain Loaded_Language (ROC AUC)."""
    from framing.training.fit import fit_head

    head = head_fit or fit_head(
        "loaded", list(ptc_train) + list(extra), recipe, augment=augment, learn=learn
    )
    ours = head.predict_proba([r.text for r in ptc_dev])[:, 0]
    plain, (vec, clf, _) = plain_fit_predict(ptc_train, ptc_dev)
    y = np.array([r.meta["loaded_language"] for r in ptc_dev])
    recall, n_spans = span_recall(head, ptc_dev)
    return {
        "ours": {"n": len(y), "roc_auc": float(roc_auc_score(y, ours)), "span_recall": recall},
        "plain": {
            "n": len(y),
            "roc_auc": float(roc_auc_score(y, plain)),
            "span_recall": _plain_span_recall(vec, clf, ptc_dev),
        },
        "positives": int(y.sum()),
        "span_recall_gold_spans": n_spans,
    }


def groups_kfold(records, n_splits=5):
    groups = [r.group for r in records]
    return list(GroupKFold(n_splits).split(np.zeros(len(records)), groups=groups))
