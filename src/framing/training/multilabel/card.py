"""The model card's and the evaluation page's sections on the framing heads (``technique``,
``frame``):
their figures beside the plain baseline of the same run, the per-technique precision and
recall behind the reliability rule, and what the figures are not.

Rendered from the manifest by :func:`framing.training.binary.card.render` and ``training/train.py``.
"""

from __future__ import annotations

from framing.core.model import Model
from framing.explanation.reliability import MIN_DETECTIONS, MIN_PRECISION, label_reliability

__all__ = [
    "technique_and_frame_figures",
    "technique_and_frame_sections",
    "technique_and_frame_table",
    "label_terms",
    "technique_table",
]

TECHNIQUE = "technique/ptc_dev"
FRAME = "frame/semeval2023_cv"


def _f(v) -> str:
    return "" if v is None else f"{v:.3f}"


def technique_and_frame_table(metrics: dict) -> str:
    """The summary table of the framing heads (evaluation page and card): ours beside the plain
    baseline of the same run; empty when the run did not evaluate them."""
    tech, frame = metrics.get(TECHNIQUE), metrics.get(FRAME)
    if not tech and not frame:
        return ""
    lines = [
        "| head | protocol | n | metric | framing | plain baseline |",
        "|---|---|---|---|---|---|",
    ]
    if tech:
        o, s, p = tech["ours"], tech["ours_shared_threshold"], tech["plain"]
        proto = "PTC train (+ SemEval-2023 dev lines) -> PTC dev, per sentence"
        for key, name in (("mean_auc", "mean ROC AUC (13)"), ("micro_f1", "micro F1")):
            shared = f" ({_f(s[key])} one shared threshold)" if key != "mean_auc" else ""
            lines.append(
                f"| technique | {proto} | {o['n']} | {name} | {_f(o[key])}{shared} | {_f(p[key])} |"
            )
        lines.append(
            f"| technique | {proto} | {o['n']} | macro F1 | {_f(o['macro_f1'])} "
            f"({_f(s['macro_f1'])} one shared threshold) | {_f(p['macro_f1'])} |"
        )
    if frame:
        o, s = frame["ours"], frame["ours_shared_threshold"]
        p = frame.get("plain@0.5", {})
        proto = "SemEval-2023 subtask 2, 5-fold CV by article (seed 0), headline + body"
        for key, name in (("micro_f1", "micro F1"), ("macro_f1", "macro F1")):
            lines.append(
                f"| frame | {proto} | {o['n']} | {name} | {_f(o[key])} ± {_f(o[f'{key}_sd'])} "
                f"({_f(s[key])} one shared threshold) | {_f(p.get(key))} (at 0.5) |"
            )
        lines.append(
            f"| frame | {proto} | {o['n']} | mean ROC AUC (14) | {_f(o['mean_auc'])} | "
            f"{_f(p.get('mean_auc'))} |"
        )
        title = frame.get("ours_on_title")
        if title:
            lines.append(
                f"| frame | same folds, the model reading the headline only | {title['n']} | "
                f"micro F1 | {_f(title['micro_f1'])} | |"
            )
    return "\n".join(lines)


def technique_table(model: Model, metrics: dict) -> str:
    """Per technique on PTC dev: support, detections, precision, recall, F1, AUC (ours and
    plain), and whether it is shown by default (the reliability rule)."""
    tech = metrics.get(TECHNIQUE)
    if not tech:
        return ""
    rel = label_reliability(model, "technique") if "technique" in model.heads else {}
    lines = [
        "| technique | dev sentences | threshold | detected | precision | recall | F1 | AUC | "
        "plain F1 | plain AUC | shown by default |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, m in tech["ours"]["per_label"].items():
        p = tech["plain"]["per_label"].get(label, {})
        r = rel.get(label)
        shown = "yes" if r is None or not r.low_confidence else "no (low confidence)"
        lines.append(
            f"| {label} | {m['n_pos']} | {tech['thresholds'].get(label, 0):.3f} | "
            f"{m.get('n_detected', '')} | {_f(m['precision'])} | {_f(m['recall'])} | "
            f"{_f(m['f1'])} | {_f(m['roc_auc'])} | "
            f"{_f(p.get('f1'))} | {_f(p.get('roc_auc'))} | {shown} |"
        )
    return "\n".join(lines)


def _frame_table(metrics: dict) -> str:
    frame = metrics.get(FRAME)
    if not frame:
        return ""
    lines = ["| frame | articles | precision | recall | F1 | AUC |", "|---|---|---|---|---|---|"]
    for label, m in frame["ours"]["per_label"].items():
        lines.append(
            f"| {label} | {m['n_pos']} | {_f(m['precision'])} | {_f(m['recall'])} | "
            f"{_f(m['f1'])} | {_f(m['roc_auc'])} |"
        )
    return "\n".join(lines)


LIMITS = [
    "The frame labels of SemEval-2023 subtask 2 are per article (433 English training "
    "articles, 2020-2022 news on a few topics): the `frame` head reads the headline and the "
    "body together, and its figures say how well it recovers an article's frames, not a "
    "sentence's or a headline's. A headline alone is a weak signal: the row above where the "
    "same fold models read only the headline shows how much is lost.",
    "A technique is scored per sentence; its label means the sentence holds a span that "
    "PTC annotators marked (SemEval-2020 Task 11, 2017-2019 articles from outlets chosen for "
    "propaganda). The dev articles come from the same sources as the training ones, so the "
    "figures are optimistic for other news.",
    f"Shown by default means precision >= {MIN_PRECISION} on PTC dev at the shipped "
    "thresholds: even then up to half of the sentences shown with a technique do not hold "
    "it, and recall is low (most sentences that hold it are not flagged). The other "
    "techniques are available (`explain(..., all_techniques=True)`, `--all-techniques`) and "
    "labelled low-confidence.",
    "Thresholds and the reliability decision come from the training folds and PTC dev; no "
    "figure here was measured on the SemEval test sets.",
]


def label_terms(model: Model, name: str, k: int = 8) -> list[str]:
    """Card lines: the strongest words of each label of a multi-label head."""
    head = model[name]
    out = []
    for i, label in enumerate(head.labels):
        pos, _ = head.top_features(label=i, k=k)
        out.append(f"- {label}: " + ", ".join(f"`{t}` ({w:+.2f})" for t, w in pos))
    return out


def technique_and_frame_sections(model: Model) -> list[str]:
    """The card's lines on the framing heads (empty for a model without them)."""
    metrics = model.manifest.get("metrics", {})
    if not ({"technique", "frame"} & set(model.heads)):
        return []
    parts = ["## Persuasion techniques and frames", ""]
    table = technique_and_frame_table(metrics)
    if not table:
        return parts + ["These heads were trained without evaluation (`--skip-eval`).", ""]
    parts += [table, ""]
    for key, name in ((TECHNIQUE, "technique"), (FRAME, "frame")):
        if metrics.get(key):
            parts += [f"Protocol of `{name}`: {metrics[key]['protocol']}.", ""]
    per_technique = technique_table(model, metrics)
    if per_technique:
        parts += [
            "### Each technique on PTC dev",
            "",
            "Figures of the PTC train -> dev protocol model at its own thresholds (each "
            "maximising F0.5 on its training folds' out-of-fold probabilities); the shipped "
            "head is refitted on all the data with thresholds chosen the same way. Shown by "
            f"default: precision >= {MIN_PRECISION} on at least {MIN_DETECTIONS} detected dev "
            "sentences.",
            "",
            per_technique,
            "",
        ]
    frames = _frame_table(metrics)
    if frames:
        parts += ["### Each frame, out-of-fold (5-fold CV by article)", "", frames, ""]
    parts += ["### What these figures are not", ""] + [f"- {x}" for x in LIMITS] + [""]
    return parts


def technique_and_frame_figures(model: Model) -> str:
    """The technique and frame heads' figures: the summary beside the plain baseline, and
    each technique's precision and recall on PTC dev."""
    metrics = model.manifest.get("metrics", {})
    summary = technique_and_frame_table(metrics)
    per_technique = technique_table(model, metrics)
    return f"{summary}\n\n{per_technique}" if summary and per_technique else summary
