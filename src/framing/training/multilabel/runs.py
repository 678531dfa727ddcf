"""Training runs for the multi-label heads: ``technique`` and ``frame`` from the public data,
and a categorical head (multi-class or multi-label) from a user's file.

Used by ``training/train_framing.py`` and ``training/train.py --label-type``. Each run
evaluates its recipe beside the plain baseline, then fits the head on all its data and adds
it to a copy of a base model (the shipped one by default).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from framing.core.head import Head
from framing.core.model import Model, load_model
from framing.explanation.reliability import (
    MIN_DETECTIONS,
    MIN_PRECISION,
    RELIABILITY_KEY,
    reliability_record,
)
from framing.training import recipes
from framing.training.binary import datasets
from framing.training.inventory import FRAMES
from framing.training.multilabel import protocols as label_protocols
from framing.training.multilabel.datasets import LabelledText, label_matrix
from framing.training.multilabel.fit import fit_multilabel_head
from framing.training.naming import check_head_name, forget_head

__all__ = [
    "MIN_SAMPLED_FRAME_ARTICLES",
    "FramingData",
    "label_arrays",
    "sample_articles",
    "Log",
    "add_technique_and_frame_heads",
    "add_heads",
    "evaluate_framing",
    "fit_framing",
    "framing_data",
    "technique_reliability",
    "format_cv",
    "format_report",
    "train_technique_and_frame_heads",
    "train_user_labels_head",
]

Log = Callable[[str], None]


def _stderr_log(msg: str) -> None:
    import sys

    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def sample_articles(rows: list[LabelledText], n: int | None, seed: int = 0):
    """At most ``n`` groups (articles), chosen at random: samples never cut an article."""
    groups = sorted({r.group for r in rows})
    if not n or len(groups) <= n:
        return rows
    keep = set(np.random.default_rng(seed).choice(groups, size=n, replace=False).tolist())
    return [r for r in rows if r.group in keep]


def label_arrays(rows, labels):
    """Texts, the label matrix and the groups of labelled rows."""
    return [r.text for r in rows], label_matrix(rows, labels), [r.group for r in rows]


@dataclass(slots=True)
class FramingData:
    """The rows of the framing heads: PTC train and dev lines, SemEval-2023 dev lines
    (techniques) and SemEval-2023 subtask-2 articles (frames), with the data log and files."""

    train: list[LabelledText]
    dev: list[LabelledText]
    extra: list[LabelledText]
    frames: list[LabelledText]
    log: list[str]
    files: list[Path]


# a smoke run keeps at least this many frame articles: fewer leave a rare frame (23 of 433
# articles) without the 3 positives per training fold that its calibration needs
MIN_SAMPLED_FRAME_ARTICLES = 200


def framing_data(data_dir: Path, sample: int | None = None) -> FramingData:
    """Read the framing heads' data; ``sample`` keeps at most that many articles per source
    (at least :data:`MIN_SAMPLED_FRAME_ARTICLES` of the frame articles)."""
    train, dev, extra, data_log, files = recipes.technique_data(data_dir)
    frames, frame_log, frame_files = recipes.frame_data(data_dir)
    if sample:
        train, dev, extra = (sample_articles(x, sample) for x in (train, dev, extra))
        frames = sample_articles(frames, max(sample, MIN_SAMPLED_FRAME_ARTICLES))
    return FramingData(train, dev, extra, frames, data_log + frame_log, files + frame_files)


def evaluate_framing(
    data: FramingData, *, n_jobs: int = 1, log: Log = _stderr_log
) -> tuple[dict, dict]:
    """The evaluation of the framing heads beside the plain baseline: (metrics, timings).
    ``n_jobs`` fits that many labels at once (the same figures)."""
    tech_labels, frame_labels = recipes.technique_labels(), list(FRAMES)
    metrics: dict = {}
    timings: dict = {}
    t = time.perf_counter()
    train, extra = data.train, data.extra
    log(f"evaluating technique: PTC train ({len(train)}) + 2023 dev ({len(extra)}) -> PTC dev")
    metrics["technique/ptc_dev"] = label_protocols.protocol_technique(
        label_arrays(train, tech_labels),
        label_arrays(data.dev, tech_labels)[:2],
        tech_labels,
        recipes.technique_recipe(),
        extra=label_arrays(extra, tech_labels),
        learn=recipes.technique_learn(train + extra, tech_labels),
        n_jobs=n_jobs,
    )
    timings["evaluate technique"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    log(f"evaluating frame: 5-fold CV by article on {len(data.frames)} articles")
    metrics["frame/semeval2023_cv"] = label_protocols.cv_multilabel(
        *label_arrays(data.frames, frame_labels),
        frame_labels,
        recipes.frame_recipe(),
        name="frame",
        n_jobs=n_jobs,
        also={"title": [r.meta.get("title", "") for r in data.frames]},
    )
    timings["evaluate frame"] = round(time.perf_counter() - t, 1)
    return metrics, timings


def fit_framing(
    data: FramingData, *, n_jobs: int = 1, log: Log = _stderr_log
) -> tuple[dict[str, Head], dict]:
    """The ``technique`` and ``frame`` heads fitted on all their data: (heads, timings)."""
    tech_labels, frame_labels = recipes.technique_labels(), list(FRAMES)
    timings: dict = {}
    t = time.perf_counter()
    log("fitting the technique head on PTC train + dev + SemEval-2023 dev lines ...")
    rows = data.train + data.dev + data.extra
    texts, Y, groups = label_arrays(rows, tech_labels)
    technique = fit_multilabel_head(
        "technique",
        texts,
        Y,
        recipes.technique_recipe(),
        labels=tech_labels,
        groups=groups,
        seed=recipes.SEED,
        unit="sentence",
        description="persuasion techniques (PTC 2020 + SemEval-2023 mapped inventory)",
        compact=True,
        learn=recipes.technique_learn(rows, tech_labels),
        n_jobs=n_jobs,
    )
    timings["fit technique"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    log("fitting the frame head on all SemEval-2023 subtask-2 articles ...")
    frame = fit_multilabel_head(
        "frame",
        *label_arrays(data.frames, frame_labels)[:2],
        recipes.frame_recipe(),
        labels=frame_labels,
        groups=[r.group for r in data.frames],
        seed=recipes.SEED,
        unit="article",
        description="Media Frames Corpus frames of an article (SemEval-2023 subtask 2)",
        compact=True,
        n_jobs=n_jobs,
    )
    timings["fit frame"] = round(time.perf_counter() - t, 1)
    return {"technique": technique, "frame": frame}, timings


def technique_reliability(metrics: dict) -> dict | None:
    """The ``technique`` head's reliability record (see
    :mod:`framing.explanation.reliability`) from its PTC train -> dev evaluation: precision,
    recall and support of each technique at the protocol model's own thresholds (chosen on
    its training folds), and whether it reaches the precision rule. None without it."""
    tech = metrics.get("technique/ptc_dev")
    if not tech:
        return None
    return reliability_record(
        tech["ours"]["per_label"],
        recipes.technique_labels(),
        protocol="technique/ptc_dev",
        rule=(
            f"a technique is shown by default where its precision on PTC dev (the PTC train "
            f"-> dev protocol model, at its own thresholds chosen on training folds) is at "
            f"least {MIN_PRECISION}, on at least {MIN_DETECTIONS} detected dev sentences"
        ),
    )


def train_technique_and_frame_heads(
    data_dir: Path,
    *,
    evaluate_heads: bool = True,
    sample_articles: int | None = None,
    n_jobs: int = 1,
    log: Log = _stderr_log,
) -> tuple[dict[str, Head], dict]:
    """Evaluate (unless told not to) and fit the ``technique`` and ``frame`` heads.

    Returns the heads and a manifest fragment (metrics, sizes, recipes, data log, timings,
    the technique reliability record). ``sample_articles`` keeps at most that many articles
    per source (smoke tests); ``n_jobs`` fits that many labels at once (the same heads).
    """
    t0 = time.perf_counter()
    data = framing_data(data_dir, sample_articles)
    for line in data.log:
        log(line)
    metrics, timings = (
        evaluate_framing(data, n_jobs=n_jobs, log=log) if evaluate_heads else ({}, {})
    )
    heads, fit_timings = fit_framing(data, n_jobs=n_jobs, log=log)
    timings = {**timings, **fit_timings, "total": round(time.perf_counter() - t0, 1)}
    log(f"framing heads done in {timings['total']} s")
    reliability = technique_reliability(metrics)
    fragment = {
        "data_fingerprints": datasets.fingerprint(data.files),
        "data_log": data.log,
        "training_sizes": {
            "technique": {
                "ptc_train": len(data.train),
                "ptc_dev": len(data.dev),
                "semeval2023_dev": len(data.extra),
            },
            "frame": {"semeval2023_subtask2_train": len(data.frames)},
        },
        "recipes": {
            "technique": recipes.technique_recipe().describe(),
            "frame": recipes.frame_recipe().describe(),
        },
        "metrics": metrics,
        "timings_seconds": {f"framing {k}": v for k, v in timings.items()},
        "sample_articles": sample_articles,
        "reliability": {"technique": reliability} if reliability else {},
    }
    return heads, fragment


def add_technique_and_frame_heads(
    base: Model,
    data_dir: Path,
    *,
    evaluate_heads: bool = True,
    sample_articles: int | None = None,
    n_jobs: int = 1,
    log: Log = _stderr_log,
) -> Model:
    """``base`` with the ``technique`` and ``frame`` heads trained (and evaluated) and added:
    the step of the default training run that ships the framing heads."""
    heads, fragment = train_technique_and_frame_heads(
        data_dir,
        evaluate_heads=evaluate_heads,
        sample_articles=sample_articles,
        n_jobs=n_jobs,
        log=log,
    )
    return add_heads(base, heads, fragment)


def add_heads(base: Model, heads: dict[str, Head], fragment: dict) -> Model:
    """A copy of ``base`` with ``heads`` added (replacing same-named ones), manifest merged."""
    manifest = dict(base.manifest)
    manifest.pop("artifact", None)
    for key in ("data_fingerprints", "recipes", "metrics", "timings_seconds", "training_sizes"):
        manifest[key] = {**manifest.get(key, {}), **fragment.get(key, {})}
    manifest["data_log"] = list(manifest.get("data_log", [])) + list(fragment.get("data_log", []))
    info = dict(manifest.get("heads_info", {}))
    for name, h in heads.items():
        info[name] = {
            "n_features": h.space.n_features,
            "labels": h.labels,
            "thresholds": h.label_thresholds().round(4).tolist(),
            "unit": h.unit,
            "calibration": h.calibration.round(4).tolist(),
            "description": h.description,
        }
        reliability = fragment.get("reliability", {}).get(name)
        if reliability:
            info[name][RELIABILITY_KEY] = reliability
    manifest["heads_info"] = info
    return Model({**base.heads, **heads}, manifest)


def train_user_labels_head(
    rows: Sequence[LabelledText],
    labels: Sequence[str],
    head_name: str,
    *,
    kind: str,
    base_model: str | Path | None = None,
    log: Log = _stderr_log,
    name_penalty: float | None = None,
    replace_head: bool = False,
) -> tuple[Model, dict]:
    """Cross-validate (5-fold, seed 0, beside the plain baseline) and fit a categorical head
    on a user's labels; add it to a copy of the base model. The name is checked first
    (:func:`framing.training.naming.check_head_name`; ``replace_head`` to replace a head the
    base model has). ``name_penalty``: see :mod:`framing.training.penalty`."""
    base = load_model(base_model)
    check_head_name(head_name, base, replace=replace_head)
    if head_name in base.heads:
        base = Model(base.heads, forget_head(base.manifest, head_name))
    rows = list(rows)
    recipe = replace(recipes.user_labels_recipe(), name_penalty=name_penalty)
    texts, Y, groups = label_arrays(rows, labels)
    log(f"cross-validating {head_name} ({kind}, {len(labels)} labels) on {len(rows)} rows ...")
    cv = label_protocols.cv_multilabel(texts, Y, groups, labels, recipe, name=head_name)
    log("  cross-validation done")
    head = fit_multilabel_head(
        head_name,
        texts,
        Y,
        recipe,
        labels=labels,
        groups=groups,
        seed=recipes.SEED,
        description=f"user {kind} head",
        compact=True,
    )
    fragment = {
        "metrics": {f"{head_name}/user_cv": cv},
        "recipes": {head_name: recipe.describe()},
        "training_sizes": {head_name: {"user": len(rows)}},
    }
    model = add_heads(base, {head_name: head}, fragment)
    model.manifest["user_heads"] = sorted({*model.manifest.get("user_heads", []), head_name})
    return model, model.manifest


# ---- reports ----------------------------------------------------------------------------
def _pm(values: Sequence[float]) -> str:
    return f"{np.mean(values):.3f} ± {np.std(values, ddof=1):.3f}"


def format_cv(name: str, cv: dict) -> str:
    """The cross-validation result of a multi-label head as readable lines (ours and plain)."""
    lines = [f"{name}: {cv['protocol']}"]
    if "multiclass" in cv:
        for who in ("ours", "plain"):
            m = cv["multiclass"][who]
            lines.append(
                f"  {who:6s} (arg-max label, n={m['n']}): accuracy {m['accuracy']:.3f} "
                f"(folds {_pm(m['fold_accuracy'])}), macro F1 {m['macro_f1']:.3f} "
                f"(folds {_pm(m['fold_macro_f1'])})"
            )
    for key, m in cv.items():
        if key.startswith(("ours", "plain@")):
            lines.append(
                f"  {key:22s} micro F1 {m['micro_f1']:.3f} (folds {_pm(m['fold_micro_f1'])}), "
                f"macro F1 {m['macro_f1']:.3f} (folds {_pm(m['fold_macro_f1'])}), "
                f"mean AUC {m['mean_auc']:.3f}"
            )
    return "\n".join(lines)


def format_report(metrics: dict) -> str:
    """The evaluation report of the framing heads, ours beside the plain baseline."""
    out = []
    tech = metrics.get("technique/ptc_dev")
    if tech:
        o, s, p = tech["ours"], tech["ours_shared_threshold"], tech["plain"]
        out.append(f"technique: {tech['protocol']}")
        out.append(
            f"  {'technique':48s} {'dev+':>5s} {'AUC ours/plain':>15s} {'F1 ours/plain':>14s}"
        )
        for lab, m in o["per_label"].items():
            pm = p["per_label"][lab]
            out.append(
                f"  {lab:48s} {m['n_pos']:5d} {m['roc_auc']:7.3f}/{pm['roc_auc']:.3f} "
                f"{m['f1']:7.3f}/{pm['f1']:.3f}"
            )
        for name, m in (("ours (per-label thr.)", o), ("ours (shared thr.)", s), ("plain", p)):
            out.append(
                f"  {name:22s} micro F1 {m['micro_f1']:.3f}  macro F1 {m['macro_f1']:.3f}  "
                f"mean AUC {m['mean_auc']:.3f}  (n={m['n']} sentences)"
            )
    frame = metrics.get("frame/semeval2023_cv")
    if frame:
        out.append(format_cv("frame", frame))
    return "\n".join(out)
