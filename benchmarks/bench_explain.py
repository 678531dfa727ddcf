"""Benchmark of framing.explain: prints figures (never asserts them).

    python benchmarks/bench_explain.py                 # speed figures
    python benchmarks/bench_explain.py --r-precision   # + BABE term R-precision via explain()

Speed: median CPU time of explain(headline, body) on 1,000-word articles (every head of the
model, all sentences; --model for another model), a ~1 MB body (cold and warm word cache),
and 10,000 headlines one call each vs one explain_many call. Articles are built from
sentences of the public data when present (../shared/data or $FRAMING_DATA_DIR), else from a
small built-in vocabulary.

R-precision: BABE SG2, 5-fold stratified CV (seed 0) with the shipped loaded recipe; each
sentence is explained by the fold model that did not train on it, through explain()
(headline path: the loaded head on the whole sentence), words ranked by their per-word
contribution as users see it (quoted and unquoted occurrences of a word summed).
``--extra-sample N`` subsamples the PTC lines added to each training fold to save CPU.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import defaultdict

from common import article, sentence_pool

from framing import explain, load_model
from framing.core.encoder import encoder
from framing.core.shared import clear_caches
from framing.explanation.build import explain_many


def cpu(fn):
    t = time.process_time()
    out = fn()
    return time.process_time() - t, out


def speed(model) -> None:
    sents, heads = sentence_pool()
    rng = random.Random(0)
    explain(heads[0], article(sents, 300, rng), model=model)  # load feature names etc.
    times = []
    for i in range(30):
        body = article(sents, 1000, rng)
        dt, _ = cpu(lambda body=body, i=i: explain(heads[i], body, model=model))
        times.append(dt)
    print(
        f"1,000-word article, headline + all sentences, heads {', '.join(model.heads)}: median "
        f"{statistics.median(times) * 1000:.1f} ms CPU (30 articles; min "
        f"{min(times) * 1000:.1f}, max {max(times) * 1000:.1f})"
    )
    big = article(sents, 200_000, rng)
    big = big.encode()[: 1 << 20].decode(errors="ignore")
    cold, warm = [], []
    for _ in range(5):
        encoder(model["loaded"].space)._cache.clear()  # cold word caches
        clear_caches()
        dt_cold, res = cpu(lambda: explain(heads[1], big, model=model))
        dt_warm, _ = cpu(lambda: explain(heads[1], big, model=model))
        cold.append(dt_cold)
        warm.append(dt_warm)
    print(
        f"1 MB body ({len(big):,} chars, {len(res.sentences):,} sentences), median of 5: "
        f"{statistics.median(cold):.2f} s CPU with a cold word cache (min {min(cold):.2f}), "
        f"{statistics.median(warm):.2f} s warm (min {min(warm):.2f})"
    )
    dt_json, _ = cpu(res.to_dict)
    print(f"  to_dict() of that result: {dt_json:.2f} s CPU")
    sample = [heads[i % len(heads)] for i in range(10_000)]
    dt_one, _ = cpu(lambda: [explain(h, model=model, features=False) for h in sample])
    dt_many, _ = cpu(lambda: explain_many(sample, model=model))
    print(
        f"10,000 headlines: one explain() call each {len(sample) / dt_one:,.0f}/s CPU "
        f"({dt_one:.2f} s); one explain_many() call {len(sample) / dt_many:,.0f}/s CPU "
        f"({dt_many:.2f} s)"
    )


def r_precision(extra_sample: int | None, n_jobs: int) -> None:
    import numpy as np

    from framing.training import recipes
    from framing.training.binary import datasets, protocols
    from framing.training.binary.fit import cross_validate

    data = datasets.resolve_data_dir()
    babe, ptc_train, ptc_dev, _, _ = recipes.loaded_data(data)
    extra = ptc_train + ptc_dev
    if extra_sample and extra_sample < len(extra):
        keep = np.sort(np.random.default_rng(0).choice(len(extra), extra_sample, replace=False))
        extra = [extra[i] for i in keep]
    lex, _ = recipes.loaded_lexicons(data)
    folds = protocols._stratified(babe)
    t = time.perf_counter()
    _, fold_heads = cross_validate(  # the shipped recipe, as in the training report
        "loaded",
        babe,
        recipes.loaded_recipe(lex),
        folds=folds,
        extra=extra,
        learn=recipes.loaded_learn,
        n_jobs=n_jobs,
    )
    print(f"(fold models trained in {time.perf_counter() - t:.0f} s; {len(extra)} extra rows)")
    golds = [
        protocols._gold_words(r.meta.get("biased_words", [])) if r.target >= 0.5 else set()
        for r in babe
    ]
    from framing.core.model import Model

    contribs: list = [None] * len(babe)
    reference: list = [None] * len(babe)
    for te, head in fold_heads:
        fold_model = Model({"loaded": head})
        for i in te:
            res = explain(babe[i].text, model=fold_model, features=False)
            words: dict[str, float] = defaultdict(float)
            for term in res.loaded_headline.terms:
                words[term.term] += term.contribution
            contribs[i] = words
            reference[i] = protocols.word_contributions(head, babe[i].text)
    n = sum(bool(g) for g in golds)
    print(
        f"BABE term R-precision through explain() (5-fold CV, seed 0, {n} rationale "
        f"sentences): {protocols.r_precision(contribs, golds):.3f} "
        f"(head.attribute path: {protocols.r_precision(reference, golds):.3f})"
    )


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--r-precision", action="store_true", help="also BABE term R-precision")
    ap.add_argument("--extra-sample", type=int, default=None, help="subsample PTC extra rows")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--n-jobs", type=int, default=1)
    ap.add_argument("--model", help="model folder for the speed figures (default: shipped)")
    args = ap.parse_args(argv)
    if not args.skip_speed:
        speed(load_model(args.model))
    if args.r_precision:
        r_precision(args.extra_sample, args.n_jobs)


if __name__ == "__main__":
    main()
