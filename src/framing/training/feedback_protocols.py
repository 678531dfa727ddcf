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
  The answer key is the list as corrected by the marks: pairs built on an entry the marks
  correct (more ``neutral`` than ``loaded`` word marks on its word) are reported apart, the
  headline figures are over every other pair of all folds, before and after alike.

"After" is the model the run writes: the refitted weights over the fold's space with the
corrected entries left out of its loaded-terms lexicon (unless ``opts.correct_list`` is off).
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

__all__ = [
    "ENTRY_FIGURES",
    "babe_auc",
    "corrected_keys",
    "entry_fold_results",
    "heldout_entries",
    "protocols_before_after",
    "split_figures",
]

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


def corrected_keys(marks: Sequence, opts) -> list[str]:
    """The loaded-terms entries the marks correct (:func:`framing.training.feedback.
    corrected_entries` over the shipped list), or none when ``opts.correct_list`` is off."""
    if not opts.correct_list:
        return []
    return list(feedback.corrected_entries(marks, {e.key for e in swapin.entries()}))


def _models(design, marks, opts, corrected, kept: bool) -> list:
    """The fold's (raw model, space) to score with: before (the fold's own space), after
    (its list as corrected by the marks) and, with ``kept``, after with the list kept."""
    before, after = _before_after(design, marks, opts)
    out = [(before, design.space), (after, feedback.corrected_space(design.space, corrected))]
    return out + [(after, design.space)] if kept else out


def babe_auc(d, marks: Sequence, opts, *, n_jobs: int = 1, kept: bool = False) -> dict:
    """BABE sentence ROC AUC before and after the marks (see the module docstring);
    ``kept`` adds the after figure with the loaded-terms list left as it is."""
    from joblib import Parallel, delayed

    babe = d.babe
    folds = protocols._stratified(babe)
    extra = d.ptc_train + d.ptc_dev + d.anno_eval
    recipe = recipes.loaded_recipe(d.ld_lex)
    contrast = recipes.loaded_contrast(d.pools["train"])
    corrected = corrected_keys(marks, opts)

    def one(tr, te):
        design = head_design(
            "loaded",
            [babe[i] for i in tr] + extra,
            recipe,
            seed=recipes.SEED,
            augment=contrast,
            learn=recipes.loaded_learn,
        )
        texts = [babe[i].text for i in te]
        out = []
        for clf, space in _models(design, marks, opts, corrected, kept):
            X = encode(space, texts).to_scipy()
            out.append(X @ (clf.coef_[0] * design.scale) + clf.intercept_[0])
        return te, out

    results = Parallel(n_jobs=n_jobs)(delayed(one)(tr, te) for tr, te in folds)
    z = np.zeros((3 if kept else 2, len(babe)))
    for te, zs in results:
        for k, zk in enumerate(zs):
            z[k, te] = zk
    y = np.array([r.target >= 0.5 for r in babe], dtype=int)
    plain, _ = protocols._plain_oof(babe, folds)
    out = {
        "figures": {"roc_auc": (roc_auc_score(y, z[0]), roc_auc_score(y, z[1]))},
        "plain": {"roc_auc": float(roc_auc_score(y, plain))},
        "protocol": f"BABE SG2, 5-fold stratified CV (seed {recipes.SEED}), ROC AUC of the "
        f"out-of-fold logits on {len(babe)} sentences; PTC train+dev and Anno-lexical added "
        "to every training fold; plain: TF-IDF word 1-2 + logistic regression, same folds",
    }
    if kept:
        out["list_kept"] = {"roc_auc": float(roc_auc_score(y, z[2]))}
    return out


def entry_fold_results(
    d, marks: Sequence, opts, *, n_jobs: int = 1, n_folds: int = 5, kept: bool = False
):
    """The held-out entry protocol's folds scored before and after the marks: ``(pairs,
    results)``, per fold ``(its pairs, [(loaded probabilities, neutral probabilities, top
    forms) before, after])``. After is scored with the fold's list as corrected by the
    marks (:func:`corrected_keys`); ``kept`` adds a third, after with the list kept."""
    from joblib import Parallel, delayed

    records = d.babe + d.ptc_train + d.ptc_dev + d.anno_eval
    entries = swapin.entries()
    by_key = {e.key: e for e in entries}
    train_texts = {r.text.lower() for r in records}
    pools = {k: [t for t in v if t.lower() not in train_texts] for k, v in d.pools["test"].items()}
    folds = swapin.entry_folds([e.key for e in entries], n_folds, recipes.SEED)
    platt = tuple(load_model().heads["loaded"].calibration[0])
    corrected = corrected_keys(marks, opts)

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
        for clf, space in _models(design, marks, opts, corrected, kept):
            head = calibrated_head(design, clf, platt).with_space(space)
            loaded = [p.loaded for p in pairs]
            p_l = head.predict_proba(loaded)[:, 0]
            p_n = head.predict_proba([p.neutral for p in pairs])[:, 0]
            contribs = protocols._batch_contributions(head, loaded)
            out.append((p_l, p_n, [protocols._top_positive_forms(c) for c in contribs]))
        return pairs, out

    results = Parallel(n_jobs=n_jobs)(delayed(one)(f) for f in folds)
    return [p for r in results for p in r[0]], results


def _report(pairs, p_l, p_n, tops, mask) -> dict:
    """:func:`~framing.training.binary.protocols.pair_report` of the pairs in ``mask``."""
    idx = np.flatnonzero(mask)
    return protocols.pair_report(
        [pairs[i] for i in idx], np.asarray(p_l)[idx], np.asarray(p_n)[idx], [tops[i] for i in idx]
    )


def heldout_entries(
    d, marks: Sequence, opts, *, n_jobs: int = 1, n_folds: int = 5, kept: bool = False
) -> dict:
    """The held-out entry figures before and after the marks (see the module docstring).

    The answer key is the list as corrected by the marks: the pairs built on an entry the
    marks correct are reported apart (``"corrected"``: the entries, n and the figures) and
    the headline figures, before and after alike, are over every other pair of all folds."""
    pairs, results = entry_fold_results(d, marks, opts, n_jobs=n_jobs, n_folds=n_folds, kept=kept)
    corrected = corrected_keys(marks, opts)
    scored = []
    for k in range(len(results[0][1])):
        p_l = np.concatenate([r[1][k][0] for r in results])
        p_n = np.concatenate([r[1][k][1] for r in results])
        scored.append((p_l, p_n, [t for r in results for t in r[1][k][2]]))
    plain_l, (vec, clf, Xt) = protocols.plain_fit_predict(
        d.babe, [Record(p.loaded, 1.0) for p in pairs]
    )
    plain_n, _ = protocols.plain_fit_predict(d.babe, [Record(p.neutral, 0.0) for p in pairs])
    plain_tops = [
        protocols._top_positive_forms(c) for c in protocols.plain_word_contributions(vec, clf, Xt)
    ]
    scored.append((plain_l, plain_n, plain_tops))

    out = split_figures(pairs, scored, corrected, kept=kept)
    out["protocol"] = (
        f"loaded-terms entries in {n_folds} folds (seed {recipes.SEED}), {out['n']} replace "
        "pairs from held-out neutral texts"
        + (", those built on entries the marks correct reported apart" if corrected else "")
        + "; shipped Platt scaling for both fits; plain: TF-IDF word 1-2 + logistic "
        "regression on BABE"
    )
    return out


def split_figures(pairs: Sequence, scored: Sequence, corrected, *, kept: bool = False) -> dict:
    """The held-out entry figures with the list as corrected by the marks as answer key.

    ``scored`` holds, per model, ``(loaded probabilities, neutral probabilities, top
    forms)`` over ``pairs``: before, after, (with ``kept``) after with the list kept, and
    the plain baseline last. The headline figures (``"figures"``: before, after;
    ``"plain"``; ``"n"`` replace pairs) are over the pairs not built on a ``corrected``
    entry, the same pairs for every column; ``"corrected"`` holds the entries and the same
    figures over the pairs built on them."""
    on = np.array([p.entry in set(corrected) for p in pairs], dtype=bool)

    def figures(mask) -> dict:
        reps = [_report(pairs, *s, mask) for s in scored]
        out: dict = {"n": int(reps[0].get("n", 0))}
        if out["n"]:
            out["figures"] = {k: (reps[0][k], reps[1][k]) for k in ENTRY_FIGURES}
            out["plain"] = {k: reps[-1][k] for k in ENTRY_FIGURES}
            if kept:
                out["list_kept"] = {k: reps[2][k] for k in ENTRY_FIGURES}
        return out

    out = figures(~on)
    if len(corrected):
        out["corrected"] = {"entries": sorted(corrected), **figures(on)}
    return out


def protocols_before_after(
    d, marks: Sequence, opts, *, n_jobs: int = 1, kept: bool = False, log=print
) -> dict:
    """Both protocols, before and after the marks, keyed like the manifest's metrics
    (``kept``: also after with the loaded-terms list left as it is, for comparison)."""
    out = {}
    for key, run in (("loaded/babe_auc", babe_auc), ("loaded/heldout_entries", heldout_entries)):
        t = time.perf_counter()
        log(f"protocol {key}, before and after the marks ...")
        out[key] = run(d, marks, opts, n_jobs=n_jobs, kept=kept)
        out[key]["seconds"] = round(time.perf_counter() - t, 1)
        figs = ", ".join(
            f"{m} {b:.3f} -> {a:.3f}" for m, (b, a) in out[key].get("figures", {}).items()
        )
        log(f"  {key}: {figs}")
    return out
