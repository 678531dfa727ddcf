"""The shared protocols of the ``loaded`` head, before and after folding in readers' marks.

Each protocol fold's training design is computed once (:func:`framing.training.design.
head_design`) and fitted without the marks, then refitted with them as the run refits the
shipped head (fast, from the fold's optimum; or cold with ``--full-refit``), so the change is
the marks' alone (same folds, seed and design):

* ``loaded/babe_auc``: BABE SG2 sentences, 5-fold stratified CV (seed 0), PTC train+dev
  and Anno-lexical (evaluation outlets) added to every training fold, ROC AUC of the
  out-of-fold logits (Platt scaling is monotone: it leaves AUC unchanged, so none is fitted);
  beside the plain TF-IDF + logistic regression baseline on the same folds;
* ``loaded/heldout_entries``: the loaded-terms entries dealt to 5 folds (seed 0); a head
  trained without a fold's entries (lexicon and contrast examples) scores swap-in pairs
  built around them from texts no training record holds (as
  :func:`framing.training.binary.protocols.protocol_heldout_entries`). The probabilities use the
  shipped head's Platt scaling for both fits (a fold's own would cost three more fits).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
from sklearn.metrics import roc_auc_score

from framing.core.encoder import encode
from framing.core.model import load_model
from framing.training import feedback, recipes, swapin
from framing.training.binary import protocols
from framing.training.binary.fit import Record
from framing.training.design import calibrated_head, fast_model, head_design, raw_model

__all__ = ["ENTRY_FIGURES", "babe_auc", "heldout_entries", "protocols_before_after"]

ENTRY_FIGURES = ("loaded_ge_0.5", "neutral_lt_0.5", "loaded_gt_neutral", "top2")


def _before_after(design, marks, opts) -> tuple:
    """The fold's raw model without the marks, and with them (refitted as the run refits:
    fast from the optimum without them, or cold with ``opts.full_refit``)."""
    before = raw_model(design)
    rows = feedback.mark_rows(
        design, marks, word_weight=opts.word_weight, unit_weight=opts.unit_weight
    )
    after = raw_model(design, rows) if opts.full_refit else fast_model(design, rows, before)
    return before, after


def babe_auc(d, marks: Sequence, opts, *, n_jobs: int = 1) -> dict:
    """BABE sentence ROC AUC before and after the marks (see the module docstring)."""
    from joblib import Parallel, delayed

    babe = d.babe
    folds = protocols._stratified(babe)
    extra = d.ptc_train + d.ptc_dev + d.anno_eval
    recipe = recipes.loaded_recipe(d.ld_lex)
    contrast = recipes.loaded_contrast(d.pools["train"])

    def one(tr, te):
        design = head_design(
            "loaded",
            [babe[i] for i in tr] + extra,
            recipe,
            seed=recipes.SEED,
            augment=contrast,
            learn=recipes.loaded_learn,
        )
        X = encode(design.space, [babe[i].text for i in te]).to_scipy()
        out = []
        for clf in _before_after(design, marks, opts):
            out.append(X @ (clf.coef_[0] * design.scale) + clf.intercept_[0])
        return te, out

    results = Parallel(n_jobs=n_jobs)(delayed(one)(tr, te) for tr, te in folds)
    z = np.zeros((2, len(babe)))
    for te, (zb, za) in results:
        z[0, te], z[1, te] = zb, za
    y = np.array([r.target >= 0.5 for r in babe], dtype=int)
    plain, _ = protocols._plain_oof(babe, folds)
    return {
        "figures": {"roc_auc": (roc_auc_score(y, z[0]), roc_auc_score(y, z[1]))},
        "plain": {"roc_auc": float(roc_auc_score(y, plain))},
        "protocol": f"BABE SG2, 5-fold stratified CV (seed {recipes.SEED}), ROC AUC of the "
        f"out-of-fold logits on {len(babe)} sentences; PTC train+dev and Anno-lexical added "
        "to every training fold; plain: TF-IDF word 1-2 + logistic regression, same folds",
    }


def entry_fold_results(d, marks: Sequence, opts, *, n_jobs: int = 1, n_folds: int = 5, keep=None):
    """The held-out entry protocol's folds scored before and after the marks: ``(pairs,
    results)``, per fold ``(its pairs, [(loaded probabilities, neutral probabilities, top
    forms) before, after])``; ``keep`` (a predicate on a fold's entry keys) scores only the
    folds it accepts."""
    from joblib import Parallel, delayed

    records = d.babe + d.ptc_train + d.ptc_dev + d.anno_eval
    entries = swapin.entries()
    by_key = {e.key: e for e in entries}
    train_texts = {r.text.lower() for r in records}
    pools = {k: [t for t in v if t.lower() not in train_texts] for k, v in d.pools["test"].items()}
    folds = swapin.entry_folds([e.key for e in entries], n_folds, recipes.SEED)
    folds = [list(f) for f in folds if keep is None or keep(f)]
    platt = tuple(load_model().heads["loaded"].calibration[0])

    def one(held):
        recipe = recipes.loaded_recipe(recipes.without_entries(d.ld_lex, held))
        contrast = recipes.loaded_contrast(d.pools["train"], set(held))
        design = head_design(
            "loaded",
            records,
            recipe,
            seed=recipes.SEED,
            augment=contrast,
            learn=recipes.loaded_learn,
        )
        pairs = swapin.build_pairs(
            [by_key[k] for k in held], pools, n_replace=8, n_insert=4, seed=recipes.SEED
        )
        out = []
        for clf in _before_after(design, marks, opts):
            head = calibrated_head(design, clf, platt)
            loaded = [p.loaded for p in pairs]
            p_l = head.predict_proba(loaded)[:, 0]
            p_n = head.predict_proba([p.neutral for p in pairs])[:, 0]
            contribs = protocols._batch_contributions(head, loaded)
            out.append((p_l, p_n, [protocols._top_positive_forms(c) for c in contribs]))
        return pairs, out

    results = Parallel(n_jobs=n_jobs)(delayed(one)(f) for f in folds)
    return [p for r in results for p in r[0]], results


def heldout_entries(d, marks: Sequence, opts, *, n_jobs: int = 1, n_folds: int = 5) -> dict:
    """The held-out entry figures before and after the marks (see the module docstring)."""
    pairs, results = entry_fold_results(d, marks, opts, n_jobs=n_jobs, n_folds=n_folds)
    reports = []
    for k in range(2):
        p_l = np.concatenate([r[1][k][0] for r in results])
        p_n = np.concatenate([r[1][k][1] for r in results])
        tops = [t for r in results for t in r[1][k][2]]
        reports.append(protocols.pair_report(pairs, p_l, p_n, tops))
    plain_l, (vec, clf, Xt) = protocols.plain_fit_predict(
        d.babe, [Record(p.loaded, 1.0) for p in pairs]
    )
    plain_n, _ = protocols.plain_fit_predict(d.babe, [Record(p.neutral, 0.0) for p in pairs])
    plain_tops = [
        protocols._top_positive_forms(c) for c in protocols.plain_word_contributions(vec, clf, Xt)
    ]
    plain = protocols.pair_report(pairs, plain_l, plain_n, plain_tops)
    return {
        "figures": {k: (reports[0][k], reports[1][k]) for k in ENTRY_FIGURES},
        "plain": {k: plain[k] for k in ENTRY_FIGURES},
        "protocol": f"loaded-terms entries in {n_folds} folds (seed {recipes.SEED}), "
        f"{reports[0]['n']} replace pairs from held-out neutral texts; shipped Platt scaling "
        "for both fits; plain: TF-IDF word 1-2 + logistic regression on BABE",
    }


def protocols_before_after(d, marks: Sequence, opts, *, n_jobs: int = 1, log=print) -> dict:
    """Both protocols, before and after the marks, keyed like the manifest's metrics."""
    out = {}
    for key, run in (("loaded/babe_auc", babe_auc), ("loaded/heldout_entries", heldout_entries)):
        t = time.perf_counter()
        log(f"protocol {key}, before and after the marks ...")
        out[key] = run(d, marks, opts, n_jobs=n_jobs)
        out[key]["seconds"] = round(time.perf_counter() - t, 1)
        figs = ", ".join(f"{m} {b:.3f} -> {a:.3f}" for m, (b, a) in out[key]["figures"].items())
        log(f"  {key}: {figs}")
    return out
