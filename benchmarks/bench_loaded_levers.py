"""The loaded head's levers, each measured by the held-out entry protocol: prints figures.

    python benchmarks/bench_loaded_levers.py [--data DIR] [--jobs 2] [--only NAME ...]

Each lever is the shipped recipe (``framing.training.recipes``) with one thing changed. The
protocol is ``framing.training.binary.protocols.protocol_heldout_entries`` as the training run uses
it: the entries of ``loaded_terms.txt`` split into 5 folds by entry (seed 0); a head trained
on BABE + PTC + the evaluation sample of Anno-lexical without a fold's entries (neither in
the lexicon nor in the contrast examples) scores swap-in pairs built around them from real
neutral texts it never trained on (Stop Clickbait news headlines of the test half,
Anno-lexical dev/test sentences without lexical bias). Figures are over the replace pairs:

* ``loaded>=.5``: share of loaded twins at or above 0.5 (goal 0.90);
* ``neutral<.5``: share of neutral twins below 0.5 (goal 0.95);
* ``above``: share of pairs whose loaded twin outscores its neutral twin (goal 0.98);
* ``top2``: share where a word of the entry is among the loaded twin's 2 strongest (goal 0.95);
* ``sep@95``: share of loaded twins at or above the 95th percentile of the neutral twins: the
  best ``loaded>=t`` any single threshold t can give while 95% of neutral twins stay below it,
  i.e. what recalibration alone could reach.

The data are read at run time from ``../shared/data`` (or ``--data`` / ``$FRAMING_DATA_DIR``).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

from framing.training import recipes
from framing.training.binary import datasets, protocols
from framing.training.binary.runs import default_data

SUBJECTIVITY = ("mpqa_", "huliu_")


def _levers(d):
    """name -> (recipe for held-out entries, training records)."""
    records = d.babe + d.ptc_train + d.ptc_dev + d.anno_eval
    no_anno = d.babe + d.ptc_train + d.ptc_dev

    def shipped(held, lex=d.ld_lex, contrast=True, **recipe_changes):
        recipe = recipes.loaded_recipe(recipes.without_entries(lex, held))
        if recipe_changes:
            features = {**recipe.features, **recipe_changes.pop("features", {})}
            recipe = replace(recipe, features=features, **recipe_changes)
        augment = recipes.loaded_contrast(d.pools["train"], held) if contrast else None
        return recipe, augment

    no_subjectivity = {k: v for k, v in d.ld_lex.items() if not k.startswith(SUBJECTIVITY)}
    return {
        "shipped recipe": (shipped, records),
        "lexicons L2-normalised (sqrt)": (
            lambda held: shipped(held, features={"lexicon_norm": "sqrt"}),
            records,
        ),
        "without MPQA and Hu & Liu": (lambda held: shipped(held, lex=no_subjectivity), records),
        "without contrast examples": (lambda held: shipped(held, contrast=False), records),
        "contrast examples see the loaded-terms feature": (
            lambda held: shipped(held, augment_hidden_lexicons=()),
            records,
        ),
        "without Anno-lexical": (shipped, no_anno),
        "weaker L2 penalty (C=4)": (lambda held: shipped(held, C=4.0), records),
    }


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=None, help="data folder (default ../shared/data)")
    ap.add_argument("--jobs", type=int, default=2, help="parallel folds")
    ap.add_argument("--only", nargs="*", default=None, help="lever names to run")
    ap.add_argument("--sample", type=int, default=None, help="at most N rows per dataset (smoke)")
    args = ap.parse_args(argv)
    d = default_data(datasets.resolve_data_dir(args.data), args.sample)
    levers = _levers(d)
    keys = ("loaded_ge_0.5", "neutral_lt_0.5", "loaded_gt_neutral", "top2", "loaded_ge_neutral_q95")
    print("| lever | pairs | loaded>=.5 | neutral<.5 | above | top2 | sep@95 | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    plain_done = False
    for name, (recipe_without, records) in levers.items():
        if args.only and name not in args.only:
            continue
        t = time.perf_counter()
        out = protocols.protocol_heldout_entries(
            records,
            recipe_without,
            d.pools["test"],
            d.babe,
            seed=recipes.SEED,
            learn=recipes.loaded_learn,
            n_jobs=args.jobs,
        )
        secs = time.perf_counter() - t
        row = " | ".join(f"{out['ours'][k]:.3f}" for k in keys)
        print(f"| {name} | {out['ours']['n']} | {row} | {secs:.0f} |", flush=True)
        if not plain_done:
            row = " | ".join(f"{out['plain'][k]:.3f}" for k in keys)
            print(
                f"| plain baseline (word 1-2 TF-IDF + LR on BABE) | {out['plain']['n']} | {row} | |"
            )
            plain_done = True


if __name__ == "__main__":
    main()
