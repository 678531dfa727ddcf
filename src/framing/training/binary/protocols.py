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
from sklearn.model_selection import KFold, StratifiedKFold

from framing.core.head import Head
from framing.core.text import normalize
from framing.core.tokens import tokenize_batch
from framing.training.binary.fit import Augmenter, Recipe, Record, cross_validate

__all__ = [
    "binary_metrics",
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
    """The plain baseline: word 1-2-gram TF-IDF and a default logistic regression."""
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
    """Per-word contributions of the plain baseline for each row of ``Xt`` (an n-gram's
    share split evenly over its words), for the span protocols.
    """
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
    from framing.training.binary.fit import fit_head

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


# ---- held-out lexicon entries: swap-in pairs ----------------------------------------------------
PAIR_METRICS = ("loaded_ge_0.5", "neutral_lt_0.5", "loaded_gt_neutral", "top2")


def _pair_figures(p_loaded, p_neutral, top_ok, threshold: float = 0.5) -> dict:
    p_loaded, p_neutral = np.asarray(p_loaded), np.asarray(p_neutral)
    return {
        "n": len(p_loaded),
        "loaded_ge_0.5": float((p_loaded >= threshold).mean()),
        "neutral_lt_0.5": float((p_neutral < threshold).mean()),
        "loaded_gt_neutral": float((p_loaded > p_neutral).mean()),
        "top2": float(np.mean(top_ok)),
        # the best share of loaded twins any one threshold can flag while keeping 95% of the
        # neutral twins below it: what recalibration alone could reach
        "loaded_ge_neutral_q95": float((p_loaded >= np.quantile(p_neutral, 0.95)).mean()),
    }


def pair_report(pairs, p_loaded, p_neutral, tops) -> dict:
    """Swap-in figures: the replace pairs (primary: real texts with a counterpart replaced),
    split by source, and the insert pairs (template-free: the term put into any text).

    ``tops`` holds the two words with the largest positive contributions to each loaded text;
    ``top2`` counts the pairs where one of them is a word of the swapped-in entry."""
    from framing.core.text import token_spans

    p_loaded, p_neutral = np.asarray(p_loaded), np.asarray(p_neutral)
    top_ok = np.array(
        [bool(set(token_spans(p.entry)[0]) & set(t)) for p, t in zip(pairs, tops, strict=True)]
    )
    out: dict = {}
    groups = {"replace": [p.kind == "replace" for p in pairs]}
    for source in sorted({p.source for p in pairs}):
        groups[f"replace_{source}"] = [p.kind == "replace" and p.source == source for p in pairs]
    groups["insert"] = [p.kind == "insert" for p in pairs]
    for name, mask in groups.items():
        m = np.array(mask, dtype=bool)
        if m.any():
            figures = _pair_figures(p_loaded[m], p_neutral[m], top_ok[m])
            if name == "replace":
                out.update(figures)  # the headline figures of the protocol
            else:
                out.update({f"{name}/{k}": v for k, v in figures.items()})
    return out


def _top_positive_forms(contribs: dict[str, float], k: int = 2) -> list[str]:
    return [w for c, w in sorted(((c, w) for w, c in contribs.items() if c > 0), reverse=True)[:k]]


def _batch_contributions(head: Head, texts: Sequence[str]) -> list[dict[str, float]]:
    """Per-word contributions of many texts in one pass (as :func:`word_contributions`)."""
    tb = tokenize_batch(texts)
    per_token = head.attribute(tb).per_token
    out: list[dict[str, float]] = [defaultdict(float) for _ in texts]
    for d, f, c in zip(tb.doc.tolist(), tb.form_id.tolist(), per_token.tolist(), strict=True):
        out[d][tb.forms[f]] += c
    return out


def lexicon_coverage(keys: Sequence[str], lexicons: dict[str, dict[str, float]]) -> dict:
    """Share of the entries ``keys`` that other lexicons also hold (as the feature space would
    match them: the phrase, or for a single word one of its suffix variants)."""
    from framing.core.features import lexicon_variants as _lexicon_variants

    keys = list(keys)
    out = {}
    any_hit = np.zeros(len(keys), dtype=bool)
    for name, lex in sorted(lexicons.items()):
        if name == "loaded_terms":
            continue
        hit = np.array(
            [(k in lex) if " " in k else any(v in lex for v in _lexicon_variants(k)) for k in keys]
        )
        any_hit |= hit
        out[name] = float(hit.mean()) if keys else float("nan")
    out["any_other_lexicon"] = float(any_hit.mean()) if keys else float("nan")
    return out


def protocol_heldout_entries(
    records: Sequence[Record],
    recipe_without,
    pools: dict[str, Sequence[str]],
    plain_train: Sequence[Record],
    *,
    entries=None,
    n_folds: int = 5,
    seed: int = 0,
    n_replace: int = 8,
    n_insert: int = 4,
    learn=None,
    n_jobs: int = 1,
) -> dict:
    """Held-out lexicon entries: does a loaded word the model never saw as a lexicon entry (or
    in a contrast example) lift a real neutral text over the threshold?

    The entries of ``loaded_terms.txt`` are split into ``n_folds`` folds by entry (seed
    ``seed``). For each fold, ``recipe_without(held_out)`` gives the recipe and augmenter
    (contrast examples) with the fold's entries removed from the loaded-terms lexicon and from
    the contrast examples; a head is fitted on ``records`` with it and scored on swap-in pairs
    built around the held-out entries from ``pools`` (real neutral texts that no training
    record holds). The plain baseline (TF-IDF word 1-2 + LR on ``plain_train``) is scored on
    the same pairs. Other lexicons may hold a held-out word (general knowledge, legitimately
    learnt); ``coverage`` reports the share of held-out entries they hold.
    """
    from joblib import Parallel, delayed

    from framing.training import swapin
    from framing.training.binary.fit import fit_head

    entries = list(entries if entries is not None else swapin.entries())
    train_texts = {r.text.lower() for r in records}
    pools = {k: [t for t in v if t.lower() not in train_texts] for k, v in pools.items()}
    folds = swapin.entry_folds([e.key for e in entries], n_folds, seed)
    by_key = {e.key: e for e in entries}

    def one(held: list[str]):
        recipe, augment = recipe_without(set(held))
        head = fit_head("loaded", records, recipe, seed=seed, augment=augment, learn=learn)
        pairs = swapin.build_pairs(
            [by_key[k] for k in held], pools, n_replace=n_replace, n_insert=n_insert, seed=seed
        )
        loaded = [p.loaded for p in pairs]
        p_l = head.predict_proba(loaded)[:, 0]
        p_n = head.predict_proba([p.neutral for p in pairs])[:, 0]
        tops = [_top_positive_forms(c) for c in _batch_contributions(head, loaded)]
        lex = {k: v for k, v in recipe.features.get("lexicons", {}).items()}
        return pairs, p_l, p_n, tops, lexicon_coverage(held, lex)

    results = Parallel(n_jobs=n_jobs)(delayed(one)(held) for held in folds)
    pairs = [p for r in results for p in r[0]]
    p_l = np.concatenate([r[1] for r in results])
    p_n = np.concatenate([r[2] for r in results])
    tops = [t for r in results for t in r[3]]
    # coverage over all entries (each was held out once), weighted by fold size
    sizes = np.array([len(f) for f in folds], dtype=float)
    coverage = {
        k: float(np.dot([r[4][k] for r in results], sizes) / sizes.sum()) for k in results[0][4]
    }
    # the plain baseline on the same pairs
    plain_p_l, (vec, clf, Xt) = plain_fit_predict(
        plain_train, [Record(p.loaded, 1.0) for p in pairs]
    )
    plain_p_n, _ = plain_fit_predict(plain_train, [Record(p.neutral, 0.0) for p in pairs])
    plain_tops = [_top_positive_forms(c) for c in plain_word_contributions(vec, clf, Xt)]
    return {
        "ours": pair_report(pairs, p_l, p_n, tops),
        "plain": pair_report(pairs, plain_p_l, plain_p_n, plain_tops),
        "n_entries": len(entries),
        "n_folds": n_folds,
        "entries_with_replace_pairs": len({p.entry for p in pairs if p.kind == "replace"}),
        "coverage_of_heldout_entries": coverage,
    }


def protocol_anno_outlets(test, with_head: Head, without_head: Head, plain_train) -> dict:
    """Anno-lexical, outlet-disjoint: its test-split sentences of outlets that no training
    sentence comes from, scored by the head trained with Anno-lexical (the other outlets' train
    sentences) and by the same recipe trained without it. Machine labels (an LLM ensemble):
    read as agreement with that notion, not as accuracy. Plain baseline: TF-IDF word 1-2 + LR
    trained on the same Anno-lexical sentences."""
    y = np.array([r.target for r in test])
    texts = [r.text for r in test]
    with_p = with_head.predict_proba(texts)[:, 0]
    without_p = without_head.predict_proba(texts)[:, 0]
    plain, _ = plain_fit_predict(plain_train, test)
    ours = binary_metrics(with_p, y)
    without = binary_metrics(without_p, y)
    ours.update({f"{k}_without_anno": without[k] for k in ("macro_f1", "roc_auc", "accuracy")})
    pos = y >= 0.5
    # how often a sentence is flagged (>= 0.5) with and without the LLMs' lexical-bias label
    ours["flagged_label1"] = float((with_p[pos] >= 0.5).mean()) if pos.any() else float("nan")
    ours["flagged_label0"] = float((with_p[~pos] >= 0.5).mean()) if (~pos).any() else float("nan")
    return {
        "ours": ours,
        "plain": binary_metrics(plain, y),
        "n_outlets": len({r.meta.get("outlet") for r in test}),
    }
