"""Fitting heads from labelled records (scikit-learn; imported only when training).

A record is one text with a graded target in [0, 1] (1 = the head's label applies), a
sample weight, the dataset it came from, a group (texts of one group never straddle a
train/test split) and optional annotated character spans (for rationale training).

Soft targets are fitted exactly as cross-entropy against the grade: each record enters the
logistic regression twice, as a positive with weight ``target * weight`` and as a negative
with weight ``(1 - target) * weight``. The logit is then Platt-scaled on out-of-fold logits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace

import numpy as np
from scipy.sparse import vstack
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold

from framing.core.encoder import encode
from framing.core.features import FeatureSpace, document_frequencies, select_vocabulary
from framing.core.head import Head, sigmoid

__all__ = [
    "LEARN_FOLDS",
    "Augmenter",
    "IndexLearner",
    "Learner",
    "Recipe",
    "Record",
    "TextVectorizer",
    "best_f1_threshold",
    "cross_validate",
    "cross_validate_multilabel",
    "fit_head",
    "fit_multilabel_head",
    "fit_multilabel_head_oof",
    "fit_platt",
    "group_folds",
    "with_features",
]


@dataclass(frozen=True)
class Record:
    text: str
    target: float
    weight: float = 1.0
    dataset: str = "user"
    group: str = ""
    spans: tuple[tuple[int, int], ...] = ()
    meta: dict = field(default_factory=dict, compare=False, hash=False)


class TextVectorizer(TransformerMixin, BaseEstimator):
    """scikit-learn transformer over raw texts producing :class:`FeatureSpace` features."""

    def __init__(
        self,
        word_ngrams=(1, 2),
        char_ngrams=(2, 5),
        min_df=2,
        max_word_features=None,
        max_char_features=None,
        sublinear_tf=True,
        word_weight=1.0,
        char_weight=1.0,
        lexicon_weight=1.0,
        lexicon_norm="none",
        lexicons=None,
        shapes=True,
    ):
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.sublinear_tf = sublinear_tf
        self.word_weight = word_weight
        self.char_weight = char_weight
        self.lexicon_weight = lexicon_weight
        self.lexicon_norm = lexicon_norm
        self.lexicons = lexicons
        self.shapes = shapes

    def _space_params(self) -> dict:
        return {
            "word_ngrams": tuple(self.word_ngrams),
            "char_ngrams": tuple(self.char_ngrams) if self.char_ngrams else None,
            "sublinear_tf": self.sublinear_tf,
            "word_weight": self.word_weight,
            "char_weight": self.char_weight,
            "lexicon_weight": self.lexicon_weight,
            "lexicon_norm": self.lexicon_norm,
            "lexicons": self.lexicons or {},
            "shapes": self.shapes,
        }

    def fit(self, X, y=None):
        if isinstance(X, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        texts = list(X)
        params = self._space_params()
        word_df, char_df, n = document_frequencies(params, texts)
        word_vocab, word_idf = select_vocabulary(word_df, n, self.min_df, self.max_word_features)
        char_vocab, char_idf = select_vocabulary(char_df, n, self.min_df, self.max_char_features)
        self.space_ = FeatureSpace(
            **params,
            word_vocab=word_vocab,
            word_idf=word_idf,
            char_vocab=char_vocab,
            char_idf=char_idf,
        )
        self.n_features_out_ = self.space_.n_features
        return self

    def transform(self, X):
        if isinstance(X, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        return encode(self.space_, list(X)).to_scipy()

    def get_feature_names_out(self, input_features=None):
        return self.space_.feature_names()


@dataclass(frozen=True)
class Recipe:
    """Everything that defines how a head is trained, apart from the data."""

    features: dict = field(default_factory=dict)  # TextVectorizer parameters
    C: float = 1.0
    class_weight: str | None = None  # None or "balanced" (on the soft label mass)
    calibration_folds: int = 3
    max_iter: int = 2000
    dual: bool = False  # liblinear's dual solver: same optimum, much faster when n < n_features
    # Platt scaling on out-of-fold logits of this dataset only (None: all records). A head
    # trained on mixed data is calibrated to the distribution its probabilities should mean.
    calibrate_on: str | None = None
    # Column scale of name features (see framing.penalty): their L2 penalty is 1 / scale**2
    # times heavier. None: every feature is penalised alike. Binary and multi-label heads.
    name_penalty: float | None = None
    # Words of one topic (framing.training.penalty.topic_forms over records' meta["topic"]) get the
    # same scale when True (binary heads, whose records carry a topic).
    topic_penalty: bool = False

    def describe(self) -> dict:
        d = asdict(self)
        feats = dict(d["features"])
        if feats.get("lexicons"):
            feats["lexicons"] = {k: len(v) for k, v in feats["lexicons"].items()}
        d["features"] = feats
        return d


def _soft_design(X, targets: np.ndarray, weights: np.ndarray):
    """Duplicate rows into positive/negative copies weighted by the graded target."""
    pos_w = targets * weights
    neg_w = (1.0 - targets) * weights
    keep_pos = pos_w > 0
    keep_neg = neg_w > 0
    Xd = vstack([X[keep_pos], X[keep_neg]]).tocsr()
    y = np.concatenate([np.ones(keep_pos.sum()), np.zeros(keep_neg.sum())])
    w = np.concatenate([pos_w[keep_pos], neg_w[keep_neg]])
    return Xd, y, w


def _class_balance(targets: np.ndarray, weights: np.ndarray) -> tuple[float, float]:
    pos = float((targets * weights).sum())
    neg = float(((1 - targets) * weights).sum())
    total = pos + neg
    return total / (2 * max(neg, 1e-12)), total / (2 * max(pos, 1e-12))


def _fit_linear(X, targets, weights, recipe: Recipe, seed: int) -> LogisticRegression:
    if recipe.class_weight == "balanced":
        w_neg, w_pos = _class_balance(targets, weights)
        weights = weights * np.where(targets >= 0.5, w_pos, w_neg)
    Xd, y, w = _soft_design(X, targets, weights)
    if len(np.unique(y)) < 2:
        raise ValueError("training data has one class only: a head needs both")
    clf = LogisticRegression(
        C=recipe.C,
        solver="liblinear",
        dual=recipe.dual,
        max_iter=recipe.max_iter,
        random_state=seed,
    )
    clf.fit(Xd, y, sample_weight=w)
    return clf


def fit_platt(logits: np.ndarray, targets: np.ndarray, weights: np.ndarray) -> tuple[float, float]:
    """Platt scaling ``sigmoid(a * logit + b)`` fitted to graded targets (maximum likelihood)."""
    L = logits.reshape(-1, 1)
    Ld = np.vstack([L, L])
    y = np.concatenate([np.ones(len(L)), np.zeros(len(L))])
    w = np.concatenate([targets * weights, (1 - targets) * weights])
    keep = w > 0
    clf = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000)
    clf.fit(Ld[keep], y[keep], sample_weight=w[keep])
    return float(clf.coef_[0, 0]), float(clf.intercept_[0])


def _splitter(n_splits: int, seed: int, targets, groups):
    y = (np.asarray(targets) >= 0.5).astype(int)
    if min(np.bincount(y, minlength=2)) >= n_splits:
        return StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed).split(
            np.zeros(len(y)), y, groups
        )
    return GroupKFold(n_splits=n_splits).split(np.zeros(len(y)), y, groups)


def _groups(records: Sequence[Record]) -> np.ndarray:
    return np.array([r.group or f"_row{i}" for i, r in enumerate(records)])


Augmenter = Callable[[Sequence[Record]], list[Record]]
Learner = Callable[[Sequence[Record]], dict[str, dict[str, float]]]
LEARN_FOLDS = 5


def fit_head(
    name: str,
    records: Sequence[Record],
    recipe: Recipe,
    *,
    seed: int = 0,
    augment: Augmenter | None = None,
    learn: Learner | None = None,
    unit: str = "text",
    description: str = "",
) -> Head:
    """Fit a calibrated binary head on ``records``.

    ``augment`` may add training examples (e.g. rationale contrasts) built from a training
    set; it is applied to each calibration fold's training part too, never to the texts the
    calibration is measured on: Platt scaling is fitted on out-of-fold logits of ``records``,
    the real distribution.

    ``learn`` builds lexicons from labelled records (e.g. rationale rates of annotated
    words). The shipped head uses lexicons learned from all ``records``; its training rows
    are cross-fitted: each row is encoded with lexicons learned from the other
    ``LEARN_FOLDS - 1`` groups, so a row's own annotations never feed its own features.
    """
    records = list(records)
    if len(records) < 10:
        raise ValueError(f"{len(records)} training rows: a head needs at least 10")
    targets = np.array([r.target for r in records], dtype=np.float64)
    if not ((targets >= 0) & (targets <= 1)).all():
        raise ValueError("targets must lie in [0, 1]")

    texts = [r.text for r in records]
    extra = augment(records) if augment else []
    features = dict(recipe.features)
    groups = _groups(records)
    if learn:
        features["lexicons"] = {**(features.get("lexicons") or {}), **learn(records)}
    vec = TextVectorizer(**features).fit(texts + [r.text for r in extra])
    if learn:
        X = _cross_fitted(vec.space_, records, groups, features["lexicons"], learn)
    else:
        X = vec.transform(texts)
    weights = np.array([r.weight for r in records], dtype=np.float64)
    tagged = [r for r in records if r.meta.get("topic")] if recipe.topic_penalty else []
    X, scale = _penalised(
        X, vec.space_, texts, recipe, [r.text for r in tagged], [r.meta["topic"] for r in tagged]
    )

    def fit_rows(rows: np.ndarray, added: list[Record]):
        Xs, t, w = X[rows], targets[rows], weights[rows]
        if added:
            Xs = vstack([Xs, vec.transform([r.text for r in added]).multiply(scale)]).tocsr()
            t = np.concatenate([t, [r.target for r in added]])
            w = np.concatenate([w, [r.weight for r in added]])
        return _fit_linear(Xs, t, w, recipe, seed)

    clf = fit_rows(np.arange(len(records)), extra)
    # Platt scaling on out-of-fold logits of the real records (augmented examples are only
    # ever training rows). The fold models share the full vocabulary and idf (unlabelled
    # text statistics); labels of a held-out fold never reach its model.
    oof = np.zeros(len(records))
    for tr, te in _splitter(recipe.calibration_folds, seed, targets, _groups(records)):
        added = augment([records[i] for i in tr]) if augment else []
        oof[te] = fit_rows(tr, added).decision_function(X[te])
    calib = np.ones(len(records), dtype=bool)
    if recipe.calibrate_on is not None:
        calib = np.array([r.dataset == recipe.calibrate_on for r in records])
        if not calib.any():
            calib[:] = True  # e.g. a CV fold or user data without that dataset
    a, b = fit_platt(oof[calib], targets[calib], weights[calib])
    coef = a * clf.coef_[0] * scale
    intercept = a * clf.intercept_[0] + b
    return Head(
        name=name,
        space=vec.space_,
        coef=coef,
        intercept=np.array([intercept]),
        labels=[name],
        calibration=np.array([[a, b]]),
        unit=unit,
        description=description,
    )


def _penalised(X, space, texts, recipe: Recipe, topic_texts=(), topics=()):
    """``X`` with the columns of name (and, given topics, one-topic) word features scaled by
    ``recipe.name_penalty`` (see :mod:`framing.penalty`), and the scale (1.0: no penalty).
    A weight fitted on the scaled columns times the scale is the weight of the unscaled ones."""
    if recipe.name_penalty is None:
        return X, 1.0
    from framing.training.penalty import feature_scale, name_like_forms, topic_forms

    names = name_like_forms(texts)
    if topics:
        names |= topic_forms(list(topic_texts), list(topics))
    scale = feature_scale(space, texts, names, recipe.name_penalty)
    return X.multiply(scale).tocsr(), scale


def _cross_fitted(space, records, groups, lexicons, learn: Learner):
    """Rows encoded with lexicons learned from the other groups (see ``fit_head``)."""
    texts = [r.text for r in records]
    return _cross_fitted_rows(
        space, texts, groups, lexicons, lambda idx: learn([records[i] for i in idx])
    )


def cross_validate(
    name: str,
    records: Sequence[Record],
    recipe: Recipe,
    *,
    n_splits: int = 5,
    seed: int = 0,
    extra: Sequence[Record] = (),
    augment: Augmenter | None = None,
    learn: Learner | None = None,
    folds=None,
    n_jobs: int = 1,
) -> tuple[np.ndarray, list[tuple[np.ndarray, Head]]]:
    """Out-of-fold calibrated probabilities for ``records``, and (test indices, head) per fold.

    ``extra`` records are added to every training fold (data disjoint from ``records``).
    ``folds`` may give explicit (train, test) index pairs; by default stratified group folds.
    """
    from joblib import Parallel, delayed

    records = list(records)
    targets = np.array([r.target for r in records])
    if folds is None:
        folds = list(_splitter(n_splits, seed, targets, _groups(records)))

    def one(tr, te):
        train_recs = [records[i] for i in tr]
        head = fit_head(
            name, train_recs + list(extra), recipe, seed=seed, augment=augment, learn=learn
        )
        return te, head, head.predict_proba([records[i].text for i in te])[:, 0]

    results = Parallel(n_jobs=n_jobs)(delayed(one)(tr, te) for tr, te in folds)
    proba = np.full(len(records), np.nan)
    heads = []
    for te, head, p in results:
        proba[te] = p
        heads.append((te, head))
    return proba, heads


def with_features(recipe: Recipe, **changes) -> Recipe:
    return replace(recipe, features={**recipe.features, **changes})


# ---- multi-label heads ------------------------------------------------------------------------
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
    f1 = np.where(last, 2 * tp / (k + n_pos), -1.0)
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
    ``thresholds="f1"`` each label's decision threshold maximises that label's F1 on those
    same out-of-fold calibrated probabilities; with ``"micro"`` one threshold shared by all
    labels maximises micro F1 on them. Either way it is chosen on the training data only. A
    number gives every label that fixed threshold. ``compact`` stores the weights as float32
    (half the size; the stored weights are the model, so explanations stay exact).

    Keywords: ``labels`` (required), ``groups``, ``weights``, ``seed``, ``thresholds``,
    ``unit``, ``description``, ``compact``, ``learn``.

    ``learn(indices)`` (optional) builds lexicons (e.g. rationale rates of annotated spans)
    from the training rows at ``indices``. The head keeps lexicons learned from all rows; its
    training rows are cross-fitted as in :func:`fit_head` (each encoded with lexicons learned
    from the other ``LEARN_FOLDS - 1`` groups), so a row's own spans never feed its features.
    """
    return fit_multilabel_head_oof(name, texts, Y, recipe, **kw)[0]


IndexLearner = Callable[[np.ndarray], dict[str, dict[str, float]]]


def _cross_fitted_rows(space, texts, groups, lexicons, learn: IndexLearner):
    """Rows encoded with lexicons learned from the other groups' rows (indices)."""
    n = len(texts)
    folds = GroupKFold(n_splits=min(LEARN_FOLDS, len(set(groups)))).split(
        np.zeros(n), groups=groups
    )
    rows_order, blocks = [], []
    for tr, te in folds:
        learned = learn(tr)
        fold_lex = {name: learned.get(name, lex) for name, lex in lexicons.items()}
        blocks.append(encode(space.with_lexicons(fold_lex), [texts[i] for i in te]).to_scipy())
        rows_order.append(te)
    stacked = vstack(blocks).tocsr()
    order = np.empty(n, dtype=np.int64)
    order[np.concatenate(rows_order)] = np.arange(n)
    return stacked[order]


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
    thresholds: str | float = "f1",
    unit: str = "text",
    description: str = "",
    compact: bool = False,
    learn: IndexLearner | None = None,
) -> tuple[Head, np.ndarray]:
    """:func:`fit_multilabel_head`, also returning the out-of-fold calibrated probabilities
    of the training rows (n_texts, n_labels) that the thresholds were chosen on."""
    if not (thresholds in ("f1", "micro") or isinstance(thresholds, int | float)):
        raise ValueError(f"thresholds={thresholds!r}: use 'f1', 'micro' or a number")
    texts = list(texts)
    Y = np.asarray(Y, dtype=np.float64)
    labels = list(labels)
    if Y.ndim != 2 or Y.shape != (len(texts), len(labels)):
        raise ValueError(f"Y has shape {Y.shape}; expected ({len(texts)}, {len(labels)})")
    if len(texts) < 10:
        raise ValueError(f"{len(texts)} training rows: a head needs at least 10")
    if not ((Y >= 0) & (Y <= 1)).all():
        raise ValueError("targets must lie in [0, 1]")
    n_folds = recipe.calibration_folds
    positives = (Y >= 0.5).sum(axis=0)
    too_few = [f"{lab} ({int(n)})" for lab, n in zip(labels, positives, strict=True) if n < n_folds]
    if too_few or (positives == len(texts)).any():
        raise ValueError(
            f"labels need at least {n_folds} positive and negative rows each; too few: "
            f"{', '.join(too_few) or 'a label is on every row'}"
        )
    weights = np.ones(len(texts)) if weights is None else np.asarray(weights, dtype=np.float64)
    groups = [f"_row{i}" for i in range(len(texts))] if groups is None else list(groups)
    features = dict(recipe.features)
    if learn is not None:
        features["lexicons"] = {**(features.get("lexicons") or {}), **learn(np.arange(len(texts)))}
    vec = TextVectorizer(**features).fit(texts)
    if learn is not None:
        X = _cross_fitted_rows(vec.space_, texts, np.asarray(groups), features["lexicons"], learn)
    else:
        X = vec.transform(texts)
    X, scale = _penalised(X, vec.space_, texts, recipe)
    folds = group_folds(groups, n_folds, seed)
    train_parts = [(X[tr], tr, te, X[te]) for tr, te in folds]
    n_labels = len(labels)
    coef = np.zeros((n_labels, X.shape[1]))
    intercept = np.zeros(n_labels)
    calibration = np.zeros((n_labels, 2))
    chosen = np.full(n_labels, 0.5 if isinstance(thresholds, str) else float(thresholds))
    oof_proba = np.zeros(Y.shape)
    for k in range(n_labels):
        y = Y[:, k]
        clf = _fit_linear(X, y, weights, recipe, seed)
        oof = np.zeros(len(texts))
        for X_tr, tr, te, X_te in train_parts:
            if len(np.unique(y[tr] >= 0.5)) < 2:  # a fold without positives: prior logit only
                oof[te] = 0.0
                continue
            oof[te] = _fit_linear(X_tr, y[tr], weights[tr], recipe, seed).decision_function(X_te)
        a, b = fit_platt(oof, y, weights)
        coef[k] = a * clf.coef_[0] * scale
        intercept[k] = a * clf.intercept_[0] + b
        calibration[k] = (a, b)
        oof_proba[:, k] = sigmoid(a * oof + b)
        if thresholds == "f1":
            chosen[k] = best_f1_threshold(oof_proba[:, k], y)
    if thresholds == "micro":
        chosen[:] = best_f1_threshold(oof_proba.ravel(), Y.ravel())
    head = Head(
        name=name,
        space=vec.space_,
        coef=coef.astype(np.float32) if compact else coef,
        intercept=intercept,
        labels=labels,
        calibration=calibration,
        thresholds=chosen,
        unit=unit,
        description=description,
    )
    return head, oof_proba


def cross_validate_multilabel(
    name: str,
    texts: Sequence[str],
    Y: np.ndarray,
    recipe: Recipe,
    *,
    labels: Sequence[str],
    groups: Sequence[str],
    folds=None,
    n_splits: int = 5,
    seed: int = 0,
    extra: tuple[Sequence[str], np.ndarray, Sequence[str]] | None = None,
    thresholds: str | float = "f1",
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold probabilities and decisions (each fold head's own thresholds), (n, n_labels).

    ``extra`` = (texts, Y, groups) added to every training fold (data disjoint from ``texts``).
    """
    texts = list(texts)
    Y = np.asarray(Y, dtype=np.float64)
    groups = list(groups)
    if folds is None:
        folds = group_folds(groups, n_splits, seed)
    proba = np.full(Y.shape, np.nan)
    decision = np.zeros(Y.shape, dtype=bool)
    for tr, te in folds:
        tr_texts = [texts[i] for i in tr]
        tr_Y, tr_groups = Y[tr], [groups[i] for i in tr]
        if extra is not None:
            tr_texts += list(extra[0])
            tr_Y = np.vstack([tr_Y, extra[1]])
            tr_groups += list(extra[2])
        head = fit_multilabel_head(
            name,
            tr_texts,
            tr_Y,
            recipe,
            labels=labels,
            groups=tr_groups,
            seed=seed,
            thresholds=thresholds,
        )
        p = head.predict_proba([texts[i] for i in te])
        proba[te] = p
        decision[te] = p >= head.label_thresholds()
    return proba, decision
