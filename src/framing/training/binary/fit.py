"""Fitting heads from labelled records (scikit-learn; imported only when training).

A record is one text with a graded target in [0, 1] (1 = the head's label applies), a
sample weight, the dataset it came from, a group (texts of one group never straddle a
train/test split) and optional annotated character spans (for rationale training).

Soft targets are fitted exactly as cross-entropy against the grade: each record enters the
logistic regression twice, as a positive with weight ``target * weight`` and as a negative
with weight ``(1 - target) * weight``. The logit is then Platt-scaled on out-of-fold logits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
from scipy.sparse import vstack
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold

from framing.core.encoder import encode
from framing.core.features import FeatureSpace, select_vocabulary
from framing.core.head import Head
from framing.core.text import PUNCT_TOKENS
from framing.core.tokens import tokenize_batch

__all__ = [
    "LEARN_FOLDS",
    "Augmenter",
    "IndexLearner",
    "Learner",
    "Recipe",
    "Record",
    "TextVectorizer",
    "cross_fitted_rows",
    "cross_validate",
    "encode_records",
    "fit_head",
    "fit_linear",
    "fit_platt",
    "penalised",
]


@dataclass(frozen=True)
class Record:
    """One training text: graded target in [0, 1], sample weight, dataset, group (never split
    across folds), marked spans (rationales) and free provenance ``meta``.
    """

    text: str
    target: float
    weight: float = 1.0
    dataset: str = "user"
    group: str = ""
    spans: tuple[tuple[int, int], ...] = ()
    meta: dict = field(default_factory=dict, compare=False, hash=False)


def fast_document_frequencies(space_params: dict, texts) -> tuple[Counter, Counter, int]:
    """:func:`framing.core.features.document_frequencies` (the reference), vectorised.

    Texts are tokenised once (:func:`framing.core.tokens.tokenize_batch`); word n-grams are
    counted as integer keys of form ids, one per (text, n-gram); character n-grams are found
    once per distinct word, and a text's are the union over its distinct words (a sparse
    product of text-word and word-n-gram incidence matrices). Same counts, a tenth the time.
    """
    from scipy.sparse import csr_matrix

    texts = list(texts)
    n_docs = len(texts)
    tb = tokenize_batch(texts)
    forms = tb.forms
    n_forms = max(len(forms), 1)
    doc = tb.doc.astype(np.int64)
    fid = tb.form_id.astype(np.int64)
    word_df: Counter = Counter()
    nmin, nmax = space_params["word_ngrams"]
    n_tok = len(fid)
    for n in range(nmin, nmax + 1):
        if n_tok < n:
            continue
        m = n_tok - n + 1
        same = doc[:m] == doc[n - 1 :]  # the n-gram lies inside one text
        # compact integer id of each position's n-gram, built one word at a time
        gid = fid[:m][same]
        for k in range(1, n):
            _, gid = np.unique(gid * n_forms + fid[k : m + k][same], return_inverse=True)
        n_grams = int(gid.max()) + 1 if len(gid) else 0
        # one count per (text, n-gram)
        uniq = np.unique(doc[:m][same] * n_grams + gid)
        counts = np.bincount(uniq % n_grams, minlength=n_grams)
        # any position of each n-gram spells it
        where = np.zeros(n_grams, dtype=np.int64)
        where[gid] = np.flatnonzero(same)
        for g, c in zip(where.tolist(), counts.tolist(), strict=True):
            word_df[" ".join(forms[i] for i in fid[g : g + n].tolist())] = c
    char_df: Counter = Counter()
    if space_params.get("char_ngrams") and n_tok:
        cmin, cmax = space_params["char_ngrams"]
        gram_id: dict[str, int] = {}
        g_rows, g_cols = [], []
        for f, form in enumerate(forms):
            if form in PUNCT_TOKENS:
                continue
            padded = f" {form} "
            size = len(padded)
            grams = {
                padded[j : j + k]
                for k in range(cmin, min(cmax, size) + 1)
                for j in range(size - k + 1)
            }
            for g in grams:
                g_rows.append(f)
                g_cols.append(gram_id.setdefault(g, len(gram_id)))
        if gram_id:
            G = csr_matrix(
                (np.ones(len(g_rows), dtype=np.float32), (g_rows, g_cols)),
                shape=(n_forms, len(gram_id)),
            )
            pairs = np.unique(doc * n_forms + fid)
            D = csr_matrix(
                (np.ones(len(pairs), dtype=np.float32), (pairs // n_forms, pairs % n_forms)),
                shape=(n_docs, n_forms),
            )
            counts = np.zeros(len(gram_id), dtype=np.int64)
            for a in range(0, n_docs, 5000):  # bounded memory
                block = (D[a : a + 5000] @ G).tocsc()
                counts += np.diff(block.indptr)
            names = list(gram_id)
            for j in np.flatnonzero(counts).tolist():
                char_df[names[j]] = int(counts[j])
    return word_df, char_df, n_docs


# Fits that share their texts share these (the folds of the held-out entry protocol differ
# only in lexicon entries): vocabularies and name-feature scales, a few entries each.
_VOCAB_CACHE: dict = {}
_SCALE_CACHE: dict = {}
_CACHE_SIZE = 4


def _texts_key(texts) -> str:
    import hashlib

    h = hashlib.sha1()
    for t in texts:
        h.update(t.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def _cache_get(cache: dict, key):
    return cache.get(key)


def _cache_put(cache: dict, key, value) -> None:
    if len(cache) >= _CACHE_SIZE:
        cache.pop(next(iter(cache)))
    cache[key] = value


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
        key = (
            _texts_key(texts),
            params["word_ngrams"],
            params["char_ngrams"],
            self.min_df,
            self.max_word_features,
            self.max_char_features,
        )
        vocab = _cache_get(_VOCAB_CACHE, key)
        if vocab is None:
            word_df, char_df, n = fast_document_frequencies(params, texts)
            vocab = (
                *select_vocabulary(word_df, n, self.min_df, self.max_word_features),
                *select_vocabulary(char_df, n, self.min_df, self.max_char_features),
            )
            _cache_put(_VOCAB_CACHE, key, vocab)
        word_vocab, word_idf, char_vocab, char_idf = vocab
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
    # multi-label heads: how each label's decision threshold is chosen on out-of-fold
    # probabilities ("f1", "f0.5" = precision weighing twice recall, "micro", or a number)
    label_thresholds: str | float = "f1"
    max_iter: int = 2000
    dual: bool = False  # liblinear's dual solver: same optimum, much faster when n < n_features
    # Platt scaling on out-of-fold logits of this dataset only (None: all records). A head
    # trained on mixed data is calibrated to the distribution its probabilities should mean.
    calibrate_on: str | None = None
    # Column scale of name features (see framing.training.penalty): their L2 penalty is 1 / scale**2
    # times heavier. None: every feature is penalised alike. Binary and multi-label heads.
    name_penalty: float | None = None
    # Words of one topic (framing.training.penalty.topic_forms over records' meta["topic"]) get the
    # same scale when True (binary heads, whose records carry a topic).
    topic_penalty: bool = False
    # Lexicons left out when encoding augmented (contrast) examples (those whose
    # meta["hide_lexicons"] is not false): what those examples teach then goes to the features
    # that also reach words outside these lexicons (word and character n-grams, the other
    # lexicons), not to the lexicon the pairs were built from.
    augment_hidden_lexicons: tuple[str, ...] = ()
    tol: float = 1e-4  # liblinear's stopping tolerance

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


def fit_linear(X, targets, weights, recipe: Recipe, seed: int) -> LogisticRegression:
    """Fit the recipe's logistic regression on soft targets (each row split into a positive
    and a negative copy weighted by its grade), class-balanced if the recipe says so.

    Raises ``ValueError`` when the targets hold one class only.
    """
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
        tol=recipe.tol,
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
IndexLearner = Callable[[np.ndarray], dict[str, dict[str, float]]]
LEARN_FOLDS = 5


def _calibration_rows(records: Sequence[Record], recipe: Recipe) -> np.ndarray:
    """The records Platt scaling is fitted on: those of ``recipe.calibrate_on``, else all."""
    calib = np.ones(len(records), dtype=bool)
    if recipe.calibrate_on is not None:
        calib = np.array([r.dataset == recipe.calibrate_on for r in records])
        if not calib.any():
            calib[:] = True  # e.g. a CV fold or user data without that dataset
    return calib


def _checked_targets(records: Sequence[Record]) -> np.ndarray:
    if len(records) < 10:
        raise ValueError(f"{len(records)} training rows: a head needs at least 10")
    targets = np.array([r.target for r in records], dtype=np.float64)
    if not ((targets >= 0) & (targets <= 1)).all():
        raise ValueError("targets must lie in [0, 1]")
    return targets


def _hidden_space(space, recipe: Recipe, lex: dict):
    """The space augmented examples are encoded in: the recipe's hidden lexicons emptied."""
    if not recipe.augment_hidden_lexicons:
        return space
    hidden = set(recipe.augment_hidden_lexicons)
    return space.with_lexicons(
        {name: ({} if name in hidden else entries) for name, entries in lex.items()}
    )


def encode_records(records: list[Record], recipe: Recipe, learn: Learner | None = None):
    """The training matrix of a head's real records, as :func:`fit_head` builds it: the
    features (with the lexicons ``learn`` builds), the fitted vectorizer (vocabulary and idf
    from the real records; augmented examples reuse them), the rows (cross-fitted when
    ``learn`` is given), the records' weights and the penalty's column scale.

    Returns:
        ``(features, vectorizer, X, weights, scale)``.
    """
    texts = [r.text for r in records]
    features = dict(recipe.features)
    groups = _groups(records)
    if learn:
        features["lexicons"] = {**(features.get("lexicons") or {}), **learn(records)}
    vec = TextVectorizer(**features).fit(texts)
    if learn:
        X = _cross_fitted(vec.space_, records, groups, features["lexicons"], learn)
    else:
        X = vec.transform(texts)
    weights = np.array([r.weight for r in records], dtype=np.float64)
    tagged = [r for r in records if r.meta.get("topic")] if recipe.topic_penalty else []
    X, scale = penalised(
        X, vec.space_, texts, recipe, [r.text for r in tagged], [r.meta["topic"] for r in tagged]
    )
    return features, vec, X, weights, scale


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
    targets = _checked_targets(records)
    extra = augment(records) if augment else []
    features, vec, X, weights, scale = encode_records(records, recipe, learn)

    augment_space = _hidden_space(vec.space_, recipe, features.get("lexicons") or {})
    encoded_added: list = []  # (list, its rows): an augmenter may return the same list again

    def fit_rows(rows: np.ndarray, added: list[Record]):
        Xs, t, w = X[rows], targets[rows], weights[rows]
        if added:
            Xa = next((m for a, m in encoded_added if a is added), None)
            if Xa is None:
                Xa = _encode_added(vec.space_, augment_space, added).multiply(scale)
                encoded_added.append((added, Xa))
            Xs = vstack([Xs, Xa]).tocsr()
            t = np.concatenate([t, [r.target for r in added]])
            w = np.concatenate([w, [r.weight for r in added]])
        return fit_linear(Xs, t, w, recipe, seed)

    clf = fit_rows(np.arange(len(records)), extra)
    # Platt scaling on out-of-fold logits of the real records (augmented examples are only
    # ever training rows). The fold models share the full vocabulary and idf (unlabelled
    # text statistics); labels of a held-out fold never reach its model.
    oof = np.zeros(len(records))
    for tr, te in _splitter(recipe.calibration_folds, seed, targets, _groups(records)):
        added = augment([records[i] for i in tr]) if augment else []
        oof[te] = fit_rows(tr, added).decision_function(X[te])
    calib = _calibration_rows(records, recipe)
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


def _encode_added(space, hidden_space, added: list[Record]):
    """Augmented examples encoded with ``hidden_space`` (the recipe's hidden lexicons left
    out), except those whose ``meta['hide_lexicons']`` is false (encoded with ``space``)."""
    if hidden_space is space:
        return encode(space, [r.text for r in added]).to_scipy()
    hide = np.array([r.meta.get("hide_lexicons", True) for r in added], dtype=bool)
    blocks, order = [], []
    for mask, sp in ((hide, hidden_space), (~hide, space)):
        idx = np.flatnonzero(mask)
        blocks.append(encode(sp, [added[i].text for i in idx]).to_scipy())
        order.append(idx)
    position = np.empty(len(added), dtype=np.int64)
    position[np.concatenate(order)] = np.arange(len(added))
    return vstack(blocks).tocsr()[position]


def penalised(X, space, texts, recipe: Recipe, topic_texts=(), topics=()):
    """``X`` with the columns of name (and, given topics, one-topic) word features scaled by
    ``recipe.name_penalty`` (see :mod:`framing.training.penalty`), and the scale (1.0: no penalty).
    A weight fitted on the scaled columns times the scale is the weight of the unscaled ones."""
    if recipe.name_penalty is None:
        return X, 1.0
    from framing.training.penalty import feature_scale, name_like_forms, topic_forms

    key = (
        _texts_key(texts),
        _texts_key(list(topic_texts) + ["\x01"] + list(topics)),
        _texts_key(space.word_vocab) + _texts_key(space.char_vocab),
        # the scale covers every feature, lexicons included: spaces that differ only in their
        # lexicons (a lever without some of them) must not share it
        tuple(space.lex_vocab),
        recipe.name_penalty,
    )
    scale = _cache_get(_SCALE_CACHE, key)
    if scale is None:
        names = name_like_forms(texts)
        if topics:
            names |= topic_forms(list(topic_texts), list(topics))
        scale = feature_scale(space, texts, names, recipe.name_penalty)
        _cache_put(_SCALE_CACHE, key, scale)
    return X.multiply(scale).tocsr(), scale


def cross_fitted_rows(space, texts, groups, lexicons, learn: IndexLearner):
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


def _cross_fitted(space, records, groups, lexicons, learn: Learner):
    """Rows encoded with lexicons learned from the other groups (see ``fit_head``)."""
    texts = [r.text for r in records]
    return cross_fitted_rows(
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
