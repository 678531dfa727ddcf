"""Retraining from readers' corrections: the figures of issue 27 (retraining part).

    python benchmarks/bench_feedback_retrain.py                 # (1) and (3), weight variants
    python benchmarks/bench_feedback_retrain.py --protocols     # and (2): ~1 h on 2 busy cores
    python benchmarks/bench_feedback_retrain.py --protocols --variants word:20,word-kept:20

(1) The 100 word marks of tests/fixtures/feedback/word_marks.jsonl (50 words, two marks
    each, on texts no training set holds; 25 words the shipped model flags marked
    "neutral", 25 it misses marked "loaded") are folded into the ``loaded`` head; on the
    100 held-out texts of heldout_texts.jsonl (other texts with the same words) the share
    where the marked word's contribution, and the text's probability, moved the marked way.
(2) BABE sentence AUC and the held-out entry figures, before and after the same marks
    (framing.training.feedback_protocols: same folds, seed and designs); the pairs built
    on loaded-terms entries the marks correct on a line of their own, and "after" also with
    the loaded-terms list kept as it is (for comparison).
(3) The fast path: the refit of ``loaded`` with the marks from the cached design (the
    weights of the marks' features, from the cached optimum; ``--full`` adds the full refit,
    four cold fits, for comparison).

Needs the public data (../shared/data or $FRAMING_DATA_DIR). The first run computes the
training design and caches it ($FRAMING_CACHE_DIR or ~/.cache/framing).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

from framing.core.model import load_model
from framing.training import feedback
from framing.training.binary import datasets
from framing.training.design import Rows, calibrated_head, fast_model, fit_design
from framing.training.feedback import word_contribution
from framing.training.feedback_runs import FeedbackOptions, corrections, loaded_design, refit

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "feedback"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def movement(before, after, held: list[dict]) -> dict:
    """Shares of held-out texts where the word's contribution / the text's probability
    moved the marked way, and both."""
    word_ok, prob_ok = [], []
    for h in held:
        up = h["answer"] == "loaded"
        cb = word_contribution(before, h["text"], h["start"], h["end"])
        ca = word_contribution(after, h["text"], h["start"], h["end"])
        pb = before.predict_proba([h["text"]])[0, 0]
        pa = after.predict_proba([h["text"]])[0, 0]
        word_ok.append(ca > cb if up else ca < cb)
        prob_ok.append(pa > pb if up else pa < pb)
    w, p = np.array(word_ok), np.array(prob_ok)
    return {"word": w.mean(), "probability": p.mean(), "both": (w & p).mean(), "n": len(held)}


def variant_rows(design, marks, weight: float, form: str) -> Rows:
    """The marks as rows in one of the measured forms (``word``: the shipped one)."""
    if form in ("word", "word-kept"):
        return feedback.mark_rows(design, marks, word_weight=weight)
    t = np.array([1.0 if m.answer == "loaded" else 0.0 for m in marks])
    if form == "word+lexicons":  # the word alone, its lexicon features included
        X = design.encode([m.text[m.start : m.end] for m in marks])
    elif form == "context":  # the marked sentence, labelled by the mark
        X = design.encode([m.text for m in marks])
    else:
        raise ValueError(form)
    return Rows(X, t, np.full(len(marks), weight))


def print_figures(r: dict, indent: str) -> None:
    for metric, (b, a) in r.get("figures", {}).items():
        base = r["plain"][metric]
        kept = r.get("list_kept", {}).get(metric)
        more = f"; after with the list kept {kept:.4f}" if kept is not None else ""
        print(f"{indent}{metric}: {b:.4f} -> {a:.4f} (change {a - b:+.4f}; plain {base:.4f}{more})")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--protocols", action="store_true", help="also run (2), the shared protocols")
    p.add_argument("--data-dir")
    variants = "word:20,word-kept:20,word:5,word:1,word:60,word+lexicons:20,context:20"
    p.add_argument("--variants", default=variants)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument(
        "--full", action="store_true", help="also the full refit (four cold fits) for comparison"
    )
    args = p.parse_args()
    data_dir = datasets.resolve_data_dir(args.data_dir)
    marks = feedback.load_marks(str(FIXTURES / "word_marks.jsonl"))
    held = read_jsonl(FIXTURES / "heldout_texts.jsonl")
    shipped = load_model().heads["loaded"]
    print(f"load average at start: {os.getloadavg()}")

    t = time.perf_counter()
    cached, d = loaded_design(data_dir, log=print)
    design = cached.design
    print(f"design ready in {time.perf_counter() - t:.1f} s")
    plain = calibrated_head(design, cached.start, cached.platt)
    print(
        f"cached optimum vs shipped head: max |coef diff| "
        f"{np.abs(plain.coef - shipped.coef).max():.2e} (max |coef| "
        f"{np.abs(shipped.coef).max():.2f}), intercept {plain.intercept[0]:.4f} vs "
        f"{shipped.intercept[0]:.4f}"
    )

    fixed = corrections(cached, marks, FeedbackOptions())
    print(f"loaded-terms entries the marks correct: {fixed}")
    flagged = [word_contribution(shipped, m.text, m.start, m.end) for m in marks]
    for ans in ("neutral", "loaded"):
        cs = [c for c, m in zip(flagged, marks, strict=True) if m.answer == ans]
        print(
            f"shipped head on the words marked {ans} (marked texts): contribution min "
            f"{min(cs):+.2f} max {max(cs):+.2f}"
        )

    print("\n(1)+(3) refit | variant | seconds | load avg | word moved | prob moved | both")
    runs = [("fast", *spec.split(":")) for spec in args.variants.split(",")]
    runs += [("full", "word", str(feedback.WORD_WEIGHT))] if args.full else []
    for how, form, weight in runs:
        rows = variant_rows(design, marks, float(weight), form)
        t = time.perf_counter()
        if form.startswith("word"):  # the library's refit: the list corrected unless kept
            opts = FeedbackOptions(
                word_weight=float(weight), full_refit=how == "full", correct_list=form == "word"
            )
            after = refit(cached, marks, opts)
        elif how == "fast":
            after = calibrated_head(design, fast_model(design, rows, cached.start), cached.platt)
        else:
            after = fit_design(design, rows)
        secs = time.perf_counter() - t
        m = movement(shipped, after, held)
        print(
            f"{how} | {form:13s} w={float(weight):4g} | {secs:6.1f} | {os.getloadavg()[0]:.2f} | "
            f"{m['word']:.3f} | {m['probability']:.3f} | {m['both']:.3f}  (n={m['n']})",
            flush=True,
        )
    if args.protocols:
        from framing.training.feedback_protocols import protocols_before_after

        print("\n(2) shared protocols, before -> after the 100 marks (shipped weights):")
        out = protocols_before_after(
            d(), marks, FeedbackOptions(), n_jobs=args.jobs, kept=True, log=print
        )
        print(json.dumps(out, default=str))
        for key, r in out.items():
            print(f"{key}: {r['protocol']} ({r['seconds']} s)")
            print_figures(r, "  ")
            c = r.get("corrected")
            if c:
                print(f"  pairs built on the corrected entries {c['entries']} (n={c['n']}):")
                print_figures(c, "    ")
    print(f"load average at end: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
