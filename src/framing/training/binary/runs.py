"""Training runs end to end: the default model from the public data, or a head from a user's file.

Used by ``training/train.py`` and ``framing train``. Each run logs its progress, evaluates
with the stated protocols (beside the plain baseline), fits the shipped heads on all the
data, and writes the artifact, its manifest and the model card.
"""

from __future__ import annotations

import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from framing.core.model import SUMMARY_METRICS, Model, load_model, save_model
from framing.training import recipes
from framing.training.binary import datasets, protocols
from framing.training.binary.fit import Record, cross_validate, fit_head
from framing.training.naming import check_head_name, forget_head

__all__ = [
    "DefaultData",
    "default_data",
    "Log",
    "library_versions",
    "retrain_default",
    "retrain_user_file",
    "train_default_model",
    "train_user_head",
    "write_model",
    "write_model_and_card",
]

Log = Callable[[str], None]


def _stderr_log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def library_versions() -> dict[str, str]:
    """The versions of Python and the libraries a model was trained with, for its manifest."""
    import joblib
    import scipy
    import sklearn

    from framing import __version__

    return {
        "framing": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
        "joblib": joblib.__version__,
    }


def _sample(records: list[Record], n: int | None, seed: int = 0) -> list[Record]:
    if not n or len(records) <= n:
        return records
    rng = np.random.default_rng(seed)
    keep = np.sort(rng.choice(len(records), size=n, replace=False))
    return [records[i] for i in keep]


@dataclass
class DefaultData:
    """Everything the shipped heads train and are evaluated on, with its log and files."""

    stop: list[Record]
    webis: list[Record]
    babe: list[Record]
    ptc_train: list[Record]
    ptc_dev: list[Record]
    anno: list[Record]
    anno_eval: list[Record]
    anno_test: list[Record]
    pools: dict
    cb_lex: dict
    ld_lex: dict
    log: list[str]
    files: list[Path]


def default_data(data_dir: Path, sample: int | None = None) -> DefaultData:
    """The shipped heads' data, lexicons and pools from ``data_dir`` (at most ``sample`` rows
    of each dataset when given), with the log of what was dropped or merged."""
    stop, webis, data_log, files = recipes.clickbait_data(data_dir)
    babe, ptc_train, ptc_dev, log2, files2 = recipes.loaded_data(data_dir)
    anno, anno_eval, anno_test, test_outlets, log3, files3 = recipes.loaded_anno(data_dir)
    pools, log4, files4 = recipes.loaded_pools(data_dir, exclude_outlets=test_outlets)
    cb_lex, lex_files = recipes.clickbait_lexicons(data_dir)
    ld_lex, lex_files2 = recipes.loaded_lexicons(data_dir)
    if sample:
        pools = {k: {s: _sample(list(v), sample) for s, v in p.items()} for k, p in pools.items()}
    return DefaultData(
        *(_sample(r, sample) for r in (stop, webis, babe, ptc_train, ptc_dev)),
        *(_sample(r, sample) for r in (anno, anno_eval, anno_test)),
        pools=pools,
        cb_lex=cb_lex,
        ld_lex=ld_lex,
        log=data_log + log2 + log3 + log4,
        files=files + files2 + files3 + files4 + lex_files + lex_files2,
    )


def _loaded_steps(d: DefaultData, ld_recipe, contrast, n_jobs: int) -> list:
    """The loaded head's evaluation protocols, as (key, run) pairs."""
    learn = recipes.loaded_learn
    ptc_head = {}

    def loaded_without(held_out):
        """The loaded recipe and contrast examples without the held-out lexicon entries."""
        return (
            recipes.loaded_recipe(recipes.without_entries(d.ld_lex, held_out)),
            recipes.loaded_contrast(d.pools["train"], held_out),
        )

    def fit(records):
        return fit_head(
            "loaded", records, ld_recipe, seed=recipes.SEED, augment=contrast, learn=learn
        )

    def ptc_protocol():
        ptc_head["with"] = fit(d.ptc_train + d.babe + d.anno_eval)
        return protocols.protocol_ptc(
            d.ptc_train, d.ptc_dev, d.babe, ld_recipe, head_fit=ptc_head["with"]
        )

    def anno_protocol():
        without = fit(d.ptc_train + d.babe)
        return protocols.protocol_anno_outlets(d.anno_test, ptc_head["with"], without, d.anno_eval)

    def babe_protocol():
        return protocols.protocol_babe(
            d.babe,
            d.ptc_train + d.ptc_dev + d.anno_eval,
            ld_recipe,
            augment=contrast,
            learn=learn,
            n_jobs=n_jobs,
        )

    def heldout_protocol():
        return protocols.protocol_heldout_entries(
            d.babe + d.ptc_train + d.ptc_dev + d.anno_eval,
            loaded_without,
            d.pools["test"],
            d.babe,
            seed=recipes.SEED,
            learn=learn,
            n_jobs=n_jobs,
        )

    return [
        ("loaded/babe_cv", babe_protocol),
        ("loaded/ptc_dev", ptc_protocol),
        ("loaded/anno_outlets", anno_protocol),
        ("loaded/heldout_entries", heldout_protocol),
    ]


def _evaluate(steps: list, only: str | None, log: Log, metrics: dict, timings: dict) -> None:
    if only:
        steps = [(k, f) for k, f in steps if k.startswith(only + "/")]
    for key, run in steps:
        t = time.perf_counter()
        log(f"evaluating {key} ...")
        metrics[key] = run()
        timings[f"evaluate {key}"] = round(time.perf_counter() - t, 1)
        ours, plain = _short(metrics[key]["ours"]), _short(metrics[key]["plain"])
        log(f"  {key}: ours {ours} | plain {plain}")


def _fit_shipped(d: DefaultData, cb_recipe, ld_recipe, contrast, only, log: Log):
    """The shipped clickbait and loaded heads, fitted on all their data."""
    shipped = load_model() if only else None
    if only == "loaded":
        clickbait = shipped.heads["clickbait"]
    else:
        log("fitting the shipped clickbait head on all headlines ...")
        clickbait = fit_head(
            "clickbait",
            d.stop + d.webis,
            cb_recipe,
            seed=recipes.SEED,
            unit="headline",
            description="curiosity-gap / sensational headline style",
        )
    if only == "clickbait":
        loaded = shipped.heads["loaded"]
    else:
        log("fitting the shipped loaded head on all sentences ...")
        loaded = fit_head(
            "loaded",
            d.babe + d.ptc_train + d.ptc_dev + d.anno,
            ld_recipe,
            seed=recipes.SEED,
            augment=contrast,
            learn=recipes.loaded_learn,
            unit="sentence",
            description="loaded, emotive or derogatory word choice",
        )
    return clickbait, loaded


def _default_manifest(d, sample, only, recipes_used, contrast, metrics, timings, heads) -> dict:
    return {
        "created_by": "framing.training.binary.runs.train_default_model",
        "seed": recipes.SEED,
        "sample": sample,
        "only": only,
        "libraries": library_versions(),
        "data_fingerprints": datasets.fingerprint(d.files),
        "data_log": d.log,
        "training_sizes": {
            "clickbait": {"stop_clickbait": len(d.stop), "webis17": len(d.webis)},
            "loaded": {
                "babe": len(d.babe),
                "ptc_train": len(d.ptc_train),
                "ptc_dev": len(d.ptc_dev),
                "anno_lexical": len(d.anno),
                "contrast_examples": len(contrast([])),
            },
        },
        "recipes": {name: r.describe() for name, r in recipes_used.items()},
        "metrics": metrics,
        "timings_seconds": timings,
        "heads_info": {
            h.name: {
                "n_features": h.space.n_features,
                "threshold": h.threshold,
                "unit": h.unit,
                "calibration": h.calibration.tolist(),
                "description": h.description,
            }
            for h in heads
        },
    }


def train_default_model(
    data_dir: Path,
    *,
    evaluate_heads: bool = True,
    sample: int | None = None,
    n_jobs: int = 2,
    log: Log = _stderr_log,
    only: str | None = None,
) -> tuple[Model, dict]:
    """Train the shipped heads (and, unless told not to, evaluate their recipes).

    Parameters
    ----------
    data_dir : the folder of the public datasets (``shared/data``).
    evaluate_heads : run the evaluation protocols (beside the plain baseline) first.
    sample : at most this many rows of each dataset (smoke tests; ``None``: all).
    n_jobs : parallel folds.
    log : where progress lines go.
    only : ``"clickbait"`` or ``"loaded"`` trains and evaluates that head alone and takes the
        other from the shipped model (a development shortcut; a release trains both).

    Returns
    -------
    The model with the two heads, and its manifest (metrics, data fingerprints, versions).
    """
    t0 = time.perf_counter()
    log(f"data: {data_dir}")
    d = default_data(data_dir, sample)
    for line in d.log:
        log(line)
    cb_recipe = recipes.clickbait_recipe(d.cb_lex)
    ld_recipe = recipes.loaded_recipe(d.ld_lex)
    contrast = recipes.loaded_contrast(d.pools["train"])
    metrics: dict = {}
    timings: dict = {}
    if evaluate_heads:
        steps = [
            (
                "clickbait/stop_clickbait_cv",
                lambda: protocols.protocol_stop_clickbait(
                    d.stop, d.webis, cb_recipe, n_jobs=n_jobs
                ),
            ),
            (
                "clickbait/webis17_cv",
                lambda: protocols.protocol_webis(d.webis, d.stop, cb_recipe, n_jobs=n_jobs),
            ),
            *_loaded_steps(d, ld_recipe, contrast, n_jobs),
        ]
        _evaluate(steps, only, log, metrics, timings)
    t = time.perf_counter()
    heads = _fit_shipped(d, cb_recipe, ld_recipe, contrast, only, log)
    timings["fit shipped heads"] = round(time.perf_counter() - t, 1)
    timings["total"] = round(time.perf_counter() - t0, 1)
    log(f"done in {timings['total']} s")
    used = {"clickbait": cb_recipe, "loaded": ld_recipe}
    manifest = _default_manifest(d, sample, only, used, contrast, metrics, timings, heads)
    return Model({h.name: h for h in heads}, manifest), manifest


def _short(m: dict) -> str:
    keys = (*SUMMARY_METRICS, "macro_f1_without_anno")
    return ", ".join(f"{k} {m[k]:.3f}" for k in keys if k in m)


MIN_CV_AUC = 0.6
MIN_PER_CLASS = 50


def chance_warnings(head_name: str, cv: dict, targets) -> list[str]:
    """Why a user's head may be no better than chance: a cross-validated ROC AUC under
    :data:`MIN_CV_AUC`, or fewer than :data:`MIN_PER_CLASS` examples of a class (labels at
    or above 0.5 count as positive); empty when neither."""
    out = []
    positives = sum(t >= 0.5 for t in targets)
    counts = {"positive": positives, "negative": len(targets) - positives}
    auc = cv.get("roc_auc")
    if auc is None or auc != auc:
        out.append(f"{head_name}: the cross-validated ROC AUC could not be measured (one class)")
    elif auc < MIN_CV_AUC:
        out.append(
            f"{head_name}: cross-validated ROC AUC {auc:.3f}, under {MIN_CV_AUC}: the head is "
            "no better than chance on your labels; do not rely on its scores"
        )
    few = [f"{n} {k}" for k, n in counts.items() if n < MIN_PER_CLASS]
    if few:
        out.append(
            f"{head_name}: only {' and '.join(few)} examples (fewer than {MIN_PER_CLASS} per "
            "class): too few to learn from or to measure; label more"
        )
    return out


def train_user_head(
    records: list[Record],
    head_name: str,
    *,
    base_model: str | None = None,
    log: Log = _stderr_log,
    n_jobs: int = 2,
    name_penalty: float | None = None,
    replace_head: bool = False,
) -> tuple[Model, dict]:
    """Fit a head on a user's labels (word and character n-grams), 5-fold CV first.

    The new head is added to the base model; its name is checked first
    (:func:`framing.training.naming.check_head_name`): replacing a head the base model has
    needs ``replace_head``, and drops the old head's figures from the manifest.
    ``name_penalty`` (see :mod:`framing.training.penalty`) penalises the features of names harder.
    """
    base = load_model(base_model)
    check_head_name(head_name, base, replace=replace_head)
    recipe = replace(recipes.user_recipe(), name_penalty=name_penalty)
    log(f"cross-validating {head_name} on {len(records)} rows (5-fold, seed 0) ...")
    proba, _ = cross_validate(head_name, records, recipe, n_jobs=n_jobs)
    cv = protocols.binary_metrics(proba, [r.target for r in records])
    cv["reliability"] = protocols.reliability_table(proba, [r.target for r in records])
    log(f"  CV: {_short(cv)}")
    warnings = chance_warnings(head_name, cv, [r.target for r in records])
    for warning in warnings:
        log(f"warning: {warning}")
    head = fit_head(head_name, records, recipe, seed=recipes.SEED)
    heads = {**base.heads, head_name: head}
    manifest = dict(base.manifest)
    manifest.pop("artifact", None)
    if head_name in base.heads:
        manifest = forget_head(manifest, head_name)
    manifest["metrics"] = {**manifest.get("metrics", {}), f"{head_name}/user_cv": {"ours": cv}}
    manifest["user_heads"] = sorted({*manifest.get("user_heads", []), head_name})
    head_warnings = {k: v for k, v in manifest.get("head_warnings", {}).items() if k != head_name}
    manifest["head_warnings"] = {**head_warnings, **({head_name: warnings} if warnings else {})}
    manifest["recipes"] = {**manifest.get("recipes", {}), head_name: recipe.describe()}
    return Model(heads, manifest), manifest


def retrain_default(
    data_dir: Path,
    out: Path,
    *,
    evaluate_heads: bool = True,
    sample: int | None = None,
    n_jobs: int = 2,
    log: Log = _stderr_log,
    only: str | None = None,
) -> Model:
    """Train the default model, write artifact + manifest + MODEL_CARD.md into ``out``.

    The shipped model is the ``clickbait`` and ``loaded`` heads of :func:`train_default_model`
    plus the technique and frame heads of
    :func:`framing.training.multilabel.runs.add_technique_and_frame_heads`, each evaluated
    unless told not to.
    """
    from framing.training.multilabel import runs as label_runs

    t0 = time.perf_counter()
    model, _ = train_default_model(
        data_dir, evaluate_heads=evaluate_heads, sample=sample, n_jobs=n_jobs, log=log, only=only
    )
    model = label_runs.add_technique_and_frame_heads(
        model,
        data_dir,
        evaluate_heads=evaluate_heads,
        sample_articles=sample and max(60, sample // 5),
        n_jobs=n_jobs,
        log=log,
    )
    model.manifest["timings_seconds"]["total with framing heads"] = round(
        time.perf_counter() - t0, 1
    )
    return write_model_and_card(model, out)


def retrain_user_file(
    path: Path,
    head: str,
    out: Path,
    *,
    text_col: str = "text",
    label_col: str = "label",
    base_model: str | None = None,
    n_jobs: int = 2,
    log: Log = _stderr_log,
    name_penalty: float | None = None,
    replace_head: bool = False,
) -> Model:
    """Train a head on a user's labelled file (0/1 or graded) and write the model to ``out``
    (check ``out`` first with :func:`framing.training.naming.check_output_folder`)."""
    check_head_name(head, load_model(base_model), replace=replace_head)
    path = Path(path)
    records = datasets.read_user_path(path, text_col, label_col, log)
    model, _ = train_user_head(
        records,
        head,
        base_model=base_model,
        n_jobs=n_jobs,
        log=log,
        name_penalty=name_penalty,
        replace_head=replace_head,
    )
    from framing.training.binary.card import user_head_card

    write_model(model, out, user_head_card(model, head, path.name))
    return model


def write_model(model: Model, out_dir: Path, card: str | None = None) -> Path:
    """Save ``model`` into ``out_dir`` with its ``card`` (MODEL_CARD.md); a card left there
    by an earlier model is removed when none is given (it would describe another model)."""
    artifact = save_model(model, out_dir)
    card_path = Path(out_dir) / "MODEL_CARD.md"
    if card is not None:
        card_path.write_text(card)
    else:
        card_path.unlink(missing_ok=True)
    return artifact


def write_model_and_card(model: Model, out_dir: Path) -> Model:
    """Save ``model`` into ``out_dir``, load it back (its manifest then holds the artifact's
    hash) and write its model card from what was loaded; the loaded model."""
    from framing.training.binary import card

    write_model(model, out_dir)
    model = load_model(out_dir)
    (Path(out_dir) / "MODEL_CARD.md").write_text(card.render(model))
    return model
